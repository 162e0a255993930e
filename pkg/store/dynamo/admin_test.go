package dynamo

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/portalpass/portalpass/pkg/awstest"
	"github.com/portalpass/portalpass/pkg/login"
)

func TestSuccessor(t *testing.T) {
	tests := []struct {
		name, in, want string
		ok             bool
	}{
		{"ascii", "ana", "anb", true},
		{"hash", "CONTACT#", "CONTACT$", true},
		{"multibyte", "añ", "aò", true},
		{"before the surrogates", "a\uD7FF", "a\uE000", true},
		{"max rune", "a\U0010FFFF", "b", true},
		{"only max runes", "\U0010FFFF", "", false},
		{"empty", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := successor(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("successor(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
			}
			if ok && (got <= tt.in || strings.HasPrefix(got, tt.in)) {
				t.Errorf("successor(%q) = %q is not above every string with that prefix", tt.in, got)
			}
		})
	}
}

func testAction(id, ref string, exp time.Time) login.ActionLink {
	return login.ActionLink{ID: id, TenantID: "t1", ContactID: "c1", Hash: login.HashToken("action:" + id),
		Redirect: "/r", Ref: ref, CreatedAt: t0, ExpiresAt: exp}
}

// TestAdminCallsPerFlow holds each admin method to its number of calls.
func TestAdminCallsPerFlow(t *testing.T) {
	f := newFixture(t, false)
	ctx := awstest.Ctx(t)
	ev := []login.AuditEvent{{ID: "e1", TenantID: "t1", At: t0, Type: "x", ContactID: "c1"}}
	key := login.APIKey{Hash: login.HashToken("key"), ID: "k1", TenantID: "t1", CreatedAt: t0}
	live, dead := testAction("a1", "r", t0.Add(time.Hour)), testAction("a2", "r", t0)
	if err := f.s.RecordEvents(ctx, []login.AuditEvent{ev[0], {ID: "e2", TenantID: "t1", At: t0, Type: "y"}}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		run  func() error
		want map[string]int64
	}{
		{"ListContacts by id", func() error {
			_, _, err := f.s.ListContacts(ctx, "t1", login.ContactQuery{After: "c0", Limit: 10})
			return err
		}, map[string]int64{"Query": 1, "BatchGetItem": 1}},
		{"ListContacts by name", func() error {
			_, _, err := f.s.ListContacts(ctx, "t1", login.ContactQuery{By: "name", Prefix: "ana", After: "ana", Limit: 10})
			return err
		}, map[string]int64{"Query": 1, "BatchGetItem": 1}},
		{"ListContacts by email", func() error {
			_, _, err := f.s.ListContacts(ctx, "t1", login.ContactQuery{By: "email", Prefix: "ana", Limit: 10})
			return err
		}, map[string]int64{"Query": 1, "BatchGetItem": 1}},
		{"ListEvents", func() error {
			_, _, err := f.s.ListEvents(ctx, "t1", login.EventQuery{Type: "x", ContactID: "c1", Limit: 10})
			return err
		}, map[string]int64{"Query": 1, "BatchGetItem": 1}},
		{"ListEvents of every shard", func() error {
			_, _, err := f.s.ListEvents(ctx, "t1", login.EventQuery{Limit: 10})
			return err
		}, map[string]int64{"Query": auditShards}},
		{"PutAPIKey", func() error { return f.s.PutAPIKey(ctx, key) }, map[string]int64{"PutItem": 1}},
		{"ListAPIKeys", func() error { _, err := f.s.ListAPIKeys(ctx, "t1"); return err }, map[string]int64{"Query": 1, "BatchGetItem": 1}},
		{"RevokeAPIKey", func() error { return f.s.RevokeAPIKey(ctx, "t1", "k1") }, map[string]int64{"BatchGetItem": 1, "Query": 1, "UpdateItem": 1}},
		{"TouchAPIKey", func() error { return f.s.TouchAPIKey(ctx, key.Hash, t0) }, map[string]int64{"UpdateItem": 1}},
		{"PutActionLink", func() error { return f.s.PutActionLink(ctx, live, ev) }, map[string]int64{"TransactWriteItems": 1}},
		{"PutActionLink expired", func() error { return f.s.PutActionLink(ctx, dead, nil) }, map[string]int64{"TransactWriteItems": 1}},
		{"GetActionLink", func() error { _, err := f.s.GetActionLink(ctx, "t1", "a1"); return err }, map[string]int64{"GetItem": 1}},
		{"Redeem with an action link", func() error {
			return f.s.Redeem(ctx, login.Redemption{Now: t0, Session: session("action", t0), KeepSlots: true, NotBefore: t0, Events: ev,
				Action: &login.ActionRef{TenantID: "t1", ID: "a1", Hash: live.Hash}})
		}, map[string]int64{"TransactWriteItems": 1}},
		{"RevokeActionLinks live id", func() error {
			_, err := f.s.RevokeActionLinks(ctx, "t1", "a1", "", t0, ev)
			return err
		}, map[string]int64{"TransactWriteItems": 1}},
		{"RevokeActionLinks dead id", func() error {
			_, err := f.s.RevokeActionLinks(ctx, "t1", "a2", "", t0, ev)
			return err
		}, map[string]int64{"TransactWriteItems": 2}},
		{"RevokeActionLinks ref", func() error {
			_, err := f.s.RevokeActionLinks(ctx, "t1", "", "r", t0, ev)
			return err
		}, map[string]int64{"BatchGetItem": 1, "Query": 1, "TransactWriteItems": 1}},
	}
	for _, tt := range tests {
		f.calls.Reset()
		if err := tt.run(); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if got := f.calls.Snapshot(); fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("%s calls = %v; want %v", tt.name, got, tt.want)
		}
	}
}

