package dynamo

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/portalpass/portalpass/pkg/awstest"
	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/login/logintest"
)

// TestStore runs the login.Store contract on moto_server. The client sends
// one request at a time (see serialClient), so the suite's races run too.
func TestStore(t *testing.T) {
	c := client(t, true, nil)
	logintest.TestStore(t, func(t *testing.T) login.Store { return New(c, newTable(t, c)) })
}

var t0 = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

func tokenHash(name string) []byte { return login.HashToken("token:" + name) }

func testSlot(name string, exp time.Time) login.Slot {
	return login.Slot{
		TokenHash: tokenHash(name), CodeHash: login.HashToken("code:" + name),
		CodeSalt: []byte("0123456789abcdef"), TriesLeft: 5, ExpiresAt: exp,
	}
}

func testContact(tenant, id, email, phone string) login.Contact {
	return login.Contact{TenantID: tenant, ID: id, Email: email, Phone: phone, Name: "Ana " + id,
		Access: login.AccessActive, CreatedAt: t0, UpdatedAt: t0, Version: 1}
}

// fixture is a store on a fresh table with one contact.
type fixture struct {
	s     *Store
	db    *dynamodb.Client
	table string
	calls *Calls
	c     login.Contact
}

func newFixture(t *testing.T, serial bool) *fixture {
	t.Helper()
	f := &fixture{calls: &Calls{}}
	f.db = client(t, serial, f.calls)
	f.table = newTable(t, f.db)
	f.s = New(f.db, f.table)
	f.c = testContact("t1", "c1", "ana@example.com", "+14155550101")
	if err := f.s.CreateContact(awstest.Ctx(t), f.c, nil); err != nil {
		t.Fatalf("CreateContact: %v", err)
	}
	f.calls.Reset()
	return f
}

func (f *fixture) setLogin(t *testing.T, sl login.Slot, identKey string) {
	t.Helper()
	err := f.s.SaveAttempt(awstest.Ctx(t), login.AttemptWrite{Now: t0, Slots: []login.SlotWrite{
		{TenantID: f.c.TenantID, ContactID: f.c.ID, Which: login.SlotLogin, Slot: sl, IdentKey: identKey},
	}})
	if err != nil {
		t.Fatalf("SaveAttempt: %v", err)
	}
}

func session(name string, now time.Time) *login.Session {
	return &login.Session{TenantID: "t1", ContactID: "c1", Hash: login.HashToken("session:" + name),
		Via: "code", CreatedAt: now, ExpiresAt: now.Add(time.Hour)}
}

// TestConcurrentRedeem races 50 code-path redeems of one slot: exactly one
// wins, every loser gets ErrLinkInvalid, and each sends exactly one call.
func TestConcurrentRedeem(t *testing.T) {
	f := newFixture(t, true)
	key := login.EmailKey(f.c.Email)
	sl := testSlot("a", t0.Add(10*time.Minute))
	f.setLogin(t, sl, key)
	f.calls.Reset()
	const n = 50
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = f.s.Redeem(awstest.Ctx(t), login.Redemption{
				Now:     t0.Add(time.Minute),
				Slot:    &login.SlotRef{TenantID: "t1", ContactID: "c1", Which: login.SlotLogin, TokenHash: sl.TokenHash, IdentKey: key, NeedTries: true},
				Session: session(string(rune('A'+i%26))+string(rune('a'+i/26)), t0.Add(time.Minute)),
			})
		}()
	}
	close(start)
	wg.Wait()
	wins := 0
	for i, err := range errs {
		switch {
		case err == nil:
			wins++
		case !errors.Is(err, login.ErrLinkInvalid):
			t.Errorf("racer %d: err = %v; want nil or ErrLinkInvalid", i, err)
		}
	}
	if wins != 1 {
		t.Errorf("wins = %d; want 1", wins)
	}
	if got := f.calls.Count("TransactWriteItems"); got != n {
		t.Errorf("TransactWriteItems calls = %d; want %d (one per Redeem)", got, n)
	}
}

