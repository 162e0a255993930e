package main

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/portalpass/portalpass/infra/devserver/server"
)

// postRecord posts an events/delivery-events sample to the dev server.
func postRecord(t *testing.T, base, name string, repl *strings.Replacer) int {
	t.Helper()
	b, err := os.ReadFile("../../events/delivery-events/" + name)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Post(base+"/dev/delivery-events", "application/json", bytes.NewReader([]byte(repl.Replace(string(b)))))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestDeliveryEvents walks README's "Delivery feedback locally": bounce
// an address through /dev/delivery-events, request a login for it, read
// the audit, and clear the address.
func TestDeliveryEvents(t *testing.T) {
	srv, err := server.Start(context.Background(), server.Options{APIKey: testKey, EmailFrom: "login@example.com", Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	c := newClient(t, srv.URL)
	const email = "bounce@example.com"
	var inv struct {
		Contact struct{ ID string } `json:"contact"`
	}
	if s := c.do("POST", "/v1/admin/invites", testKey, map[string]string{"email": email}, &inv); s != 201 {
		t.Fatalf("invite = %d", s)
	}
	id := inv.Contact.ID
	repl := strings.NewReplacer("EMAIL", email, "TENANT", "demo", "CONTACT", id)
	if s := postRecord(t, srv.URL, "delivery.json", repl); s != 204 {
		t.Fatalf("delivery record = %d; want 204", s)
	}
	var ct struct {
		EmailStatus string `json:"emailStatus"`
	}
	if c.do("GET", "/v1/admin/contacts/"+id, testKey, nil, &ct); ct.EmailStatus != "ok" {
		t.Errorf("emailStatus after a delivery = %q; want ok", ct.EmailStatus)
	}
	if s := postRecord(t, srv.URL, "bounce-untagged.json", repl); s != 204 {
		t.Fatalf("bounce record = %d; want 204", s)
	}
	if c.do("GET", "/v1/admin/contacts/"+id, testKey, nil, &ct); ct.EmailStatus != "bounced" {
		t.Errorf("emailStatus after a permanent bounce = %q; want bounced", ct.EmailStatus)
	}

	before := len(srv.Inbox.Messages())
	if s := c.do("POST", "/v1/login/request", "", map[string]string{"identifier": email}, nil); s != 202 {
		t.Errorf("login request for a bounced address = %d; want 202", s)
	}
	if n := len(srv.Inbox.Messages()); n != before {
		t.Errorf("a login request for a bounced address sent %d messages", n-before)
	}
	var audit struct {
		Events []struct{ Type string } `json:"events"`
	}
	c.do("GET", "/v1/admin/audit?contactId="+id, testKey, nil, &audit)
	var types []string
	for _, e := range audit.Events {
		types = append(types, e.Type)
	}
	got := strings.Join(types, " ")
	for _, want := range []string{"delivery.delivered", "delivery.bounced", "delivery.suppressed"} {
		if !strings.Contains(got, want) {
			t.Errorf("audit = %s; want %s", got, want)
		}
	}
	var apiErr struct {
		Error struct{ Code string } `json:"error"`
	}
	if s := c.do("POST", "/v1/admin/login-emails", testKey, map[string]string{"contactId": id}, &apiErr); s != 422 || apiErr.Error.Code != "email_undeliverable" {
		t.Errorf("login email to a bounced address = %d %q; want 422 email_undeliverable", s, apiErr.Error.Code)
	}
	if s := c.do("PATCH", "/v1/admin/contacts/"+id, testKey, map[string]string{"emailStatus": "bounced"}, nil); s != 400 {
		t.Errorf("PATCH emailStatus bounced = %d; want 400", s)
	}
	if s := c.do("PATCH", "/v1/admin/contacts/"+id, testKey, map[string]string{"emailStatus": "ok"}, &ct); s != 200 || ct.EmailStatus != "ok" {
		t.Errorf("PATCH emailStatus ok = %d %q; want 200 ok", s, ct.EmailStatus)
	}
	if s := c.do("POST", "/v1/admin/login-emails", testKey, map[string]string{"contactId": id}, nil); s != 202 {
		t.Errorf("login email after clearing = %d; want 202", s)
	}

	for _, body := range []string{`not json`, `{"eventType":"Bounce","mail":{"destination":["a@example.com"]}}`} {
		resp, err := http.Post(srv.URL+"/dev/delivery-events", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 400 {
			t.Errorf("POST /dev/delivery-events %s = %d; want 400", body, resp.StatusCode)
		}
	}
}
