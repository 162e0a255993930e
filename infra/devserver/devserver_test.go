package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/portalpass/portalpass/infra/devserver/server"
	"github.com/portalpass/portalpass/pkg/awstest"
)

func TestMain(m *testing.M) { awstest.Main(m) }

const testKey = "ppk_dev_test_key_0123456789"

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// client talks to a dev server as curl would.
type client struct {
	t    *testing.T
	base string
	http *http.Client
}

func newClient(t *testing.T, base string) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, base: base, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// do sends a JSON request and decodes a JSON answer into out (if not nil).
func (c *client) do(method, path, key string, body any, out any) int {
	c.t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, c.base+path, r)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if out != nil && len(b) > 0 {
		if err := json.Unmarshal(b, out); err != nil {
			c.t.Fatalf("%s %s: %d %q: %v", method, path, resp.StatusCode, b, err)
		}
	}
	return resp.StatusCode
}

type loginAnswer struct {
	Session struct {
		Token string `json:"token"`
		Via   string `json:"via"`
	} `json:"session"`
	Redirect string `json:"redirect"`
	Next     string `json:"next"`
}

var (
	tokenRe = regexp.MustCompile(`token=([A-Za-z0-9._-]+)`)
	codeRe  = regexp.MustCompile(`code(?: is|:) ([0-9]{4,8})`)
)

// flow runs the README's walkthrough against a dev server. sent returns
// the newest message text to an address or number.
func flow(t *testing.T, base string, sent func(to string) string, email, phone string) {
	c := newClient(t, base)
	var inv struct {
		Contact struct{ ID string } `json:"contact"`
	}
	if s := c.do("POST", "/v1/admin/invites", testKey, map[string]string{"email": email, "name": "Ana"}, &inv); s != 201 {
		t.Fatalf("invite = %d", s)
	}
	if s := c.do("PATCH", "/v1/admin/contacts/"+inv.Contact.ID, testKey, map[string]string{"phone": phone}, nil); s != 200 {
		t.Fatalf("add phone = %d", s)
	}

	// By link, by email.
	if s := c.do("POST", "/v1/login/request", "", map[string]string{"identifier": email, "redirect": "/invoices/42"}, nil); s != 202 {
		t.Fatalf("request = %d", s)
	}
	token := tokenRe.FindStringSubmatch(sent(email))[1]
	var a loginAnswer
	if s := c.do("POST", "/v1/login/redeem", "", map[string]string{"token": token}, &a); s != 200 || a.Redirect != base+"/portal/invoices/42" || a.Session.Via != "link" {
		t.Fatalf("redeem = %d %+v", s, a)
	}
	var who struct {
		Contact struct{ Email string } `json:"contact"`
	}
	if s := c.do("GET", "/v1/session", a.Session.Token, nil, &who); s != 200 || who.Contact.Email != email {
		t.Fatalf("session = %d %+v", s, who)
	}

	// By code, by phone: the SMS carries link and code.
	if s := c.do("POST", "/v1/login/request", "", map[string]string{"identifier": phone}, nil); s != 202 {
		t.Fatalf("request by phone = %d", s)
	}
	code := codeRe.FindStringSubmatch(sent(phone))[1]
	if s := c.do("POST", "/v1/login/code", "", map[string]string{"identifier": phone, "code": code}, &a); s != 200 || a.Session.Via != "code" {
		t.Fatalf("code login = %d %+v", s, a)
	}

	// Across two tenants: the picker.
	var beta struct {
		APIKey string `json:"apiKey"`
	}
	if s := c.do("POST", "/dev/tenants", "", map[string]string{"id": "beta", "name": "Beta"}, &beta); s != 201 {
		t.Fatalf("dev tenant = %d", s)
	}
	if s := c.do("POST", "/v1/admin/invites", beta.APIKey, map[string]string{"email": email}, nil); s != 201 {
		t.Fatalf("invite in beta = %d", s)
	}
	c.do("POST", "/v1/login/request", "", map[string]string{"identifier": email}, nil)
	token = tokenRe.FindStringSubmatch(sent(email))[1]
	if s := c.do("POST", "/v1/login/redeem", "", map[string]string{"token": token}, &a); s != 200 || a.Next != "select_tenant" {
		t.Fatalf("multi-tenant redeem = %d %+v", s, a)
	}
	if s := c.do("POST", "/v1/login/tenants", "", map[string]string{"tenant": "beta"}, &a); s != 200 || !strings.HasPrefix(a.Session.Token, "s.beta.") {
		t.Fatalf("pick = %d %+v", s, a)
	}
	if s := c.do("POST", "/v1/logout", a.Session.Token, nil, nil); s != 204 {
		t.Fatalf("logout = %d", s)
	}
	if s := c.do("GET", "/v1/session", a.Session.Token, nil, nil); s != 401 {
		t.Fatalf("session after logout = %d", s)
	}
}

func TestEmbedded(t *testing.T) {
	srv, err := server.Start(context.Background(), server.Options{APIKey: testKey, EmailFrom: "login@example.com", Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	flow(t, srv.URL, func(to string) string {
		var box struct {
			Messages []struct{ To, Text string } `json:"messages"`
		}
		newClient(t, srv.URL).do("GET", "/dev/inbox", "", nil, &box)
		for _, m := range box.Messages {
			if m.To == to {
				return m.Text
			}
		}
		t.Fatalf("no message to %s in the dev inbox", to)
		return ""
	}, "ana@example.com", "+14155550123")
}

// TestMoto runs the same walkthrough with DynamoDB, SES and SNS on moto,
// reading what was sent back from moto.
func TestMoto(t *testing.T) {
	ep := awstest.Endpoint(t)
	n := os.Getpid()
	srv, err := server.Start(context.Background(), server.Options{
		APIKey: testKey, EmailFrom: "login@example.com", Region: "us-east-1", Logger: quiet,
		DynamoDBEndpoint: ep, SESEndpoint: ep, SNSEndpoint: ep, Table: fmt.Sprintf("devserver-%d", n),
	})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	email := fmt.Sprintf("ana.dev.%d@example.com", n)
	phone := fmt.Sprintf("+141555501%02d", n%100)
	flow(t, srv.URL, func(to string) string {
		if strings.HasPrefix(to, "+") {
			if s := awstest.SentSMS(t, ep, to); len(s) > 0 {
				return s[len(s)-1].Message
			}
		} else if m := awstest.SentEmails(t, ep, to); len(m) > 0 {
			return m[len(m)-1].Body
		}
		t.Fatalf("moto sent nothing to %s", to)
		return ""
	}, email, phone)
}
