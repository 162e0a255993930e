package lambdahttp_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"

	"github.com/portalpass/portalpass/pkg/httpapi"
	"github.com/portalpass/portalpass/pkg/lambdahttp"
	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/login/logintest"
	"github.com/portalpass/portalpass/pkg/metrics"
	"github.com/portalpass/portalpass/pkg/store/memstore"
	"github.com/portalpass/portalpass/pkg/wire"
)

const baseURL = "https://api.example.com"

// syncBuffer is a buffer safe for a server's concurrent writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// take returns what was written since the last take.
func (b *syncBuffer) take() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.buf.String()
	b.buf.Reset()
	return s
}

// fn is one HTTP function as Lambda runs it: API Gateway's event through
// the proxy, with the Lambda context, into lambdahttp.Handler.
type fn struct {
	t       *testing.T
	proxy   *httpadapter.HandlerAdapterV2
	email   *logintest.Sender
	logs    *syncBuffer
	metrics *syncBuffer
	n       int
}

func newFn(t *testing.T) (*fn, string) {
	f := &fn{t: t, email: &logintest.Sender{}, logs: &syncBuffer{}, metrics: &syncBuffer{}}
	logger := wire.NewLogger(f.logs, slog.LevelDebug)
	svc := login.New(login.Deps{
		Store: memstore.New(), Email: f.email, SMS: &logintest.Sender{}, BaseURL: baseURL, Logger: logger,
		Sleep: func(context.Context, time.Duration) {}, Observer: metrics.New(f.metrics, "request-login"),
	})
	ctx := context.Background()
	if _, err := svc.CreateTenant(ctx, "acme", "Acme", login.DefaultSettings("https://portal.acme.example/")); err != nil {
		t.Fatal(err)
	}
	key, _, err := svc.NewAPIKey(ctx, "acme", "test")
	if err != nil {
		t.Fatal(err)
	}
	h := httpapi.All(httpapi.Config{
		Service: svc, BaseURL: baseURL, Logger: logger,
		ClientIP: lambdahttp.ClientIP, RequestID: lambdahttp.RequestID,
	})
	f.proxy = httpadapter.NewV2(lambdahttp.Handler(h))
	f.logs.take() // set-up lines belong to no request
	return f, key
}

// call sends one request as API Gateway would, checks that each of its
// log lines names the request and the tenant acme, and returns the
// response, its log and its metrics.
func (f *fn) call(route, target, body string, headers map[string]string) (events.APIGatewayV2HTTPResponse, string, string) {
	f.t.Helper()
	f.n++
	lambdaID, apiID := fmt.Sprintf("lambda-%d", f.n), fmt.Sprintf("api-%d", f.n)
	method, _, _ := strings.Cut(route, " ")
	path, query, _ := strings.Cut(target, "?")
	h := map[string]string{"content-type": "application/json", "host": "api.example.com", "user-agent": "test"}
	for k, v := range headers {
		h[k] = v
	}
	ev := events.APIGatewayV2HTTPRequest{
		Version: "2.0", RouteKey: route, RawPath: path, RawQueryString: query, Headers: h, Body: body,
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			RequestID: apiID, RouteKey: route, Stage: "$default", DomainName: "api.example.com",
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: method, Path: path, SourceIP: "198.51.100.7", UserAgent: "test"},
		},
	}
	ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: lambdaID})
	res, err := f.proxy.ProxyWithContext(ctx, ev)
	if err != nil {
		f.t.Fatalf("%s: %v", route, err)
	}
	logs := f.logs.take()
	lines := strings.Split(strings.TrimSpace(logs), "\n")
	if len(lines) == 0 || lines[0] == "" {
		f.t.Fatalf("%s: no log line", route)
	}
	for _, l := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			f.t.Fatalf("%s: not JSON: %q", route, l)
		}
		if m["lambda_request_id"] != lambdaID || m["request_id"] != apiID || m["route"] != route || m["tenant"] != "acme" {
			f.t.Errorf("%s: a line lacks the request's ids, route or tenant: %s", route, l)
		}
	}
	return res, logs, f.metrics.take()
}