// TestAdminLayout checks the keys of API keys and action links.
func TestAdminLayout(t *testing.T) {
	f := newFixture(t, false)
	ctx := awstest.Ctx(t)
	k := login.APIKey{Hash: login.HashToken("key"), ID: "k1", TenantID: "t1", CreatedAt: t0.Add(5)}
	if err := f.s.PutAPIKey(ctx, k); err != nil {
		t.Fatal(err)
	}
	exp := t0.Add(time.Hour + 1)
	if err := f.s.PutActionLink(ctx, testAction("a1", "invoice-42", exp), nil); err != nil {
		t.Fatal(err)
	}
	if err := f.s.PutActionLink(ctx, testAction("a2", "", exp), nil); err != nil {
		t.Fatal(err)
	}
	out, err := f.db.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String(f.table)})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]item{}
	for _, m := range out.Items {
		got[item(m).str(attrPK)+" | "+item(m).str(attrSK)] = m
	}
	tests := []struct {
		key, gsi1pk, gsi1sk string
	}{
		{apiKeyPK(k.Hash) + " | META", "TENANT#t1#KEYS", "2026-11-23T12:00:00.000000005Z#k1"},
		{"ACTION#t1#a1 | META", "TENANT#t1#REF#invoice-42", "a1"},
		{"ACTION#t1#a2 | META", "", ""},
	}
	for _, tt := range tests {
		m := got[tt.key]
		if m == nil {
			t.Errorf("no item %s; have %v", tt.key, keysOf(got))
			continue
		}
		if m.str(attrGSI1PK) != tt.gsi1pk || m.str(attrGSI1SK) != tt.gsi1sk {
			t.Errorf("%s: gsi1 = %q %q; want %q %q", tt.key, m.str(attrGSI1PK), m.str(attrGSI1SK), tt.gsi1pk, tt.gsi1sk)
		}
	}
	if m := got["ACTION#t1#a1 | META"]; m != nil {
		if n, _ := m.int(attrExpiresAt); n != exp.Unix()+1 {
			t.Errorf("action link expiresAt = %d; want the expiry rounded up", n)
		}
		if e, _ := m.expiry(); !e.Equal(exp) {
			t.Errorf("action link exp = %v; want %v", e, exp)
		}
	}
}

// TestRevokeManyActionLinks revokes by ref more links than one
// transaction holds.
func TestRevokeManyActionLinks(t *testing.T) {
	f := newFixture(t, false)
	ctx := awstest.Ctx(t)
	const n = 130
	for i := range n {
		a := testAction(fmt.Sprintf("a%03d", i), "r", t0.Add(time.Hour))
		if i%2 == 1 {
			a.ExpiresAt = t0
		}
		if _, err := f.db.PutItem(ctx, &dynamodb.PutItemInput{TableName: f.s.table, Item: actionItem(a)}); err != nil {
			t.Fatal(err)
		}
	}
	f.calls.Reset()
	ev := []login.AuditEvent{{ID: "e1", TenantID: "t1", At: t0, Type: login.EventActionLinkRevoked}}
	got, err := f.s.RevokeActionLinks(ctx, "t1", "", "r", t0, ev)
	if err != nil || got != n/2 {
		t.Fatalf("RevokeActionLinks = %d, %v; want %d live", got, err, n/2)
	}
	if tx := f.calls.Count("TransactWriteItems"); tx != 2 {
		t.Errorf("transactions = %d; want 2", tx)
	}
	for _, id := range []string{"a000", "a001", "a129"} {
		if a, err := f.s.GetActionLink(ctx, "t1", id); err != nil || !a.Revoked {
			t.Errorf("GetActionLink(%s) = revoked %v, %v; want revoked", id, a.Revoked, err)
		}
	}
	if got, err := f.s.RevokeActionLinks(ctx, "t1", "", "r", t0, nil); err != nil || got != 0 {
		t.Errorf("RevokeActionLinks again = %d, %v; want 0", got, err)
	}
}
