package logctx_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/portalpass/portalpass/pkg/logctx"
)

func newLogger(buf *bytes.Buffer) *slog.Logger {
	json := slog.NewJSONHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug})
	return slog.New(logctx.NewHandler(json, logctx.Options{ErrorDetail: logctx.ErrorDetailOf}))
}

func lines(t *testing.T, buf *bytes.Buffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		if l == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("not a JSON line: %q: %v", l, err)
		}
		out = append(out, m)
	}
	return out
}

// innerKey is a context key of the test's own, as a handler's would be.
type innerKey struct{}

func TestFieldsOnEveryLine(t *testing.T) {
	var buf bytes.Buffer
	log := newLogger(&buf)
	ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: "lambda-1"})
	ctx = logctx.With(ctx, logctx.Fields{RequestID: "api-1", Route: "POST /v1/login/request"})
	log.InfoContext(ctx, "before the tenant")
	inner := context.WithValue(ctx, innerKey{}, 1) // a handler's own context
	logctx.WithTenant(inner, "acme")
	log.InfoContext(ctx, "outer context, after the tenant")
	log.With("k", "v").WarnContext(inner, "inner")
	log.Info("no context")

	got := lines(t, &buf)
	if len(got) != 4 {
		t.Fatalf("%d lines", len(got))
	}
	for i, l := range got[:3] {
		if l["lambda_request_id"] != "lambda-1" || l["request_id"] != "api-1" || l["route"] != "POST /v1/login/request" {
			t.Errorf("line %d lacks its ids: %v", i, l)
		}
		if wantTenant := i > 0; wantTenant != (l["tenant"] == "acme") {
			t.Errorf("line %d tenant = %v", i, l["tenant"])
		}
	}
	if _, ok := got[3]["request_id"]; ok {
		t.Errorf("a line without a request has ids: %v", got[3])
	}
}

func TestRecordKeepsItsOwnField(t *testing.T) {
	var buf bytes.Buffer
	ctx := logctx.With(context.Background(), logctx.Fields{RequestID: "api-1", Route: "GET /v1/session", Tenant: "acme"})
	newLogger(&buf).InfoContext(ctx, "request", "route", "GET /v1/session", "tenant", "other")
	s := buf.String()
	if strings.Count(s, `"route"`) != 1 || strings.Count(s, `"tenant"`) != 1 || !strings.Contains(s, `"tenant":"other"`) {
		t.Errorf("fields repeated or overridden: %s", s)
	}
}

type codedError struct {
	code string
	err  error
}

func (e *codedError) Error() string { return e.code + ": " + e.err.Error() }
func (e *codedError) Unwrap() error { return e.err }
func (e *codedError) Code() string  { return e.code }

func TestErrorsCarryCodeAndCause(t *testing.T) {
	var buf bytes.Buffer
	err := fmt.Errorf("request: %w", &codedError{"internal", errors.New("dynamodb: throttled")})
	newLogger(&buf).Error("failed", "err", err)
	l := lines(t, &buf)[0]
	if l["err"] != "request: internal: dynamodb: throttled" || l["error_code"] != "internal" || l["cause"] != "internal: dynamodb: throttled" {
		t.Errorf("error line: %v", l)
	}
}

// secret is a 256-bit base64url secret, as every token holds.
const secret = "Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmE"

func TestRedaction(t *testing.T) {
	if len(secret) != 43 {
		t.Fatal(len(secret))
	}
	link := "https://api.example.com/v1/login/redeem?token=l.acme.c1." + secret
	cases := []slog.Attr{
		slog.String("msg2", "follow "+link+" now"),
		slog.String("path", "/l/l.acme.c1."+secret),
		slog.String("short", "/l/abc"),
		slog.String("query", "redirect=/x&token=abc.def"),
		slog.String("cookie_header", "__Host-pp_session=s.acme.c1.xyz; other=1"),
		slog.String("bearer", "Bearer s.acme.c1."+secret),
		slog.String("apikey", "ppk_k1_"+secret),
		slog.String("code", "123456"),
		slog.Int("otp", 123456),
		slog.Any("err", errors.New("redeem "+link+": gone")),
		slog.Any("list", []string{"ok", "token=abc"}),
		slog.Any("map", map[string]string{"u": link}),
		slog.Group("g", slog.String("portal", link)),
	}
	var buf bytes.Buffer
	args := make([]any, len(cases))
	for i, c := range cases {
		args[i] = c
	}
	newLogger(&buf).With("base", link).Info("sent "+link, args...)
	out := buf.String()
	for _, leak := range []string{secret, "token=abc", "/l/abc", "xyz", "123456", "l.acme.c1.", "/v1/login/redeem"} {
		if strings.Contains(out, leak) {
			t.Errorf("%q leaked: %s", leak, out)
		}
	}
	l := lines(t, &buf)[0]
	if l["msg"] != "sent https://api.example.com/[redacted]" {
		t.Errorf("msg = %v", l["msg"])
	}
	if l["query"] != "redirect=/x&token=[redacted]" {
		t.Errorf("query = %v", l["query"])
	}
	if l["code"] != logctx.Redacted || l["otp"] != logctx.Redacted {
		t.Errorf("code, otp = %v, %v", l["code"], l["otp"])
	}
}

func TestRedactLeavesOrdinaryValues(t *testing.T) {
	for _, s := range []string{
		"", "acme", "POST /v1/login/request", "delivery failed", "c_01HZX3", "ses: MessageRejected",
		"8f14e45f-ceea-467f-a0e6-8a1b2c3d4e5f", "a=b", "x-y-z",
	} {
		if got := logctx.Redact(s); got != s {
			t.Errorf("Redact(%q) = %q", s, got)
		}
	}
}
