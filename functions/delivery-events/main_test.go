package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/portalpass/portalpass/pkg/awstest"
	"github.com/portalpass/portalpass/pkg/functest"
	"github.com/portalpass/portalpass/pkg/login"
)

func TestMain(m *testing.M) { awstest.Main(m) }

// sample reads events/delivery-events/<name> with its placeholders
// replaced.
func sample(t *testing.T, name string, repl map[string]string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "events", "delivery-events", name))
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for k, v := range repl {
		s = strings.ReplaceAll(s, k, v)
	}
	return s
}

// snsEvent wraps SES records as SNS delivers them to Lambda.
func snsEvent(records ...string) events.SNSEvent {
	var ev events.SNSEvent
	for i, r := range records {
		ev.Records = append(ev.Records, events.SNSEventRecord{EventSource: "aws:sns", SNS: events.SNSEntity{
			Type: "Notification", MessageID: "m" + string(rune('0'+i)), Message: r,
		}})
	}
	return ev
}

// world is a tenant with a contact invited on its email address.
type world struct {
	e       *functest.Env
	k       login.APIKey
	contact string
	h       *handler
	repl    map[string]string
}

func setup(t *testing.T) *world {
	e := functest.Setup(t)
	key := e.Tenant(t, "acme", nil)
	e.Invite(t, key, e.Email)
	k, err := e.Seed.Authenticate(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	id := e.ContactID(t, key, e.Email)
	return &world{e: e, k: k, contact: id, h: newHandler(e.Config, e.DynamoOption),
		repl: map[string]string{"EMAIL": e.Email, "TENANT": "acme", "CONTACT": id}}
}

// events returns the contact's audit events of a type, newest first.
func (w *world) events(t *testing.T, typ login.EventType) []login.AuditEvent {
	t.Helper()
	evs, _, err := w.e.Seed.ListEvents(context.Background(), w.k, w.contact, string(typ), 50, "")
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

func (w *world) status(t *testing.T) login.EmailStatus {
	t.Helper()
	c, err := w.e.Seed.GetContact(context.Background(), w.k, w.contact)
	if err != nil {
		t.Fatal(err)
	}
	return c.EmailStatus.Shown()
}

// TestSamples replays each sample record through the real handler and
// checks the audit event it leaves and the address's status.
func TestSamples(t *testing.T) {
	tests := []struct {
		file       string
		typ        login.EventType
		detail     map[string]string
		wantStatus login.EmailStatus
	}{
		{"bounce-permanent.json", login.EventDeliveryBounced, map[string]string{"bounceType": "Permanent", "bounceSubType": "General", "status": "5.1.1"}, login.EmailBounced},
		{"bounce-transient.json", login.EventDeliveryBounced, map[string]string{"bounceType": "Transient", "status": "4.2.2"}, login.EmailOK},
		{"complaint.json", login.EventDeliveryComplained, map[string]string{"complaintFeedbackType": "abuse"}, login.EmailComplained},
		{"delivery.json", login.EventDeliveryDelivered, nil, login.EmailOK},
		{"reject.json", login.EventDeliveryRejected, map[string]string{"reason": "Bad content"}, login.EmailOK},
		{"delay.json", login.EventDeliveryDelayed, map[string]string{"delayType": "MailboxFull", "status": "4.2.2"}, login.EmailOK},
		{"bounce-untagged.json", login.EventDeliveryBounced, map[string]string{"bounceSubType": "NoEmail"}, login.EmailBounced},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			w := setup(t)
			if err := w.h.handle(context.Background(), snsEvent(sample(t, tt.file, w.repl))); err != nil {
				t.Fatalf("handle: %v", err)
			}
			evs := w.events(t, tt.typ)
			if len(evs) != 1 {
				t.Fatalf("%s events = %+v; want one", tt.typ, evs)
			}
			for k, v := range tt.detail {
				if got := evs[0].Detail[k]; got != v {
					t.Errorf("detail[%s] = %q; want %q", k, got, v)
				}
			}
			if evs[0].Actor != "system" || evs[0].Channel != "email" {
				t.Errorf("event = %+v; want actor system, channel email", evs[0])
			}
			b, _ := json.Marshal(evs[0])
			for _, secret := range []string{"diagnosticCode", "smtp;", "user unknown", w.e.Email, "Subject"} {
				if strings.Contains(string(b), secret) {
					t.Errorf("audit event holds %q: %s", secret, b)
				}
			}
			if got := w.status(t); got != tt.wantStatus {
				t.Errorf("emailStatus = %q; want %q", got, tt.wantStatus)
			}
		})
	}
}

