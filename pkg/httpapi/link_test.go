package httpapi_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/portalpass/portalpass/pkg/login"
)

const wantPortal = "https://portal.acme.example/app/invoices/42"

// linkEnv is an env with an invited ana who asked for a login link to
// /invoices/42; req is the login-request cookie of that request.
func linkEnv(t *testing.T) (e *env, token, code string, reqCookie *http.Cookie) {
	t.Helper()
	e = newEnv(t)
	e.invite("ana@example.com")
	w := e.requestLogin(`{"identifier":"ana@example.com","redirect":"/invoices/42"}`)
	reqCookie = cookie(w, requestCookie)
	if reqCookie == nil || reqCookie.Value == "" {
		t.Fatalf("login request set no %s cookie: %q", requestCookie, w.Header().Values("Set-Cookie"))
	}
	token, code = e.lastLogin()
	return e, token, code, reqCookie
}

var resourceAttr = regexp.MustCompile(`(?i)\b(src|href|action|formaction|srcset|poster|data)\s*=\s*["']?([^"'\s>]*)`)

// TestRedeemPage: GET and HEAD render the continue page with its headers,
// load nothing from elsewhere, add the one-tap script only for the browser
// that asked, and consume nothing.
func TestRedeemPage(t *testing.T) {
	e, tok, _, own := linkEnv(t)
	other := cookie(e.requestLogin(`{"identifier":"nobody@example.com"}`), requestCookie)
	target := "/v1/login/redeem?token=" + url.QueryEscape(tok)
	for _, tc := range []struct {
		name     string
		method   string
		cookie   *http.Cookie
		wantAuto bool
	}{
		{"GET, no cookie", "GET", nil, false},
		{"GET, own request cookie", "GET", own, true},
		{"GET, another request's cookie", "GET", other, false},
		{"GET, forged cookie", "GET", &http.Cookie{Name: requestCookie, Value: "x"}, false},
		{"GET, own value under the plain name", "GET", &http.Cookie{Name: "pp_req", Value: own.Value}, false},
		{"HEAD, no cookie", "HEAD", nil, false},
		{"HEAD, own request cookie", "HEAD", own, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := req(tc.method, target, "")
			if tc.cookie != nil {
				r.AddCookie(tc.cookie)
			}
			w := e.do(r)
			if w.Code != http.StatusOK {
				t.Fatalf("status = %d; want 200 (%s)", w.Code, w.Body)
			}
			h := w.Header()
			for name, want := range map[string]string{
				"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store",
				"Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY",
			} {
				if got := h.Get(name); got != want {
					t.Errorf("%s = %q; want %q", name, got, want)
				}
			}
			csp := h.Get("Content-Security-Policy")
			for _, want := range []string{"frame-ancestors 'none'", "default-src 'none'"} {
				if !strings.Contains(csp, want) {
					t.Errorf("CSP %q lacks %q", csp, want)
				}
			}
			if strings.Contains(csp, "http") || strings.Contains(csp, "*") || strings.Contains(csp, "unsafe") {
				t.Errorf("CSP %q allows another origin or unsafe sources", csp)
			}
			if tc.method == "HEAD" {
				return
			}
			body := w.Body.String()
			if !strings.Contains(body, "Continue to Acme portal") {
				t.Errorf("page does not name the tenant:\n%s", body)
			}
			if got := strings.Contains(body, `/assets/continue.js`); got != tc.wantAuto {
				t.Errorf("page includes continue.js = %v; want %v", got, tc.wantAuto)
			}
			if got := strings.Contains(body, `data-auto`); got != tc.wantAuto {
				t.Errorf("page has data-auto = %v; want %v", got, tc.wantAuto)
			}
			for _, m := range resourceAttr.FindAllStringSubmatch(body, -1) {
				v := strings.ToLower(m[2])
				if strings.HasPrefix(v, "http:") || strings.HasPrefix(v, "https:") || strings.HasPrefix(v, "//") {
					t.Errorf("page loads or posts to another origin: %s", m[0])
				}
			}
			if n := strings.Count(body, `name="token" value="`+tok+`"`); n != 1 {
				t.Errorf("page holds the token in %d hidden inputs; want 1", n)
			}
		})
	}
	if w := e.redeemJSON(tok); w.Code != http.StatusOK {
		t.Fatalf("POST after the GETs and HEADs: status %d; want 200 (%s)", w.Code, w.Body)
	}
	w := e.do(req("GET", target, ""))
	if w.Code != http.StatusGone || !strings.Contains(w.Body.String(), `data-code="link_invalid"`) {
		t.Fatalf("GET of a used link: status %d; want 410 with link_invalid (%s)", w.Code, w.Body)
	}
}

