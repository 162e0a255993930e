package httpapi_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestFallbackPageSame: after "send it by text message instead", the page
// reads the same for a known and an unknown address ("If a phone number
// is on file"), and the email's code still works afterwards.
func TestFallbackPageSame(t *testing.T) {
	e := newEnv(t)
	e.invite("ana@example.com") // no phone on file
	w := e.do(formReq("/login", url.Values{"identifier": {"ana@example.com"}}, "Origin", baseURL))
	if w.Code != http.StatusOK {
		t.Fatalf("login form: %d %s", w.Code, w.Body)
	}
	_, code := e.lastLogin()
	page := func(ident string) (int, string) {
		w := e.do(formReq("/login", url.Values{"identifier": {ident}, "channel": {"sms"}}, "Origin", baseURL))
		return w.Code, strings.ReplaceAll(w.Body.String(), ident, "ID")
	}
	knownStatus, known := page("ana@example.com")
	unknownStatus, unknown := page("bob@example.com")
	if knownStatus != http.StatusOK || knownStatus != unknownStatus || known != unknown {
		t.Errorf("known: %d\n%s\nunknown: %d\n%s", knownStatus, known, unknownStatus, unknown)
	}
	for _, want := range []string{"Check your phone", "If a phone number is on file, we sent a text message", "Send it by email instead"} {
		if !strings.Contains(known, want) {
			t.Errorf("fallback page lacks %q:\n%s", want, known)
		}
	}
	if strings.Contains(known, "belongs to an account") {
		t.Errorf("fallback page says the address belongs to an account:\n%s", known)
	}
	if n := len(e.sms.Messages()); n != 0 {
		t.Errorf("%d SMS sent to a contact with no phone", n)
	}
	w = e.do(formReq("/login/code", url.Values{"identifier": {"ana@example.com"}, "code": {code}}, "Origin", baseURL))
	if w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), portalURL) {
		t.Errorf("the email's code after the fallback: %d %s; want 303 to the portal", w.Code, w.Body)
	}
}

// TestContinueHeading: the continue page names the tenant, and a login
// for several tenants reads "your portal" (never "your portals portal").
func TestContinueHeading(t *testing.T) {
	e, several, _ := pickerEnv(t)
	e.invite("solo@example.com")
	e.requestLogin(`{"identifier":"solo@example.com"}`)
	one, _ := e.lastLogin()
	for _, tc := range []struct{ name, token, want string }{
		{"one tenant", one, "<h1>Continue to Acme portal</h1>"},
		{"several tenants", several, "<h1>Continue to your portal</h1>"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := e.do(req(http.MethodGet, "/v1/login/redeem?token="+url.QueryEscape(tc.token), ""))
			body := w.Body.String()
			if w.Code != http.StatusOK || !strings.Contains(body, tc.want) || strings.Contains(body, "portals portal") {
				t.Errorf("%d; want %q in\n%s", w.Code, tc.want, body)
			}
		})
	}
}

// TestLinkNotValid: a token that was never a link says "not valid"; a
// used one says "no longer valid"; both are 410 link_invalid.
func TestLinkNotValid(t *testing.T) {
	e := newEnv(t)
	e.invite("ana@example.com")
	e.requestLogin(`{"identifier":"ana@example.com"}`)
	used, _ := e.lastLogin()
	if w := e.redeemJSON(used); w.Code != http.StatusOK {
		t.Fatalf("redeem: %d %s", w.Code, w.Body)
	}
	for _, tc := range []struct {
		name string
		r    *http.Request
		want string
	}{
		{"made up", req(http.MethodGet, "/v1/login/redeem?token=not-a-token", ""), "This link is not valid"},
		{"cut short", req(http.MethodGet, "/v1/login/redeem?token="+url.QueryEscape(used[:len(used)-4]), ""), "This link is not valid"},
		{"missing", req(http.MethodGet, "/v1/login/redeem", ""), "This link is not valid"},
		{"made up, posted", formReq("/v1/login/redeem", url.Values{"token": {"x"}}, "Origin", baseURL), "This link is not valid"},
		{"used", req(http.MethodGet, "/v1/login/redeem?token="+url.QueryEscape(used), ""), "This link is no longer valid"},
		{"used, posted", formReq("/v1/login/redeem", url.Values{"token": {used}}, "Origin", baseURL), "This link is no longer valid"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := e.do(tc.r)
			body := w.Body.String()
			if w.Code != http.StatusGone || !strings.Contains(body, "<h1>"+tc.want+"</h1>") || !strings.Contains(body, `data-code="link_invalid"`) {
				t.Errorf("%d; want 410 %q:\n%s", w.Code, tc.want, body)
			}
		})
	}
}

// TestRateLimitedPage: the page says how long to wait, in whole minutes
// from Retry-After, and offers no form that would be refused.
func TestRateLimitedPage(t *testing.T) {
	e := newEnv(t)
	var w *http.Response
	var body string
	for i := 0; i < 20; i++ {
		rec := e.do(formReq("/login", url.Values{"identifier": {"ana@example.com"}}, "Origin", baseURL))
		if rec.Code == http.StatusTooManyRequests {
			w, body = rec.Result(), rec.Body.String()
			break
		}
	}
	if w == nil {
		t.Fatal("never rate limited")
	}
	secs, err := strconv.Atoi(w.Header.Get("Retry-After"))
	if err != nil || secs < 1 {
		t.Fatalf("Retry-After %q", w.Header.Get("Retry-After"))
	}
	mins := (secs + 59) / 60
	want := "Please wait " + strconv.Itoa(mins) + " minute"
	if !strings.Contains(body, "<h1>"+want) || !strings.Contains(body, "try again in "+strconv.Itoa(mins)+" minute") {
		t.Errorf("Retry-After %d s; want %q in\n%s", secs, want, body)
	}
	if strings.Contains(body, "<form") || strings.Contains(body, "wait a moment") {
		t.Errorf("the rate-limited page offers a form or says 'a moment':\n%s", body)
	}
}