// TestEveryLineOfARequest runs a login end to end through the Lambda
// proxy: every log line of each request carries its ids, route and
// tenant, no line carries a token, code, key or link, and the metrics
// say what happened.
func TestEveryLineOfARequest(t *testing.T) {
	f, key := newFn(t)
	secrets := []string{key}
	var allLogs, allMetrics strings.Builder
	call := func(route, target, body string, headers map[string]string) events.APIGatewayV2HTTPResponse {
		t.Helper()
		res, logs, m := f.call(route, target, body, headers)
		allLogs.WriteString(logs)
		allMetrics.WriteString(m)
		return res
	}
	tokenOf := func() (string, string) {
		t.Helper()
		m := f.email.Last()
		u, err := url.Parse(m.Link)
		if err != nil || u.Query().Get("token") == "" {
			t.Fatalf("no link in %+v", m)
		}
		return u.Query().Get("token"), m.Code
	}

	res := call("POST /v1/admin/invites", "/v1/admin/invites", `{"email":"ana@example.com"}`, map[string]string{"authorization": "Bearer " + key})
	if res.StatusCode != 201 {
		t.Fatalf("invite: %d %s", res.StatusCode, res.Body)
	}
	invite, _ := tokenOf()
	secrets = append(secrets, invite, f.email.Last().Link)

	res = call("POST /v1/login/request", "/v1/login/request", `{"identifier":"ana@example.com","tenant":"acme"}`, nil)
	if res.StatusCode != 202 {
		t.Fatalf("request: %d %s", res.StatusCode, res.Body)
	}
	tok, code := tokenOf()
	secrets = append(secrets, tok, code, f.email.Last().Link)

	wrong := fmt.Sprintf("%06d", (mustAtoi(t, code)+1)%1000000)
	secrets = append(secrets, wrong)
	res = call("POST /v1/login/code", "/v1/login/code", `{"identifier":"ana@example.com","code":"`+wrong+`","tenant":"acme"}`, nil)
	if res.StatusCode != 400 {
		t.Fatalf("wrong code: %d %s", res.StatusCode, res.Body)
	}

	res = call("POST /v1/login/redeem", "/v1/login/redeem", `{"token":"`+tok+`"}`, nil)
	if res.StatusCode != 200 {
		t.Fatalf("redeem: %d %s", res.StatusCode, res.Body)
	}
	var out struct {
		Session struct {
			Token string `json:"token"`
		} `json:"session"`
	}
	if err := json.Unmarshal([]byte(res.Body), &out); err != nil || out.Session.Token == "" {
		t.Fatalf("redeem body %s: %v", res.Body, err)
	}
	secrets = append(secrets, out.Session.Token)
	for _, c := range res.Cookies {
		_, v, _ := strings.Cut(strings.SplitN(c, ";", 2)[0], "=")
		secrets = append(secrets, v)
	}

	res = call("GET /v1/session", "/v1/session", "", map[string]string{"authorization": "Bearer " + out.Session.Token})
	if res.StatusCode != 200 {
		t.Fatalf("session: %d %s", res.StatusCode, res.Body)
	}

	// A send that fails logs an error line, with its code and cause.
	f.email.SetFail(errors.New("ses: throttled"))
	res = call("POST /v1/login/request", "/v1/login/request", `{"identifier":"ana@example.com","tenant":"acme"}`, nil)
	if res.StatusCode != 202 {
		t.Fatalf("request: %d %s", res.StatusCode, res.Body)
	}
	logs := allLogs.String()
	if !strings.Contains(logs, `"msg":"delivery failed"`) || !strings.Contains(logs, `"error_code":"internal"`) {
		t.Errorf("no delivery failed line with its error code:\n%s", logs)
	}

	for _, s := range secrets {
		if s == "" {
			continue
		}
		if strings.Contains(logs, s) {
			t.Errorf("a log line holds a secret %q:\n%s", s, logs)
		}
		if strings.Contains(allMetrics.String(), s) {
			t.Errorf("a metric line holds a secret %q", s)
		}
	}

	got := map[string]float64{}
	for _, l := range strings.Split(strings.TrimSpace(allMetrics.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("metric line %q: %v", l, err)
		}
		if m["tenant"] != "acme" || m["function"] != "request-login" || m["request_id"] == nil || m["lambda_request_id"] == nil {
			t.Errorf("metric line without its tenant, function or ids: %s", l)
		}
		d := m["_aws"].(map[string]any)["CloudWatchMetrics"].([]any)[0].(map[string]any)
		for _, mm := range d["Metrics"].([]any) {
			name := mm.(map[string]any)["Name"].(string)
			dim := ""
			for _, k := range []string{"Channel", "Via"} {
				if v, ok := m[k].(string); ok {
					dim = "/" + v
				}
			}
			got[name+dim] += m[name].(float64)
		}
	}
	want := map[string]float64{
		"MessageSent/email": 2, "LoginRequested/email": 2, "CodeFailed": 1, "LoginRedeemed/link": 1, "DeliveryFailed/email": 1,
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("metric %s = %v, want %v (all: %v)", k, got[k], v, got)
		}
	}
}

func mustAtoi(t *testing.T, s string) int {
	t.Helper()
	var n int
	if _, err := fmt.Sscanf(s, "%d", &n); err != nil {
		t.Fatalf("code %q: %v", s, err)
	}
	return n
}
