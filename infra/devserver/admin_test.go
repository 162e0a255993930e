package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/portalpass/portalpass/infra/devserver/server"
	"github.com/portalpass/portalpass/pkg/awstest"
)

// adminFlow is issue 4's walkthrough: what support staff do from the
// dashboard, against a dev server. sent returns the newest message to an
// address or number.
func adminFlow(t *testing.T, base string, sent func(to string) string, email string) {
	c := newClient(t, base)
	var beta struct {
		APIKey string `json:"apiKey"`
	}
	if s := c.do("POST", "/dev/tenants", "", map[string]string{"id": "beta", "name": "Beta"}, &beta); s != 201 {
		t.Fatalf("second tenant = %d", s)
	}
	var ct struct {
		ID string `json:"id"`
	}
	if s := c.do("POST", "/v1/admin/contacts", testKey, map[string]string{"email": email, "name": "Zoë Quinn"}, &ct); s != 201 {
		t.Fatalf("create contact = %d", s)
	}
	// Find by a prefix of the name, case-insensitively; not from another tenant.
	var found struct {
		Contacts []struct{ ID string } `json:"contacts"`
	}
	c.do("GET", "/v1/admin/contacts?q=zo", testKey, nil, &found)
	if len(found.Contacts) != 1 || found.Contacts[0].ID != ct.ID {
		t.Errorf("search by name prefix = %+v", found)
	}
	c.do("GET", "/v1/admin/contacts?q=zo", beta.APIKey, nil, &found)
	if len(found.Contacts) != 0 {
		t.Errorf("another tenant's search found %+v", found)
	}
	if s := c.do("GET", "/v1/admin/contacts/"+ct.ID, beta.APIKey, nil, nil); s != 404 {
		t.Errorf("another tenant's key reads the contact: %d", s)
	}
	// No portal access yet: no link.
	if s := c.do("POST", "/v1/admin/links", testKey, map[string]string{"contactId": ct.ID}, nil); s != 422 {
		t.Errorf("link without portal access = %d; want 422", s)
	}
	c.do("PATCH", "/v1/admin/contacts/"+ct.ID, testKey, map[string]string{"portalAccess": "active"}, nil)

	// A link to paste into a support reply, redeemed.
	var link struct{ URL string }
	if s := c.do("POST", "/v1/admin/links", testKey, map[string]string{"contactId": ct.ID, "send": "none", "redirect": "/tickets/7"}, &link); s != 201 {
		t.Fatalf("generate link = %d", s)
	}
	var a loginAnswer
	tok := link.URL[strings.Index(link.URL, "token=")+6:]
	if s := c.do("POST", "/v1/login/redeem", "", map[string]string{"token": tok}, &a); s != 200 || !strings.HasSuffix(a.Redirect, "/portal/tickets/7") {
		t.Fatalf("redeem generated link = %d %+v", s, a)
	}
	session := a.Session.Token

	// A recovery link sent by email, and a login email resent.
	if s := c.do("POST", "/v1/admin/links", testKey, map[string]string{"contactId": ct.ID, "send": "email", "purpose": "recovery"}, nil); s != 201 {
		t.Fatalf("recovery link = %d", s)
	}
	if m := sent(email); !strings.Contains(m, "recovery") && !strings.Contains(m, "Recovery") {
		t.Errorf("recovery email = %q", m)
	}
	if s := c.do("POST", "/v1/admin/login-emails", testKey, map[string]string{"contactId": ct.ID}, nil); s != 202 {
		t.Fatalf("login email = %d", s)
	}

	// An action link followed twice, revoked by ref, then refused.
	var al struct{ ID, URL string }
	if s := c.do("POST", "/v1/admin/action-links", testKey, map[string]string{"contactId": ct.ID, "redirect": "/invoices/42", "ref": "invoice-42"}, &al); s != 201 {
		t.Fatalf("action link = %d", s)
	}
	path := al.URL[len(base):]
	for i := 0; i < 2; i++ {
		if s := newClient(t, base).get(path); s != http.StatusSeeOther {
			t.Fatalf("action link use %d = %d; want 303", i+1, s)
		}
	}
	var rev struct{ Revoked int }
	c.do("POST", "/v1/admin/action-links/revoke", testKey, map[string]string{"ref": "invoice-42"}, &rev)
	if rev.Revoked != 1 {
		t.Errorf("revoked = %d; want 1", rev.Revoked)
	}
	if s := newClient(t, base).get(path); s != http.StatusGone {
		t.Errorf("revoked action link = %d; want 410", s)
	}

	// The audit trail of that contact, newest first, holds the login.
	var audit struct {
		Events []struct{ Type string } `json:"events"`
	}
	c.do("GET", "/v1/admin/audit?contactId="+ct.ID, testKey, nil, &audit)
	var types []string
	for _, e := range audit.Events {
		types = append(types, e.Type)
	}
	for _, want := range []string{"link.generated", "login.redeemed", "session.created", "action_link.used", "login_email.sent"} {
		if !strings.Contains(strings.Join(types, ","), want) {
			t.Errorf("audit of the contact lacks %s: %v", want, types)
		}
	}

	c.do("GET", "/v1/admin/audit?type=action_link.revoked", testKey, nil, &audit)
	if len(audit.Events) != 1 {
		t.Errorf("tenant audit of action_link.revoked = %+v", audit.Events)
	}

	// Revoke the sessions; then disable the contact: its links die too.
	var n struct{ Revoked int }
	c.do("POST", "/v1/admin/sessions/revoke", testKey, map[string]string{"contactId": ct.ID}, &n)
	if n.Revoked < 1 {
		t.Errorf("sessions revoked = %d", n.Revoked)
	}
	if s := c.do("GET", "/v1/session", session, nil, nil); s != 401 {
		t.Errorf("session after revoke = %d", s)
	}
	c.do("POST", "/v1/admin/links", testKey, map[string]string{"contactId": ct.ID}, &link)
	c.do("PATCH", "/v1/admin/contacts/"+ct.ID, testKey, map[string]string{"portalAccess": "disabled"}, nil)
	tok = link.URL[strings.Index(link.URL, "token=")+6:]
	if s := c.do("POST", "/v1/login/redeem", "", map[string]string{"token": tok}, nil); s != 410 {
		t.Errorf("link of a disabled contact = %d; want 410", s)
	}
	c.do("PATCH", "/v1/admin/contacts/"+ct.ID, testKey, map[string]string{"portalAccess": "active"}, nil)

	// Four-digit codes after a settings change.
	if s := c.do("PATCH", "/v1/admin/settings", testKey, map[string]int{"codeLength": 4}, nil); s != 200 {
		t.Fatalf("settings = %d", s)
	}
	if s := c.do("PATCH", "/v1/admin/settings", testKey, map[string]int{"codeLength": 9}, nil); s != 400 {
		t.Errorf("codeLength 9 = %d; want 400", s)
	}
	c.do("POST", "/v1/login/request", "", map[string]string{"identifier": email}, nil)
	if code := codeRe.FindStringSubmatch(sent(email)); code == nil || len(code[1]) != 4 {
		t.Errorf("code after codeLength 4 = %v", code)
	}
	var pl struct{ URL string }
	c.do("GET", "/v1/admin/portal-link", testKey, nil, &pl)
	if pl.URL != base+"/p/demo" {
		t.Errorf("portal link = %q", pl.URL)
	}
}

