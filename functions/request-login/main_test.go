package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/portalpass/portalpass/pkg/awstest"
	"github.com/portalpass/portalpass/pkg/functest"
	"github.com/portalpass/portalpass/pkg/login"
)

func TestMain(m *testing.M) { awstest.Main(m) }

func TestEvents(t *testing.T) {
	e := functest.Setup(t)
	key := e.Tenant(t, "acme", nil)
	e.Invite(t, key, e.Email)
	h := newHandler(e.Config, e.DynamoOption)
	repl := map[string]string{"ana@example.com": e.Email, "ana%40example.com": strings.Replace(e.Email, "@", "%40", 1)}

	tests := []struct {
		event      string
		wantStatus int
		wantBody   string
	}{
		{"login-request.json", http.StatusAccepted, `{"status":"sent"}`},
		{"login-request-phone.json", http.StatusAccepted, `{"status":"sent"}`},
		{"login-request-bad.json", http.StatusBadRequest, `"invalid_identifier"`},
		{"login-page.json", http.StatusOK, "Log in to Acme"},
		{"login-form.json", http.StatusOK, "Check your email"},
		{"portal-link.json", http.StatusSeeOther, ""},
		{"asset.json", http.StatusOK, "box-sizing"},
		{"coldstart.json", http.StatusNotFound, `"not_found"`},
	}
	for _, tt := range tests {
		t.Run(tt.event, func(t *testing.T) {
			resp := functest.Invoke(t, h, functest.Event(t, "request-login/"+tt.event, repl))
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status = %d; want %d (%s)", resp.StatusCode, tt.wantStatus, functest.Body(t, resp))
			}
			if body := functest.Body(t, resp); !strings.Contains(body, tt.wantBody) {
				t.Errorf("body = %q; want it to contain %q", body, tt.wantBody)
			}
		})
	}
	// The login request and the form each sent one email through SES.
	sent := awstest.SentEmails(t, e.Endpoint, e.Email)
	if len(sent) != 2 {
		t.Fatalf("SES sent %d emails to %s; want 2 (login request and login form)", len(sent), e.Email)
	}
	if !strings.Contains(sent[0].Body, functest.BaseURL+"/v1/login/redeem?token=l.acme.") {
		t.Errorf("email lacks the link on the public base URL: %q", sent[0].Body)
	}
}

// TestCalls holds DESIGN.md's budget: a login request costs at most two
// DynamoDB calls on a warm container, rate limits included, for a known
// and for an unknown identifier.
func TestCalls(t *testing.T) {
	e := functest.Setup(t)
	key := e.Tenant(t, "acme", nil)
	e.Invite(t, key, e.Email)
	h := newHandler(e.Config, e.DynamoOption)
	warm := functest.Event(t, "request-login/login-request.json", map[string]string{"ana@example.com": e.Email})
	functest.Invoke(t, h, warm) // warms the container's tenant cache
	for _, who := range []string{e.Email, "nobody." + e.Email} {
		e.Calls.Reset()
		resp := functest.Invoke(t, h, functest.Event(t, "request-login/login-request.json", map[string]string{"ana@example.com": who}))
		if resp.StatusCode != http.StatusAccepted {
			t.Fatalf("status = %d; want 202", resp.StatusCode)
		}
		if got := e.Calls.Total(); got > 2 {
			t.Errorf("request-login for %s made %d DynamoDB calls (%v); want at most 2", who, got, e.Calls.Snapshot())
		}
	}
}

// TestSMSCalls holds DESIGN.md's budget on the SMS paths: a phone login
// that sends an SMS may take a third call (it counts the SMS on one of the
// tenant's shards: pkg/login/sms.go), and one whose number may not be
// texted (a country not on: the stack's default is US and CA) sends
// nothing in at most two. The function wires
// the real number types (pkg/wire).
func TestSMSCalls(t *testing.T) {
	e := functest.Setup(t)
	key := e.Tenant(t, "acme", nil)
	k, err := e.Seed.Authenticate(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	h := newHandler(e.Config, e.DynamoOption)
	e.Invite(t, key, e.Email)
	functest.Invoke(t, h, functest.Event(t, "request-login/login-request.json", map[string]string{"ana@example.com": e.Email})) // warms the tenant cache
	active := login.AccessActive
	us := fmt.Sprintf("+1415555%04d", 1000+os.Getpid()%9000)
	gb := fmt.Sprintf("+447400%06d", os.Getpid()%1000000)
	for _, tt := range []struct {
		phone     string
		wantSMS   int
		wantCalls int64
	}{{us, 1, 3}, {gb, 0, 2}} {
		p := tt.phone
		if _, err := e.Seed.CreateContact(context.Background(), k, login.ContactInput{Phone: &p, Access: &active}, login.Meta{}); err != nil {
			t.Fatal(err)
		}
		e.Calls.Reset()
		resp := functest.Invoke(t, h, functest.Event(t, "request-login/login-request-phone.json", map[string]string{"+1 (415) 555-0123": p}))
		if resp.StatusCode != http.StatusAccepted {
			t.Fatalf("status = %d; want 202", resp.StatusCode)
		}
		if got := e.Calls.Total(); got > tt.wantCalls {
			t.Errorf("phone login to %s made %d DynamoDB calls (%v); want at most %d", p, got, e.Calls.Snapshot(), tt.wantCalls)
		}
		if got := len(awstest.SentSMS(t, e.Endpoint, p)); got != tt.wantSMS {
			t.Errorf("SNS sent %d SMS to %s; want %d", got, p, tt.wantSMS)
		}
	}
}

// TestLogoEvent: GET /logos/{tenant}/{file} through the real handler
// answers the uploaded PNG base64-encoded (API Gateway decodes it), in
// two DynamoDB reads (the tenant, the logo) on a cold container and none
// once the container has served it.
func TestLogoEvent(t *testing.T) {
	e := functest.Setup(t)
	key := e.Tenant(t, "acme", nil)
	ctx := context.Background()
	k, err := e.Seed.Authenticate(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	png, err := os.ReadFile("../../pkg/login/testdata/logo/logo.png")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Seed.SetLogo(ctx, k, "image/png", png, login.Meta{}); err != nil {
		t.Fatal(err)
	}
	h := newHandler(e.Config, e.DynamoOption)
	for i, wantCalls := range []int64{2, 0} {
		e.Calls.Reset()
		resp := functest.Invoke(t, h, functest.Event(t, "request-login/logo.json", nil))
		if resp.StatusCode != http.StatusOK || !resp.IsBase64Encoded || functest.Body(t, resp) != string(png) {
			t.Fatalf("GET logo #%d = %d, base64 %v, %d bytes; want 200 and the PNG, base64", i+1, resp.StatusCode, resp.IsBase64Encoded, len(functest.Body(t, resp)))
		}
		if got := e.Calls.Total(); got != wantCalls {
			t.Errorf("GET logo #%d made %d DynamoDB calls %v; want %d", i+1, got, e.Calls.Snapshot(), wantCalls)
		}
		if ct, cc := resp.Headers["Content-Type"], resp.Headers["Cache-Control"]; ct != "image/png" || cc != "public, max-age=31536000, immutable" {
			t.Errorf("Content-Type, Cache-Control = %q, %q", ct, cc)
		}
	}
}