// TestStaleMirror: a login request through the phone replaces the slot
// that the email identifier still mirrors. The code path reads the stale
// mirror from FindIdentity; redeeming it must fail and leave the new slot.
func TestStaleMirror(t *testing.T) {
	f := newFixture(t, false)
	ctx := awstest.Ctx(t)
	email, phone := login.EmailKey(f.c.Email), login.PhoneKey(f.c.Phone)
	first, second := testSlot("first", t0.Add(10*time.Minute)), testSlot("second", t0.Add(10*time.Minute))
	f.setLogin(t, first, email)
	f.setLogin(t, second, phone)
	rec, err := f.s.FindIdentity(ctx, email)
	if err != nil || len(rec.Matches) != 1 || rec.Matches[0].Login == nil {
		t.Fatalf("FindIdentity(email) = %+v, %v; want the match with its (stale) mirror", rec, err)
	}
	stale := rec.Matches[0].Login
	ref := &login.SlotRef{TenantID: "t1", ContactID: "c1", Which: login.SlotLogin, TokenHash: stale.TokenHash, IdentKey: email, NeedTries: true}
	err = f.s.Redeem(ctx, login.Redemption{Now: t0, Slot: ref, Session: session("stale", t0)})
	if !errors.Is(err, login.ErrLinkInvalid) {
		t.Fatalf("Redeem(stale mirror) = %v; want ErrLinkInvalid", err)
	}
	err = f.s.RecordCodeFailure(ctx, login.CodeFailure{Now: t0, Slots: []login.SlotRef{*ref}})
	if !errors.Is(err, login.ErrLinkInvalid) {
		t.Fatalf("RecordCodeFailure(stale mirror) = %v; want ErrLinkInvalid", err)
	}
	c, err := f.s.GetContact(ctx, "t1", "c1")
	if err != nil || c.Login == nil || string(c.Login.TokenHash) != string(second.TokenHash) || c.Login.TriesLeft != 5 {
		t.Fatalf("contact after the stale redeem = %+v, %v; want the second slot untouched", c.Login, err)
	}
	ref.TokenHash, ref.IdentKey = second.TokenHash, phone
	if err := f.s.Redeem(ctx, login.Redemption{Now: t0, Slot: ref, Session: session("fresh", t0)}); err != nil {
		t.Fatalf("Redeem(second slot by phone): %v", err)
	}
}

// TestCallsPerFlow holds each method to its number of DynamoDB calls.
func TestCallsPerFlow(t *testing.T) {
	f := newFixture(t, false)
	ctx := awstest.Ctx(t)
	key := login.EmailKey(f.c.Email)
	sl := testSlot("a", t0.Add(10*time.Minute))
	ev := []login.AuditEvent{{ID: "e1", TenantID: "t1", At: t0, Type: "x", ContactID: "c1"}}
	sess := session("s", t0)
	tests := []struct {
		name string
		run  func() error
		want map[string]int64
	}{
		{"FindIdentity", func() error { _, err := f.s.FindIdentity(ctx, key); return err }, map[string]int64{"Query": 1}},
		{"SaveAttempt", func() error {
			return f.s.SaveAttempt(ctx, login.AttemptWrite{Now: t0, Events: ev,
				Counters: []login.Counter{{Subject: key, Key: "send#1", Limit: 5, ExpiresAt: t0.Add(time.Hour)}, {Subject: "ip:192.0.2.1", Key: "req#1", Limit: 60, ExpiresAt: t0.Add(time.Hour)}},
				Slots:    []login.SlotWrite{{TenantID: "t1", ContactID: "c1", Which: login.SlotLogin, Slot: sl, IdentKey: key}}})
		}, map[string]int64{"TransactWriteItems": 1}},
		{"RecordCodeFailure", func() error {
			return f.s.RecordCodeFailure(ctx, login.CodeFailure{Now: t0, Events: ev,
				Slots:    []login.SlotRef{{TenantID: "t1", ContactID: "c1", Which: login.SlotLogin, TokenHash: sl.TokenHash, IdentKey: key, NeedTries: true}},
				Counters: []login.Counter{{Subject: key, Key: "codefail#1", Limit: 20, ExpiresAt: t0.Add(time.Hour)}}})
		}, map[string]int64{"TransactWriteItems": 1}},
		{"Redeem", func() error {
			return f.s.Redeem(ctx, login.Redemption{Now: t0, Session: sess, Events: ev,
				Slot: &login.SlotRef{TenantID: "t1", ContactID: "c1", Which: login.SlotLogin, TokenHash: sl.TokenHash, IdentKey: key, NeedTries: true}})
		}, map[string]int64{"TransactWriteItems": 1}},
		{"GetSession", func() error { _, _, err := f.s.GetSession(ctx, "t1", "c1", sess.Hash); return err }, map[string]int64{"BatchGetItem": 1}},
		{"RevokeSessions", func() error { _, err := f.s.RevokeSessions(ctx, "t1", "c1", t0, ev); return err },
			map[string]int64{"Query": 1, "TransactWriteItems": 1}},
		{"DeleteSession", func() error { return f.s.DeleteSession(ctx, "t1", "c1", sess.Hash, t0, nil) }, map[string]int64{"DeleteItem": 1}},
		{"DeleteSession with events", func() error {
			live, b := session("live", t0), testSlot("b", t0.Add(10*time.Minute))
			f.setLogin(t, b, "")
			if err := f.s.Redeem(ctx, login.Redemption{Now: t0, Session: live,
				Slot: &login.SlotRef{TenantID: "t1", ContactID: "c1", Which: login.SlotLogin, TokenHash: b.TokenHash}}); err != nil {
				return err
			}
			f.calls.Reset()
			return f.s.DeleteSession(ctx, "t1", "c1", live.Hash, t0, ev)
		}, map[string]int64{"TransactWriteItems": 1}},
		{"DeleteSession with events, none live", func() error { return f.s.DeleteSession(ctx, "t1", "c1", sess.Hash, t0, ev) },
			map[string]int64{"TransactWriteItems": 1}},
		{"RecordEvents", func() error { return f.s.RecordEvents(ctx, ev) }, map[string]int64{"PutItem": 1}},
		{"UpdateContact", func() error {
			old, err := f.s.GetContact(ctx, "t1", "c1")
			if err != nil {
				return err
			}
			f.calls.Reset()
			c := old
			c.Email, c.Version = "ana.new@example.com", old.Version+1
			return f.s.UpdateContact(ctx, old, c, ev)
		}, map[string]int64{"TransactWriteItems": 1}},
	}
	for _, tt := range tests {
		f.calls.Reset()
		if err := tt.run(); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		got := f.calls.Snapshot()
		if len(got) != len(tt.want) {
			t.Errorf("%s calls = %v; want %v", tt.name, got, tt.want)
			continue
		}
		for op, n := range tt.want {
			if got[op] != n {
				t.Errorf("%s calls = %v; want %v", tt.name, got, tt.want)
			}
		}
	}
}

