package main

import (
	"context"
	"testing"
	"time"

	"github.com/portalpass/portalpass/infra/devserver/server"
)

// TestRequestFloorFirstRequest: the first login request a dev server
// answers, for a known, an unknown and a disabled address alike, takes at
// least the floor (issue 10: an estimate of send times started at zero,
// so a new container answered unknown addresses fast).
func TestRequestFloorFirstRequest(t *testing.T) {
	const floor = 300 * time.Millisecond
	for _, kind := range []string{"known", "unknown", "disabled"} {
		srv, err := server.Start(context.Background(), server.Options{APIKey: testKey, EmailFrom: "login@example.com", Logger: quiet, RequestFloor: floor})
		if err != nil {
			t.Fatal(err)
		}
		c := newClient(t, srv.URL)
		const email = "ana@example.com"
		if kind != "unknown" {
			var inv struct {
				Contact struct{ ID string } `json:"contact"`
			}
			if s := c.do("POST", "/v1/admin/invites", testKey, map[string]string{"email": email}, &inv); s != 201 {
				t.Fatalf("invite = %d", s)
			}
			if kind == "disabled" {
				if s := c.do("PATCH", "/v1/admin/contacts/"+inv.Contact.ID, testKey, map[string]string{"portalAccess": "disabled"}, nil); s != 200 {
					t.Fatalf("disable = %d", s)
				}
			}
		}
		sentBefore := len(srv.Inbox.Messages())
		t0 := time.Now()
		if s := c.do("POST", "/v1/login/request", "", map[string]string{"identifier": email}, nil); s != 202 {
			t.Fatalf("%s: request = %d", kind, s)
		}
		if took := time.Since(t0); took < floor {
			t.Errorf("%s: the first login request took %v; want at least the floor, %v", kind, took, floor)
		}
		sent := len(srv.Inbox.Messages()) - sentBefore
		if want := map[bool]int{true: 1, false: 0}[kind == "known"]; sent != want {
			t.Errorf("%s: %d messages sent; want %d", kind, sent, want)
		}
		srv.Close()
	}
}