// TestRedeemJSON: one redeem wins, with a session cookie of the right
// attributes and the portal URL plus the redirect.
func TestRedeemJSON(t *testing.T) {
	e, tok, _, _ := linkEnv(t)
	w := e.redeemJSON(tok)
	if w.Code != http.StatusOK {
		t.Fatalf("status = %d; want 200 (%s)", w.Code, w.Body)
	}
	var out struct {
		Session struct {
			Token     string    `json:"token"`
			ExpiresAt time.Time `json:"expiresAt"`
			Via       string    `json:"via"`
			Tenant    struct{ ID, Name string }
		} `json:"session"`
		Redirect string `json:"redirect"`
	}
	decode(t, w.Body.Bytes(), &out)
	if out.Redirect != wantPortal {
		t.Errorf("redirect = %q; want %q", out.Redirect, wantPortal)
	}
	if out.Session.Via != "link" || out.Session.Tenant.ID != "acme" {
		t.Errorf("session = %+v; want via link in acme", out.Session)
	}
	if want := e.clock.Now().Add(30 * 24 * time.Hour); !out.Session.ExpiresAt.Equal(want) {
		t.Errorf("expiresAt = %v; want %v", out.Session.ExpiresAt, want)
	}
	checkSessionCookie(t, w)
	// the secret part is the last: at least 256 bits for a link, 128 for a session
	if n := len(secretPart(tok)); n < 43 {
		t.Errorf("link token's secret has %d characters; want at least 43 (256 bits)", n)
	}
	if n := len(secretPart(sessionToken(t, w))); n < 22 {
		t.Errorf("session token's secret has %d characters; want at least 22 (128 bits)", n)
	}
	checkError(t, e.redeemJSON(tok), http.StatusGone, string(login.CodeLinkInvalid))
}

// checkSessionCookie checks the session cookie's attributes as sent.
func checkSessionCookie(t *testing.T, w *httptest.ResponseRecorder) {
	t.Helper()
	var raw string
	for _, v := range w.Header().Values("Set-Cookie") {
		if strings.HasPrefix(v, sessionCookie+"=") {
			raw = v
		}
	}
	if raw == "" {
		t.Fatalf("no %s cookie in %q", sessionCookie, w.Header().Values("Set-Cookie"))
	}
	attrs := map[string]string{}
	for _, a := range strings.Split(raw, ";")[1:] {
		k, v, _ := strings.Cut(strings.TrimSpace(a), "=")
		attrs[strings.ToLower(k)] = v
	}
	for _, name := range []string{"httponly", "secure"} {
		if _, ok := attrs[name]; !ok {
			t.Errorf("session cookie %q lacks %s", raw, name)
		}
	}
	if attrs["samesite"] != "Lax" || attrs["path"] != "/" {
		t.Errorf("session cookie %q: want SameSite=Lax and Path=/", raw)
	}
	if _, ok := attrs["domain"]; ok {
		t.Errorf("session cookie %q has a Domain", raw)
	}
	if ma := attrs["max-age"]; ma == "" || ma == "0" || strings.HasPrefix(ma, "-") {
		t.Errorf("session cookie %q: want a positive Max-Age", raw)
	}
}

