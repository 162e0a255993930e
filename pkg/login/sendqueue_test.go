package login_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/portalpass/portalpass/pkg/identifier/e164"
	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/login/logintest"
	"github.com/portalpass/portalpass/pkg/store/memstore"
)

// fakeQueue is a SendQueue that keeps what it is given, or fails.
type fakeQueue struct {
	mu   sync.Mutex
	fail error
	got  []login.QueuedSend
}

func (q *fakeQueue) Enqueue(_ context.Context, s login.QueuedSend) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.fail != nil {
		return q.fail
	}
	q.got = append(q.got, s)
	return nil
}

func queueWorld(t *testing.T, q login.SendQueue) (*world, *bytes.Buffer) {
	t.Helper()
	var logs bytes.Buffer
	w := &world{store: memstore.New(), clock: logintest.NewClock(start), email: &logintest.Sender{}, sms: &logintest.Sender{}, keys: map[string]login.APIKey{}}
	w.svc = login.New(login.Deps{
		Store: w.store, Email: w.email, SMS: w.sms, Clock: w.clock, BaseURL: "https://api.example.com",
		Sleep: func(context.Context, time.Duration) {}, Phones: e164.SMSInfo, SendQueue: q,
		Logger: slog.New(slog.NewTextHandler(&logs, nil)),
	})
	w.tenant(t, "acme", nil)
	return w, &logs
}

func (w *world) failedEvents() []login.AuditEvent {
	var got []login.AuditEvent
	for _, ev := range w.store.Events() {
		if ev.Type == login.EventDeliveryFailed {
			got = append(got, ev)
		}
	}
	return got
}

var (
	errThrottled = &login.DeliveryError{Reason: login.ReasonThrottled, Code: "TooManyRequestsException", Err: errors.New("ses: send: throttled")}
	errRejected  = &login.DeliveryError{Reason: login.ReasonRejected, Code: "MessageRejected", Err: errors.New("ses: send: rejected")}
)

// TestTransientFailureQueued: a transient failure hands the very message
// (link, code, address) to the queue with its expiry and contact, and
// audits nothing; a permanent one, an unclassified one or a failed
// enqueue is audited at once as before.
func TestTransientFailureQueued(t *testing.T) {
	for _, tt := range []struct {
		name       string
		err        error
		queueFails bool
		queued     bool
		reason     string
	}{
		{"throttled", errThrottled, false, true, ""},
		{"timeout", &login.DeliveryError{Reason: login.ReasonTimeout, Err: errors.New("deadline")}, false, true, ""},
		{"5xx", &login.DeliveryError{Reason: login.ReasonProviderError, Code: "503", Err: errors.New("503")}, false, true, ""},
		{"rejected", errRejected, false, false, "rejected"},
		{"unclassified", errors.New("provider said no"), false, false, "unknown"},
		{"enqueue fails", errThrottled, true, false, "throttled"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			q := &fakeQueue{}
			if tt.queueFails {
				q.fail = errors.New("sqs: unavailable")
			}
			w, logs := queueWorld(t, q)
			c := w.contact(t, "acme", "ana@example.com", "")
			w.email.SetFail(tt.err)
			w.request(t, login.LoginRequest{Identifier: email("ana@example.com")})
			if got := len(q.got); (got == 1) != tt.queued {
				t.Fatalf("queued %d messages; want queued=%v", got, tt.queued)
			}
			failed := w.failedEvents()
			if tt.queued {
				if len(failed) != 0 {
					t.Errorf("a queued message was audited as failed: %+v", failed)
				}
				qs := q.got[0]
				m := qs.Message
				if m.To != "ana@example.com" || m.Code == "" || !strings.Contains(m.Link, "token=") || m.Kind != login.KindLogin {
					t.Errorf("queued message = %+v; want the login message", m)
				}
				if want := start.Add(m.TTL); !qs.ExpiresAt.Equal(want) {
					t.Errorf("ExpiresAt = %v; want %v", qs.ExpiresAt, want)
				}
				if len(qs.Targets) != 1 || qs.Targets[0] != (login.Target{TenantID: "acme", ContactID: c.ID}) {
					t.Errorf("Targets = %+v", qs.Targets)
				}
				if !strings.Contains(logs.String(), `msg="delivery queued"`) || strings.Contains(logs.String(), "ana@example.com") || strings.Contains(logs.String(), m.Code) {
					t.Errorf("log:\n%s", logs)
				}
				return
			}
			if len(failed) != 1 || failed[0].Detail["reason"] != tt.reason || failed[0].ContactID != c.ID {
				t.Errorf("delivery.failed = %+v; want one with reason %q", failed, tt.reason)
			}
		})
	}
}

