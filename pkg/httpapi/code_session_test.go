package httpapi_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/portalpass/portalpass/pkg/login"
)

func codeBody(ident, code string) string {
	return `{"identifier":` + quote(ident) + `,"code":` + quote(code) + `}`
}

// TestCodeLogin: the right code logs in as redeem does.
func TestCodeLogin(t *testing.T) {
	e, _, code, _ := linkEnv(t)
	if len(code) != 6 || strings.Trim(code, "0123456789") != "" {
		t.Errorf("code has %d characters; want 6 digits", len(code))
	}
	w := e.do(jsonReq("POST", "/v1/login/code", codeBody("Ana@Example.com", code)))
	if w.Code != http.StatusOK {
		t.Fatalf("status = %d; want 200 (%s)", w.Code, w.Body)
	}
	var out struct {
		Session  struct{ Via string } `json:"session"`
		Redirect string               `json:"redirect"`
	}
	decode(t, w.Body.Bytes(), &out)
	if out.Session.Via != "code" || out.Redirect != wantPortal {
		t.Errorf("got via %q, redirect %q; want code, %q", out.Session.Via, out.Redirect, wantPortal)
	}
	checkSessionCookie(t, w)
	if got := e.sessionStatus(sessionToken(t, w)); got != http.StatusOK {
		t.Errorf("GET /v1/session: %d; want 200", got)
	}
	checkError(t, e.do(jsonReq("POST", "/v1/login/code", codeBody("ana@example.com", code))), 400, string(login.CodeInvalidCode))
}

// TestCodeTries: 5 wrong codes burn the attempt; afterwards the right code
// fails with the very same answer as a wrong one.
func TestCodeTries(t *testing.T) {
	for _, tc := range []struct {
		wrong int
		want  int
	}{
		{0, http.StatusOK},
		{login.CodeTries - 1, http.StatusOK},
		{login.CodeTries, http.StatusBadRequest},
		{login.CodeTries + 3, http.StatusBadRequest},
	} {
		t.Run(fmt.Sprintf("%d wrong", tc.wrong), func(t *testing.T) {
			e, _, code, _ := linkEnv(t)
			var wrongBody string
			for i := range tc.wrong {
				w := e.do(jsonReq("POST", "/v1/login/code", codeBody("ana@example.com", wrongCode(code))))
				checkError(t, w, http.StatusBadRequest, string(login.CodeInvalidCode))
				if i > 0 && w.Body.String() != wrongBody {
					t.Fatalf("wrong code %d answered %s; before %s", i+1, w.Body, wrongBody)
				}
				wrongBody = w.Body.String()
			}
			w := e.do(jsonReq("POST", "/v1/login/code", codeBody("ana@example.com", code)))
			if w.Code != tc.want {
				t.Fatalf("right code after %d wrong: status %d; want %d (%s)", tc.wrong, w.Code, tc.want, w.Body)
			}
			if tc.want != http.StatusOK && w.Body.String() != wrongBody {
				t.Errorf("refused right code answered %s; a wrong code %s", w.Body, wrongBody)
			}
		})
	}
}

// TestCodeFailureCap: after 20 wrong codes for an identifier in 24 hours,
// spread over attempts, even a fresh attempt's right code is refused; the
// next day it works again.
func TestCodeFailureCap(t *testing.T) {
	for _, tc := range []struct {
		wrong int
		want  int
	}{
		{login.CodeFailureLimit - 1, http.StatusOK},
		{login.CodeFailureLimit, http.StatusBadRequest},
	} {
		t.Run(fmt.Sprintf("%d wrong", tc.wrong), func(t *testing.T) {
			e := newEnv(t)
			e.invite("ana@example.com")
			var code string
			for i := range tc.wrong {
				if i%login.CodeTries == 0 { // a new attempt every 5 wrong codes
					e.requestLogin(`{"identifier":"ana@example.com"}`)
					_, code = e.lastLogin()
				}
				checkError(t, e.do(jsonReq("POST", "/v1/login/code", codeBody("ana@example.com", wrongCode(code)))),
					http.StatusBadRequest, string(login.CodeInvalidCode))
			}
			e.requestLogin(`{"identifier":"ana@example.com"}`)
			tok, code := e.lastLogin()
			w := e.do(jsonReq("POST", "/v1/login/code", codeBody("ana@example.com", code)))
			if w.Code != tc.want {
				t.Fatalf("fresh right code after %d wrong: status %d; want %d (%s)", tc.wrong, w.Code, tc.want, w.Body)
			}
			if tc.want == http.StatusOK {
				return
			}
			checkError(t, w, http.StatusBadRequest, string(login.CodeInvalidCode))
			if w := e.redeemJSON(tok); w.Code != http.StatusOK {
				t.Errorf("the link of the same attempt: status %d; want 200 (the cap is on codes)", w.Code)
			}
			e.clock.Advance(login.CodeFailureWindow)
			e.requestLogin(`{"identifier":"ana@example.com"}`)
			_, code = e.lastLogin()
			if w := e.do(jsonReq("POST", "/v1/login/code", codeBody("ana@example.com", code))); w.Code != http.StatusOK {
				t.Errorf("the next day: status %d; want 200 (%s)", w.Code, w.Body)
			}
		})
	}
}

