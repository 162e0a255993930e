package httpapi_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestFormsSameOrigin: every form route takes a post only from our own
// pages (no login CSRF), whatever it holds.
func TestFormsSameOrigin(t *testing.T) {
	forms := []struct {
		path string
		form url.Values
	}{
		{"/login", url.Values{"identifier": {"ana@example.com"}}},
		{"/login/code", url.Values{"identifier": {"ana@example.com"}, "code": {"123456"}}},
		{"/v1/login/redeem", url.Values{"token": {"x"}}},
		{"/v1/login/tenants", url.Values{"tenant": {"acme"}}},
	}
	for _, f := range forms {
		for _, tc := range []struct {
			name    string
			headers []string
		}{
			{"foreign Origin", []string{"Origin", "https://evil.example"}},
			{"null Origin", []string{"Origin", "null"}},
			{"no Origin", nil},
			{"cross-site", []string{"Sec-Fetch-Site", "cross-site"}},
		} {
			t.Run(f.path+"/"+tc.name, func(t *testing.T) {
				e := newEnv(t)
				e.invite("ana@example.com")
				n := len(e.email.Messages())
				w := e.do(formReq(f.path, f.form, tc.headers...))
				if w.Code != http.StatusForbidden || !strings.Contains(w.Body.String(), `data-code="forbidden"`) {
					t.Fatalf("status %d; want 403 forbidden (%s)", w.Code, w.Body)
				}
				if len(e.email.Messages()) != n {
					t.Errorf("a refused form sent a message")
				}
			})
		}
	}
}

// TestLoginFormNoEnumeration: the login page's form answers a known and
// an unknown address with the same page.
func TestLoginFormNoEnumeration(t *testing.T) {
	e := newEnv(t)
	e.invite("ana@example.com")
	page := func(ident string) (int, string, []string) {
		w := e.do(formReq("/login", url.Values{"identifier": {ident}}, "Origin", baseURL))
		var names []string
		for _, c := range w.Result().Cookies() {
			names = append(names, c.Name)
		}
		return w.Code, strings.ReplaceAll(w.Body.String(), ident, "ID"), names
	}
	n := len(e.email.Messages())
	knownStatus, known, knownCookies := page("ana@example.com")
	if len(e.email.Messages()) != n+1 {
		t.Fatal("the known address got no email")
	}
	unknownStatus, unknown, unknownCookies := page("bob@example.com")
	if knownStatus != http.StatusOK || knownStatus != unknownStatus || known != unknown ||
		strings.Join(knownCookies, ",") != strings.Join(unknownCookies, ",") {
		t.Errorf("known: %d %v\n%s\nunknown: %d %v\n%s", knownStatus, knownCookies, known, unknownStatus, unknownCookies, unknown)
	}
}

// TestPagesEscape: what a visitor or a tenant typed is shown as text on
// every page, never as markup.
func TestPagesEscape(t *testing.T) {
	const evil = `"><script>alert(1)</script><img src=x onerror=alert(2)>`
	e := newEnv(t)
	e.tenant("evil", evil, "https://portal.evil.example")
	e.invite("ana@example.com", e.tenant("evil2", evil, "https://portal.evil2.example"))
	e.requestLogin(`{"identifier":"ana@example.com"}`)
	tok, _ := e.lastLogin()
	shown := 0
	for _, r := range []*http.Request{
		formReq("/login", url.Values{"identifier": {evil}}, "Origin", baseURL),
		formReq("/login", url.Values{"identifier": {"ana@example.com"}, "tenant": {evil}, "redirect": {evil}}, "Origin", baseURL),
		formReq("/login/code", url.Values{"identifier": {evil}, "code": {"1"}}, "Origin", baseURL),
		formReq("/login/code", url.Values{"identifier": {"ana@example.com"}, "code": {"123456"}, "tenant": {evil}}, "Origin", baseURL),
		req("GET", "/login?tenant=evil&redirect="+url.QueryEscape(evil), ""),
		req("GET", "/v1/login/redeem?token="+url.QueryEscape(tok), ""),
		req("GET", "/v1/login/redeem?token="+url.QueryEscape(evil), ""),
	} {
		w := e.do(r)
		body := w.Body.String()
		if strings.Contains(body, "&lt;script&gt;") {
			shown++
		}
		if strings.Contains(body, "<script>") || strings.Contains(body, "<img") || strings.Contains(body, `""><`) {
			t.Errorf("%s %s: %d page shows markup from input:\n%s", r.Method, r.URL, w.Code, body)
		}
		if !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
			t.Errorf("%s %s: Content-Type %q", r.Method, r.URL, w.Header().Get("Content-Type"))
		}
	}
	if shown < 3 {
		t.Errorf("only %d pages showed the input escaped; the test lost its point", shown)
	}
}
