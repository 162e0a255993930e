package httpapi_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/portalpass/portalpass/pkg/login"
)

const (
	shopPortal = "https://shop.example/app"
	shopOrigin = "https://shop.example"
	// pkceVerifier is RFC 7636's example verifier.
	pkceVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
)

// handoffEnv is newEnv with a tenant "shop" whose portal takes sessions
// by hand-off code, and ana invited there; it returns shop's API key.
func handoffEnv(t *testing.T) (*env, string) {
	t.Helper()
	e := newEnv(t)
	st := login.DefaultSettings(shopPortal)
	st.PortalIntegration = login.IntegrationHandoff
	ctx := context.Background()
	if _, err := e.svc.CreateTenant(ctx, "shop", "Shop", st); err != nil {
		t.Fatal(err)
	}
	key, _, err := e.svc.NewAPIKey(ctx, "shop", "test")
	if err != nil {
		t.Fatal(err)
	}
	e.invite("ana@example.com", key)
	return e, key
}

// ppCode returns the pp_code of a portal URL, which must be on shop's
// portal and carry exactly one.
func ppCode(t *testing.T, target string) string {
	t.Helper()
	if !strings.HasPrefix(target, shopPortal) {
		t.Fatalf("redirect %q is not on the portal %s", target, shopPortal)
	}
	u, err := url.Parse(target)
	if err != nil {
		t.Fatalf("redirect %q: %v", target, err)
	}
	codes := u.Query()[login.HandoffParam]
	if len(codes) != 1 || !strings.HasPrefix(codes[0], "h.shop.") {
		t.Fatalf("redirect %q carries pp_code %q; want one code of shop", target, codes)
	}
	return codes[0]
}

// jsonRedirect returns the redirect of a JSON login answer.
func jsonRedirect(t *testing.T, w *httptest.ResponseRecorder) string {
	t.Helper()
	if w.Code != http.StatusOK {
		t.Fatalf("login: status %d; want 200 (%s)", w.Code, w.Body)
	}
	var out struct {
		Redirect string `json:"redirect"`
	}
	decode(t, w.Body.Bytes(), &out)
	return out.Redirect
}

// location returns the Location of a 303 answer.
func location(t *testing.T, w *httptest.ResponseRecorder) string {
	t.Helper()
	if w.Code != http.StatusSeeOther {
		t.Fatalf("login: status %d; want 303 (%s)", w.Code, w.Body)
	}
	return w.Header().Get("Location")
}

// exchangeReq posts a hand-off exchange; headers are name, value pairs.
func exchangeReq(body string, headers ...string) *http.Request {
	return jsonReq(http.MethodPost, "/v1/session/exchange", body, headers...)
}

func codeBodyJSON(code string) string { return `{"code":` + quote(code) + `}` }

