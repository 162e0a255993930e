package main

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/smithy-go/middleware"

	"github.com/portalpass/portalpass/pkg/awstest"
	"github.com/portalpass/portalpass/pkg/config"
	"github.com/portalpass/portalpass/pkg/functest"
	"github.com/portalpass/portalpass/pkg/login"
)

func TestMain(m *testing.M) { awstest.Main(m) }

// TestLinksNoHTTP keeps the HTTP layer and the API Gateway proxy out of
// the authorizer's binary: it serves no HTTP, and what it links and
// initialises adds to its cold start on every uncached request.
func TestLinksNoHTTP(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	out, err := exec.Command(goTool, "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	for _, pkg := range strings.Fields(string(out)) {
		if strings.HasSuffix(pkg, "/pkg/httpapi") || strings.HasSuffix(pkg, "/pkg/lambdahttp") ||
			strings.HasPrefix(pkg, "github.com/awslabs/aws-lambda-go-api-proxy") {
			t.Errorf("the authorizer links %s", pkg)
		}
	}
}

// event reads events/authorizer/<name> with SESSION replaced by session.
func event(t *testing.T, name, session string) events.APIGatewayV2CustomAuthorizerV2Request {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "events", "authorizer", name))
	if err != nil {
		t.Fatal(err)
	}
	var ev events.APIGatewayV2CustomAuthorizerV2Request
	if err := json.Unmarshal([]byte(strings.ReplaceAll(string(b), "SESSION", session)), &ev); err != nil {
		t.Fatalf("event %s: %v", name, err)
	}
	return ev
}

// invoke runs the event through the handler as lambda.Start does: JSON in,
// JSON out. It fails the test on an error, which API Gateway must never get.
func invoke(t *testing.T, h *authorizer, ev events.APIGatewayV2CustomAuthorizerV2Request) events.APIGatewayV2CustomAuthorizerSimpleResponse {
	t.Helper()
	payload, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	out, err := lambda.NewHandler(h.Authorize).Invoke(context.Background(), payload)
	if err != nil {
		t.Fatalf("authorizer returned an error: %v", err)
	}
	var resp events.APIGatewayV2CustomAuthorizerSimpleResponse
	if err := json.Unmarshal(out, &resp); err != nil {
		t.Fatalf("response %s: %v", out, err)
	}
	if !resp.IsAuthorized && resp.Context != nil {
		t.Errorf("a denial carries a context %v", resp.Context)
	}
	return resp
}

// loggedIn makes tenant acme, allows it in e.Config (AUTHORIZER_TENANTS),
// and makes a session for the test's contact.
func loggedIn(t *testing.T, e *functest.Env) (session, contactID string) {
	t.Helper()
	e.Config.AuthorizerTenants = []string{"acme"}
	return loggedInTo(t, e, "acme")
}

// loggedInTo makes tenant id and a session there for the test's contact.
func loggedInTo(t *testing.T, e *functest.Env, id string) (session, contactID string) {
	t.Helper()
	key := e.Tenant(t, id, nil)
	e.Invite(t, key, e.Email)
	token, _ := e.Request(t, e.Email, id)
	out, err := e.Seed.RedeemLink(context.Background(), token, login.LoginOpts{})
	if err != nil {
		t.Fatal(err)
	}
	return out.Session.Token, e.ContactID(t, key, e.Email)
}

// TestAuthorizerTenants: a live session opens the routes only when its
// tenant is one the authorizer is configured for; with none configured,
// nothing does, and nothing is read.
func TestAuthorizerTenants(t *testing.T) {
	e := functest.Setup(t)
	acme, acmeContact := loggedInTo(t, e, "acme")
	globex, _ := loggedInTo(t, e, "globex")
	tests := []struct {
		name    string
		tenants []string
		session string
		allow   bool
		reads   int64
	}{
		{"own tenant", []string{"acme"}, acme, true, 1},
		{"own tenant among others", []string{"initech", "acme"}, acme, true, 1},
		{"another tenant's session", []string{"acme"}, globex, false, 1},
		{"a tenant not listed", []string{"globex"}, acme, false, 1},
		{"empty list", nil, acme, false, 0},
		{"empty list, other tenant", []string{}, globex, false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := e.Config
			cfg.AuthorizerTenants = tt.tenants
			h := newHandler(cfg, e.DynamoOption)
			invoke(t, h, event(t, "bearer.json", tt.session)) // warm the tenant cache
			e.Calls.Reset()
			got := invoke(t, h, event(t, "bearer.json", tt.session))
			if got.IsAuthorized != tt.allow {
				t.Fatalf("IsAuthorized = %v; want %v", got.IsAuthorized, tt.allow)
			}
			if want := map[string]any{"tenantId": "acme", "contactId": acmeContact, "via": "link"}; tt.allow && !reflect.DeepEqual(got.Context, want) {
				t.Errorf("context = %v; want %v", got.Context, want)
			}
			if n := e.Calls.Total(); n != tt.reads {
				t.Errorf("DynamoDB calls = %v; want %d", e.Calls.Snapshot(), tt.reads)
			}
		})
	}
}

