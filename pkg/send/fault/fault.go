// Package fault classifies an AWS SDK error from a send (SES, SNS) into
// the login.DeliveryError the core audits: a short reason and the
// provider's error code, never the provider's message, which may quote
// the recipient.
package fault

import (
	"context"
	"errors"
	"net"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"

	"github.com/portalpass/portalpass/pkg/login"
)

// maxCode is the longest provider error code kept; a longer one is cut.
const maxCode = 64

// Classify returns the reason and provider code of err, the last error of
// a send after the SDK's retries. A deadline, a network timeout or the
// provider's RequestTimeout is ReasonTimeout; a throttling code (the SDK's own list) or HTTP 429
// ReasonThrottled; HTTP 5xx, a server-fault code or an unreachable
// provider ReasonProviderError; any other error the provider answered
// with ReasonRejected.
func Classify(err error) (login.DeliveryReason, string) {
	code := errorCode(err)
	status := 0
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		status = re.HTTPStatusCode()
	}
	if code == "" && status != 0 {
		code = strconv.Itoa(status)
	}
	var ne net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return login.ReasonTimeout, code
	case errors.Is(err, context.Canceled):
		return login.ReasonCanceled, code
	}
	if _, ok := retry.DefaultRetryableErrorCodes[code]; ok || status == 408 {
		return login.ReasonTimeout, code // RequestTimeout: the provider's own
	}
	if _, ok := retry.DefaultThrottleErrorCodes[code]; ok || status == 429 {
		return login.ReasonThrottled, code
	}
	var api smithy.APIError
	switch {
	case status >= 500, errors.As(err, &api) && api.ErrorFault() == smithy.FaultServer:
		return login.ReasonProviderError, code
	case status >= 400, errors.As(err, &api):
		return login.ReasonRejected, code
	}
	// No answer at all: a refused or reset connection, a DNS failure.
	return login.ReasonProviderError, code
}

// Wrap returns a *login.DeliveryError for err, classified from raw (the
// SDK's error, before redaction drops its chain), holding err (the
// redacted error) as its cause. A nil raw gives err unchanged.
func Wrap(raw, err error) error {
	if raw == nil {
		return err
	}
	reason, code := Classify(raw)
	return &login.DeliveryError{Reason: reason, Code: code, Err: err}
}

// errorCode returns the provider's error code of err, if it has one,
// reduced to the characters an AWS error code uses so that a provider
// answering with something else cannot put text in the audit.
func errorCode(err error) string {
	var api smithy.APIError
	if !errors.As(err, &api) {
		return ""
	}
	b := make([]byte, 0, len(api.ErrorCode()))
	for _, c := range []byte(api.ErrorCode()) {
		if len(b) == maxCode {
			break
		}
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-' || c == ':' {
			b = append(b, c)
		}
	}
	return string(b)
}