// get sends a GET and returns the status.
func (c *client) get(path string) int {
	c.t.Helper()
	resp, err := c.http.Get(c.base + path)
	if err != nil {
		c.t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestAdminEmbedded(t *testing.T) {
	srv, err := server.Start(context.Background(), server.Options{APIKey: testKey, EmailFrom: "login@example.com", Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	adminFlow(t, srv.URL, func(to string) string {
		for _, m := range srv.Inbox.Messages() {
			if m.To == to {
				return m.Subject + "\n" + m.Text
			}
		}
		t.Fatalf("no message to %s", to)
		return ""
	}, "zoe@example.com")
}

func TestAdminMoto(t *testing.T) {
	ep := awstest.Endpoint(t)
	n := os.Getpid()
	srv, err := server.Start(context.Background(), server.Options{
		APIKey: testKey, EmailFrom: "login@example.com", Region: "us-east-1", Logger: quiet,
		DynamoDBEndpoint: ep, SESEndpoint: ep, SNSEndpoint: ep, Table: fmt.Sprintf("devserver-admin-%d", n),
	})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	email := fmt.Sprintf("zoe.%d@example.com", n)
	adminFlow(t, srv.URL, func(to string) string {
		if m := awstest.SentEmails(t, ep, to); len(m) > 0 {
			return m[len(m)-1].Subject + "\n" + m[len(m)-1].Body
		}
		t.Fatalf("moto sent nothing to %s", to)
		return ""
	}, email)
}
