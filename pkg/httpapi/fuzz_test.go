package httpapi_test

import (
	"bytes"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/portalpass/portalpass/pkg/httpapi"
	"github.com/portalpass/portalpass/pkg/login"
)

// FuzzLoginRequestBody feeds arbitrary bytes as the JSON body of a login
// request: the answer is 202 {"status":"sent"} or an exact JSON error whose
// code maps to its status, never a 5xx; a body taken is valid UTF-8 with
// no repeated key and each key spelled as API.md spells it.
func FuzzLoginRequestBody(f *testing.F) {
	for _, s := range []string{
		`{"identifier":"ana@example.com"}`,
		`{"identifier":"ana@example.com","tenant":"acme","redirect":"/invoices/42","channel":"sms"}`,
		`{"identifier":"+14155550123","channel":"email"}`,
		`{"identifier":"ana@example.com","codeChallenge":"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"}`,
		`{"identifier":"ana＠example.com"}`,
		`{"identifier":"ana@example.com\r\nBcc: x@example.com"}`,
		`{"identifier":"ana@example.com","redirect":"//evil.com"}`,
		`{"identifier":"ana@example.com","redirect":"/%2f%2fevil"}`,
		`{"identifier":"ana@example.com","tenant":"ACME!"}`,
		`{"identifier":"ana@example.com"}{}`,
		`{"identifier":5}`,
		`{"identifier":"a@b.c","identifier":"d@e.f"}`,
		`{"identifier":"\ud800@example.com"}`,
		"{\"identifier\":\"\xff@example.com\"}",
		`{"IDENTIFIER":"ana@example.com"}`, `{"identifier":"ana@example.com","\u0069dentifier":"ana@example.com"}`,
		`{"\u0069dentifier":"ana@example.com"}`, "{\"identifier\":\"ana@example.com\",\"\u017fenant\":\"acme\"}",
		`{"identifier":"ana@example.com","tenant":"acme","tenant":"acme"}`, `{"identifier":"ana@example.com","tenant":"acme\ud800"}`,
		"{\"identifier\":\"ana@example.com\",\"tenant\":\"acme\xc0\xaf\"}",
		`[`, `null`, ``, `{}`, `"x"`, `{"identifier":null,"tenant":null}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		e := newEnv(t)
		e.invite("ana@example.com")
		w := e.do(req("POST", "/v1/login/request", string(body), "Content-Type", "application/json"))
		if w.Code >= 500 {
			t.Fatalf("body %q: status %d (%s)", body, w.Code, w.Body)
		}
		if w.Code == http.StatusAccepted {
			if got := w.Body.String(); got != "{\"status\":\"sent\"}\n" {
				t.Fatalf("body %q: 202 with %q", body, got)
			}
			if cookie(w, requestCookie) == nil {
				t.Fatalf("body %q: 202 without the login-request cookie", body)
			}
			if p := strictProblem(body, "identifier", "tenant", "redirect", "channel", "codeChallenge"); p != "" {
				t.Fatalf("body %q: 202 with %s", body, p)
			}
			return
		}
		code, problem := parseError(w.Body.Bytes())
		if problem != "" {
			t.Fatalf("body %q: status %d with a bad error body %q: %s", body, w.Code, w.Body, problem)
		}
		if httpapi.StatusOf(login.Code(code)) != w.Code {
			t.Fatalf("body %q: code %q with status %d", body, code, w.Code)
		}
	})
}

var dataCode = regexp.MustCompile(`data-code="([a-z_]+)"`)

// FuzzRedeemForm feeds arbitrary bytes as the form body of a same-origin
// redeem ("VALID" stands for a live token): the answer is 303 to the portal
// or an error page whose code maps to its status, never a 5xx.
func FuzzRedeemForm(f *testing.F) {
	for _, s := range []string{
		"token=VALID", "token=VALID&token=VALID", "token=VALID&x=1", "token=VALID%00", "token=VALID;x=1",
		"token=%VALID", "token=VALI", "token=", "", "=", "&&&", "token", "token=VALID&", "%zz=1",
		"token=" + strings.Repeat("A", 100), "token=l.acme.c.l..x", "token=m..x", "TOKEN=VALID", "token=VALID+",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		e := newEnv(t)
		e.invite("ana@example.com")
		e.requestLogin(`{"identifier":"ana@example.com","redirect":"/invoices/42"}`)
		tok, _ := e.lastLogin()
		b := string(bytes.ReplaceAll(body, []byte("VALID"), []byte(tok)))
		w := e.do(req("POST", "/v1/login/redeem", b, "Content-Type", "application/x-www-form-urlencoded", "Origin", baseURL))
		switch {
		case w.Code >= 500:
			t.Fatalf("body %q: status %d (%s)", body, w.Code, w.Body)
		case w.Code == http.StatusSeeOther:
			if got := w.Header().Get("Location"); got != wantPortal {
				t.Fatalf("body %q: 303 to %q; want %q", body, got, wantPortal)
			}
			if c := cookie(w, sessionCookie); c == nil || c.Value == "" {
				t.Fatalf("body %q: 303 without a session", body)
			}
		default:
			m := dataCode.FindStringSubmatch(w.Body.String())
			if m == nil || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
				t.Fatalf("body %q: status %d without an error page (%s)", body, w.Code, w.Body)
			}
			if httpapi.StatusOf(login.Code(m[1])) != w.Code {
				t.Fatalf("body %q: code %q with status %d", body, m[1], w.Code)
			}
		}
	})
}