// TestExactTimes: times keep their nanoseconds, and expiry conditions
// compare them exactly.
func TestExactTimes(t *testing.T) {
	f := newFixture(t, false)
	ctx := awstest.Ctx(t)
	exp := t0.Add(1500*time.Millisecond + 7)
	sl := testSlot("a", exp)
	f.setLogin(t, sl, "")
	c, err := f.s.GetContact(ctx, "t1", "c1")
	if err != nil {
		t.Fatal(err)
	}
	if !c.Login.ExpiresAt.Equal(exp) {
		t.Errorf("slot ExpiresAt = %v; want %v", c.Login.ExpiresAt, exp)
	}
	ref := &login.SlotRef{TenantID: "t1", ContactID: "c1", Which: login.SlotLogin, TokenHash: sl.TokenHash}
	err = f.s.Redeem(ctx, login.Redemption{Now: exp, Slot: ref, Session: session("late", exp)})
	if !errors.Is(err, login.ErrLinkExpired) {
		t.Errorf("Redeem at ExpiresAt = %v; want ErrLinkExpired", err)
	}
	now := exp.Add(-time.Microsecond)
	s := session("in-time", now)
	s.ExpiresAt = now.Add(time.Hour + 123456789)
	if err := f.s.Redeem(ctx, login.Redemption{Now: now, Slot: ref, Session: s}); err != nil {
		t.Fatalf("Redeem a microsecond before ExpiresAt: %v", err)
	}
	got, c, err := f.s.GetSession(ctx, "t1", "c1", s.Hash)
	if err != nil {
		t.Fatal(err)
	}
	if !got.CreatedAt.Equal(s.CreatedAt) || !got.ExpiresAt.Equal(s.ExpiresAt) || !c.LastLoginAt.Equal(now) {
		t.Errorf("session %v..%v, LastLoginAt %v; want %v..%v, %v", got.CreatedAt, got.ExpiresAt, c.LastLoginAt, s.CreatedAt, s.ExpiresAt, now)
	}
}