// TestRedeemExpired: a login link lives 10 minutes by default; used
// after that it is 410 link_expired, and so is its code.
func TestRedeemExpired(t *testing.T) {
	for _, tc := range []struct {
		name  string
		after time.Duration
		want  int
	}{
		{"just in time", 10*time.Minute - time.Second, http.StatusOK},
		{"at 10 minutes", 10 * time.Minute, http.StatusGone},
		{"at 11 minutes", 11 * time.Minute, http.StatusGone},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, tok, code, _ := linkEnv(t)
			e.clock.Advance(tc.after)
			w := e.do(req("GET", "/v1/login/redeem?token="+url.QueryEscape(tok), ""))
			if tc.want == http.StatusOK {
				if w.Code != http.StatusOK {
					t.Errorf("GET: status %d; want 200", w.Code)
				}
				if w := e.redeemJSON(tok); w.Code != http.StatusOK {
					t.Errorf("POST: status %d; want 200 (%s)", w.Code, w.Body)
				}
				return
			}
			if w.Code != http.StatusGone || !strings.Contains(w.Body.String(), `data-code="link_expired"`) {
				t.Errorf("GET: status %d; want 410 with link_expired (%s)", w.Code, w.Body)
			}
			checkError(t, e.do(jsonReq("POST", "/v1/login/code", codeBody("ana@example.com", code))), 400, string(login.CodeInvalidCode))
			checkError(t, e.redeemJSON(tok), http.StatusGone, string(login.CodeLinkExpired))
		})
	}
}

// TestRedeemForm: a form post is accepted only from our own page; a
// refused one consumes nothing.
func TestRedeemForm(t *testing.T) {
	for _, tc := range []struct {
		name    string
		headers []string
		want    int
	}{
		{"our Origin", []string{"Origin", baseURL}, http.StatusSeeOther},
		{"our Origin, same-origin fetch", []string{"Origin", baseURL, "Sec-Fetch-Site", "same-origin"}, http.StatusSeeOther},
		{"same-origin fetch, no Origin", []string{"Sec-Fetch-Site", "same-origin"}, http.StatusSeeOther},
		{"foreign Origin", []string{"Origin", "https://evil.example"}, http.StatusForbidden},
		{"foreign Origin, same-origin fetch", []string{"Origin", "https://evil.example", "Sec-Fetch-Site", "same-origin"}, http.StatusForbidden},
		{"sibling Origin", []string{"Origin", "https://portal.acme.example"}, http.StatusForbidden},
		{"http Origin", []string{"Origin", "http://api.example.com"}, http.StatusForbidden},
		{"Origin with port", []string{"Origin", "https://api.example.com:8443"}, http.StatusForbidden},
		{"Origin with path", []string{"Origin", baseURL + "/"}, http.StatusForbidden},
		{"null Origin", []string{"Origin", "null"}, http.StatusForbidden},
		{"neither", nil, http.StatusForbidden},
		{"cross-site fetch", []string{"Sec-Fetch-Site", "cross-site"}, http.StatusForbidden},
		{"same-site fetch", []string{"Sec-Fetch-Site", "same-site"}, http.StatusForbidden},
		{"user typed", []string{"Sec-Fetch-Site", "none"}, http.StatusForbidden},
		{"Referer only", []string{"Referer", baseURL + "/v1/login/redeem"}, http.StatusForbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, tok, _, _ := linkEnv(t)
			w := e.do(formReq("/v1/login/redeem", url.Values{"token": {tok}}, tc.headers...))
			if w.Code != tc.want {
				t.Fatalf("status = %d; want %d (%s)", w.Code, tc.want, w.Body)
			}
			if tc.want == http.StatusSeeOther {
				if got := w.Header().Get("Location"); got != wantPortal {
					t.Errorf("Location = %q; want %q", got, wantPortal)
				}
				checkSessionCookie(t, w)
				checkError(t, e.redeemJSON(tok), http.StatusGone, string(login.CodeLinkInvalid))
				return
			}
			if !strings.Contains(w.Body.String(), `data-code="forbidden"`) {
				t.Errorf("refusal page lacks the forbidden code:\n%s", w.Body)
			}
			if c := cookie(w, sessionCookie); c != nil && c.Value != "" {
				t.Errorf("a refused post set a session cookie")
			}
			if w := e.redeemJSON(tok); w.Code != http.StatusOK {
				t.Errorf("JSON redeem after the refusal: status %d; want 200 (%s)", w.Code, w.Body)
			}
		})
	}
}

