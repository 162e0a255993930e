package login_test

import (
	"slices"
	"testing"

	"github.com/portalpass/portalpass/pkg/login"
)

// TestIdentifierKey pins the identifier keys: stores persist them (hashed)
// and rate limits count by them, so they never change.
func TestIdentifierKey(t *testing.T) {
	tests := []struct {
		name string
		id   login.Identifier
		want string
	}{
		{"email", login.Identifier{Kind: login.IdentEmail, Value: "ana@example.com"}, "email:ana@example.com"},
		{"phone", login.Identifier{Kind: login.IdentPhone, Value: "+14155550123"}, "phone:+14155550123"},
		{"zero", login.Identifier{}, ""},
		{"no value", login.Identifier{Kind: login.IdentEmail}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.id.Key(); got != tt.want {
				t.Errorf("%+v.Key() = %q; want %q", tt.id, got, tt.want)
			}
			if tt.want != "" && !login.IsIdentKey(tt.want) {
				t.Errorf("IsIdentKey(%q) = false; want true", tt.want)
			}
		})
	}
	if got := login.EmailKey("ana@example.com"); got != "email:ana@example.com" {
		t.Errorf("EmailKey = %q", got)
	}
	if got := login.PhoneKey("+14155550123"); got != "phone:+14155550123" {
		t.Errorf("PhoneKey = %q", got)
	}
	for _, s := range []string{"ip:192.0.2.1", "", "email", "emailx:a"} {
		if login.IsIdentKey(s) {
			t.Errorf("IsIdentKey(%q) = true; want false", s)
		}
	}
	c := login.Contact{Email: "ana@example.com", Phone: "+14155550123"}
	if got, want := c.IdentKeys(), []string{"email:ana@example.com", "phone:+14155550123"}; !slices.Equal(got, want) {
		t.Errorf("IdentKeys() = %q; want %q", got, want)
	}
	if got := (login.Contact{Phone: "+14155550123"}).IdentKeys(); !slices.Equal(got, []string{"phone:+14155550123"}) {
		t.Errorf("IdentKeys() of a phone-only contact = %q", got)
	}
}
