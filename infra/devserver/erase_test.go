package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/portalpass/portalpass/infra/devserver/server"
	"github.com/portalpass/portalpass/pkg/awstest"
)

// eraseFlow erases a contact that has logged in and checks that nothing
// of it stays readable over the API. sent returns every message sent so
// far to an address or number, in any order.
func eraseFlow(t *testing.T, base string, sent func(to string) []string, email, phone string) {
	c := newClient(t, base)
	var ct struct{ ID string }
	if s := c.do("POST", "/v1/admin/contacts", testKey, map[string]string{"email": email, "phone": phone, "name": "Eve"}, &ct); s != 201 {
		t.Fatalf("create contact = %d", s)
	}
	if s := c.do("PATCH", "/v1/admin/contacts/"+ct.ID, testKey, map[string]string{"portalAccess": "active"}, nil); s != 200 {
		t.Fatalf("activate = %d", s)
	}
	if s := c.do("POST", "/v1/login/request", "", map[string]string{"identifier": email}, nil); s != 202 {
		t.Fatalf("login request = %d", s)
	}
	msgs := sent(email)
	if len(msgs) != 1 {
		t.Fatalf("login emails = %d; want 1", len(msgs))
	}
	m := tokenRe.FindStringSubmatch(msgs[0])
	if m == nil {
		t.Fatalf("no link in the login email")
	}
	var a loginAnswer
	if s := c.do("POST", "/v1/login/redeem", "", map[string]string{"token": m[1]}, &a); s != 200 {
		t.Fatalf("redeem = %d", s)
	}
	if s := c.do("GET", "/v1/session", a.Session.Token, nil, nil); s != 200 {
		t.Fatalf("session before erase = %d", s)
	}
	// The audit held the customer's address and browser before.
	if audit := auditOf(c, ct.ID); !strings.Contains(audit, `"ip"`) || !strings.Contains(audit, `"userAgent"`) {
		t.Fatalf("audit before erase has no ip or userAgent: %s", audit)
	}

	var beta struct {
		APIKey string `json:"apiKey"`
	}
	if s := c.do("POST", "/dev/tenants", "", map[string]string{"id": "erase-beta", "name": "Beta"}, &beta); s != 201 {
		t.Fatalf("second tenant = %d", s)
	}
	if s := c.do("DELETE", "/v1/admin/contacts/"+ct.ID, beta.APIKey, nil, nil); s != 404 {
		t.Errorf("erase with another tenant's key = %d; want 404", s)
	}
	if s := c.do("DELETE", "/v1/admin/contacts/"+ct.ID, "", nil, nil); s != 401 {
		t.Errorf("erase without a key = %d; want 401", s)
	}
	if s := c.do("DELETE", "/v1/admin/contacts/"+ct.ID, testKey, nil, nil); s != 204 {
		t.Fatalf("erase = %d; want 204", s)
	}

	if s := c.do("GET", "/v1/session", a.Session.Token, nil, nil); s != 401 {
		t.Errorf("session after erase = %d; want 401", s)
	}
	if s := c.do("GET", "/v1/admin/contacts/"+ct.ID, testKey, nil, nil); s != 404 {
		t.Errorf("contact after erase = %d; want 404", s)
	}
	var found struct {
		Contacts []struct{ ID string } `json:"contacts"`
	}
	c.do("GET", "/v1/admin/contacts?email="+email, testKey, nil, &found)
	if len(found.Contacts) != 0 {
		t.Errorf("find by email after erase = %+v", found.Contacts)
	}
	audit := auditOf(c, ct.ID)
	if !strings.Contains(audit, "contact.erased") {
		t.Errorf("audit after erase lacks contact.erased: %s", audit)
	}
	for _, gone := range []string{`"ip"`, `"userAgent"`, email, phone} {
		if strings.Contains(audit, gone) {
			t.Errorf("audit after erase still holds %s: %s", gone, audit)
		}
	}
	before := len(sent(email)) + len(sent(phone))
	if s := c.do("POST", "/v1/login/request", "", map[string]string{"identifier": email}, nil); s != 202 {
		t.Errorf("login request after erase = %d; want 202", s)
	}
	if after := len(sent(email)) + len(sent(phone)); after != before {
		t.Errorf("a login request after erase sent %d messages; want none", after-before)
	}
	if s := c.do("DELETE", "/v1/admin/contacts/"+ct.ID, testKey, nil, nil); s != 404 {
		t.Errorf("erase again = %d; want 404", s)
	}
}

// auditOf returns the raw audit of a contact.
func auditOf(c *client, contactID string) string {
	var raw json.RawMessage
	if s := c.do("GET", "/v1/admin/audit?contactId="+contactID, testKey, nil, &raw); s != 200 {
		c.t.Fatalf("audit = %d", s)
	}
	return string(raw)
}

func TestEraseEmbedded(t *testing.T) {
	srv, err := server.Start(context.Background(), server.Options{APIKey: testKey, EmailFrom: "login@example.com", Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	eraseFlow(t, srv.URL, func(to string) []string {
		var out []string
		for _, m := range srv.Inbox.Messages() {
			if m.To == to {
				out = append(out, m.Text)
			}
		}
		return out
	}, "eve@example.com", "+14155550177")
}

func TestEraseMoto(t *testing.T) {
	ep := awstest.Endpoint(t)
	n := os.Getpid()
	srv, err := server.Start(context.Background(), server.Options{
		APIKey: testKey, EmailFrom: "login@example.com", Region: "us-east-1", Logger: quiet,
		DynamoDBEndpoint: ep, SESEndpoint: ep, SNSEndpoint: ep, Table: fmt.Sprintf("devserver-erase-%d", n),
	})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	eraseFlow(t, srv.URL, func(to string) []string {
		var out []string
		if strings.HasPrefix(to, "+") {
			for _, s := range awstest.SentSMS(t, ep, to) {
				out = append(out, s.Message)
			}
			return out
		}
		for _, m := range awstest.SentEmails(t, ep, to) {
			out = append(out, m.Body)
		}
		return out
	}, fmt.Sprintf("eve.%d@example.com", n), fmt.Sprintf("+141555502%02d", n%100))
}
