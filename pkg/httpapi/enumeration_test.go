package httpapi_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/portalpass/portalpass/pkg/login"
)

// wireAnswer is an answer as it went over the wire, with what differs
// between any two answers (Date, the cookie's random value) taken out.
type wireAnswer struct {
	status  int
	body    string
	headers http.Header
	cookies []string // Set-Cookie with the value replaced by "V"
}

func post(t *testing.T, srv *httptest.Server, path, body string) wireAnswer {
	t.Helper()
	r, err := http.NewRequest("POST", srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Content-Type", "application/json")
	res, err := srv.Client().Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	a := wireAnswer{status: res.StatusCode, body: readAll(t, res.Body), headers: res.Header.Clone()}
	a.headers.Del("Date")
	for _, c := range a.headers.Values("Set-Cookie") {
		name, rest, _ := strings.Cut(c, "=")
		_, attrs, _ := strings.Cut(rest, ";")
		a.cookies = append(a.cookies, name+"=V;"+attrs)
	}
	a.headers.Del("Set-Cookie")
	return a
}

func sameAnswer(t *testing.T, what string, got, want wireAnswer) {
	t.Helper()
	if got.status != want.status {
		t.Errorf("%s: status %d; the unknown identifier got %d", what, got.status, want.status)
	}
	if got.body != want.body {
		t.Errorf("%s: body %q; the unknown identifier got %q", what, got.body, want.body)
	}
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range got.headers {
			if !yield(k) {
				return
			}
		}
		for k := range want.headers {
			if !yield(k) {
				return
			}
		}
	}) {
		if g, w := got.headers.Values(k), want.headers.Values(k); !slices.Equal(g, w) {
			t.Errorf("%s: header %s = %q; the unknown identifier got %q", what, k, g, w)
		}
	}
	if !slices.Equal(got.cookies, want.cookies) {
		t.Errorf("%s: cookies %q; the unknown identifier got %q", what, got.cookies, want.cookies)
	}
}

// TestLoginRequestNoEnumeration: a login request for an invited contact
// and one for an unknown address answer the same on the wire.
func TestLoginRequestNoEnumeration(t *testing.T) {
	e := newEnv(t)
	e.invite("ana@example.com")
	srv := httptest.NewServer(e.h)
	defer srv.Close()

	unknown := post(t, srv, "/v1/login/request", `{"identifier":"nobody@example.com"}`)
	if unknown.status != http.StatusAccepted || len(unknown.cookies) != 1 {
		t.Fatalf("unknown identifier: status %d, cookies %q; want 202 and one cookie", unknown.status, unknown.cookies)
	}
	for _, tc := range []struct{ name, body string }{
		{"invited contact", `{"identifier":"ana@example.com"}`},
		{"invited contact again", `{"identifier":"ANA@Example.com"}`},
		{"invited contact in its tenant", `{"identifier":"ana@example.com","tenant":"acme"}`},
		{"unknown tenant", `{"identifier":"ana@example.com","tenant":"zzz"}`},
		{"with redirect", `{"identifier":"ana@example.com","redirect":"/invoices/42"}`},
		{"unknown phone", `{"identifier":"+14155550123"}`},
	} {
		before := len(e.email.Messages())
		got := post(t, srv, "/v1/login/request", tc.body)
		sameAnswer(t, tc.name, got, unknown)
		if tc.name == "invited contact" && len(e.email.Messages()) != before+1 {
			t.Errorf("%s: no email was sent", tc.name)
		}
	}
}

// TestCodeNoEnumeration: a wrong code answers the same whether the
// identifier is a contact with a live attempt, a contact without one, or
// no one.
func TestCodeNoEnumeration(t *testing.T) {
	e := newEnv(t)
	e.invite("ana@example.com")
	e.invite("bob@example.com")
	e.requestLogin(`{"identifier":"ana@example.com"}`)
	_, code := e.lastLogin()
	srv := httptest.NewServer(e.h)
	defer srv.Close()

	wrong := wrongCode(code)
	unknown := post(t, srv, "/v1/login/code", `{"identifier":"nobody@example.com","code":"`+wrong+`"}`)
	if unknown.status != http.StatusBadRequest {
		t.Fatalf("unknown identifier: status %d; want 400", unknown.status)
	}
	if c, _ := parseError([]byte(unknown.body)); c != string(login.CodeInvalidCode) {
		t.Fatalf("unknown identifier: body %s; want invalid_code", unknown.body)
	}
	for _, tc := range []struct{ name, body string }{
		{"live attempt", `{"identifier":"ana@example.com","code":"` + wrong + `"}`},
		{"no attempt", `{"identifier":"bob@example.com","code":"` + wrong + `"}`},
		{"other tenant", `{"identifier":"ana@example.com","code":"` + code + `","tenant":"zzz"}`},
		{"short code", `{"identifier":"ana@example.com","code":"12"}`},
		{"letters", `{"identifier":"ana@example.com","code":"abcdef"}`},
		{"unknown phone", `{"identifier":"+14155550123","code":"` + wrong + `"}`},
	} {
		sameAnswer(t, tc.name, post(t, srv, "/v1/login/code", tc.body), unknown)
	}
}

