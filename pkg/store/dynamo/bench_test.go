package dynamo

import (
	"strconv"
	"testing"
	"time"

	"github.com/portalpass/portalpass/pkg/awstest"
	"github.com/portalpass/portalpass/pkg/login"
)

// BenchmarkRedeemTx builds a code-path redeem's transaction (no network).
func BenchmarkRedeemTx(b *testing.B) {
	s := New(nil, "bench")
	r := login.Redemption{
		Now:     t0,
		Slot:    &login.SlotRef{TenantID: "t1", ContactID: "c1", Which: login.SlotLogin, TokenHash: tokenHash("a"), IdentKey: login.EmailKey("ana@example.com"), NeedTries: true},
		Session: session("s", t0),
		Events:  []login.AuditEvent{{ID: "e1", TenantID: "t1", At: t0, Type: login.EventLoginRedeemed, ContactID: "c1", Actor: "customer"}},
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := s.redeemTx(&r, nil, nil, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkContactFrom decodes a contact item with both slots.
func BenchmarkContactFrom(b *testing.B) {
	c := testContact("t1", "c1", "ana@example.com", "+14155550101")
	l1, l2 := testSlot("a", t0), testSlot("b", t0)
	c.Login, c.Link = &l1, &l2
	m := contactItem(c)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := contactFrom(m); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRedeem redeems against moto_server: each round writes a slot
// (not timed) and redeems it, ending the previous round's session.
func BenchmarkRedeem(b *testing.B) {
	db := client(b, false, nil)
	s := New(db, newTable(b, db))
	ctx := awstest.Ctx(b)
	c := testContact("t1", "c1", "ana@example.com", "")
	if err := s.CreateContact(ctx, c, nil); err != nil {
		b.Fatal(err)
	}
	var prev *login.SessionRef
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		sl := testSlot(strconv.Itoa(i), t0.Add(10*time.Minute))
		err := s.SaveAttempt(ctx, login.AttemptWrite{Now: t0, Slots: []login.SlotWrite{
			{TenantID: "t1", ContactID: "c1", Which: login.SlotLogin, Slot: sl},
		}})
		if err != nil {
			b.Fatal(err)
		}
		sess := session(strconv.Itoa(i), t0)
		b.StartTimer()
		err = s.Redeem(ctx, login.Redemption{Now: t0, Session: sess, EndSession: prev,
			Slot: &login.SlotRef{TenantID: "t1", ContactID: "c1", Which: login.SlotLogin, TokenHash: sl.TokenHash}})
		if err != nil {
			b.Fatal(err)
		}
		prev = &login.SessionRef{TenantID: "t1", ContactID: "c1", Hash: sess.Hash}
	}
}