// TestSession reads the session by cookie and by Bearer.
func TestSession(t *testing.T) {
	e := newEnv(t)
	e.invite("ana@example.com")
	tok := e.login("ana@example.com")
	// Tampered: the last character changed, whatever it was (always
	// appending "A" changed nothing for one token in 64).
	last := "A"
	if strings.HasSuffix(tok, "A") {
		last = "B"
	}
	tampered := tok[:len(tok)-1] + last
	for _, tc := range []struct {
		name    string
		headers []string
		cookie  *http.Cookie
		want    int
	}{
		{"cookie", nil, &http.Cookie{Name: sessionCookie, Value: tok}, http.StatusOK},
		{"Bearer", []string{"Authorization", "Bearer " + tok}, nil, http.StatusOK},
		{"bearer lower case", []string{"Authorization", "bearer " + tok}, nil, http.StatusOK},
		{"none", nil, nil, http.StatusUnauthorized},
		{"cookie without prefix", nil, &http.Cookie{Name: "pp_session", Value: tok}, http.StatusUnauthorized},
		{"garbage Bearer", []string{"Authorization", "Bearer x"}, nil, http.StatusUnauthorized},
		{"tampered", []string{"Authorization", "Bearer " + tampered}, nil, http.StatusUnauthorized},
		{"Basic", []string{"Authorization", "Basic " + tok}, nil, http.StatusUnauthorized},
		{"API key", []string{"Authorization", "Bearer " + e.key}, nil, http.StatusUnauthorized},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := req("GET", "/v1/session", "", tc.headers...)
			if tc.cookie != nil {
				r.AddCookie(tc.cookie)
			}
			w := e.do(r)
			if tc.want != http.StatusOK {
				checkError(t, w, tc.want, string(login.CodeNoSession))
				return
			}
			if w.Code != http.StatusOK {
				t.Fatalf("status = %d; want 200 (%s)", w.Code, w.Body)
			}
			var out struct {
				Tenant    struct{ ID, Name string }
				Contact   struct{ ID, Email string }
				ExpiresAt time.Time
				Via       string
			}
			decode(t, w.Body.Bytes(), &out)
			if out.Tenant.ID != "acme" || out.Tenant.Name != "Acme" || out.Contact.Email != "ana@example.com" || out.Via != "link" || out.Contact.ID == "" {
				t.Errorf("session = %+v", out)
			}
		})
	}
	e.clock.Advance(30 * 24 * time.Hour)
	checkError(t, e.do(req("GET", "/v1/session", "", "Authorization", "Bearer "+tok)), 401, string(login.CodeNoSession))
}

// TestNoSessionFixation: every login issues a new token and ends the
// session the browser held; a value planted in the cookie is never adopted.
func TestNoSessionFixation(t *testing.T) {
	logins := map[string]func(e *env, old *http.Cookie) *http.Response{
		"link JSON": func(e *env, old *http.Cookie) *http.Response {
			e.requestLogin(`{"identifier":"ana@example.com"}`)
			tok, _ := e.lastLogin()
			r := jsonReq("POST", "/v1/login/redeem", `{"token":`+quote(tok)+`}`)
			r.AddCookie(old)
			return e.do(r).Result()
		},
		"link form": func(e *env, old *http.Cookie) *http.Response {
			e.requestLogin(`{"identifier":"ana@example.com"}`)
			tok, _ := e.lastLogin()
			r := formReq("/v1/login/redeem", url.Values{"token": {tok}}, "Origin", baseURL)
			r.AddCookie(old)
			return e.do(r).Result()
		},
		"code": func(e *env, old *http.Cookie) *http.Response {
			e.requestLogin(`{"identifier":"ana@example.com"}`)
			_, code := e.lastLogin()
			r := jsonReq("POST", "/v1/login/code", codeBody("ana@example.com", code))
			r.AddCookie(old)
			return e.do(r).Result()
		},
	}
	for name, relogin := range logins {
		for _, planted := range []bool{false, true} {
			label := name
			if planted {
				label += ", planted cookie"
			}
			t.Run(label, func(t *testing.T) {
				e := newEnv(t)
				e.invite("ana@example.com")
				old := e.login("ana@example.com")
				if planted {
					old = "acme.c" + strings.Repeat("A", 20) + ".attackerchosenvalue"
				}
				res := relogin(e, &http.Cookie{Name: sessionCookie, Value: old})
				if res.StatusCode != http.StatusOK && res.StatusCode != http.StatusSeeOther {
					t.Fatalf("login: status %d", res.StatusCode)
				}
				var next string
				for _, c := range res.Cookies() {
					if c.Name == sessionCookie {
						next = c.Value
					}
				}
				if next == "" || next == old {
					t.Fatalf("new session token %q; want a new one", next)
				}
				if got := e.sessionStatus(old); got != http.StatusUnauthorized {
					t.Errorf("the old session: %d; want 401", got)
				}
				if got := e.sessionStatus(next); got != http.StatusOK {
					t.Errorf("the new session: %d; want 200", got)
				}
			})
		}
	}
}

