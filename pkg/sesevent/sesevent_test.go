package sesevent_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/sesevent"
)

func sample(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "events", "delivery-events", name))
	if err != nil {
		t.Fatal(err)
	}
	r := strings.NewReplacer("EMAIL", "Ana@Example.com", "TENANT", "acme", "CONTACT", "cdxl77trccn6kn6g5zf67na776d")
	return []byte(r.Replace(string(b)))
}

func TestParseSamples(t *testing.T) {
	tests := []struct {
		file     string
		typ      login.EventType
		suppress login.EmailStatus
		contact  string
		detail   map[string]string
	}{
		{"bounce-permanent.json", login.EventDeliveryBounced, login.EmailBounced, "cdxl77trccn6kn6g5zf67na776d",
			map[string]string{"bounceType": "Permanent", "bounceSubType": "General", "status": "5.1.1"}},
		{"bounce-transient.json", login.EventDeliveryBounced, "", "cdxl77trccn6kn6g5zf67na776d",
			map[string]string{"bounceType": "Transient", "bounceSubType": "MailboxFull", "status": "4.2.2"}},
		{"bounce-untagged.json", login.EventDeliveryBounced, login.EmailBounced, "",
			map[string]string{"bounceType": "Permanent", "bounceSubType": "NoEmail", "status": "5.1.1"}},
		{"complaint.json", login.EventDeliveryComplained, login.EmailComplained, "cdxl77trccn6kn6g5zf67na776d",
			map[string]string{"complaintFeedbackType": "abuse"}},
		{"delivery.json", login.EventDeliveryDelivered, "", "cdxl77trccn6kn6g5zf67na776d", map[string]string{}},
		{"reject.json", login.EventDeliveryRejected, "", "cdxl77trccn6kn6g5zf67na776d", map[string]string{"reason": "Bad content"}},
		{"delay.json", login.EventDeliveryDelayed, "", "cdxl77trccn6kn6g5zf67na776d", map[string]string{"delayType": "MailboxFull", "status": "4.2.2"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			e, err := sesevent.Parse(sample(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if e.Type != tt.typ || e.Suppress != tt.suppress || e.ContactID != tt.contact {
				t.Errorf("Parse = %+v; want type %s, suppress %q, contact %q", e, tt.typ, tt.suppress, tt.contact)
			}
			wantTenant := "acme"
			if tt.contact == "" {
				wantTenant = "" // the untagged sample has neither tag
			}
			if e.TenantID != wantTenant || len(e.Recipients) != 1 || e.Recipients[0] != "Ana@Example.com" {
				t.Errorf("Parse = tenant %q, recipients %q", e.TenantID, e.Recipients)
			}
			if len(e.Detail) != len(tt.detail) {
				t.Errorf("Detail = %q; want %q", e.Detail, tt.detail)
			}
			for k, v := range tt.detail {
				if e.Detail[k] != v {
					t.Errorf("Detail[%s] = %q; want %q", k, e.Detail[k], v)
				}
			}
		})
	}
}

func TestParseBad(t *testing.T) {
	tests := []struct {
		name, in string
		ignored  bool
	}{
		{"not json", `{`, false},
		{"no type", `{"mail":{"destination":["a@example.com"]}}`, false},
		{"bounce without bounce", `{"eventType":"Bounce","mail":{"destination":["a@example.com"]}}`, false},
		{"no recipient", `{"eventType":"Delivery","mail":{}}`, false},
		{"wrong type", `{"eventType":"Delivery","mail":{"destination":"a@example.com"}}`, false},
		{"open", `{"eventType":"Open","mail":{"destination":["a@example.com"]},"open":{}}`, true},
		{"send", `{"eventType":"Send","mail":{"destination":["a@example.com"]},"send":{}}`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := sesevent.Parse([]byte(tt.in))
			if tt.ignored {
				if !errors.Is(err, sesevent.ErrIgnored) {
					t.Errorf("Parse = %v; want ErrIgnored", err)
				}
				return
			}
			if login.ErrorCode(err) != login.CodeInvalidRequest {
				t.Errorf("Parse = %v; want invalid_request", err)
			}
			if strings.Contains(login.ErrorMessage(err), "a@example.com") {
				t.Errorf("error quotes the address: %v", err)
			}
		})
	}
}

// TestTags: a tag that is not a well-formed id is ignored, and a
// diagnostic text never reaches the detail.
func TestTags(t *testing.T) {
	in := `{"eventType":"Bounce","bounce":{"bounceType":"Permanent","bouncedRecipients":[{"emailAddress":"a@example.com","status":"5.1.1","diagnosticCode":"smtp; 550 secret"}]},
		"mail":{"destination":["a@example.com"],"tags":{"tenant":["../x"],"contact":["nope"]}}}`
	e, err := sesevent.Parse([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if e.TenantID != "" || e.ContactID != "" {
		t.Errorf("tags = %q, %q; want none", e.TenantID, e.ContactID)
	}
	for _, v := range e.Detail {
		if strings.Contains(v, "secret") {
			t.Errorf("detail holds the diagnostic code: %q", e.Detail)
		}
	}
}

type recorder struct{ got []login.DeliveryEvent }

func (r *recorder) RecordDelivery(_ context.Context, e login.DeliveryEvent) error {
	r.got = append(r.got, e)
	return nil
}

func TestHandle(t *testing.T) {
	var r recorder
	if err := sesevent.Handle(context.Background(), &r, sample(t, "delivery.json")); err != nil {
		t.Fatal(err)
	}
	if err := sesevent.Handle(context.Background(), &r, []byte(`{"eventType":"Click","mail":{"destination":["a@example.com"]}}`)); err != nil {
		t.Errorf("Handle(Click) = %v; want nil (dropped)", err)
	}
	if len(r.got) != 1 || r.got[0].Type != login.EventDeliveryDelivered {
		t.Errorf("recorded %+v; want one delivery", r.got)
	}
}
