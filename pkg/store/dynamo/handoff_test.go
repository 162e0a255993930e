package dynamo

import (
	"encoding/hex"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/portalpass/portalpass/pkg/awstest"
	"github.com/portalpass/portalpass/pkg/login"
)

// TestHandoffCalls: a redeem that hands its session off stays one
// TransactWriteItems; the hand-off item is keyed by the code's hash with
// the TTL and the exact expiry; the exchange is one TransactWriteItems.
func TestHandoffCalls(t *testing.T) {
	f := newFixture(t, false)
	ctx := awstest.Ctx(t)
	sl := testSlot("a", t0.Add(10*time.Minute))
	f.setLogin(t, sl, "")
	now := t0.Add(time.Minute + 500*time.Millisecond)
	sess := session("login", now)
	h := login.Handoff{Hash: login.HashToken("handoff:a"), TenantID: "t1", ContactID: "c1", Via: sess.Via,
		CodeChallenge: "challenge", SessionExpiresAt: sess.ExpiresAt, CreatedAt: now, ExpiresAt: now.Add(login.HandoffTTL)}
	f.calls.Reset()
	err := f.s.Redeem(ctx, login.Redemption{Now: now, Session: sess, Handoff: &h,
		Slot: &login.SlotRef{TenantID: "t1", ContactID: "c1", Which: login.SlotLogin, TokenHash: sl.TokenHash}})
	if err != nil {
		t.Fatalf("Redeem: %v", err)
	}
	if got := f.calls.Snapshot(); f.calls.Total() != 1 || got["TransactWriteItems"] != 1 {
		t.Errorf("Redeem with a hand-off made calls %v; want one TransactWriteItems", got)
	}
	out, err := f.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(f.table),
		Key: key("HANDOFF#"+hex.EncodeToString(h.Hash), "META"), ConsistentRead: aws.Bool(true)})
	if err != nil || out.Item == nil {
		t.Fatalf("GetItem HANDOFF#<hash>: %v, %v", out, err)
	}
	m := item(out.Item)
	ttl, _ := m.int(attrExpiresAt)
	exp, _ := m.time(attrExp)
	if ttl != now.Add(login.HandoffTTL).Unix()+1 || !exp.Equal(h.ExpiresAt) {
		t.Errorf("hand-off expiresAt %d, exp %v; want %d (rounded up) and %v", ttl, exp, now.Add(login.HandoffTTL).Unix()+1, h.ExpiresAt)
	}
	x := session("exchanged", now.Add(time.Second))
	x.ExpiresAt = h.SessionExpiresAt
	f.calls.Reset()
	if err := f.s.ExchangeHandoff(ctx, login.HandoffExchange{Now: now.Add(time.Second), Hash: h.Hash, Session: x, NotBefore: h.CreatedAt}); err != nil {
		t.Fatalf("ExchangeHandoff: %v", err)
	}
	if got := f.calls.Snapshot(); f.calls.Total() != 1 || got["TransactWriteItems"] != 1 {
		t.Errorf("ExchangeHandoff made calls %v; want one TransactWriteItems", got)
	}
	// At the exact expiry, half a second before the TTL attribute's
	// rounded-up second, the exact expiry decides.
	h2 := h
	h2.Hash = login.HashToken("handoff:b")
	sl2 := testSlot("b", t0.Add(10*time.Minute))
	f.setLogin(t, sl2, "")
	if err := f.s.Redeem(ctx, login.Redemption{Now: now, Session: session("login2", now), Handoff: &h2,
		Slot: &login.SlotRef{TenantID: "t1", ContactID: "c1", Which: login.SlotLogin, TokenHash: sl2.TokenHash}}); err != nil {
		t.Fatalf("Redeem: %v", err)
	}
	late := session("late", h2.ExpiresAt)
	err = f.s.ExchangeHandoff(ctx, login.HandoffExchange{Now: h2.ExpiresAt, Hash: h2.Hash, Session: late, NotBefore: h2.CreatedAt})
	if login.ErrorCode(err) != login.CodeLinkExpired {
		t.Errorf("ExchangeHandoff at the exact expiry (before the TTL second): %v; want link_expired", err)
	}
}
