package main

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// keyFlow logs a contact in through the hosted login and the portal's
// key exchange, then checks replay and logout.
func keyFlow(t *testing.T, api *devAPI, email string) {
	f := newFixture(t, api, false)
	id := f.invite(t, email)
	f.requestLogin(t, email)
	loc := f.redeemNewest(t, email)

	b := browserClient()
	s, body, resp := get(t, b, loc)
	if s != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
		t.Fatalf("callback = %d Location %q; want 303 to / (%s)", s, resp.Header.Get("Location"), body)
	}
	var cookie *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "portal_sid" {
			cookie = c
		}
	}
	if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode || cookie.Value == "" {
		t.Fatalf("callback cookie = %+v; want an HttpOnly SameSite=Lax portal_sid", cookie)
	}
	if strings.Contains(cookie.Value, codeOf(t, loc)) {
		t.Fatal("the portal's cookie holds the hand-off code")
	}
	f.checkLoggedIn(t, b, email, id)

	// The same code again, from any browser, is refused.
	for name, c := range map[string]*http.Client{"same browser": b, "other browser": browserClient()} {
		if s, body, _ := get(t, c, loc); s != http.StatusBadRequest || !strings.Contains(body, "already used") {
			t.Errorf("%s: replayed callback = %d %q; want 400", name, s, body)
		}
	}
	if s, _, _ := get(t, browserClient(), f.url+"/callback?pp_code=not-a-code"); s != http.StatusBadRequest {
		t.Errorf("invalid code = %d; want 400", s)
	}
	if s, _, _ := get(t, browserClient(), f.url+"/callback"); s != http.StatusBadRequest {
		t.Errorf("no code = %d; want 400", s)
	}
	// The replays did not log the browser out.
	f.checkLoggedIn(t, b, email, id)
	checkRealJWT(t, f, b)
	f.checkLogs(t, codeOf(t, loc))

	if s, _, _ := postForm(t, b, f.url+"/logout", nil, f.url); s != http.StatusSeeOther {
		t.Fatalf("logout = %d; want 303", s)
	}
	if s, body, _ := get(t, b, f.url+"/"); s != 200 || strings.Contains(body, email) || !strings.Contains(body, api.URL+"/login?tenant=acme") {
		t.Fatalf("after logout GET / = %d %q; want the Log in link", s, body)
	}
	if s, _, _ := get(t, b, f.url+"/me.json"); s != http.StatusUnauthorized {
		t.Errorf("after logout /me.json = %d; want 401", s)
	}
}

// checkRealJWT checks the verifier on a JWT of the API itself: it
// verifies, and a tampered or alg-none copy does not.
func checkRealJWT(t *testing.T, f *fixture, b *http.Client) {
	t.Helper()
	u, _ := url.Parse(f.url)
	var sid string
	for _, c := range b.Jar.Cookies(u) {
		if c.Name == "portal_sid" {
			sid = c.Value
		}
	}
	st, ok := f.portal.states.get(sid)
	if !ok || st.Session == "" {
		t.Fatal("the portal keeps no session for the browser")
	}
	ctx := t.Context()
	jwt, err := f.portal.api.Token(ctx, st.Session)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.portal.jwt.Verify(ctx, jwt); err != nil {
		t.Fatalf("the API's JWT: %v", err)
	}
	parts := strings.Split(jwt, ".")
	for name, forged := range map[string]string{
		"tampered payload": parts[0] + "." + tamper(parts[1]) + "." + parts[2],
		"alg none":         b64(map[string]string{"alg": "none", "typ": "JWT"}) + "." + parts[1] + ".",
	} {
		if _, err := f.portal.jwt.Verify(ctx, forged); err == nil {
			t.Errorf("%s: the API's JWT verified", name)
		}
	}
}

func TestHandoffWithKey(t *testing.T) {
	keyFlow(t, startAPI(t, false), "ana@example.com")
}

// TestHandoffWithKeyOnMoto runs the same flow with DynamoDB and SES on
// moto, reading the link back from moto.
func TestHandoffWithKeyOnMoto(t *testing.T) {
	api := startAPI(t, true)
	keyFlow(t, api, fmt.Sprintf("ana.portal.%d@example.com", time.Now().UnixNano()))
}

// TestHandoffCodeExpires: a hand-off code is good for 60 seconds.
func TestHandoffCodeExpires(t *testing.T) {
	api := startAPI(t, false)
	f := newFixture(t, api, false)
	f.invite(t, "ana@example.com")
	f.requestLogin(t, "ana@example.com")
	loc := f.redeemNewest(t, "ana@example.com")
	api.clock.Add(61 * time.Second)
	if s, body, _ := get(t, browserClient(), loc); s != http.StatusBadRequest {
		t.Fatalf("callback after 61 s = %d %q; want 400", s, body)
	}
}

