package httpapi_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/portalpass/portalpass/pkg/login"
)

const (
	brioLogo  = "/logos/brio/0123456789abcdef.png"
	brioStyle = "<style>:root{--accent:#7a1f5c}</style>"
	// strictCSP is the policy of a page that knows no tenant.
	strictCSP = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; base-uri 'none'; frame-ancestors 'none'"
)

// brandedEnv is newEnv with a tenant "brio" that set every part of its
// look, and a contact of it, ana@brio.example.
func brandedEnv(t *testing.T) *env {
	t.Helper()
	e := newEnv(t)
	st := login.DefaultSettings("https://portal.brio.example")
	st.BrandColor, st.Logo = "#7A1F5C", "0123456789abcdef.png"
	st.SupportEmail, st.SupportURL = "help@brio.example", "https://brio.example/help?x=1&y=2"
	if _, err := e.svc.CreateTenant(context.Background(), "brio", `Brio & "Co"`, st); err != nil {
		t.Fatal(err)
	}
	key, _, err := e.svc.NewAPIKey(context.Background(), "brio", "test")
	if err != nil {
		t.Fatal(err)
	}
	e.invite("ana@brio.example", key)
	return e
}

// styleHash is the CSP source of a page's inline style element.
func styleHash(style string) string {
	inner := strings.TrimSuffix(strings.TrimPrefix(style, "<style>"), "</style>")
	sum := sha256.Sum256([]byte(inner))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}

