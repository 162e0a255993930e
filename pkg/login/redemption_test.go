package login_test

import (
	"testing"

	"github.com/portalpass/portalpass/pkg/login"
)

func TestRedemptionCheck(t *testing.T) {
	slot := &login.SlotRef{TenantID: "t1", ContactID: "c1"}
	multi := &login.MultiRef{IdentHash: "h"}
	action := &login.ActionRef{TenantID: "t1", ID: "a1"}
	sess := &login.Session{TenantID: "t1", ContactID: "c1"}
	picker := &login.Picker{}
	handoff := &login.Handoff{}
	tests := []struct {
		name string
		r    login.Redemption
		ok   bool
	}{
		{"slot to session", login.Redemption{Slot: slot, Session: sess}, true},
		{"multi to picker", login.Redemption{Multi: multi, NewPicker: picker}, true},
		{"picker to session with hand-off", login.Redemption{Picker: []byte("p"), Session: sess, Handoff: handoff}, true},
		{"action to session", login.Redemption{Action: action, Session: sess}, true},
		{"nothing consumed", login.Redemption{Session: sess}, false},
		{"two consumed", login.Redemption{Slot: slot, Multi: multi, Session: sess}, false},
		{"nothing created", login.Redemption{Slot: slot}, false},
		{"two created", login.Redemption{Slot: slot, Session: sess, NewPicker: picker}, false},
		{"action to picker", login.Redemption{Action: action, NewPicker: picker}, false},
		{"hand-off without session", login.Redemption{Multi: multi, NewPicker: picker, Handoff: handoff}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.r.Check(); (err == nil) != tt.ok {
				t.Errorf("Check() = %v; want ok %v", err, tt.ok)
			}
		})
	}
}