var (
	autofocusRE = regexp.MustCompile(`<input id="(\w+)"[^>]* autofocus[^>]*>`)
	invalidRE   = regexp.MustCompile(`<input id="(\w+)"[^>]* aria-invalid="true" aria-describedby="(\w+-error)"`)
)

// TestFieldFocusAndErrors: the first field is focused on arrival, and a
// refused post comes back focused on the field to fix, marked invalid
// and described by its error line.
func TestFieldFocusAndErrors(t *testing.T) {
	e := newEnv(t)
	e.invite("ana@example.com")
	for _, tc := range []struct {
		name             string
		r                *http.Request
		focus, invalidOf string // invalidOf "": no field invalid
	}{
		{"login", req(http.MethodGet, "/login", ""), "identifier", ""},
		{"login refused", formReq("/login", url.Values{"identifier": {"not an address"}}, "Origin", baseURL), "identifier", "identifier"},
		{"check", formReq("/login", url.Values{"identifier": {"ana@example.com"}}, "Origin", baseURL), "code", ""},
		{"wrong code", formReq("/login/code", url.Values{"identifier": {"ana@example.com"}, "code": {"000000"}}, "Origin", baseURL), "code", "code"},
		{"error page", req(http.MethodGet, "/v1/login/redeem?token=x", ""), "identifier", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := e.do(tc.r).Body.String()
			if m := autofocusRE.FindAllStringSubmatch(body, -1); len(m) != 1 || m[0][1] != tc.focus {
				t.Errorf("autofocus on %v; want %q only:\n%s", m, tc.focus, body)
			}
			m := invalidRE.FindStringSubmatch(body)
			switch {
			case tc.invalidOf == "" && m != nil:
				t.Errorf("field %s marked invalid with no error", m[1])
			case tc.invalidOf != "" && (m == nil || m[1] != tc.invalidOf):
				t.Errorf("invalid field %v; want %q:\n%s", m, tc.invalidOf, body)
			case tc.invalidOf != "" && !strings.Contains(body, `<p class="error" role="alert" id="`+m[2]+`">`):
				t.Errorf("no error line with id %q:\n%s", m[2], body)
			}
		})
	}
}

// TestLogoutPage: GET /logout offers a same-origin form that posts
// /v1/logout; the post ends the session and leads to "You are logged
// out" with the way back to the tenant's Portal link. No other site may
// post it.
func TestLogoutPage(t *testing.T) {
	e := newEnv(t)
	e.invite("ana@example.com")
	tok := e.login("ana@example.com")
	withCookie := []string{"Cookie", sessionCookie + "=" + tok}

	w := e.do(req(http.MethodGet, "/logout", "", withCookie...))
	body := w.Body.String()
	if w.Code != http.StatusOK || !strings.Contains(body, `<form method="post" action="/v1/logout">`) ||
		!strings.Contains(body, "Log out of Acme?") || strings.Contains(body, "<script") {
		t.Fatalf("logout page: %d\n%s", w.Code, body)
	}
	if csp := w.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("CSP %q", csp)
	}

	form := url.Values{"tenant": {"acme"}}
	w = e.do(formReq("/v1/logout", form, append([]string{"Origin", "https://evil.example"}, withCookie...)...))
	if w.Code != http.StatusForbidden || e.sessionStatus(tok) != http.StatusOK {
		t.Fatalf("cross-site logout: %d, session %d; want 403 and the session alive", w.Code, e.sessionStatus(tok))
	}

	w = e.do(formReq("/v1/logout", form, append([]string{"Origin", "null", "Sec-Fetch-Site", "same-origin"}, withCookie...)...))
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/logout?tenant=acme" {
		t.Fatalf("logout form: %d %q; want 303 to /logout?tenant=acme (%s)", w.Code, w.Header().Get("Location"), w.Body)
	}
	if c := cookie(w, sessionCookie); c == nil || c.MaxAge >= 0 {
		t.Errorf("session cookie not cleared: %v", c)
	}
	if s := e.sessionStatus(tok); s != http.StatusUnauthorized {
		t.Errorf("session after logout: %d; want 401", s)
	}

	for _, tc := range []struct{ target, back string }{
		{"/logout?tenant=acme", `href="/p/acme"`},
		{"/logout?tenant=nosuch", `href="/login"`},
		{"/logout", `href="/login"`},
	} {
		w = e.do(req(http.MethodGet, tc.target, "", withCookie...)) // the ended session's cookie
		body = w.Body.String()
		if w.Code != http.StatusOK || !strings.Contains(body, "<h1>You are logged out</h1>") || !strings.Contains(body, tc.back) ||
			strings.Contains(body, "<form") {
			t.Errorf("GET %s: %d; want 'You are logged out' with %s:\n%s", tc.target, w.Code, tc.back, body)
		}
	}
}