// checkBranded fails unless w is a page of brio wearing its look, with a
// CSP that allows exactly its one style and nothing else more.
func checkBranded(t *testing.T, w *httptest.ResponseRecorder) {
	t.Helper()
	body := w.Body.String()
	for _, want := range []string{
		brioStyle,
		`<header class="brand"><img src="` + brioLogo + `" alt="Brio &amp; &#34;Co&#34;" height="48"></header>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q:\n%s", want, body)
		}
	}
	if n := strings.Count(body, "<style"); n != 1 {
		t.Errorf("page has %d style elements; want 1", n)
	}
	want := strings.Replace(strictCSP, "style-src 'self'", "style-src 'self' "+styleHash(brioStyle), 1)
	if got := w.Header().Get("Content-Security-Policy"); got != want {
		t.Errorf("CSP = %q;\nwant %q", got, want)
	}
}

// checkNeutral fails unless w is a page with no tenant's look.
func checkNeutral(t *testing.T, w *httptest.ResponseRecorder) {
	t.Helper()
	body := w.Body.String()
	for _, absent := range []string{"<style", `class="brand"`, "<img", "/logos/", "Need help"} {
		if strings.Contains(body, absent) {
			t.Errorf("neutral page holds %q:\n%s", absent, body)
		}
	}
	if got := w.Header().Get("Content-Security-Policy"); got != strictCSP {
		t.Errorf("CSP = %q; want %q", got, strictCSP)
	}
}

// TestBrandedPages: every page that knows its tenant wears its look.
func TestBrandedPages(t *testing.T) {
	e := brandedEnv(t)
	e.requestLogin(`{"identifier":"ana@brio.example","tenant":"brio"}`)
	tok, _ := e.lastLogin()
	sess := e.login("ana@brio.example")
	for _, tc := range []struct {
		name string
		r    *http.Request
		want int
	}{
		{"login", req(http.MethodGet, "/login?tenant=brio", ""), http.StatusOK},
		{"check", formReq("/login", url.Values{"identifier": {"ana@brio.example"}, "tenant": {"brio"}}, "Origin", baseURL), http.StatusOK},
		{"wrong code", formReq("/login/code", url.Values{"identifier": {"ana@brio.example"}, "tenant": {"brio"}, "code": {"000000"}}, "Origin", baseURL), http.StatusBadRequest},
		{"continue", req(http.MethodGet, "/v1/login/redeem?token="+url.QueryEscape(tok), ""), http.StatusGone}, // replaced by e.login's request
		{"logout, logged out", req(http.MethodGet, "/logout?tenant=brio", ""), http.StatusOK},
		{"logout, logged in", req(http.MethodGet, "/logout", "", "Cookie", sessionCookie+"="+sess), http.StatusOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := e.do(tc.r)
			if w.Code != tc.want {
				t.Fatalf("status %d; want %d:\n%s", w.Code, tc.want, w.Body)
			}
			checkBranded(t, w)
		})
	}
	t.Run("live continue page", func(t *testing.T) {
		e.requestLogin(`{"identifier":"ana@brio.example","tenant":"brio"}`)
		tok, _ := e.lastLogin()
		w := e.do(req(http.MethodGet, "/v1/login/redeem?token="+url.QueryEscape(tok), ""))
		if w.Code != http.StatusOK {
			t.Fatalf("status %d:\n%s", w.Code, w.Body)
		}
		checkBranded(t, w)
	})
}

// TestNeutralPages: a page that knows no tenant carries no look, and its
// CSP stays the strict one.
func TestNeutralPages(t *testing.T) {
	e := brandedEnv(t)
	for _, tc := range []struct {
		name string
		r    *http.Request
	}{
		{"generic login", req(http.MethodGet, "/login", "")},
		{"unknown tenant", req(http.MethodGet, "/login?tenant=nobody", "")},
		{"made-up link", req(http.MethodGet, "/v1/login/redeem?token=not-a-token", "")},
		{"link naming no tenant", req(http.MethodGet, "/v1/login/redeem?token=l.nobody.co2e6wqv3u3oordtixxlwkey2yl.l..0123456789abcdefghijklmnopqrstuvwxyzABCDEFG", "")},
		{"made-up link, posted", formReq("/v1/login/redeem", url.Values{"token": {"not-a-token"}}, "Origin", baseURL)},
		{"portal link of no tenant", req(http.MethodGet, "/p/nobody", "")},
		{"logout", req(http.MethodGet, "/logout", "")},
	} {
		t.Run(tc.name, func(t *testing.T) { checkNeutral(t, e.do(tc.r)) })
	}
}

// TestBrandedErrorPage: an error page of a tenant names its support
// contact and asks that tenant for the new link; a tenant without one
// shows none.
func TestBrandedErrorPage(t *testing.T) {
	e := brandedEnv(t)
	e.requestLogin(`{"identifier":"ana@brio.example","tenant":"brio"}`)
	tok, _ := e.lastLogin()
	e.clock.Advance(time.Hour)
	w := e.do(req(http.MethodGet, "/v1/login/redeem?token="+url.QueryEscape(tok), ""))
	if w.Code != http.StatusGone {
		t.Fatalf("status %d; want 410:\n%s", w.Code, w.Body)
	}
	checkBranded(t, w)
	body := w.Body.String()
	for _, want := range []string{
		`data-code="link_expired"`,
		`Need help? Contact Brio &amp; &#34;Co&#34; support: <a href="mailto:help@brio.example">help@brio.example</a> <a href="https://brio.example/help?x=1&amp;y=2">https://brio.example/help?x=1&amp;y=2</a>`,
		`<input type="hidden" name="tenant" value="brio">`,
		`<a href="/login?tenant=brio">`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("error page lacks %q:\n%s", want, body)
		}
	}

	// Posted (the continue page's button after the link was used) and an
	// action link that was revoked: the same look.
	e.requestLogin(`{"identifier":"ana@brio.example","tenant":"brio"}`)
	tok, _ = e.lastLogin()
	if w := e.redeemJSON(tok); w.Code != http.StatusOK {
		t.Fatalf("redeem: %d %s", w.Code, w.Body)
	}
	w = e.do(formReq("/v1/login/redeem", url.Values{"token": {tok}}, "Origin", baseURL))
	if w.Code != http.StatusGone || !strings.Contains(w.Body.String(), "mailto:help@brio.example") {
		t.Errorf("posted used link: %d, want 410 with brio's support:\n%s", w.Code, w.Body)
	}
	checkBranded(t, w)
	brioKey, _, err := e.svc.NewAPIKey(context.Background(), "brio", "test")
	if err != nil {
		t.Fatal(err)
	}
	contact := e.invite("ana@brio.example", brioKey)
	var al struct{ URL string }
	decode(t, e.admin(http.MethodPost, "/v1/admin/action-links", `{"contactId":"`+contact+`","redirect":"/invoices/1","ref":"inv-1"}`, brioKey).Body.Bytes(), &al)
	e.admin(http.MethodPost, "/v1/admin/action-links/revoke", `{"ref":"inv-1"}`, brioKey)
	w = e.do(req(http.MethodGet, strings.TrimPrefix(al.URL, baseURL), ""))
	if w.Code != http.StatusGone {
		t.Errorf("revoked action link: %d; want 410:\n%s", w.Code, w.Body)
	}
	checkBranded(t, w)

	// acme set no support contact and no logo: its name, its colour, no line.
	e.invite("bo@example.com")
	e.requestLogin(`{"identifier":"bo@example.com"}`)
	tok, _ = e.lastLogin()
	e.clock.Advance(time.Hour)
	w = e.do(req(http.MethodGet, "/v1/login/redeem?token="+url.QueryEscape(tok), ""))
	body = w.Body.String()
	if !strings.Contains(body, `<header class="brand"><p class="brand-name">Acme</p></header>`) ||
		!strings.Contains(body, "<style>:root{--accent:"+login.DefaultBrandColor+"}</style>") {
		t.Errorf("acme's error page lacks its name or colour:\n%s", body)
	}
	if strings.Contains(body, "Need help") || strings.Contains(body, "<img") {
		t.Errorf("acme's error page names a support contact or logo it does not have:\n%s", body)
	}
}

