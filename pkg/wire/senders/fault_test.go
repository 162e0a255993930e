package senders

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"html"
	"log/slog"
	"math/big"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/smithy-go"

	"github.com/portalpass/portalpass/pkg/awstest"
	"github.com/portalpass/portalpass/pkg/config"
	"github.com/portalpass/portalpass/pkg/identifier/e164"
	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/store/memstore"
	"github.com/portalpass/portalpass/pkg/wire/senders/faults"
)

func TestMain(m *testing.M) { awstest.Main(m) }

// recorder keeps the messages the core handed to the real sender: the
// link and code the request produced.
type recorder struct {
	login.Sender
	mu   sync.Mutex
	msgs []login.Message
}

func (r *recorder) Send(ctx context.Context, m login.Message) error {
	r.mu.Lock()
	r.msgs = append(r.msgs, m)
	r.mu.Unlock()
	return r.Sender.Send(ctx, m)
}

func (r *recorder) last(t *testing.T) login.Message {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.msgs) == 0 {
		t.Fatal("the core sent nothing")
	}
	return r.msgs[len(r.msgs)-1]
}

// fx is a login.Service on the embedded store whose senders are the real
// SES and SNS senders of New on moto, with a fault injected.
type fx struct {
	endpoint string
	svc      *login.Service
	store    *memstore.Store
	email    *recorder
	sms      *recorder
	logs     *bytes.Buffer
	key      login.APIKey
}

func unique() string { return strings.ToLower(rand.Text()) }

func setup(t *testing.T, timeout time.Duration, f *faults.Fault) *fx {
	t.Helper()
	ep := awstest.Endpoint(t)
	ctx := awstest.Ctx(t)
	domain := unique() + ".example.com"
	c := sesv2.NewFromConfig(awstest.Config(ep))
	if _, err := c.CreateEmailIdentity(ctx, &sesv2.CreateEmailIdentityInput{EmailIdentity: aws.String(domain)}); err != nil {
		t.Fatalf("create identity: %v", err)
	}
	email, sms := newSenders(config.Config{EmailFrom: "login@" + domain}, awstest.Config(ep), timeout, f.Add)
	x := &fx{endpoint: ep, store: memstore.New(), email: &recorder{Sender: email}, sms: &recorder{Sender: sms}, logs: &bytes.Buffer{}}
	x.svc = login.New(login.Deps{
		Store: x.store, Email: x.email, SMS: x.sms, BaseURL: "https://api.example.com",
		Sleep:  func(context.Context, time.Duration) {},
		Phones: e164.SMSInfo,
		Logger: slog.New(slog.NewTextHandler(&lockedWriter{w: x.logs}, nil)),
	})
	if _, err := x.svc.CreateTenant(ctx, "acme", "Acme", login.DefaultSettings("https://portal.acme.example")); err != nil {
		t.Fatal(err)
	}
	raw, _, err := x.svc.NewAPIKey(ctx, "acme", "test")
	if err != nil {
		t.Fatal(err)
	}
	if x.key, err = x.svc.Authenticate(ctx, raw); err != nil {
		t.Fatal(err)
	}
	return x
}

type lockedWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func (x *fx) contact(t *testing.T, email, phone string) login.Contact {
	t.Helper()
	a := login.AccessActive
	in := login.ContactInput{Access: &a}
	if email != "" {
		in.Email = &email
	}
	if phone != "" {
		in.Phone = &phone
	}
	c, err := x.svc.CreateContact(context.Background(), x.key, in, login.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (x *fx) request(t *testing.T, id login.Identifier) {
	t.Helper()
	if err := x.svc.RequestLogin(context.Background(), login.LoginRequest{Identifier: id}); err != nil {
		t.Fatalf("request login: %v", err) // a failed send never fails the request
	}
}

// failed returns the contact's delivery.failed events.
func (x *fx) failed(contactID string) []login.AuditEvent {
	var out []login.AuditEvent
	for _, ev := range x.store.Events() {
		if ev.Type == login.EventDeliveryFailed && ev.ContactID == contactID {
			out = append(out, ev)
		}
	}
	return out
}

// redeems reports whether the link of m still logs in.
func (x *fx) redeems(t *testing.T, m login.Message) {
	t.Helper()
	_, tok, _ := strings.Cut(m.Link, "token=")
	if _, err := x.svc.RedeemLink(context.Background(), tok, login.LoginOpts{}); err != nil {
		t.Errorf("the request's link does not redeem: %v", err)
	}
}

// phone returns a fictional US number, random enough for a shared moto.
func phone() string {
	n, _ := rand.Int(rand.Reader, big.NewInt(100))
	return fmt.Sprintf("+1415555%04d", 100+n.Int64())
}

// TestTransientEmailFailuresRetried: two throttled attempts, then SES
// takes the email: one email, with the link and code the request made.
func TestTransientEmailFailuresRetried(t *testing.T) {
	addr := unique() + "@customer.example"
	f := faults.New("SendEmail", 2, faults.HTTPErr(400, "TooManyRequestsException", smithy.FaultClient, addr))
	x := setup(t, SendTimeout, f)
	c := x.contact(t, addr, "")
	x.request(t, login.Identifier{Kind: login.IdentEmail, Value: addr})
	if got := f.Attempts.Load(); got != 3 {
		t.Errorf("SendEmail attempts = %d; want 3", got)
	}
	sent := awstest.SentEmails(t, x.endpoint, addr)
	if len(sent) != 1 {
		t.Fatalf("moto has %d emails to the address; want exactly 1", len(sent))
	}
	m := x.email.last(t)
	if !strings.Contains(sent[0].Body, html.EscapeString(m.Link)) || !strings.Contains(sent[0].Body, m.Code) {
		t.Errorf("the email does not carry the request's link and code")
	}
	if evs := x.failed(c.ID); len(evs) != 0 {
		t.Errorf("delivery.failed after a retried success: %+v", evs)
	}
	x.redeems(t, m)
}

// TestTransientSMSFailuresRetried: two 503s, then SNS takes the SMS.
func TestTransientSMSFailuresRetried(t *testing.T) {
	num := phone()
	f := faults.New("Publish", 2, faults.HTTPErr(503, "ServiceUnavailable", smithy.FaultServer, num))
	x := setup(t, SendTimeout, f)
	before := len(awstest.SentSMS(t, x.endpoint, num))
	x.contact(t, "", num)
	x.request(t, login.Identifier{Kind: login.IdentPhone, Value: num})
	if got := f.Attempts.Load(); got != 3 {
		t.Errorf("Publish attempts = %d; want 3", got)
	}
	sent := awstest.SentSMS(t, x.endpoint, num)
	if len(sent)-before != 1 {
		t.Fatalf("moto has %d new SMS to the number; want exactly 1", len(sent)-before)
	}
	m := x.sms.last(t)
	if last := sent[len(sent)-1].Message; !strings.Contains(last, m.Code) || (m.Link != "" && !strings.Contains(last, m.Link)) {
		t.Errorf("the SMS does not carry the request's link and code")
	}
}

// TestFailedSendAuditedWithReason: a send that fails after the retries
// (or at once, for a refusal) sends nothing, audits delivery.failed with
// its reason and code, logs one line an alarm can match without the
// address, and leaves the attempt live.
func TestFailedSendAuditedWithReason(t *testing.T) {
	tests := []struct {
		name         string
		fail         func(to string) func(context.Context) error
		timeout      time.Duration
		wantAttempts int64 // 0: not checked
		reason, code string
	}{
		{"persistent throttling", func(to string) func(context.Context) error {
			return faults.HTTPErr(400, "TooManyRequestsException", smithy.FaultClient, to)
		}, SendTimeout, SendAttempts, "throttled", "TooManyRequestsException"},
		{"persistent 5xx", func(to string) func(context.Context) error {
			return faults.HTTPErr(503, "ServiceUnavailable", smithy.FaultServer, to)
		}, SendTimeout, SendAttempts, "provider_error", "ServiceUnavailable"},
		{"refusal not retried", func(to string) func(context.Context) error {
			return faults.HTTPErr(400, "MessageRejected", smithy.FaultClient, to)
		}, SendTimeout, 1, "rejected", "MessageRejected"},
		{"timeout", func(string) func(context.Context) error { return faults.Hang }, 300 * time.Millisecond, 0, "timeout", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr := unique() + "@customer.example"
			f := faults.New("SendEmail", 1<<30, tt.fail(addr))
			x := setup(t, tt.timeout, f)
			c := x.contact(t, addr, "")
			began := time.Now()
			x.request(t, login.Identifier{Kind: login.IdentEmail, Value: addr})
			if took := time.Since(began); took > tt.timeout+time.Second {
				t.Errorf("the request took %v; the send's budget is %v", took, tt.timeout)
			}
			if tt.wantAttempts != 0 && f.Attempts.Load() != tt.wantAttempts {
				t.Errorf("SendEmail attempts = %d; want %d", f.Attempts.Load(), tt.wantAttempts)
			}
			if n := len(awstest.SentEmails(t, x.endpoint, addr)); n != 0 {
				t.Errorf("moto has %d emails to the address; want none", n)
			}
			evs := x.failed(c.ID)
			if len(evs) != 1 {
				t.Fatalf("%d delivery.failed events; want 1", len(evs))
			}
			d := evs[0].Detail
			if d["reason"] != tt.reason || d["providerCode"] != tt.code || d["channel"] != "email" {
				t.Errorf("delivery.failed detail = %v; want reason %q, code %q", d, tt.reason, tt.code)
			}
			m := x.email.last(t)
			logs := x.logs.String()
			want := fmt.Sprintf(`msg="delivery failed" reason=%s`, tt.reason)
			if strings.Count(logs, `msg="delivery failed"`) != 1 || !strings.Contains(logs, want) || !strings.Contains(logs, "tenant=acme") || !strings.Contains(logs, "channel=email") {
				t.Errorf("log does not have one %q line with channel and tenant:\n%s", want, logs)
			}
			for _, secret := range []string{addr, m.Code, tokenPart(m.Link)} {
				if strings.Contains(logs, secret) || strings.Contains(fmt.Sprint(evs), secret) {
					t.Errorf("log or audit holds %q", secret)
				}
			}
			// The failed send did not replace the attempt: its link logs in.
			x.redeems(t, m)
		})
	}
}

func tokenPart(link string) string {
	_, tok, _ := strings.Cut(link, "token=")
	return tok
}
