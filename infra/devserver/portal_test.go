package main

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/portalpass/portalpass/infra/devserver/server"
)

// TestPortalStandIn: the dev portal stand-in names the tenant of the
// session (never "Demo" after picking another tenant) and links to the
// hosted logout page, which logs the browser out.
func TestPortalStandIn(t *testing.T) {
	srv, err := server.Start(context.Background(), server.Options{APIKey: testKey, EmailFrom: "login@example.com", Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	c := newClient(t, srv.URL)
	var acme struct {
		APIKey string `json:"apiKey"`
	}
	if s := c.do("POST", "/dev/tenants", "", map[string]string{"id": "acme", "name": "Acme"}, &acme); s != 201 {
		t.Fatalf("create acme = %d", s)
	}
	if s := c.do("POST", "/v1/admin/invites", acme.APIKey, map[string]string{"email": "ana@example.com"}, nil); s != 201 {
		t.Fatalf("invite = %d", s)
	}
	if s := c.do("POST", "/v1/login/request", "", map[string]string{"identifier": "ana@example.com"}, nil); s != 202 {
		t.Fatalf("request = %d", s)
	}
	tok := tokenRe.FindStringSubmatch(srv.Inbox.Messages()[0].Text)[1]
	if s := c.do("POST", "/v1/login/redeem", "", map[string]string{"token": tok}, nil); s != 200 {
		t.Fatalf("redeem = %d", s)
	}

	get := func(path string) string {
		t.Helper()
		resp, err := c.http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	page := get("/portal")
	for _, want := range []string{"<title>Acme portal</title>", "<h1>Acme portal</h1>", "Logged in to <strong>Acme</strong>", `href="/logout"`} {
		if !strings.Contains(page, want) {
			t.Errorf("portal lacks %q:\n%s", want, page)
		}
	}
	if strings.Contains(page, "Demo") {
		t.Errorf("portal of an Acme session says Demo:\n%s", page)
	}

	if logout := get("/logout"); !strings.Contains(logout, "Log out of Acme?") {
		t.Fatalf("logout page:\n%s", logout)
	}
	req, _ := http.NewRequest("POST", srv.URL+"/v1/logout", strings.NewReader("tenant=acme"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", srv.URL)
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/logout?tenant=acme" {
		t.Fatalf("logout form = %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if page := get("/portal"); !strings.Contains(page, "Not logged in") {
		t.Errorf("portal after logout:\n%s", page)
	}
}
