package main

import (
	"context"
	"net/http"
	"testing"

	"github.com/portalpass/portalpass/infra/devserver/server"
)

// TestScannerThenBrowser is the mail scanner that presses buttons, on the
// dev server: browser A asks for a link (and keeps the login-request
// cookie); a second client without that cookie redeems the link first;
// browser A then still finishes its login, once, and the other client's
// session is ended. Every other client finds the link used.
func TestScannerThenBrowser(t *testing.T) {
	srv, err := server.Start(context.Background(), server.Options{APIKey: testKey, EmailFrom: "login@example.com", Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	browser, scanner, other := newClient(t, srv.URL), newClient(t, srv.URL), newClient(t, srv.URL)
	if s := browser.do("POST", "/v1/admin/invites", testKey, map[string]string{"email": "ana@example.com"}, nil); s != 201 {
		t.Fatalf("invite = %d", s)
	}
	if s := browser.do("POST", "/v1/login/request", "", map[string]string{"identifier": "ana@example.com"}, nil); s != 202 {
		t.Fatalf("request = %d", s)
	}
	token := tokenRe.FindStringSubmatch(srv.Inbox.Messages()[0].Text)[1] // newest first: the login email

	// The scanner opens the page and presses Continue.
	if s := scanner.do("GET", "/v1/login/redeem?token="+token, "", nil, nil); s != http.StatusOK {
		t.Fatalf("scanner's GET = %d; want 200 (GET consumes nothing)", s)
	}
	var a loginAnswer
	if s := scanner.do("POST", "/v1/login/redeem", "", map[string]string{"token": token}, &a); s != http.StatusOK {
		t.Fatalf("scanner's redeem = %d", s)
	}
	if s := scanner.do("GET", "/v1/session", "", nil, nil); s != http.StatusOK {
		t.Fatalf("scanner's session before browser A = %d; want 200", s)
	}

	// Any other client finds the link used, the page and the button alike.
	if s := other.do("GET", "/v1/login/redeem?token="+token, "", nil, nil); s != http.StatusGone {
		t.Errorf("another client's GET = %d; want 410", s)
	}
	if s := other.do("POST", "/v1/login/redeem", "", map[string]string{"token": token}, nil); s != http.StatusGone {
		t.Errorf("another client's redeem = %d; want 410", s)
	}

	// Browser A, holding the request cookie, gets the page and logs in.
	if s := browser.do("GET", "/v1/login/redeem?token="+token, "", nil, nil); s != http.StatusOK {
		t.Errorf("browser A's GET = %d; want 200", s)
	}
	var b loginAnswer
	if s := browser.do("POST", "/v1/login/redeem", "", map[string]string{"token": token}, &b); s != http.StatusOK || b.Session.Via != "link" {
		t.Fatalf("browser A's redeem = %d %+v; want 200 and a session", s, b)
	}
	if s := browser.do("GET", "/v1/session", "", nil, nil); s != http.StatusOK {
		t.Errorf("browser A's session = %d; want 200", s)
	}
	if s := scanner.do("GET", "/v1/session", "", nil, nil); s != http.StatusUnauthorized {
		t.Errorf("scanner's session after browser A = %d; want 401", s)
	}

	// The exception is single use.
	if s := browser.do("POST", "/v1/login/redeem", "", map[string]string{"token": token}, nil); s != http.StatusGone {
		t.Errorf("browser A's second redeem = %d; want 410", s)
	}

	var audit struct {
		Events []struct {
			Detail map[string]string `json:"detail"`
		} `json:"events"`
	}
	browser.do("GET", "/v1/admin/audit?type=login.redeemed", testKey, nil, &audit)
	if len(audit.Events) != 2 || audit.Events[0].Detail["scanner"] != "exception" || audit.Events[1].Detail["scanner"] != "" {
		t.Errorf("login.redeemed audit = %+v; want browser A's with scanner=exception, then the scanner's", audit.Events)
	}
}
