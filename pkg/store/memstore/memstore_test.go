package memstore_test

import (
	"crypto/sha256"
	"fmt"
	"testing"
	"time"

	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/login/logintest"
	"github.com/portalpass/portalpass/pkg/store/memstore"
)

func TestStore(t *testing.T) {
	logintest.TestStore(t, func(t *testing.T) login.Store { return memstore.New() })
}

func hash(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}

var t0 = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

func TestEvents(t *testing.T) {
	ctx := t.Context()
	s := memstore.New()
	c := login.Contact{TenantID: "t1", ID: "c1", Email: "ana@example.com", Access: login.AccessActive, Version: 1}
	if err := s.CreateContact(ctx, c, []login.AuditEvent{{ID: "e1", Type: login.EventContactCreated, Detail: map[string]string{"k": "v"}}}); err != nil {
		t.Fatal(err)
	}
	sl := login.Slot{TokenHash: hash("tok"), TriesLeft: 5, ExpiresAt: t0.Add(time.Minute)}
	err := s.SaveAttempt(ctx, login.AttemptWrite{Now: t0, Events: []login.AuditEvent{{ID: "e2", Type: login.EventLoginRequested}},
		Slots: []login.SlotWrite{{TenantID: "t1", ContactID: "c1", Which: login.SlotLogin, Slot: sl}}})
	if err != nil {
		t.Fatal(err)
	}
	// A failed write records nothing.
	err = s.SaveAttempt(ctx, login.AttemptWrite{Now: t0, Events: []login.AuditEvent{{ID: "bad", Type: login.EventLoginRequested}},
		Slots: []login.SlotWrite{{TenantID: "t1", ContactID: "missing", Which: login.SlotLogin, Slot: sl}}})
	if err == nil {
		t.Fatal("SaveAttempt on a missing contact succeeded")
	}
	sess := login.Session{TenantID: "t1", ContactID: "c1", Hash: hash("s"), ExpiresAt: t0.Add(time.Hour)}
	err = s.Redeem(ctx, login.Redemption{Now: t0, Session: &sess, Events: []login.AuditEvent{{ID: "e3", Type: login.EventLoginRedeemed}},
		Slot: &login.SlotRef{TenantID: "t1", ContactID: "c1", Which: login.SlotLogin, TokenHash: sl.TokenHash}})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RecordEvents(ctx, []login.AuditEvent{{ID: "e4", Type: login.EventLogout}}); err != nil {
		t.Fatal(err)
	}
	got := s.Events()
	var ids []string
	for _, e := range got {
		ids = append(ids, e.ID)
	}
	if want := "[e1 e2 e3 e4]"; fmt.Sprint(ids) != want {
		t.Errorf("Events() = %v; want %s", ids, want)
	}
	got[0].Detail["k"] = "changed"
	if v := s.Events()[0].Detail["k"]; v != "v" {
		t.Errorf("Events() shares its Detail maps: got %q after a change", v)
	}
}

// BenchmarkRedeem measures one login: a slot write and its redeem.
func BenchmarkRedeem(b *testing.B) {
	ctx := b.Context()
	s := memstore.New()
	c := login.Contact{TenantID: "t1", ID: "c1", Email: "ana@example.com", Access: login.AccessActive, Version: 1}
	if err := s.CreateContact(ctx, c, nil); err != nil {
		b.Fatal(err)
	}
	tokens := make([][]byte, 1024)
	for i := range tokens {
		tokens[i] = hash(fmt.Sprint("token", i))
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		tok := tokens[i%len(tokens)]
		sl := login.Slot{TokenHash: tok, CodeHash: tok, CodeSalt: tok[:16], TriesLeft: 5, ExpiresAt: t0.Add(10 * time.Minute)}
		if err := s.SaveAttempt(ctx, login.AttemptWrite{Now: t0,
			Slots: []login.SlotWrite{{TenantID: "t1", ContactID: "c1", Which: login.SlotLogin, Slot: sl, IdentKey: login.EmailKey("ana@example.com")}}}); err != nil {
			b.Fatal(err)
		}
		sess := login.Session{TenantID: "t1", ContactID: "c1", Hash: tok, ExpiresAt: t0.Add(time.Hour)}
		if err := s.Redeem(ctx, login.Redemption{Now: t0, Session: &sess,
			Slot: &login.SlotRef{TenantID: "t1", ContactID: "c1", Which: login.SlotLogin, TokenHash: tok, IdentKey: login.EmailKey("ana@example.com")}}); err != nil {
			b.Fatal(err)
		}
		if err := s.DeleteSession(ctx, "t1", "c1", tok, t0, nil); err != nil {
			b.Fatal(err)
		}
	}
}
