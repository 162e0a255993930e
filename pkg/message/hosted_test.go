package message_test

import (
	"testing"

	"github.com/portalpass/portalpass/pkg/message"
)

func TestHostedTexts(t *testing.T) {
	tests := []struct{ name, got, want string }{
		{"continue, one tenant", message.PageContinueTo("Acme", false), "Continue to Acme portal"},
		{"continue, several tenants", message.PageContinueTo("your portals", true), "Continue to your portal"},
		{"continue, no name", message.PageContinueTo("", false), "Continue to your portal"},
		{"wait 1", message.PageWaitTitle(1), "Please wait 1 minute"},
		{"wait 0 reads 1", message.PageWaitTitle(0), "Please wait 1 minute"},
		{"wait 15", message.PageWaitMsg(15), "Too many requests. You can try again in 15 minutes."},
		{"log out of", message.PageLogOutOf("Acme"), "Log out of Acme?"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %q; want %q", tt.name, tt.got, tt.want)
		}
	}
}
