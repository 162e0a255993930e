package httpapi_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/portalpass/portalpass/pkg/apitest"
	"github.com/portalpass/portalpass/pkg/login"
)

// TestExchangeCORS: a single-page portal may send the exchange (the
// preflight allows a JSON POST) and only the tenant's portal may read it.
func TestExchangeCORS(t *testing.T) {
	e, _ := handoffEnv(t)
	preflight := func(origin, headers string) http.Header {
		r := req(http.MethodOptions, "/v1/session/exchange", "", "Origin", origin, "Access-Control-Request-Method", "POST",
			"Access-Control-Request-Headers", headers)
		w := e.do(r)
		if w.Code != http.StatusNoContent {
			t.Fatalf("preflight from %s: status %d; want 204", origin, w.Code)
		}
		return w.Header()
	}
	h := preflight(shopOrigin, "content-type")
	if h.Get("Access-Control-Allow-Origin") != shopOrigin || h.Get("Access-Control-Allow-Methods") != "POST" ||
		!strings.EqualFold(h.Get("Access-Control-Allow-Headers"), "Content-Type") || h.Get("Access-Control-Allow-Credentials") != "" {
		t.Errorf("preflight headers %v; want the origin, POST and Content-Type, no credentials", h)
	}
	for _, bad := range []struct{ origin, headers string }{
		{shopOrigin, "content-type, authorization"},
		{"null", "content-type"},
		{"https://shop.example/app", "content-type"},
		{"ftp://shop.example", "content-type"},
	} {
		if got := preflight(bad.origin, bad.headers).Get("Access-Control-Allow-Origin"); got != "" {
			t.Errorf("preflight from %s asking %q: Access-Control-Allow-Origin %q; want none", bad.origin, bad.headers, got)
		}
	}

	exchange := func(origin string) *httptest.ResponseRecorder {
		e.requestLogin(`{"identifier":"ana@example.com","tenant":"shop","codeChallenge":"` + login.CodeChallengeS256(pkceVerifier) + `"}`)
		tok, _ := e.lastLogin()
		code := ppCode(t, jsonRedirect(t, e.redeemJSON(tok)))
		return e.do(exchangeReq(withVerifier(pkceVerifier)(code), "Origin", origin))
	}
	w := exchange(shopOrigin)
	if w.Code != http.StatusOK || w.Header().Get("Access-Control-Allow-Origin") != shopOrigin || !strings.Contains(strings.Join(w.Header().Values("Vary"), ","), "Origin") {
		t.Errorf("exchange from the portal: %d, ACAO %q, Vary %q; want 200 readable by %s", w.Code, w.Header().Get("Access-Control-Allow-Origin"), w.Header().Values("Vary"), shopOrigin)
	}
	w = exchange("https://evil.example")
	if got := w.Header().Get("Access-Control-Allow-Origin"); got != "" {
		t.Errorf("exchange from another origin: Access-Control-Allow-Origin %q; want none", got)
	}
}

// TestHandoffCodeNeverLogged: neither the code nor a session token of a
// hand-off reaches a log line or the audit log; the request line names
// the route only.
func TestHandoffCodeNeverLogged(t *testing.T) {
	e, key := handoffEnv(t)
	var secrets []string
	e.requestLogin(`{"identifier":"ana@example.com","tenant":"shop","redirect":"/x?y=1"}`)
	tok, _ := e.lastLogin()
	w := e.do(formReq("/v1/login/redeem", url.Values{"token": {tok}}, "Origin", baseURL))
	code := ppCode(t, location(t, w))
	secrets = append(secrets, tok, code, cookie(w, sessionCookie).Value)
	w = e.do(exchangeReq(codeBodyJSON(code), "Authorization", "Bearer "+key))
	var out struct {
		Session struct {
			Token string `json:"token"`
		} `json:"session"`
	}
	decode(t, w.Body.Bytes(), &out)
	secrets = append(secrets, out.Session.Token)
	e.do(exchangeReq(codeBodyJSON(code), "Authorization", "Bearer "+key))                              // replay: handoff.failed
	e.do(exchangeReq(withVerifier(pkceVerifier)(code)))                                                // no such code any more
	e.do(exchangeReq(codeBodyJSON("h.shop."+strings.Repeat("A", 43)), "Authorization", "Bearer "+key)) // unknown
	audit := e.admin(http.MethodGet, "/v1/admin/audit?limit=100", "", key)
	var events struct {
		Events []map[string]any `json:"events"`
	}
	decode(t, audit.Body.Bytes(), &events)
	var types []string
	for _, ev := range events.Events {
		types = append(types, ev["type"].(string))
	}
	if all := strings.Join(types, " "); !strings.Contains(all, "handoff.exchanged") || !strings.Contains(all, "handoff.failed") {
		t.Errorf("audit types %q; want handoff.exchanged and handoff.failed", all)
	}
	logs := e.logs.String()
	if !strings.Contains(logs, `"route":"POST /v1/session/exchange"`) {
		t.Errorf("no request line for the exchange route in\n%s", logs)
	}
	for _, s := range append(secrets, pkceVerifier) {
		if strings.Contains(logs, s) {
			t.Errorf("a secret (%d characters) is in the logs", len(s))
		}
		if strings.Contains(audit.Body.String(), s) {
			t.Errorf("a secret (%d characters) is in the audit log", len(s))
		}
	}
	b, _ := json.Marshal(events)
	if strings.Contains(string(b), "pp_code=") {
		t.Errorf("the audit log holds a portal URL with its code")
	}
}

// TestExchangeMatchesSpec checks the exchange's answers against openapi.yaml.
func TestExchangeMatchesSpec(t *testing.T) {
	spec := apitest.Load(t)
	e, key := handoffEnv(t)
	e.requestLogin(`{"identifier":"ana@example.com","tenant":"shop","codeChallenge":"` + login.CodeChallengeS256(pkceVerifier) + `"}`)
	tok, _ := e.lastLogin()
	code := ppCode(t, jsonRedirect(t, e.redeemJSON(tok)))
	for _, c := range []struct {
		r    *http.Request
		want int
	}{
		{exchangeReq(withVerifier("short")(code)), http.StatusBadRequest},
		{exchangeReq(codeBodyJSON(code)), http.StatusUnauthorized},
		{exchangeReq(codeBodyJSON(code), "Authorization", "Bearer "+key), http.StatusGone},
		{exchangeReq(withVerifier(pkceVerifier)(code), "Origin", shopOrigin), http.StatusOK},
		{exchangeReq(withVerifier(pkceVerifier)(code)), http.StatusGone},
		{req(http.MethodPost, "/v1/session/exchange", codeBodyJSON(code), "Content-Type", "text/plain"), http.StatusUnsupportedMediaType},
	} {
		if resp, body := spec.Serve(t, e.h, c.r); resp.StatusCode != c.want {
			t.Errorf("exchange: status %d; want %d (%s)", resp.StatusCode, c.want, body)
		}
	}
}
