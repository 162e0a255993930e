// Package lambdahttp runs an http.Handler as a Lambda function behind an
// API Gateway HTTP API (payload 2.0) and reads what API Gateway knows
// about each request.
package lambdahttp

import (
	"net/http"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/awslabs/aws-lambda-go-api-proxy/core"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"

	"github.com/portalpass/portalpass/pkg/logctx"
)

// Start serves h as the function's handler. It never returns.
func Start(h http.Handler) {
	lambda.Start(httpadapter.NewV2(Handler(h)).ProxyWithContext)
}

// Handler puts the request's ids and route into its context (pkg/logctx)
// before h serves it, so that every line logged with the request's
// context carries them: the Lambda request id, API Gateway's request id
// and route key. This is the one place the HTTP functions set them.
func Handler(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f := logctx.Fields{}
		if lc, ok := lambdacontext.FromContext(r.Context()); ok {
			f.LambdaRequestID = lc.AwsRequestID
		}
		if rc, ok := core.GetAPIGatewayV2ContextFromContext(r.Context()); ok {
			f.RequestID, f.Route = rc.RequestID, rc.RouteKey
		}
		h.ServeHTTP(w, r.WithContext(logctx.With(r.Context(), f)))
	})
}

// ClientIP is the caller's address as API Gateway saw it: the request
// context's source IP, never X-Forwarded-For, which a client can forge.
func ClientIP(r *http.Request) string {
	if rc, ok := core.GetAPIGatewayV2ContextFromContext(r.Context()); ok {
		return rc.HTTP.SourceIP
	}
	return ""
}

// RequestID is API Gateway's id of the request.
func RequestID(r *http.Request) string {
	if rc, ok := core.GetAPIGatewayV2ContextFromContext(r.Context()); ok {
		return rc.RequestID
	}
	return ""
}

// JWTClaims returns a func reading, from API Gateway's request context,
// the tenant claim and subject of the JWT its JWT authorizer verified.
// The request context comes from API Gateway, never from the client.
func JWTClaims(tenantClaim string) func(*http.Request) (tenant, subject string, ok bool) {
	return func(r *http.Request) (string, string, bool) {
		rc, ok := core.GetAPIGatewayV2ContextFromContext(r.Context())
		if !ok || rc.Authorizer == nil || rc.Authorizer.JWT == nil {
			return "", "", false
		}
		c := rc.Authorizer.JWT.Claims
		if c[tenantClaim] == "" || c["sub"] == "" {
			return "", "", false
		}
		return c[tenantClaim], c["sub"], true
	}
}
