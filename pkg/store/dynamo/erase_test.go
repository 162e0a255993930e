package dynamo

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/portalpass/portalpass/pkg/awstest"
	"github.com/portalpass/portalpass/pkg/login"
)

// scan returns every item of the fixture's table.
func (f *fixture) scan(t *testing.T) []item {
	t.Helper()
	in := &dynamodb.ScanInput{TableName: &f.table}
	var out []item
	for {
		page, err := f.db.Scan(awstest.Ctx(t), in)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range page.Items {
			out = append(out, m)
		}
		if len(page.LastEvaluatedKey) == 0 {
			return out
		}
		in.ExclusiveStartKey = page.LastEvaluatedKey
	}
}

// wantErased checks, item by item, that nothing of t1/c1 is left but its
// audit records, and those without address, user agent or its email.
func (f *fixture) wantErased(t *testing.T) {
	t.Helper()
	for _, m := range f.scan(t) {
		pk, sk := m.str(attrPK), m.str(attrSK)
		switch {
		case strings.HasPrefix(pk, "TENANT#t1#AUDIT#"):
			if m.str(attrIP) != "" || m.str(attrUserAgent) != "" {
				t.Errorf("audit record %s keeps ip %q, ua %q", sk, m.str(attrIP), m.str(attrUserAgent))
			}
			es, err := eventsOf(m)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range es {
				for k, v := range e.Detail {
					if strings.Contains(v, f.c.Email) {
						t.Errorf("event %s keeps detail %s = %q", e.ID, k, v)
					}
				}
			}
		case strings.Contains(pk, "t1#c1"), sk == identTenantSK("t1"):
			t.Errorf("item %s | %s is left", pk, sk)
		}
	}
}

// TestEraseManySessions erases a contact with more sessions than one
// transaction holds, and a retry finishes what an interrupted one left.
func TestEraseManySessions(t *testing.T) {
	f := newFixture(t, false)
	ctx := awstest.Ctx(t)
	for i := range 130 {
		s := session(string(rune('A'+i)), t0)
		if _, err := f.db.PutItem(ctx, &dynamodb.PutItemInput{TableName: f.s.table, Item: sessionItem(s)}); err != nil {
			t.Fatal(err)
		}
	}
	ev := login.AuditEvent{ID: "e1", TenantID: "t1", At: t0, Type: login.EventDeliveryBounced, ContactID: "c1",
		Actor: "system", IP: "192.0.2.1", UserAgent: "ua", Detail: map[string]string{"to": f.c.Email}}
	if err := f.s.RecordEvents(ctx, []login.AuditEvent{ev}); err != nil {
		t.Fatal(err)
	}
	f.calls.Reset()
	erased := login.AuditEvent{ID: "e2", TenantID: "t1", At: t0, Type: login.EventContactErased, ContactID: "c1", Actor: "apikey:k"}
	if err := f.s.EraseContact(ctx, "t1", "c1", t0, []login.AuditEvent{erased}); err != nil {
		t.Fatalf("EraseContact: %v", err)
	}
	if tx := f.calls.Count("TransactWriteItems"); tx != 2 {
		t.Errorf("transactions = %d; want 2", tx)
	}
	f.wantErased(t)

	// An erase that stopped after its first transaction left a session
	// and an unscrubbed record: a retry is not found, and finishes it.
	if _, err := f.db.PutItem(ctx, &dynamodb.PutItemInput{TableName: f.s.table, Item: sessionItem(session("left", t0))}); err != nil {
		t.Fatal(err)
	}
	ev.ID = "e3"
	if err := f.s.RecordEvents(ctx, []login.AuditEvent{ev}); err != nil {
		t.Fatal(err)
	}
	err := f.s.EraseContact(ctx, "t1", "c1", t0.Add(time.Minute), nil)
	if !errors.Is(err, login.ErrNotFound) {
		t.Fatalf("EraseContact again = %v; want ErrNotFound", err)
	}
	f.wantErased(t)
}