// wrongCode returns a code of the same length that is not code.
func wrongCode(code string) string {
	n, _ := strconv.Atoi(code)
	return fmt.Sprintf("%0*d", len(code), (n+1)%pow10(len(code)))
}

func pow10(n int) int {
	p := 1
	for range n {
		p *= 10
	}
	return p
}

// retryAfter checks a 429 and returns its Retry-After in seconds.
func retryAfter(t *testing.T, w *httptest.ResponseRecorder) int {
	t.Helper()
	checkError(t, w, http.StatusTooManyRequests, string(login.CodeRateLimited))
	v := w.Header().Get("Retry-After")
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		t.Fatalf("Retry-After = %q; want whole seconds > 0", v)
	}
	return n
}

// TestIdentifierRateLimit: the 6th request for one identifier in 15
// minutes is 429, known or not, and the next window is open again.
func TestIdentifierRateLimit(t *testing.T) {
	for _, tc := range []struct{ name, ident, other string }{
		{"invited contact", "ana@example.com", "ANA@EXAMPLE.COM"},
		{"unknown email", "nobody@example.com", "Nobody@Example.COM"},
		{"unknown phone", "+14155550123", "+1 (415) 555-0123"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.invite("ana@example.com")
			for i := range login.SendLimit {
				// spellings of one identifier share its limit
				ident := tc.ident
				if i%2 == 1 {
					ident = tc.other
				}
				e.requestLogin(`{"identifier":` + quote(ident) + `}`)
			}
			w := e.do(jsonReq("POST", "/v1/login/request", `{"identifier":`+quote(tc.other)+`}`))
			if n := retryAfter(t, w); n > int(login.SendWindow/time.Second) {
				t.Errorf("Retry-After = %d; want at most the window", n)
			}
			if c := cookie(w, requestCookie); c != nil {
				t.Errorf("a refused request set the %s cookie", requestCookie)
			}
			e.requestLogin(`{"identifier":"someone-else@example.com"}`)
			e.clock.Advance(login.SendWindow)
			e.requestLogin(`{"identifier":` + quote(tc.ident) + `}`)
		})
	}
}

// TestIPRateLimit: the 61st login request from one client IP in 5
// minutes is 429, whatever X-Forwarded-For says; other IPs are not held.
func TestIPRateLimit(t *testing.T) {
	e := newEnv(t)
	send := func(i int, remote, xff string) *httptest.ResponseRecorder {
		r := jsonReq("POST", "/v1/login/request", fmt.Sprintf(`{"identifier":"user%d@example.com"}`, i))
		r.RemoteAddr = remote
		if xff != "" {
			r.Header.Set("X-Forwarded-For", xff)
			r.Header.Set("X-Real-Ip", xff)
			r.Header.Set("Forwarded", "for="+xff)
		}
		return e.do(r)
	}
	for i := range login.IPLimit {
		if w := send(i, "203.0.113.9:5000", fmt.Sprintf("10.0.%d.%d", i/250, i%250)); w.Code != http.StatusAccepted {
			t.Fatalf("request %d: status %d; want 202 (%s)", i+1, w.Code, w.Body)
		}
	}
	retryAfter(t, send(1000, "203.0.113.9:5000", ""))
	retryAfter(t, send(1001, "203.0.113.9:6000", "192.0.2.200"))
	if w := send(1002, "203.0.113.10:5000", "203.0.113.9"); w.Code != http.StatusAccepted {
		t.Fatalf("another IP: status %d; want 202", w.Code)
	}
	e.clock.Advance(login.IPWindow)
	if w := send(1003, "203.0.113.9:5000", ""); w.Code != http.StatusAccepted {
		t.Fatalf("next window: status %d; want 202", w.Code)
	}
}

// TestLinksUseBaseURL: a request's Host and forwarding headers never
// reach a link or the same-origin check.
func TestLinksUseBaseURL(t *testing.T) {
	e := newEnv(t)
	e.invite("ana@example.com")
	r := jsonReq("POST", "/v1/login/request", `{"identifier":"ana@example.com"}`,
		"X-Forwarded-Host", "evil.example", "X-Forwarded-Proto", "http", "Forwarded", "host=evil.example;proto=http")
	r.Host = "evil.example"
	if w := e.do(r); w.Code != http.StatusAccepted {
		t.Fatalf("status %d; want 202", w.Code)
	}
	link := e.email.Last().Link
	if want := baseURL + "/v1/login/redeem?token="; !strings.HasPrefix(link, want) {
		t.Fatalf("link = %q; want it to start with %q", link, want)
	}
	tok, _ := e.lastLogin()
	f := formReq("/v1/login/redeem", map[string][]string{"token": {tok}}, "Origin", "https://evil.example", "X-Forwarded-Host", "evil.example")
	f.Host = "evil.example"
	if w := e.do(f); w.Code != http.StatusForbidden {
		t.Fatalf("form post from the Host's origin: status %d; want 403", w.Code)
	}
}
