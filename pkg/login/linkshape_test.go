package login

import (
	"strings"
	"testing"
)

func TestLinkShape(t *testing.T) {
	secret := "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	one := tokenParts{kind: kindLink, tenant: "acme", contact: "c" + strings.Repeat("a", 26), purpose: PurposeLogin, secret: secret}.String()
	several := tokenParts{kind: kindMulti, identHash: secret, secret: secret}.String()
	session := tokenParts{kind: kindSession, tenant: "acme", contact: "c" + strings.Repeat("a", 26), secret: secret}.String()
	tests := []struct {
		name, token        string
		ok, severalTenants bool
	}{
		{"one tenant", one, true, false},
		{"several tenants", several, true, true},
		{"cut short", one[:len(one)-5], false, false},
		{"made up", "not-a-token", false, false},
		{"empty", "", false, false},
		{"a session token", session, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, several := LinkShape(tt.token)
			if ok != tt.ok || several != tt.severalTenants {
				t.Errorf("LinkShape(%q) = %v, %v; want %v, %v", tt.token, ok, several, tt.ok, tt.severalTenants)
			}
		})
	}
}