// TestResend: the queued message is sent as it is (the same link and
// code); an expired one, a refusal and the last transient failure are
// audited on the contact; an earlier transient failure is retried.
func TestResend(t *testing.T) {
	q := &fakeQueue{}
	w, logs := queueWorld(t, q)
	c := w.contact(t, "acme", "ana@example.com", "")
	w.email.SetFail(errThrottled)
	w.request(t, login.LoginRequest{Identifier: email("ana@example.com")})
	if len(q.got) != 1 {
		t.Fatalf("queued %d; want 1", len(q.got))
	}
	qs := q.got[0]
	ctx := context.Background()

	if out := w.svc.Resend(ctx, qs, false); out != login.ResendRetry {
		t.Errorf("still throttled: %v; want retry", out)
	}
	if out := w.svc.Resend(ctx, qs, true); out != login.ResendGaveUp {
		t.Errorf("throttled on the last try: %v; want gave_up", out)
	}
	if f := w.failedEvents(); len(f) != 1 || f[0].Detail["reason"] != "throttled" || f[0].Detail["providerCode"] != "TooManyRequestsException" || f[0].ContactID != c.ID {
		t.Errorf("after the last try: %+v", f)
	}

	w.email.SetFail(errRejected)
	if out := w.svc.Resend(ctx, qs, false); out != login.ResendDropped {
		t.Errorf("rejected: %v; want dropped", out)
	}
	if f := w.failedEvents(); len(f) != 2 || f[1].Detail["reason"] != "rejected" {
		t.Errorf("after a refusal: %+v", f)
	}

	w.email.SetFail(nil)
	if out := w.svc.Resend(ctx, qs, false); out != login.ResendSent {
		t.Errorf("provider back: %v; want sent", out)
	}
	// The queued message itself; sending names the origin host, as it
	// did for the first try (the one field send fills in).
	want := qs.Message
	if want.OriginHost == "" {
		want.OriginHost = w.email.Last().OriginHost
	}
	if got := w.email.Last(); got != want || got.OriginHost == "" {
		t.Errorf("sent %+v; want the queued message itself", got)
	}
	// The link that went out is the request's: it logs in.
	_, tok, _ := strings.Cut(qs.Message.Link, "token=")
	if _, err := w.svc.RedeemLink(ctx, tok, login.LoginOpts{}); err != nil {
		t.Errorf("the resent link does not redeem: %v", err)
	}

	w.email.Reset()
	w.clock.Set(qs.ExpiresAt)
	if out := w.svc.Resend(ctx, qs, false); out != login.ResendDropped {
		t.Errorf("expired: %v; want dropped", out)
	}
	if len(w.email.Messages()) != 0 {
		t.Error("an expired message was sent")
	}
	f := w.failedEvents()
	if last := f[len(f)-1]; last.Detail["reason"] != "expired" || last.ContactID != c.ID || last.Channel != "email" {
		t.Errorf("expired: %+v", last)
	}
	for _, secret := range []string{"ana@example.com", qs.Message.Code, tok} {
		if strings.Contains(logs.String(), secret) {
			t.Errorf("log holds %q", secret)
		}
	}
}
