package httpapi_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/message"
)

var tokenField = regexp.MustCompile(`name="token" value="([^"]+)"`)

// smsLinkEnv is an env with ana, who has a phone on file and asked by
// phone for a login to /invoices/42; it returns the path of the SMS's
// short link and the request cookie.
func smsLinkEnv(t *testing.T) (*env, string, *http.Cookie) {
	t.Helper()
	e := newEnv(t)
	id := e.invite("ana@example.com")
	if w := e.admin("PATCH", "/v1/admin/contacts/"+id, `{"phone":"+14155550123"}`); w.Code != http.StatusOK {
		t.Fatalf("PATCH phone: %d %s", w.Code, w.Body)
	}
	w := e.requestLogin(`{"identifier":"+14155550123","redirect":"/invoices/42"}`)
	m := e.sms.Last()
	u, err := url.Parse(m.Link)
	if err != nil || !strings.HasPrefix(m.Link, baseURL+"/l/t.acme.") {
		t.Fatalf("SMS link %q; want %s/l/t.acme.…", m.Link, baseURL)
	}
	sms := message.SMS(m)
	if host := strings.TrimPrefix(baseURL, "https://"); !strings.HasSuffix(sms, "\n@"+host+" #"+m.Code) {
		t.Errorf("SMS does not end with the origin-bound line of %s:\n%s", host, sms)
	}
	return e, u.Path, cookie(w, requestCookie)
}

// TestShortLinkPage: GET /l/T renders the continue page of the login it
// stands for, consumes nothing, and its form posts the full link, which
// logs in to the attempt's redirect.
func TestShortLinkPage(t *testing.T) {
	e, path, own := smsLinkEnv(t)
	for _, method := range []string{"HEAD", "GET"} {
		r := req(method, path, "")
		r.AddCookie(own)
		w := e.do(r)
		if w.Code != http.StatusOK || w.Header().Get("Cache-Control") != "no-store" || w.Header().Get("Referrer-Policy") != "no-referrer" {
			t.Fatalf("%s %s: %d %q", method, "/l/…", w.Code, w.Header())
		}
		if method == "HEAD" {
			continue
		}
		body := w.Body.String()
		if !strings.Contains(body, `data-auto="1"`) || !strings.Contains(body, "Acme") {
			t.Errorf("continue page lacks the one tap for the browser that asked, or the tenant:\n%s", body)
		}
		m := tokenField.FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("continue page has no token field:\n%s", body)
		}
		full := m[1]
		if strings.HasPrefix(full, "t.") || !strings.HasPrefix(full, "l.acme.") {
			t.Errorf("the page posts %q…; want the full login link", full[:6])
		}
		post := formReq("/v1/login/redeem", url.Values{"token": {full}}, "Origin", baseURL)
		post.AddCookie(own)
		res := e.do(post)
		if res.Code != http.StatusSeeOther || res.Header().Get("Location") != wantPortal {
			t.Fatalf("Continue: %d to %q; want 303 to %s (%s)", res.Code, res.Header().Get("Location"), wantPortal, res.Body)
		}
		if cookie(res, sessionCookie) == nil {
			t.Errorf("Continue set no session cookie")
		}
	}
	// Used: the short link now shows the error page.
	if w := e.do(req("GET", path, "")); w.Code != http.StatusGone {
		t.Errorf("GET /l/… after the login: %d; want 410", w.Code)
	}
}

// TestShortLinkPostedAsIs: the short form itself redeems as JSON.
func TestShortLinkPostedAsIs(t *testing.T) {
	e, path, _ := smsLinkEnv(t)
	w := e.redeemJSON(strings.TrimPrefix(path, "/l/"))
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "/invoices/42") {
		t.Fatalf("redeem short link: %d %s; want 200 to the attempt's redirect", w.Code, w.Body)
	}
}

func TestShortLinkNotValid(t *testing.T) {
	e := newEnv(t)
	for _, path := range []string{"/l/t.acme.c" + strings.Repeat("a", 26) + "." + strings.Repeat("s", 43), "/l/nonsense", "/l/"} {
		w := e.do(req("GET", path, ""))
		if path == "/l/" {
			if w.Code != http.StatusNotFound {
				t.Errorf("GET /l/: %d; want 404", w.Code)
			}
			continue
		}
		if w.Code != http.StatusGone || !strings.Contains(w.Body.String(), string(login.CodeLinkInvalid)) {
			t.Errorf("GET %s: %d; want the 410 link_invalid page", path, w.Code)
		}
	}
}

// TestCodePageFillsItselfIn: the code page asks for a one-time code with
// the numeric keyboard and loads the WebOTP script from our origin.
func TestCodePageFillsItselfIn(t *testing.T) {
	e := newEnv(t)
	w := e.do(formReq("/login", url.Values{"identifier": {"+14155550123"}}, "Origin", baseURL))
	body := w.Body.String()
	for _, want := range []string{`autocomplete="one-time-code"`, `inputmode="numeric"`, `<script src="/assets/otp.js" defer></script>`} {
		if !strings.Contains(body, want) {
			t.Errorf("code page lacks %s:\n%s", want, body)
		}
	}
	js := e.do(req("GET", "/assets/otp.js", ""))
	if js.Code != http.StatusOK || !strings.HasPrefix(js.Header().Get("Content-Type"), "text/javascript") ||
		!strings.Contains(js.Body.String(), "transport: [\"sms\"]") {
		t.Errorf("GET /assets/otp.js: %d %q", js.Code, js.Header().Get("Content-Type"))
	}
}
