package main

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/portalpass/portalpass/infra/devserver/server"
)

var (
	shortLinkRe  = regexp.MustCompile(`https?://[^\s]+/l/([A-Za-z0-9._-]+)`)
	tokenFieldRe = regexp.MustCompile(`name="token" value="([^"]+)"`)
)

// TestSMSShortLink logs in as a person would from an SMS: the login form
// by phone, the SMS read from /dev/inbox, its /l/ link opened, Continue
// pressed; the session lands on the attempt's redirect.
func TestSMSShortLink(t *testing.T) {
	srv, err := server.Start(context.Background(), server.Options{APIKey: testKey, EmailFrom: "login@example.com", Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	c := newClient(t, srv.URL)
	var inv struct {
		Contact struct{ ID string } `json:"contact"`
	}
	if s := c.do("POST", "/v1/admin/invites", testKey, map[string]string{"email": "ana@example.com"}, &inv); s != 201 {
		t.Fatalf("invite = %d", s)
	}
	if s := c.do("PATCH", "/v1/admin/contacts/"+inv.Contact.ID, testKey, map[string]string{"phone": "+14155550123"}, nil); s != 200 {
		t.Fatalf("add phone = %d", s)
	}
	// The hosted login page's form, by phone, to /invoices/42.
	form := func(path string, v url.Values) *http.Response {
		t.Helper()
		req, _ := http.NewRequest("POST", srv.URL+path, strings.NewReader(v.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", srv.URL)
		resp, err := c.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	if resp := form("/login", url.Values{"identifier": {"+1 415 555 0123"}, "tenant": {"demo"}, "redirect": {"/invoices/42"}}); resp.StatusCode != 200 {
		t.Fatalf("POST /login = %d", resp.StatusCode)
	}
	var box struct {
		Messages []struct{ Channel, To, Text string } `json:"messages"`
	}
	c.do("GET", "/dev/inbox", "", nil, &box)
	var sms string
	for _, m := range box.Messages {
		if m.Channel == "sms" && m.To == "+14155550123" {
			sms = m.Text
			break
		}
	}
	u, _ := url.Parse(srv.URL)
	code := codeRe.FindStringSubmatch(sms)
	if code == nil || !strings.HasSuffix(sms, "\n@"+u.Hostname()+" #"+code[1]) {
		t.Fatalf("SMS does not end with the origin-bound line @%s #<code>:\n%s", u.Hostname(), sms)
	}
	link := shortLinkRe.FindString(sms)
	if link == "" || !strings.HasPrefix(link, srv.URL+"/l/t.demo.") {
		t.Fatalf("SMS holds no short link of the dev server:\n%s", sms)
	}
	resp, err := c.http.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := tokenFieldRe.FindStringSubmatch(string(page))
	if resp.StatusCode != 200 || m == nil {
		t.Fatalf("GET /l/… = %d, no Continue form:\n%s", resp.StatusCode, page)
	}
	resp = form("/v1/login/redeem", url.Values{"token": {m[1]}})
	if want := srv.URL + "/portal/invoices/42"; resp.StatusCode != 303 || resp.Header.Get("Location") != want {
		t.Fatalf("Continue = %d to %q; want 303 to %s", resp.StatusCode, resp.Header.Get("Location"), want)
	}
	var who struct {
		Contact struct{ Phone string } `json:"contact"`
	}
	if s := c.do("GET", "/v1/session", "", nil, &who); s != 200 || who.Contact.Phone != "+14155550123" {
		t.Fatalf("session from the cookie = %d %+v", s, who)
	}
	// Single use: the link now shows the error page.
	if resp, _ := c.http.Get(link); resp.StatusCode != 410 {
		t.Errorf("GET /l/… again = %d; want 410", resp.StatusCode)
	}
}