// TestLayout checks the keys other code depends on, and that no key
// holds an address.
func TestLayout(t *testing.T) {
	f := newFixture(t, false)
	ctx := awstest.Ctx(t)
	key := login.EmailKey(f.c.Email)
	sl := testSlot("a", t0.Add(10*time.Minute))
	err := f.s.SaveAttempt(ctx, login.AttemptWrite{Now: t0,
		Counters: []login.Counter{{Subject: key, Key: "send#1", Limit: 5, ExpiresAt: t0.Add(time.Hour)}, {Subject: "ip:192.0.2.1", Key: "req#1", ExpiresAt: t0.Add(time.Hour)}},
		Slots:    []login.SlotWrite{{TenantID: "t1", ContactID: "c1", Which: login.SlotLogin, Slot: sl, IdentKey: key}},
		Events:   []login.AuditEvent{{ID: "e1", TenantID: "t1", At: t0.Add(5), Type: "x", ContactID: "c1"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	out, err := f.db.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String(f.table)})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]item{}
	for _, m := range out.Items {
		m := item(m)
		for _, k := range []string{attrPK, attrSK, attrGSI1PK, attrGSI1SK} {
			if v := m.str(k); strings.Contains(v, "@") || strings.Contains(v, "+1415") {
				t.Errorf("%s %q holds an address", k, v)
			}
		}
		got[m.str(attrPK)+" | "+m.str(attrSK)] = m
	}
	ih := login.IdentHash(key)
	auditKey := auditShardPK("t1", shardOf("e1")) + " | 2026-11-23T12:00:00.000000005Z#e1"
	for _, want := range []string{
		"CONTACT#t1#c1 | META",
		"IDENT#" + ih + " | TENANT#t1",
		"IDENT#" + login.IdentHash(login.PhoneKey(f.c.Phone)) + " | TENANT#t1",
		"IDENT#" + ih + " | RATE#send#1",
		"RATE#ip:192.0.2.1 | req#1",
		auditKey,
	} {
		if got[want] == nil {
			t.Errorf("no item %s; have %v", want, keysOf(got))
		}
	}
	if m := got[auditKey]; m != nil {
		if m.str(attrGSI1PK) != "TENANT#t1#AUDIT#C#c1" {
			t.Errorf("audit gsi1pk = %q", m.str(attrGSI1PK))
		}
		if n, _ := m.int(attrExpiresAt); n != t0.Add(DefaultAuditRetention).Unix()+1 {
			t.Errorf("audit expiresAt = %d; want At + retention, rounded up", n)
		}
	}
	if m := got["CONTACT#t1#c1 | META"]; m != nil {
		if m.str(attrGSI1PK) != "TENANT#t1#NAME" || m.str(attrGSI1SK) != "ana c1#c1" || m.str(attrGSI2PK) != "TENANT#t1#EMAIL" || m.str(attrGSI2SK) != f.c.Email ||
			m.str(attrGSI3PK) != "TENANT#t1#CONTACTS" || m.str(attrGSI3SK) != "c1" {
			t.Errorf("contact index keys = %q %q %q %q %q %q", m.str(attrGSI1PK), m.str(attrGSI1SK), m.str(attrGSI2PK), m.str(attrGSI2SK), m.str(attrGSI3PK), m.str(attrGSI3SK))
		}
	}
}

func keysOf(m map[string]item) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestRevokeManySessions revokes more sessions than one transaction holds.
func TestRevokeManySessions(t *testing.T) {
	f := newFixture(t, false)
	ctx := awstest.Ctx(t)
	const n = 130
	for i := range n {
		s := session(string(rune(i)), t0.Add(-time.Duration(i)*time.Second))
		if i%2 == 1 {
			s.ExpiresAt = t0
		}
		if _, err := f.db.PutItem(ctx, &dynamodb.PutItemInput{TableName: f.s.table, Item: sessionItem(s)}); err != nil {
			t.Fatal(err)
		}
	}
	f.calls.Reset()
	got, err := f.s.RevokeSessions(ctx, "t1", "c1", t0, nil)
	if err != nil || got != n/2 {
		t.Fatalf("RevokeSessions = %d, %v; want %d live", got, err, n/2)
	}
	if tx := f.calls.Count("TransactWriteItems"); tx != 2 {
		t.Errorf("transactions = %d; want 2", tx)
	}
	out, err := f.db.Query(ctx, &dynamodb.QueryInput{
		TableName: f.s.table, KeyConditionExpression: aws.String("pk = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": avS(sessionPK("t1", "c1"))},
	})
	if err != nil || len(out.Items) != 0 {
		t.Errorf("sessions left = %d, %v; want 0", len(out.Items), err)
	}
}

func TestCreateTableExisting(t *testing.T) {
	db := client(t, false, nil)
	ctx := awstest.Ctx(t)
	table := newTable(t, db)
	if err := CreateTable(ctx, db, table); err != nil {
		t.Fatalf("CreateTable on an existing table: %v", err)
	}
	d, err := db.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(table)})
	if err != nil {
		t.Fatal(err)
	}
	var idx []string
	for _, g := range d.Table.GlobalSecondaryIndexes {
		idx = append(idx, aws.ToString(g.IndexName)+":"+string(g.Projection.ProjectionType))
	}
	if strings.Join(idx, ",") != "GSI1:KEYS_ONLY,GSI2:KEYS_ONLY,GSI3:KEYS_ONLY" {
		t.Errorf("indexes = %v", idx)
	}
	ttl, err := db.DescribeTimeToLive(ctx, &dynamodb.DescribeTimeToLiveInput{TableName: aws.String(table)})
	if err != nil {
		t.Fatal(err)
	}
	if d := ttl.TimeToLiveDescription; aws.ToString(d.AttributeName) != attrExpiresAt || d.TimeToLiveStatus != types.TimeToLiveStatusEnabled {
		t.Errorf("TTL = %q %s", aws.ToString(d.AttributeName), d.TimeToLiveStatus)
	}
}
