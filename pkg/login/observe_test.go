package login_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/portalpass/portalpass/pkg/identifier/e164"
	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/login/logintest"
	"github.com/portalpass/portalpass/pkg/store/memstore"
)

// recorder is an Observer that keeps what it learns.
type recorder struct {
	mu      sync.Mutex
	events  []login.EventType
	sent    []login.Channel
	limited int
}

func (r *recorder) Recorded(_ context.Context, evs []login.AuditEvent) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, e := range evs {
		r.events = append(r.events, e.Type)
	}
}

func (r *recorder) Sent(_ context.Context, ch login.Channel, _ login.MessageKind, _ string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sent = append(r.sent, ch)
}

func (r *recorder) RateLimited(context.Context) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.limited++
}

func (r *recorder) count(typ login.EventType) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, e := range r.events {
		if e == typ {
			n++
		}
	}
	return n
}

// TestObserverSeesWhatTheStoresWrite: the observer learns the flows'
// events from the stores they are written to, the sends from the
// senders, and every rate limit, with no call from the flows themselves.
func TestObserverSeesWhatTheStoresWrite(t *testing.T) {
	obs := &recorder{}
	w := &world{store: memstore.New(), clock: logintest.NewClock(start), email: &logintest.Sender{}, sms: &logintest.Sender{}, keys: map[string]login.APIKey{}}
	w.svc = login.New(login.Deps{
		Store: w.store, Email: w.email, SMS: w.sms, Clock: w.clock, BaseURL: "https://api.example.com",
		Sleep: func(context.Context, time.Duration) {}, Phones: e164.SMSInfo, Observer: obs,
	})
	w.tenant(t, "acme", nil)
	w.contact(t, "acme", "ana@example.com", "")
	if obs.count(login.EventContactCreated) != 1 {
		t.Errorf("contact.created not observed: %v", obs.events)
	}
	ctx := context.Background()
	for range login.SendLimit {
		w.request(t, login.LoginRequest{Identifier: email("ana@example.com")})
	}
	if err := w.svc.RequestLogin(ctx, login.LoginRequest{Identifier: email("ana@example.com")}); login.ErrorCode(err) != login.CodeRateLimited {
		t.Fatalf("request over the limit: %v", err)
	}
	if obs.count(login.EventLoginRequested) != login.SendLimit || len(obs.sent) != login.SendLimit || obs.limited != 1 {
		t.Errorf("requested %d, sent %d, limited %d", obs.count(login.EventLoginRequested), len(obs.sent), obs.limited)
	}
	m := w.email.Last()
	if _, err := w.svc.LoginWithCode(ctx, login.CodeLogin{Identifier: email("ana@example.com"), Code: wrongDigits(m.Code)}, login.LoginOpts{}); err == nil {
		t.Fatal("a wrong code logged in")
	}
	if _, err := w.svc.RedeemLink(ctx, tokenOf(m), login.LoginOpts{}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.RedeemLink(ctx, tokenOf(m), login.LoginOpts{}); err == nil {
		t.Fatal("a link redeemed twice")
	}
	for typ, n := range map[login.EventType]int{login.EventCodeFailed: 1, login.EventLoginRedeemed: 1, login.EventLoginFailed: 1} {
		if got := obs.count(typ); got != n {
			t.Errorf("%s observed %d times, want %d", typ, got, n)
		}
	}
}

func wrongDigits(code string) string {
	b := []byte(code)
	b[0] = '0' + (b[0]-'0'+1)%10
	return string(b)
}
