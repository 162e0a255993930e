// Package faults injects provider failures into AWS SDK clients through
// their middleware, for tests that show what a send does when SES or SNS
// throttles, fails or hangs (senders.NewWithMiddleware takes Fault.Add).
// It makes no network call and holds no test state beyond a Fault.
package faults

import (
	"context"
	"net/http"
	"sync/atomic"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// Fault fails the first N attempts of one operation (such as SendEmail
// or Publish) with Fail, then lets attempts through. It sits in the
// Finalize step after the retryer, so it sees every attempt. Set
// N = 0 to clear the fault; Attempts counts the attempts it saw.
type Fault struct {
	Op       string
	N        atomic.Int64
	Fail     func(ctx context.Context) error
	Attempts atomic.Int64
}

// New returns a fault failing the first n attempts of op with fail.
func New(op string, n int64, fail func(ctx context.Context) error) *Fault {
	f := &Fault{Op: op, Fail: fail}
	f.N.Store(n)
	return f
}

// Clear lets every later attempt through.
func (f *Fault) Clear() { f.N.Store(0) }

// Add adds the fault to a client's middleware stack.
func (f *Fault) Add(stack *middleware.Stack) error {
	return stack.Finalize.Add(middleware.FinalizeMiddlewareFunc("injectFault", func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
		if middleware.GetOperationName(ctx) != f.Op {
			return next.HandleFinalize(ctx, in)
		}
		if f.Attempts.Add(1) <= f.N.Load() {
			return middleware.FinalizeOutput{}, middleware.Metadata{}, f.Fail(ctx)
		}
		return next.HandleFinalize(ctx, in)
	}), middleware.After)
}

// HTTPErr is an error as the SDK's deserializer makes it from a
// provider's answer with status and an error code; its message quotes
// to, as SES's do, so that tests see it never reaches a log or audit.
func HTTPErr(status int, code string, fault smithy.ErrorFault, to string) func(context.Context) error {
	return func(context.Context) error {
		return &awshttp.ResponseError{ResponseError: &smithyhttp.ResponseError{
			Response: &smithyhttp.Response{Response: &http.Response{StatusCode: status, Header: http.Header{}}},
			Err:      &smithy.GenericAPIError{Code: code, Message: "refused for " + to, Fault: fault},
		}}
	}
}

// Hang is a provider that never answers: the send's own timeout ends it.
func Hang(ctx context.Context) error {
	<-ctx.Done()
	return &smithy.OperationError{ServiceID: "fault", OperationName: "hang", Err: ctx.Err()}
}