// TestColdStartSaysNoTenants: an authorizer with no tenants to allow says
// so once, when it starts, rather than only denying.
func TestColdStartSaysNoTenants(t *testing.T) {
	for _, tt := range []struct {
		tenants []string
		want    string
	}{
		{nil, "AUTHORIZER_TENANTS is empty: every request is denied"},
		{[]string{"acme", "globex"}, `"tenants":["acme","globex"]`},
	} {
		var buf bytes.Buffer
		newAuthorizer(nil, slog.New(slog.NewJSONHandler(&buf, nil)), tt.tenants)
		if !strings.Contains(buf.String(), tt.want) {
			t.Errorf("cold start with tenants %q logged %q; want %q", tt.tenants, buf.String(), tt.want)
		}
	}
}

func TestAuthorizerEvents(t *testing.T) {
	e := functest.Setup(t)
	session, contactID := loggedIn(t, e)
	h := newHandler(e.Config, e.DynamoOption)
	invoke(t, h, event(t, "bearer.json", session)) // warm the tenant cache
	allowed := map[string]any{"tenantId": "acme", "contactId": contactID, "via": "link"}
	// other is a well-formed token of the same contact that names no session.
	other := session[:strings.LastIndexByte(session, '.')+1] + strings.Repeat("A", 43)

	withHeader := func(name, k, v string) events.APIGatewayV2CustomAuthorizerV2Request {
		ev := event(t, name, session)
		ev.Headers[k] = v
		return ev
	}
	withCookies := func(cookies ...string) events.APIGatewayV2CustomAuthorizerV2Request {
		ev := event(t, "cookie.json", session)
		ev.Cookies = cookies
		return ev
	}
	tests := []struct {
		name  string
		ev    events.APIGatewayV2CustomAuthorizerV2Request
		allow bool
		reads int64 // DynamoDB calls
	}{
		{"bearer", event(t, "bearer.json", session), true, 1},
		{"cookie", event(t, "cookie.json", session), true, 1},
		{"shared-domain cookie", event(t, "shared-cookie.json", session), true, 1},
		{"bearer in a Cookie header", withHeader("coldstart.json", "Cookie", "a=b; __Host-pp_session="+session), true, 1},
		{"no token", event(t, "coldstart.json", session), false, 0},
		{"unknown session", event(t, "bearer.json", other), false, 1},
		{"not a session token", event(t, "bearer.json", "l.acme.abc"), false, 0},
		{"another scheme beside the cookie", withHeader("cookie.json", "authorization", "Basic dXNlcjpwYXNz"), false, 0},
		{"empty bearer", withHeader("cookie.json", "authorization", "Bearer "), false, 0},
		{"two host cookies", withCookies("__Host-pp_session="+session, "__Host-pp_session="+other), false, 0},
		{"the host cookie wins", withCookies("__Host-pp_session="+other, "__Secure-pp_session="+session), false, 1},
		{"the same cookie twice", withCookies("__Host-pp_session="+session, "__Host-pp_session="+session), true, 1},
		{"an oversized token", event(t, "bearer.json", strings.Repeat("s", 600)), false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.Calls.Reset()
			got := invoke(t, h, tt.ev)
			if got.IsAuthorized != tt.allow {
				t.Fatalf("IsAuthorized = %v; want %v", got.IsAuthorized, tt.allow)
			}
			if tt.allow && !reflect.DeepEqual(got.Context, allowed) {
				t.Errorf("context = %v; want %v", got.Context, allowed)
			}
			if n := e.Calls.Total(); n != tt.reads {
				t.Errorf("DynamoDB calls = %v; want %d", e.Calls.Snapshot(), tt.reads)
			}
			if tt.reads == 1 && e.Calls.Snapshot()["BatchGetItem"] != 1 {
				t.Errorf("DynamoDB calls = %v; want one BatchGetItem (one consistent read)", e.Calls.Snapshot())
			}
		})
	}
}

