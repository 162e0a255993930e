package login_test

import (
	"testing"

	"github.com/portalpass/portalpass/pkg/login"
)

// TestEventTypesOfAPI: every type API.md lists is known, spelt as there.
func TestEventTypesOfAPI(t *testing.T) {
	for _, typ := range []string{
		"login.requested", "link.generated", "invite.sent", "login_email.sent", "delivery.failed",
		"login.redeemed", "login.failed", "code.failed", "session.created", "session.revoked", "logout",
		"tenant.selected", "contact.created", "contact.updated", "action_link.created", "action_link.used",
		"action_link.revoked", "delivery.delivered", "delivery.bounced", "delivery.complained",
		"delivery.delayed", "delivery.rejected", "delivery.suppressed",
	} {
		if !login.EventType(typ).Known() {
			t.Errorf("EventType(%q).Known() = false; want true", typ)
		}
	}
	for _, typ := range []string{"", "nope", "Logout", "login.requested "} {
		if login.EventType(typ).Known() {
			t.Errorf("EventType(%q).Known() = true; want false", typ)
		}
	}
}
