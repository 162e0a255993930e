// Command portal-example is the smallest portal route behind the session
// authorizer (functions/authorizer): GET /portal-example/me answers who
// is logged in from what the authorizer put in the request context,
// with no call of its own. A tenant's real portal routes do the same and
// must also check that tenantId is their own tenant: the authorizer
// accepts a live session of any tenant.
package main

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

func main() { lambda.Start(handle) }

// me is what the authorizer passed: tenantId, contactId and via.
type me struct {
	TenantID  string `json:"tenantId"`
	ContactID string `json:"contactId"`
	Via       string `json:"via"`
}

// handle answers 200 with the authorizer's context, or 401 when the
// request did not pass the authorizer (a route wired without it).
func handle(_ context.Context, ev events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	var m me
	if a := ev.RequestContext.Authorizer; a != nil {
		m.TenantID, _ = a.Lambda["tenantId"].(string)
		m.ContactID, _ = a.Lambda["contactId"].(string)
		m.Via, _ = a.Lambda["via"].(string)
	}
	if m.TenantID == "" || m.ContactID == "" {
		return reply(http.StatusUnauthorized, map[string]any{"error": map[string]string{
			"code": "unauthorized", "message": "This route needs a session checked by the authorizer.",
		}}), nil
	}
	return reply(http.StatusOK, m), nil
}

func reply(status int, v any) events.APIGatewayV2HTTPResponse {
	b, _ := json.Marshal(v)
	return events.APIGatewayV2HTTPResponse{
		StatusCode: status,
		Headers:    map[string]string{"Content-Type": "application/json", "Cache-Control": "no-store"},
		Body:       string(b),
	}
}