func TestLoggedOut(t *testing.T) {
	f := newFixture(t, startAPI(t, false), false)
	s, body, resp := get(t, browserClient(), f.url+"/")
	if s != 200 || !strings.Contains(body, `href="`+f.api.URL+`/login?tenant=acme"`) {
		t.Fatalf("GET / = %d %q; want a Log in link", s, body)
	}
	for _, h := range []string{"Content-Security-Policy", "Referrer-Policy", "X-Frame-Options"} {
		if resp.Header.Get(h) == "" {
			t.Errorf("GET / has no %s", h)
		}
	}
	if s, _, _ := get(t, browserClient(), f.url+"/me.json"); s != http.StatusUnauthorized {
		t.Errorf("/me.json = %d; want 401", s)
	}
	// Key mode has no login form of its own.
	if s, _, _ := postForm(t, browserClient(), f.url+"/login", url.Values{"identifier": {"ana@example.com"}}, ""); s != http.StatusNotFound && s != http.StatusMethodNotAllowed {
		t.Errorf("POST /login in key mode = %d; want 404 or 405", s)
	}
}

// pkceLogin starts a login in browser b with the portal's form and
// returns the portal redirect of its link.
func pkceLogin(t *testing.T, f *fixture, b *http.Client, email string) string {
	t.Helper()
	if s, body, _ := postForm(t, b, f.url+"/login", url.Values{"identifier": {email}}, f.url); s != 200 || !strings.Contains(body, "Check your email") {
		t.Fatalf("POST /login = %d %q", s, body)
	}
	return f.redeemNewest(t, email)
}

func TestHandoffPKCE(t *testing.T) {
	api := startAPI(t, false)
	f := newFixture(t, api, true)
	const email = "ben@example.com"
	id := f.invite(t, email)

	a := browserClient()
	if s, body, _ := get(t, a, f.url+"/"); s != 200 || !strings.Contains(body, `action="/login"`) {
		t.Fatalf("GET / = %d %q; want the login form", s, body)
	}
	loc := pkceLogin(t, f, a, email)

	// Another browser with a pending login of its own holds another
	// verifier: the exchange fails.
	other := browserClient()
	if s, _, _ := postForm(t, other, f.url+"/login", url.Values{"identifier": {"nobody@example.com"}}, f.url); s != 200 {
		t.Fatalf("POST /login (other) = %d", s)
	}
	if s, body, _ := get(t, other, loc); s != http.StatusBadRequest {
		t.Fatalf("callback with a wrong verifier = %d %q; want 400", s, body)
	}
	// A browser that asked for nothing has no verifier at all.
	if s, body, _ := get(t, browserClient(), loc); s != http.StatusBadRequest {
		t.Fatalf("callback without a verifier = %d %q; want 400", s, body)
	}

	// A fresh login completes in the browser that asked for it.
	loc = pkceLogin(t, f, a, email)
	if s, body, resp := get(t, a, loc); s != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
		t.Fatalf("callback = %d %q; want 303 to /", s, body)
	}
	f.checkLoggedIn(t, a, email, id)

	// Replayed with a new verifier in the same browser: refused.
	if s, _, _ := postForm(t, a, f.url+"/login", url.Values{"identifier": {"nobody@example.com"}}, f.url); s != 200 {
		t.Fatalf("POST /login again = %d", s)
	}
	if s, body, _ := get(t, a, loc); s != http.StatusBadRequest {
		t.Fatalf("replayed callback = %d %q; want 400", s, body)
	}
	f.checkLoggedIn(t, a, email, id) // the failed replay kept the session
	f.checkLogs(t, codeOf(t, loc))

	// A cross-site form post is refused (login CSRF).
	if s, _, _ := postForm(t, browserClient(), f.url+"/login", url.Values{"identifier": {email}}, "https://evil.example"); s != http.StatusForbidden {
		t.Errorf("cross-origin POST /login = %d; want 403", s)
	}
}

// TestPKCERequiresCodeChallenge: a login requested without a challenge
// (the hosted login page) cannot be exchanged without the key.
func TestPKCERequiresCodeChallenge(t *testing.T) {
	api := startAPI(t, false)
	f := newFixture(t, api, true)
	f.invite(t, "cy@example.com")
	f.requestLogin(t, "cy@example.com")
	loc := f.redeemNewest(t, "cy@example.com")
	b := browserClient()
	if s, _, _ := postForm(t, b, f.url+"/login", url.Values{"identifier": {"nobody@example.com"}}, f.url); s != 200 {
		t.Fatalf("POST /login = %d", s)
	}
	if s, body, _ := get(t, b, loc); s != http.StatusBadRequest {
		t.Fatalf("callback = %d %q; want 400", s, body)
	}
}