// TestRedeemFormErrors: a form post with a bad token renders the error
// page with the status of its code.
func TestRedeemFormErrors(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		want       int
		code       login.Code
	}{
		{"unknown token", "token=abc", 410, login.CodeLinkInvalid},
		{"no token", "", 410, login.CodeLinkInvalid},
		{"unknown field", "token=abc&x=1", 400, login.CodeInvalidRequest},
		{"repeated token", "token=a&token=b", 400, login.CodeInvalidRequest},
		{"bad escape", "token=%zz", 400, login.CodeInvalidRequest},
		{"too large", "token=" + strings.Repeat("a", 16<<10), 413, login.CodeBodyTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			w := e.do(req("POST", "/v1/login/redeem", tc.body, "Content-Type", "application/x-www-form-urlencoded", "Origin", baseURL))
			if w.Code != tc.want || !strings.Contains(w.Body.String(), `data-code="`+string(tc.code)+`"`) {
				t.Fatalf("status %d; want %d with %s (%s)", w.Code, tc.want, tc.code, w.Body)
			}
		})
	}
}

// TestNewRequestReplacesLink: a new login request makes the previous
// link and code invalid.
func TestNewRequestReplacesLink(t *testing.T) {
	e, first, firstCode, _ := linkEnv(t)
	e.requestLogin(`{"identifier":"ana@example.com"}`)
	second, _ := e.lastLogin()
	if second == first {
		t.Fatal("a new request sent the same token")
	}
	w := e.do(req("GET", "/v1/login/redeem?token="+url.QueryEscape(first), ""))
	if w.Code != http.StatusGone {
		t.Errorf("GET of the replaced link: status %d; want 410", w.Code)
	}
	checkError(t, e.redeemJSON(first), http.StatusGone, string(login.CodeLinkInvalid))
	checkError(t, e.do(jsonReq("POST", "/v1/login/code", `{"identifier":"ana@example.com","code":"`+firstCode+`"}`)),
		http.StatusBadRequest, string(login.CodeInvalidCode))
	if w := e.redeemJSON(second); w.Code != http.StatusOK {
		t.Fatalf("the new link: status %d; want 200 (%s)", w.Code, w.Body)
	}
}

// TestLinkAndCodeAreOneAttempt: using either the code or the link
// consumes both.
func TestLinkAndCodeAreOneAttempt(t *testing.T) {
	t.Run("code first", func(t *testing.T) {
		e, tok, code, _ := linkEnv(t)
		w := e.do(jsonReq("POST", "/v1/login/code", `{"identifier":"ana@example.com","code":"`+code+`"}`))
		if w.Code != http.StatusOK {
			t.Fatalf("code: status %d; want 200 (%s)", w.Code, w.Body)
		}
		checkError(t, e.redeemJSON(tok), http.StatusGone, string(login.CodeLinkInvalid))
		if w := e.do(req("GET", "/v1/login/redeem?token="+url.QueryEscape(tok), "")); w.Code != http.StatusGone {
			t.Errorf("GET of the link: status %d; want 410", w.Code)
		}
	})
	t.Run("link first", func(t *testing.T) {
		e, tok, code, _ := linkEnv(t)
		if w := e.redeemJSON(tok); w.Code != http.StatusOK {
			t.Fatalf("link: status %d; want 200 (%s)", w.Code, w.Body)
		}
		checkError(t, e.do(jsonReq("POST", "/v1/login/code", `{"identifier":"ana@example.com","code":"`+code+`"}`)),
			http.StatusBadRequest, string(login.CodeInvalidCode))
	})
}

// TestCookieLifetimeFollowsServiceClock: the session and picker cookies
// live as long as what they hold, by the service's clock.
func TestCookieLifetimeFollowsServiceClock(t *testing.T) {
	e := newEnvAt(t, time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC))
	e.invite("ana@example.com")
	e.requestLogin(`{"identifier":"ana@example.com"}`)
	tok, _ := e.lastLogin()
	w := e.redeemJSON(tok)
	c := cookie(w, sessionCookie)
	if want := int(30 * 24 * time.Hour / time.Second); c == nil || c.MaxAge != want {
		t.Fatalf("session cookie = %v; want Max-Age %d", c, want)
	}
}

// secretPart is the part of a token after its last dot.
func secretPart(tok string) string {
	return tok[strings.LastIndex(tok, ".")+1:]
}
