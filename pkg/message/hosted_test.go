package message_test

import (
	"testing"

	"github.com/portalpass/portalpass/pkg/message"
)

func TestHostedTexts(t *testing.T) {
	tests := []struct{ name, got, want string }{
		{"continue, one tenant", message.ContinueTitle("en", "Acme", false), "Continue to Acme portal"},
		{"continue, several tenants", message.ContinueTitle("en", "your portals", true), "Continue to your portal"},
		{"continue, no name", message.ContinueTitle("en", "", false), "Continue to your portal"},
		{"continue, Spanish", message.ContinueTitle("es", "Acme", false), "Continuar al portal de Acme"},
		{"wait 1", message.WaitTitle("en", 1), "Please wait 1 minute"},
		{"wait 0 reads 1", message.WaitTitle("en", 0), "Please wait 1 minute"},
		{"wait 15", message.WaitMsg("en", 15), "Too many requests. You can try again in 15 minutes."},
		{"wait 15, German", message.WaitMsg("de", 15), "Zu viele Anfragen. Sie können es in 15 Minuten erneut versuchen."},
		{"log out of", message.F("en", message.PageLogOutOf, "tenant", "Acme"), "Log out of Acme?"},
		{"unknown language reads English", message.T("it", message.PageLogIn), "Log in"},
		{"French singular for 0", message.DurationIn("fr", 0), "0 seconde"},
		{"German days", message.DurationIn("de", 7*24*60*60*1e9), "7 Tagen"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %q; want %q", tt.name, tt.got, tt.want)
		}
	}
}