// TestSNSEnvelope replays the SNS event exactly as Lambda receives it.
func TestSNSEnvelope(t *testing.T) {
	w := setup(t)
	var ev events.SNSEvent
	if err := json.Unmarshal([]byte(sample(t, "sns-bounce-permanent.json", nil)), &ev); err != nil {
		t.Fatal(err)
	}
	r := strings.NewReplacer("EMAIL", w.e.Email, "TENANT", "acme", "CONTACT", w.contact)
	ev.Records[0].SNS.Message = r.Replace(ev.Records[0].SNS.Message)
	w.e.Calls.Reset()
	if err := w.h.handle(context.Background(), ev); err != nil {
		t.Fatal(err)
	}
	// A tagged bounce is one write: the address's status and the audit event together.
	if got := w.e.Calls.Snapshot(); w.e.Calls.Total() != 1 || got["TransactWriteItems"] != 1 {
		t.Errorf("DynamoDB calls = %v; want one TransactWriteItems", got)
	}
	if got := w.status(t); got != login.EmailBounced {
		t.Errorf("emailStatus = %q; want bounced", got)
	}
	if n := len(w.events(t, login.EventDeliveryBounced)); n != 1 {
		t.Errorf("%d bounce events; want 1", n)
	}
}

// TestSuppressed: after a permanent bounce a login request sends nothing
// and audits delivery.suppressed, an admin send is email_undeliverable,
// and clearing the status lets mail go again.
func TestSuppressed(t *testing.T) {
	w := setup(t)
	ctx := context.Background()
	if err := w.h.handle(ctx, snsEvent(sample(t, "bounce-permanent.json", w.repl))); err != nil {
		t.Fatal(err)
	}
	before := len(w.e.Inbox.Messages())
	err := w.e.Seed.RequestLogin(ctx, login.LoginRequest{Identifier: login.Identifier{Kind: login.IdentEmail, Value: w.e.Email}})
	if err != nil {
		t.Fatalf("request login: %v", err)
	}
	if n := len(w.e.Inbox.Messages()); n != before {
		t.Errorf("a login request for a bounced address sent %d messages", n-before)
	}
	if n := len(w.events(t, login.EventDeliverySuppressed)); n != 1 {
		t.Errorf("%d delivery.suppressed events; want 1", n)
	}
	_, err = w.e.Seed.SendLoginEmail(ctx, w.k, w.contact, login.Meta{})
	if got := login.ErrorCode(err); got != login.CodeEmailUndeliverable {
		t.Errorf("SendLoginEmail = %v; want email_undeliverable", err)
	}
	ok := login.EmailOK
	c, err := w.e.Seed.UpdateContact(ctx, w.k, w.contact, login.ContactInput{EmailStatus: &ok}, login.Meta{})
	if err != nil || c.EmailStatus.Shown() != login.EmailOK {
		t.Fatalf("clear status = %+v, %v", c, err)
	}
	if _, err := w.e.Seed.SendLoginEmail(ctx, w.k, w.contact, login.Meta{}); err != nil {
		t.Errorf("SendLoginEmail after clearing: %v", err)
	}
}

// TestBadRecord: a malformed or unfollowed record is dropped, not retried.
func TestBadRecord(t *testing.T) {
	w := setup(t)
	for _, msg := range []string{`not json`, `{"eventType":"Bounce"}`, `{"eventType":"Open","mail":{}}`, `{}`} {
		if err := w.h.handle(context.Background(), snsEvent(msg)); err != nil {
			t.Errorf("handle(%q) = %v; want nil (dropped)", msg, err)
		}
	}
}