func TestAuthorizerEndedSessions(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		end  func(t *testing.T, e *functest.Env, session, contactID string)
	}{
		{"logged out", func(t *testing.T, e *functest.Env, session, _ string) {
			if err := e.Seed.Logout(ctx, session, login.Meta{}); err != nil {
				t.Fatal(err)
			}
		}},
		{"revoked", func(t *testing.T, e *functest.Env, _, contactID string) {
			key, _, err := e.Seed.NewAPIKey(ctx, "acme", "revoke")
			if err != nil {
				t.Fatal(err)
			}
			k, err := e.Seed.Authenticate(ctx, key)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := e.Seed.RevokeSessions(ctx, k, contactID, login.Meta{}); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := functest.Setup(t)
			session, contactID := loggedIn(t, e)
			h := newHandler(e.Config)
			if !invoke(t, h, event(t, "bearer.json", session)).IsAuthorized {
				t.Fatal("a live session was denied")
			}
			tt.end(t, e, session, contactID)
			for _, name := range []string{"bearer.json", "cookie.json"} {
				if invoke(t, h, event(t, name, session)).IsAuthorized {
					t.Errorf("%s: an ended session was authorized", name)
				}
			}
		})
	}
}

// TestColdStartMakesNoCall builds the function as Lambda does and checks
// that nothing reaches AWS until a request carries a token.
func TestColdStartMakesNoCall(t *testing.T) {
	functest.Setup(t) // the Lambda-like environment
	t.Setenv("AUTHORIZER_TENANTS", "acme")
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		calls.Add(1)
		w.WriteHeader(http.StatusInternalServerError)
	}))
	t.Cleanup(srv.Close)
	t.Setenv("AWS_ENDPOINT_URL", srv.URL)
	cfg, err := config.FromEnv()
	if err != nil {
		t.Fatal(err)
	}
	h := newHandler(cfg, func(o *dynamodb.Options) { o.RetryMaxAttempts = 1 })
	if n := calls.Load(); n != 0 {
		t.Fatalf("cold start made %d AWS calls; want none", n)
	}
	if invoke(t, h, event(t, "coldstart.json", "")).IsAuthorized {
		t.Fatal("a request without a token was authorized")
	}
	if n := calls.Load(); n != 0 {
		t.Fatalf("a request without a token made %d AWS calls; want none", n)
	}
	if invoke(t, h, event(t, "bearer.json", "s.acme.c"+strings.Repeat("a", 26)+"."+strings.Repeat("A", 43))).IsAuthorized || calls.Load() == 0 {
		t.Fatal("a token was not checked against the table")
	}
}

func TestAuthorizerDeniesOtherEvents(t *testing.T) {
	functest.Setup(t)
	t.Setenv("AUTHORIZER_TENANTS", "acme")
	cfg, err := config.FromEnv()
	if err != nil {
		t.Fatal(err)
	}
	h := newHandler(cfg)
	for name, payload := range map[string]string{
		"payload 1.0":   `{"version":"1.0","type":"REQUEST","identitySource":"Bearer x","headers":{"authorization":"Bearer x"}}`,
		"no version":    `{"headers":{"authorization":"Bearer x"}}`,
		"not an object": `[1,2]`,
		"null":          `null`,
	} {
		t.Run(name, func(t *testing.T) {
			out, err := lambda.NewHandler(h.Authorize).Invoke(context.Background(), []byte(payload))
			if err != nil || string(out) != `{"isAuthorized":false}` {
				t.Errorf("Invoke = %s, %v; want a plain denial", out, err)
			}
		})
	}
}

// TestAuthorizerDeniesOnFailure checks that a failing table and a panic
// are denials, never errors.
func TestAuthorizerDeniesOnFailure(t *testing.T) {
	e := functest.Setup(t)
	session, _ := loggedIn(t, e)
	oneTry := func(o *dynamodb.Options) { o.RetryMaxAttempts = 1 }
	down := e.Config
	down.DynamoDBEndpoint = "http://127.0.0.1:1" // nothing listens there
	panics := func(o *dynamodb.Options) {
		o.APIOptions = append(o.APIOptions, func(*middleware.Stack) error { panic("boom") })
	}
	for name, h := range map[string]*authorizer{
		"table unreachable": newHandler(down, oneTry),
		"panic":             newHandler(e.Config, panics),
	} {
		t.Run(name, func(t *testing.T) {
			if invoke(t, h, event(t, "bearer.json", session)).IsAuthorized {
				t.Error("authorized without a session check")
			}
		})
	}
}
