package main

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/portalpass/portalpass/pkg/awstest"
	"github.com/portalpass/portalpass/pkg/config"
	"github.com/portalpass/portalpass/pkg/functest"
	"github.com/portalpass/portalpass/pkg/login"
)

func TestMain(m *testing.M) { awstest.Main(m) }

// mustHandler is newHandler, failing the test on an error.
func mustHandler(t *testing.T, cfg config.Config, dbOpts ...func(*dynamodb.Options)) http.Handler {
	t.Helper()
	h, err := newHandler(cfg, dbOpts...)
	if err != nil {
		t.Fatalf("newHandler: %v", err)
	}
	return h
}

func TestEvents(t *testing.T) {
	e := functest.Setup(t)
	e.Invite(t, e.Tenant(t, "acme", nil), e.Email)
	token, _ := e.Request(t, e.Email, "")
	out, err := e.Seed.RedeemLink(context.Background(), token, login.LoginOpts{})
	if err != nil {
		t.Fatal(err)
	}
	session := map[string]string{"SESSION": out.Session.Token}
	h := mustHandler(t, e.Config, e.DynamoOption)
	functest.Invoke(t, h, functest.Event(t, "session/session.json", session)) // warm the tenant cache

	for _, ev := range []string{"session.json", "session-cookie.json"} {
		e.Calls.Reset()
		resp := functest.Invoke(t, h, functest.Event(t, "session/"+ev, session))
		if resp.StatusCode != http.StatusOK || !strings.Contains(functest.Body(t, resp), e.Email) {
			t.Fatalf("%s = %d %s", ev, resp.StatusCode, functest.Body(t, resp))
		}
		if got := e.Calls.Snapshot(); e.Calls.Total() != 1 || got["BatchGetItem"] != 1 {
			t.Errorf("session check made DynamoDB calls %v; want one BatchGetItem", got)
		}
	}
	resp := functest.Invoke(t, h, functest.Event(t, "session/logout.json", session))
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("logout = %d", resp.StatusCode)
	}
	resp = functest.Invoke(t, h, functest.Event(t, "session/session.json", session))
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(functest.Body(t, resp), "no_session") {
		t.Errorf("session after logout = %d %s", resp.StatusCode, functest.Body(t, resp))
	}
}

// TestExchange hands a login's session to a portal on another domain:
// its backend exchanges the pp_code with the API key, a single-page
// portal with the PKCE verifier after a CORS preflight.
func TestExchange(t *testing.T) {
	e := functest.Setup(t)
	key := e.Tenant(t, "shop", func(st *login.Settings) { st.PortalIntegration = login.IntegrationHandoff })
	e.Invite(t, key, e.Email)
	h := mustHandler(t, e.Config, e.DynamoOption)
	ctx := context.Background()

	token, _ := e.Request(t, e.Email, "shop")
	out, err := e.Seed.RedeemLink(ctx, token, login.LoginOpts{})
	if err != nil || out.HandoffCode == "" {
		t.Fatalf("redeem = code %q, %v; want a hand-off code", out.HandoffCode, err)
	}
	repl := map[string]string{"CODE": out.HandoffCode, "APIKEY": key}
	e.Calls.Reset()
	resp := functest.Invoke(t, h, functest.Event(t, "session/exchange.json", repl))
	functest.Check(t, "exchange by key", resp, http.StatusOK, e.Email)
	var got struct {
		Session struct{ Token, Via string } `json:"session"`
	}
	functest.JSON(t, resp, &got)
	if got.Session.Via != "link" || got.Session.Token == "" {
		t.Errorf("exchange = %+v; want a session via link", got.Session)
	}
	t.Logf("exchange DynamoDB calls (tenant cache cold): %v", e.Calls.Snapshot())
	if n := e.Calls.Snapshot()["TransactWriteItems"]; n != 1 {
		t.Errorf("exchange made DynamoDB calls %v; want one TransactWriteItems", e.Calls.Snapshot())
	}
	session := map[string]string{"SESSION": got.Session.Token}
	functest.Check(t, "the exchanged session", functest.Invoke(t, h, functest.Event(t, "session/session.json", session)), http.StatusOK, e.Email)
	functest.Check(t, "replay", functest.Invoke(t, h, functest.Event(t, "session/exchange.json", repl)), http.StatusGone, "link_invalid")

	// A single-page portal: PKCE, from the portal's origin.
	const verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
	err = e.Seed.RequestLogin(ctx, login.LoginRequest{Identifier: login.Identifier{Kind: login.IdentEmail, Value: e.Email},
		Tenant: "shop", CodeChallenge: login.CodeChallengeS256(verifier)})
	if err != nil {
		t.Fatal(err)
	}
	token, _ = e.LastLogin(t, e.Email)
	out, err = e.Seed.RedeemLink(ctx, token, login.LoginOpts{})
	if err != nil {
		t.Fatal(err)
	}
	const origin = "https://portal.shop.example"
	resp = functest.Invoke(t, h, functest.Event(t, "session/exchange-preflight.json", nil))
	if resp.StatusCode != http.StatusNoContent || header(resp.Headers, "Access-Control-Allow-Origin") != origin {
		t.Errorf("preflight = %d %v; want 204 allowing %s", resp.StatusCode, resp.Headers, origin)
	}
	pkce := map[string]string{"CODE": out.HandoffCode, "VERIFIER": verifier}
	resp = functest.Invoke(t, h, functest.Event(t, "session/exchange-pkce.json", pkce))
	functest.Check(t, "exchange by PKCE", resp, http.StatusOK, e.Email)
	if got := header(resp.Headers, "Access-Control-Allow-Origin"); got != origin {
		t.Errorf("exchange by PKCE: Access-Control-Allow-Origin %q; want %q", got, origin)
	}
	functest.Check(t, "PKCE replay", functest.Invoke(t, h, functest.Event(t, "session/exchange-pkce.json", pkce)), http.StatusGone, "link_invalid")
}

// header returns a response header by name, whatever its case.
func header(h map[string]string, name string) string {
	for k, v := range h {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}
