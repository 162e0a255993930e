package main

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/wire"
)

// fakeSessions answers every token with a session of tenant.
type fakeSessions struct{ tenant string }

func (f fakeSessions) Session(context.Context, string) (login.SessionView, error) {
	var v login.SessionView
	v.Tenant.ID = f.tenant
	v.Contact.ID = "c1"
	return v, nil
}

// TestLogLinesCarryTheRequest: the authorizer's lines name the Lambda
// invocation, API Gateway's request and route, and the session's tenant,
// and never the session token.
func TestLogLinesCarryTheRequest(t *testing.T) {
	const token = "s.acme.c1.Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmE"
	for _, allowed := range []string{"acme", "globex"} {
		var buf bytes.Buffer
		a := &authorizer{svc: fakeSessions{"acme"}, log: wire.NewLogger(&buf, slog.LevelDebug), tenants: []string{allowed}}
		raw := `{"version":"2.0","type":"REQUEST","routeKey":"GET /portal/{proxy+}","headers":{"authorization":"Bearer ` + token + `"},` +
			`"requestContext":{"requestId":"api-7","routeKey":"GET /portal/{proxy+}"}}`
		ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: "lambda-7"})
		resp, _ := a.Authorize(ctx, json.RawMessage(raw))
		if resp.IsAuthorized != (allowed == "acme") {
			t.Fatalf("allowed %s: IsAuthorized = %v", allowed, resp.IsAuthorized)
		}
		out := strings.TrimSpace(buf.String())
		if out == "" || strings.Contains(out, token) || strings.Contains(out, "Zm9vYmFy") {
			t.Fatalf("log: %q", out)
		}
		for _, l := range strings.Split(out, "\n") {
			var m map[string]any
			if err := json.Unmarshal([]byte(l), &m); err != nil {
				t.Fatal(err)
			}
			if m["lambda_request_id"] != "lambda-7" || m["request_id"] != "api-7" || m["route"] != "GET /portal/{proxy+}" || m["tenant"] != "acme" {
				t.Errorf("line lacks the request's ids, route or tenant: %s", l)
			}
		}
	}
}
