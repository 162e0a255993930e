package fault

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/portalpass/portalpass/pkg/login"
)

// respErr is an error as the SDK returns it for an HTTP answer.
func respErr(status int, err error) error {
	return &smithy.OperationError{ServiceID: "SES", OperationName: "SendEmail", Err: &retry.MaxAttemptsError{Attempt: 3, Err: &awshttp.ResponseError{
		ResponseError: &smithyhttp.ResponseError{Response: &smithyhttp.Response{Response: &http.Response{StatusCode: status}}, Err: err},
	}}}
}

type timeoutErr struct{}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }

func TestClassify(t *testing.T) {
	tests := []struct {
		name   string
		err    error
		reason login.DeliveryReason
		code   string
	}{
		{"ses throttled", respErr(429, &smithy.GenericAPIError{Code: "TooManyRequestsException", Message: "ana@example.com slow down"}), login.ReasonThrottled, "TooManyRequestsException"},
		{"sns throttled", respErr(400, &smithy.GenericAPIError{Code: "Throttling"}), login.ReasonThrottled, "Throttling"},
		{"429 without code", respErr(429, errors.New("x")), login.ReasonThrottled, "429"},
		{"503", respErr(503, errors.New("x")), login.ReasonProviderError, "503"},
		{"server fault", respErr(500, &smithy.GenericAPIError{Code: "InternalFailure", Fault: smithy.FaultServer}), login.ReasonProviderError, "InternalFailure"},
		{"rejected", respErr(400, &smithy.GenericAPIError{Code: "MessageRejected", Message: "to ana@example.com"}), login.ReasonRejected, "MessageRejected"},
		{"invalid parameter", respErr(400, &smithy.GenericAPIError{Code: "InvalidParameter"}), login.ReasonRejected, "InvalidParameter"},
		{"request timeout code", respErr(400, &smithy.GenericAPIError{Code: "RequestTimeout"}), login.ReasonTimeout, "RequestTimeout"},
		{"deadline", fmt.Errorf("send: %w", &url.Error{Op: "Post", URL: "https://x", Err: context.DeadlineExceeded}), login.ReasonTimeout, ""},
		{"net timeout", &retry.MaxAttemptsError{Attempt: 3, Err: timeoutErr{}}, login.ReasonTimeout, ""},
		{"canceled", fmt.Errorf("send: %w", context.Canceled), login.ReasonCanceled, ""},
		{"unreachable", errors.New("connection refused"), login.ReasonProviderError, ""},
		{"odd code cut", respErr(400, &smithy.GenericAPIError{Code: "Bad code <ana@example.com>" + strings.Repeat("x", 100)}), login.ReasonRejected, ("Badcodeana" + "example.com" + strings.Repeat("x", 100))[:maxCode]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reason, code := Classify(tt.err)
			if reason != tt.reason || code != tt.code {
				t.Errorf("Classify = %q, %q; want %q, %q", reason, code, tt.reason, tt.code)
			}
		})
	}
}

func TestWrap(t *testing.T) {
	redacted := errors.New("ses: send: [redacted]")
	err := Wrap(respErr(400, &smithy.GenericAPIError{Code: "MessageRejected"}), redacted)
	var de *login.DeliveryError
	if !errors.As(err, &de) || de.Reason != login.ReasonRejected || de.Code != "MessageRejected" || !errors.Is(err, redacted) {
		t.Fatalf("Wrap = %#v", err)
	}
	if Wrap(nil, redacted) != redacted {
		t.Error("Wrap(nil, err) is not err")
	}
}