// TestLogout ends the session and clears its cookie; a cross-site
// request may not.
func TestLogout(t *testing.T) {
	for _, tc := range []struct {
		name    string
		cookie  bool
		headers []string
		want    int
	}{
		{"cookie", true, nil, http.StatusNoContent},
		{"cookie, same-origin fetch", true, []string{"Sec-Fetch-Site", "same-origin"}, http.StatusNoContent},
		{"Bearer", false, nil, http.StatusNoContent},
		{"Bearer from a portal's backend", false, []string{"Origin", "https://portal.acme.example"}, http.StatusNoContent},
		{"cookie, JSON body", true, []string{"Content-Type", "application/json"}, http.StatusNoContent},
		{"cross-site", true, []string{"Sec-Fetch-Site", "cross-site"}, http.StatusForbidden},
		{"same-site", true, []string{"Sec-Fetch-Site", "same-site"}, http.StatusForbidden},
		{"text/plain", true, []string{"Content-Type", "text/plain"}, http.StatusUnsupportedMediaType},
		// The hosted logout page's form is taken only from that page
		// (TestLogoutPage); with no Origin or Sec-Fetch-Site, never.
		{"form, not from our page", true, []string{"Content-Type", "application/x-www-form-urlencoded"}, http.StatusForbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.invite("ana@example.com")
			tok := e.login("ana@example.com")
			r := req("POST", "/v1/logout", "", tc.headers...)
			if tc.cookie {
				r.AddCookie(&http.Cookie{Name: sessionCookie, Value: tok})
			} else {
				r.Header.Set("Authorization", "Bearer "+tok)
			}
			w := e.do(r)
			if w.Code != tc.want {
				t.Fatalf("status = %d; want %d (%s)", w.Code, tc.want, w.Body)
			}
			if tc.want != http.StatusNoContent {
				if strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
					if !strings.Contains(w.Body.String(), `data-code="forbidden"`) {
						t.Errorf("error page without its code: %s", w.Body)
					}
				} else {
					errorCode(t, w.Body.Bytes())
				}
				if got := e.sessionStatus(tok); got != http.StatusOK {
					t.Errorf("session after a refused logout: %d; want 200", got)
				}
				return
			}
			c := cookie(w, sessionCookie)
			if c == nil || c.Value != "" || c.MaxAge >= 0 {
				t.Errorf("logout cookie = %v; want %s cleared", c, sessionCookie)
			}
			checkError(t, e.do(req("GET", "/v1/session", "", "Authorization", "Bearer "+tok)), 401, string(login.CodeNoSession))
			r = req("GET", "/v1/session", "")
			r.AddCookie(&http.Cookie{Name: sessionCookie, Value: tok})
			checkError(t, e.do(r), 401, string(login.CodeNoSession))
		})
	}
}

// TestLogoutCrossOrigin: a request whose Origin is another site's may not
// end the session, whether or not the browser sends Sec-Fetch-Site.
func TestLogoutCrossOrigin(t *testing.T) {
	e := newEnv(t)
	e.invite("ana@example.com")
	tok := e.login("ana@example.com")
	r := req("POST", "/v1/logout", "", "Origin", "https://evil.example")
	r.AddCookie(&http.Cookie{Name: sessionCookie, Value: tok})
	checkError(t, e.do(r), http.StatusForbidden, string(login.CodeForbidden))
	if got := e.sessionStatus(tok); got != http.StatusOK {
		t.Errorf("session after a cross-site logout: %d; want 200", got)
	}
}
