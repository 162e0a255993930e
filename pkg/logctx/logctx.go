// Package logctx carries what identifies a request (the Lambda request
// id, the API Gateway request id, the route, the tenant once known) in
// its context, and provides the slog handler that writes them on every
// line logged with that context, redacting what looks like a secret.
//
// The ids go into the context in one place per kind of function
// (pkg/lambdahttp for the HTTP functions, the authorizer and
// delivery-events handlers for theirs); the tenant goes in where the
// HTTP layer learns it (WithTenant). A request's fields live in one
// shared record, so that a tenant learned deep in a handler still shows
// on the request's closing line, logged with the outer context.
package logctx

import (
	"context"
	"sync"

	"github.com/aws/aws-lambda-go/lambdacontext"
)

// Fields identify one request in its log lines. Empty fields are left out.
type Fields struct {
	// LambdaRequestID is the Lambda invocation's id (lambdacontext); the
	// handler reads it from the context itself when it is not set here.
	LambdaRequestID string
	// RequestID is API Gateway's id of the request (the access log's
	// $context.requestId), or the dev server's own id.
	RequestID string
	// Route is the API Gateway route key, e.g. "POST /v1/login/request".
	Route string
	// Tenant is the tenant the request acts for, once known.
	Tenant string
}

// record is the mutable, shared state of one request.
type record struct {
	mu sync.Mutex
	f  Fields
}

type ctxKey struct{}

func recordOf(ctx context.Context) *record {
	if ctx == nil {
		return nil
	}
	r, _ := ctx.Value(ctxKey{}).(*record)
	return r
}

// With returns ctx carrying f: the non-empty fields of f fill the
// request's record, which is created when ctx has none yet.
func With(ctx context.Context, f Fields) context.Context {
	r := recordOf(ctx)
	if r == nil {
		r = &record{}
		ctx = context.WithValue(ctx, ctxKey{}, r)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	set(&r.f.LambdaRequestID, f.LambdaRequestID)
	set(&r.f.RequestID, f.RequestID)
	set(&r.f.Route, f.Route)
	set(&r.f.Tenant, f.Tenant)
	return ctx
}

func set(dst *string, v string) {
	if v != "" {
		*dst = v
	}
}

// WithTenant records the tenant the request acts for. Lines logged
// after it, with this context or the request's outer one, carry it.
func WithTenant(ctx context.Context, tenant string) context.Context {
	return With(ctx, Fields{Tenant: tenant})
}

// WithRoute records the request's route when none is known yet (API
// Gateway's route key wins over the dev server's pattern).
func WithRoute(ctx context.Context, route string) context.Context {
	if From(ctx).Route != "" {
		return ctx
	}
	return With(ctx, Fields{Route: route})
}

// From returns the fields ctx carries, the Lambda request id from
// lambdacontext when ctx has one.
func From(ctx context.Context) Fields {
	var f Fields
	if r := recordOf(ctx); r != nil {
		r.mu.Lock()
		f = r.f
		r.mu.Unlock()
	}
	if f.LambdaRequestID == "" && ctx != nil {
		if lc, ok := lambdacontext.FromContext(ctx); ok {
			f.LambdaRequestID = lc.AwsRequestID
		}
	}
	return f
}

// Tenant returns the tenant ctx carries, "" when not known.
func Tenant(ctx context.Context) string { return From(ctx).Tenant }