// TestPickerLogos: the picker, which knows no one tenant, stays neutral
// but shows each tenant's logo beside its name.
func TestPickerLogos(t *testing.T) {
	e := newEnv(t)
	st := login.DefaultSettings("https://portal.brio.example")
	st.Logo, st.BrandColor = "0123456789abcdef.png", "#7a1f5c"
	if _, err := e.svc.CreateTenant(context.Background(), "brio", "Brio", st); err != nil {
		t.Fatal(err)
	}
	key, _, err := e.svc.NewAPIKey(context.Background(), "brio", "test")
	if err != nil {
		t.Fatal(err)
	}
	e.invite("ana@example.com")
	e.invite("ana@example.com", key)
	e.requestLogin(`{"identifier":"ana@example.com"}`)
	tok, _ := e.lastLogin()
	w := e.do(formReq("/v1/login/redeem", url.Values{"token": {tok}}, "Origin", baseURL))
	pick := cookie(w, pickerCookie)
	if w.Code != http.StatusSeeOther || pick == nil {
		t.Fatalf("redeem: %d %s", w.Code, w.Body)
	}
	w = e.do(req(http.MethodGet, "/v1/login/tenants", "", "Cookie", pickerCookie+"="+pick.Value))
	body := w.Body.String()
	if !strings.Contains(body, `<button type="submit"><img src="`+"/logos/brio/0123456789abcdef.png"+`" alt="" height="24">Brio</button>`) ||
		!strings.Contains(body, `<button type="submit">Acme</button>`) {
		t.Errorf("picker lacks the tenants' names and brio's logo:\n%s", body)
	}
	if strings.Contains(body, "<style") || w.Header().Get("Content-Security-Policy") != strictCSP {
		t.Errorf("picker is not neutral: CSP %q\n%s", w.Header().Get("Content-Security-Policy"), body)
	}
}

// TestMessageCarriesBrand: the email of a tenant's login carries its
// look, the logo as an absolute URL on the API's base URL; a login for
// several tenants carries none.
func TestMessageCarriesBrand(t *testing.T) {
	e := brandedEnv(t)
	e.requestLogin(`{"identifier":"ana@brio.example"}`)
	got := e.email.Last().Brand
	want := login.Brand{Color: "#7a1f5c", LogoURL: baseURL + brioLogo, SupportEmail: "help@brio.example", SupportURL: "https://brio.example/help?x=1&y=2"}
	if got != want {
		t.Errorf("brand = %+v; want %+v", got, want)
	}
	e.invite("ana@brio.example") // now in acme too
	e.requestLogin(`{"identifier":"ana@brio.example"}`)
	if got := e.email.Last(); got.Brand != (login.Brand{}) || got.TenantName != "" {
		t.Errorf("a message for several tenants carries %q %+v", got.TenantName, got.Brand)
	}
}