// TestHandoffRedirectOfEveryLogin: every login into a hand-off tenant
// sends the browser to the portal with a pp_code that its backend
// exchanges, with the key, for a session of the same via.
func TestHandoffRedirectOfEveryLogin(t *testing.T) {
	tests := []struct {
		name  string
		via   string
		login func(t *testing.T, e *env, key string) string // the portal URL
	}{
		{"link form", "link", func(t *testing.T, e *env, _ string) string {
			e.requestLogin(`{"identifier":"ana@example.com","tenant":"shop","redirect":"/invoices/42?tab=1#top"}`)
			tok, _ := e.lastLogin()
			target := location(t, e.do(formReq("/v1/login/redeem", url.Values{"token": {tok}}, "Origin", baseURL)))
			if !strings.HasPrefix(target, shopPortal+"/invoices/42?tab=1&pp_code=h.shop.") || !strings.HasSuffix(target, "#top") {
				t.Errorf("Location %q; want the path, its query, pp_code, then the fragment", target)
			}
			return target
		}},
		{"link json", "link", func(t *testing.T, e *env, _ string) string {
			e.requestLogin(`{"identifier":"ana@example.com","tenant":"shop"}`)
			tok, _ := e.lastLogin()
			target := jsonRedirect(t, e.redeemJSON(tok))
			if !strings.HasPrefix(target, shopPortal+"?pp_code=h.shop.") {
				t.Errorf("redirect %q; want the portal URL with ?pp_code=", target)
			}
			return target
		}},
		{"code json", "code", func(t *testing.T, e *env, _ string) string {
			e.requestLogin(`{"identifier":"ana@example.com","tenant":"shop","redirect":"/a"}`)
			_, code := e.lastLogin()
			return jsonRedirect(t, e.do(jsonReq(http.MethodPost, "/v1/login/code", codeBody("ana@example.com", code))))
		}},
		{"code form", "code", func(t *testing.T, e *env, _ string) string {
			e.requestLogin(`{"identifier":"ana@example.com","tenant":"shop"}`)
			_, code := e.lastLogin()
			return location(t, e.do(formReq("/login/code", url.Values{"identifier": {"ana@example.com"}, "code": {code}}, "Origin", baseURL)))
		}},
		{"picker", "link", func(t *testing.T, e *env, _ string) string {
			e.invite("ana@example.com")
			e.requestLogin(`{"identifier":"ana@example.com"}`)
			tok, _ := e.lastLogin()
			w := e.redeemJSON(tok)
			pick := cookie(w, pickerCookie)
			if w.Code != http.StatusOK || pick == nil || strings.Contains(w.Body.String(), "pp_code") {
				t.Fatalf("redeem: %d %s; want the picker, without a code", w.Code, w.Body)
			}
			r := jsonReq(http.MethodPost, "/v1/login/tenants", `{"tenant":"shop"}`)
			r.AddCookie(pick)
			return jsonRedirect(t, e.do(r))
		}},
		{"invite", "invite", func(t *testing.T, e *env, key string) string {
			e.invite("bo@example.com", key)
			tok, _ := e.lastLogin()
			return jsonRedirect(t, e.redeemJSON(tok))
		}},
		{"action link", "action_link", func(t *testing.T, e *env, key string) string {
			id := contactID(t, e, key, "ana@example.com")
			w := e.admin(http.MethodPost, "/v1/admin/action-links", `{"contactId":"`+id+`","redirect":"/invoices/7"}`, key)
			var link struct {
				URL string `json:"url"`
			}
			decode(t, w.Body.Bytes(), &link)
			return location(t, e.do(req(http.MethodGet, strings.TrimPrefix(link.URL, baseURL), "")))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, key := handoffEnv(t)
			code := ppCode(t, tt.login(t, e, key))
			w := e.do(exchangeReq(codeBodyJSON(code), "Authorization", "Bearer "+key))
			if w.Code != http.StatusOK {
				t.Fatalf("exchange: status %d; want 200 (%s)", w.Code, w.Body)
			}
			var got struct {
				Session struct {
					Token     string    `json:"token"`
					ExpiresAt time.Time `json:"expiresAt"`
					Via       string    `json:"via"`
				} `json:"session"`
				Tenant struct {
					ID string `json:"id"`
				} `json:"tenant"`
			}
			decode(t, w.Body.Bytes(), &got)
			if got.Session.Via != tt.via || got.Tenant.ID != "shop" || got.Session.Token == "" {
				t.Errorf("exchange = %s; want a session of shop via %s", w.Body, tt.via)
			}
			if st := e.sessionStatus(got.Session.Token); st != http.StatusOK {
				t.Errorf("GET /v1/session with the exchanged token: %d; want 200", st)
			}
		})
	}
}

// contactID returns the id of the contact of key's tenant with email.
func contactID(t *testing.T, e *env, key, email string) string {
	t.Helper()
	w := e.admin(http.MethodGet, "/v1/admin/contacts?email="+url.QueryEscape(email), "", key)
	var out struct {
		Contacts []struct {
			ID string `json:"id"`
		} `json:"contacts"`
	}
	decode(t, w.Body.Bytes(), &out)
	if len(out.Contacts) != 1 {
		t.Fatalf("contacts with %s: %s", email, w.Body)
	}
	return out.Contacts[0].ID
}

func TestNoHandoffForCookieTenants(t *testing.T) {
	e := newEnv(t)
	e.invite("ana@example.com")
	e.requestLogin(`{"identifier":"ana@example.com"}`)
	tok, _ := e.lastLogin()
	if target := jsonRedirect(t, e.redeemJSON(tok)); strings.Contains(target, "pp_code") {
		t.Errorf("redirect %q of a cookie tenant carries a hand-off code", target)
	}
}

