package login_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/portalpass/portalpass/pkg/login"
)

// TestLogoutRecordsOnlyAnEndedSession: a logout event is written when a
// live session ends, not for a well-formed token that names no session
// (any tenant's, forged), an expired one or one already ended.
func TestLogoutRecordsOnlyAnEndedSession(t *testing.T) {
	w := newWorld(t)
	w.tenant(t, "acme", nil)
	w.tenant(t, "beta", nil)
	ana := w.contact(t, "acme", "ana@example.com", "")
	bo := w.contact(t, "beta", "bo@example.com", "")
	ctx := context.Background()
	login1 := func(who string) string {
		t.Helper()
		w.request(t, login.LoginRequest{Identifier: email(who)})
		out, err := w.svc.LoginWithCode(ctx, login.CodeLogin{Identifier: email(who), Code: w.email.Last().Code}, login.LoginOpts{})
		if err != nil || out.Session == nil {
			t.Fatalf("code login of %s = %+v, %v", who, out, err)
		}
		return out.Session.Token
	}
	logouts := func() map[string]int {
		got := map[string]int{}
		for _, ev := range w.store.Events() {
			if ev.Type == login.EventLogout {
				got[ev.TenantID]++
			}
		}
		return got
	}
	secret := strings.Repeat("A", 43)
	forged := []string{
		"s.beta." + bo.ID + "." + secret, // a real contact, no session
		"s.acme." + ana.ID + "." + secret,
		"s.nosuch.c" + strings.Repeat("a", 26) + "." + secret, // no such tenant
	}
	for _, tok := range forged {
		if err := w.svc.Logout(ctx, tok, login.Meta{}); err != nil {
			t.Fatalf("Logout(forged): %v", err)
		}
	}
	if got := logouts(); len(got) != 0 {
		t.Fatalf("logout events after forged tokens = %v; want none", got)
	}
	tok := login1("ana@example.com")
	for range 2 {
		if err := w.svc.Logout(ctx, tok, login.Meta{}); err != nil {
			t.Fatalf("Logout: %v", err)
		}
	}
	if got := logouts(); got["acme"] != 1 || len(got) != 1 {
		t.Errorf("logout events after logging out twice = %v; want one in acme", got)
	}
	old := login1("bo@example.com")
	w.clock.Advance(31 * 24 * time.Hour) // past the session's 30 days
	if err := w.svc.Logout(ctx, old, login.Meta{}); err != nil {
		t.Fatalf("Logout(expired): %v", err)
	}
	if got := logouts(); got["beta"] != 0 {
		t.Errorf("logout events after an expired session's logout = %v; want none in beta", got)
	}
}