// TestExchange: the exchange answers API.md's body; every failure past
// authentication is the same 410 link_invalid.
func TestExchange(t *testing.T) {
	challenge := login.CodeChallengeS256(pkceVerifier)
	tests := []struct {
		name       string
		challenge  bool
		body       func(code string) string
		headers    func(e *env, key string) []string
		before     func(e *env, code, key string)
		wantStatus int
		wantCode   string // error code, "" for 200
	}{
		{name: "key", wantStatus: http.StatusOK},
		{name: "pkce", challenge: true, body: withVerifier(pkceVerifier), headers: noKey, wantStatus: http.StatusOK},
		{name: "pkce and key", challenge: true, body: withVerifier(pkceVerifier), wantStatus: http.StatusOK},
		{name: "replay", before: func(e *env, code, key string) {
			e.do(exchangeReq(codeBodyJSON(code), "Authorization", "Bearer "+key))
		}, wantStatus: http.StatusGone, wantCode: "link_invalid"},
		{name: "expired", before: func(e *env, _, _ string) { e.clock.Advance(61 * time.Second) },
			wantStatus: http.StatusGone, wantCode: "link_invalid"},
		{name: "other tenant's key", headers: func(e *env, _ string) []string { return []string{"Authorization", "Bearer " + e.key} },
			wantStatus: http.StatusGone, wantCode: "link_invalid"},
		{name: "wrong verifier", challenge: true, body: withVerifier(strings.Repeat("v", 43)), headers: noKey,
			wantStatus: http.StatusGone, wantCode: "link_invalid"},
		{name: "key without the verifier", challenge: true, wantStatus: http.StatusGone, wantCode: "link_invalid"},
		{name: "verifier without a challenge", body: withVerifier(pkceVerifier), headers: noKey,
			wantStatus: http.StatusGone, wantCode: "link_invalid"},
		{name: "neither key nor verifier", headers: noKey, wantStatus: http.StatusUnauthorized, wantCode: "unauthorized"},
		{name: "bad key", headers: func(*env, string) []string { return []string{"Authorization", "Bearer ppk_nope"} },
			wantStatus: http.StatusUnauthorized, wantCode: "unauthorized"},
		{name: "malformed verifier", challenge: true, body: withVerifier("short"), headers: noKey,
			wantStatus: http.StatusBadRequest, wantCode: "invalid_request"},
		{name: "unknown field", body: func(code string) string { return `{"code":` + quote(code) + `,"x":1}` },
			wantStatus: http.StatusBadRequest, wantCode: "invalid_request"},
	}
	var gone []string
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, key := handoffEnv(t)
			body := `{"identifier":"ana@example.com","tenant":"shop"}`
			if tt.challenge {
				body = `{"identifier":"ana@example.com","tenant":"shop","codeChallenge":"` + challenge + `"}`
			}
			e.requestLogin(body)
			tok, _ := e.lastLogin()
			code := ppCode(t, jsonRedirect(t, e.redeemJSON(tok)))
			if tt.before != nil {
				tt.before(e, code, key)
			}
			b := codeBodyJSON(code)
			if tt.body != nil {
				b = tt.body(code)
			}
			h := []string{"Authorization", "Bearer " + key}
			if tt.headers != nil {
				h = tt.headers(e, key)
			}
			w := e.do(exchangeReq(b, h...))
			if tt.wantCode != "" {
				checkError(t, w, tt.wantStatus, tt.wantCode)
				if tt.wantStatus == http.StatusGone {
					gone = append(gone, w.Body.String())
				}
				return
			}
			if w.Code != tt.wantStatus {
				t.Fatalf("status %d; want %d (%s)", w.Code, tt.wantStatus, w.Body)
			}
			var got map[string]map[string]any
			decode(t, w.Body.Bytes(), &got)
			if keys(got) != "contact,session,tenant" || keys(got["session"]) != "expiresAt,token,via" ||
				keys(got["contact"]) != "email,id,name,phone" || keys(got["tenant"]) != "id,name" {
				t.Fatalf("exchange = %s; want API.md's session, contact and tenant", w.Body)
			}
			if got["contact"]["email"] != "ana@example.com" || got["tenant"]["id"] != "shop" || got["session"]["via"] != "link" {
				t.Errorf("exchange = %s; want ana's session in shop via link", w.Body)
			}
		})
	}
	for i := 1; i < len(gone); i++ {
		if gone[i] != gone[0] {
			t.Errorf("410 bodies differ: %s and %s", gone[i], gone[0])
		}
	}
}

func noKey(*env, string) []string { return nil }

func withVerifier(v string) func(string) string {
	return func(code string) string { return `{"code":` + quote(code) + `,"codeVerifier":` + quote(v) + `}` }
}

// keys lists a JSON object's keys, sorted, comma-separated.
func keys[V any](m map[string]V) string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return strings.Join(ks, ",")
}
