package login_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/portalpass/portalpass/pkg/identifier/e164"
	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/login/logintest"
	"github.com/portalpass/portalpass/pkg/store/memstore"
)

// world is a Service on the embedded store with fake clock and senders.
type world struct {
	svc   *login.Service
	store *memstore.Store
	clock *logintest.Clock
	email *logintest.Sender
	sms   *logintest.Sender
	slept atomic.Int64
	keys  map[string]login.APIKey
}

var start = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{store: memstore.New(), clock: logintest.NewClock(start), email: &logintest.Sender{}, sms: &logintest.Sender{}, keys: map[string]login.APIKey{}}
	w.svc = login.New(login.Deps{
		Store: w.store, Email: w.email, SMS: w.sms, Clock: w.clock, BaseURL: "https://api.example.com",
		Sleep:  func(_ context.Context, d time.Duration) { w.slept.Add(1) },
		Phones: e164.SMSInfo,
	})
	return w
}

func (w *world) tenant(t *testing.T, id string, edit func(*login.Settings)) {
	t.Helper()
	st := login.DefaultSettings("https://portal." + id + ".example")
	if edit != nil {
		edit(&st)
	}
	ctx := context.Background()
	if _, err := w.svc.CreateTenant(ctx, id, strings.ToUpper(id), st); err != nil {
		t.Fatal(err)
	}
	key, _, err := w.svc.NewAPIKey(ctx, id, "test")
	if err != nil {
		t.Fatal(err)
	}
	k, err := w.svc.Authenticate(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	w.keys[id] = k
}

// contact makes a contact with portal access.
func (w *world) contact(t *testing.T, tenant, email, phone string) login.Contact {
	t.Helper()
	a := login.AccessActive
	in := login.ContactInput{Access: &a}
	if email != "" {
		in.Email = &email
	}
	if phone != "" {
		in.Phone = &phone
	}
	c, err := w.svc.CreateContact(context.Background(), w.keys[tenant], in, login.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func email(v string) login.Identifier { return login.Identifier{Kind: login.IdentEmail, Value: v} }
func phone(v string) login.Identifier { return login.Identifier{Kind: login.IdentPhone, Value: v} }

func (w *world) request(t *testing.T, r login.LoginRequest) {
	t.Helper()
	if err := w.svc.RequestLogin(context.Background(), r); err != nil {
		t.Fatalf("request login: %v", err)
	}
}

func tokenOf(m login.Message) string {
	_, tok, _ := strings.Cut(m.Link, "token=")
	return tok
}

func TestLinkTokenShape(t *testing.T) {
	w := newWorld(t)
	w.tenant(t, "acme", nil)
	w.contact(t, "acme", "ana@example.com", "")
	w.request(t, login.LoginRequest{Identifier: email("ana@example.com"), Redirect: "/invoices/42"})
	m := w.email.Last()
	if !strings.HasPrefix(m.Link, "https://api.example.com/v1/login/redeem?token=l.acme.") {
		t.Fatalf("link = %q", m.Link)
	}
	f := strings.Split(tokenOf(m), ".")
	if secret := f[len(f)-1]; len(secret) < 43 {
		t.Errorf("secret part has %d characters; want at least 43 (256 bits)", len(secret))
	}
	if len(m.Code) != 6 || strings.Trim(m.Code, "0123456789") != "" {
		t.Errorf("code = %q; want 6 digits", m.Code)
	}
	// Only hashes are stored: neither the token nor the code is in the store.
	c, _ := w.store.GetContact(context.Background(), "acme", f[2])
	for _, b := range [][]byte{c.Login.TokenHash, c.Login.CodeHash} {
		if strings.Contains(string(b), m.Code) || len(b) != 32 {
			t.Errorf("stored %x is not a SHA-256 hash", b)
		}
	}
	if c.Login.ExpiresAt != start.Add(10*time.Minute) || c.Login.TriesLeft != 5 {
		t.Errorf("slot expires %v with %d tries; want 10 minutes and 5", c.Login.ExpiresAt, c.Login.TriesLeft)
	}
}

func TestUnknownIdentifierSendsNothingButWaits(t *testing.T) {
	w := newWorld(t)
	w.tenant(t, "acme", nil)
	w.request(t, login.LoginRequest{Identifier: email("nobody@example.com")})
	if n := len(w.email.Messages()) + len(w.sms.Messages()); n != 0 {
		t.Errorf("sent %d messages for an unknown identifier", n)
	}
	if w.slept.Load() != 1 {
		t.Errorf("the unknown-identifier path did not wait like a send")
	}
}

func TestDelivery(t *testing.T) {
	tests := []struct {
		name       string
		id         login.Identifier
		channel    login.Channel
		smsLogin   bool
		wantEmails int
		wantSMS    int
		wantSMSTo  string
	}{
		{"email login also sends the code by SMS", email("ana@example.com"), "", true, 1, 1, "+14155550123"},
		{"phone login goes by SMS", phone("+14155550123"), "", true, 0, 1, "+14155550123"},
		{"other channel from email is SMS only", email("ana@example.com"), login.ChannelSMS, true, 0, 1, "+14155550123"},
		{"other channel from phone is email", phone("+14155550123"), login.ChannelEmail, true, 1, 0, ""},
		{"smsLogin off ignores phone logins", phone("+14155550123"), "", false, 0, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			w.tenant(t, "acme", func(s *login.Settings) { s.SMSLogin = tt.smsLogin })
			w.contact(t, "acme", "ana@example.com", "+14155550123")
			w.request(t, login.LoginRequest{Identifier: tt.id, Channel: tt.channel})
			if got := len(w.email.Messages()); got != tt.wantEmails {
				t.Errorf("emails = %d; want %d", got, tt.wantEmails)
			}
			if got := len(w.sms.Messages()); got != tt.wantSMS {
				t.Fatalf("sms = %d; want %d", got, tt.wantSMS)
			}
			if tt.wantSMS > 0 && (w.sms.Last().To != tt.wantSMSTo || w.sms.Last().Code == "") {
				t.Errorf("sms = %+v", w.sms.Last())
			}
		})
	}
}

func TestChannelSendsOnlyToWhatIsOnFile(t *testing.T) {
	w := newWorld(t)
	w.tenant(t, "acme", nil)
	w.contact(t, "acme", "ana@example.com", "") // no phone on file
	w.request(t, login.LoginRequest{Identifier: email("ana@example.com"), Channel: login.ChannelSMS})
	if n := len(w.sms.Messages()) + len(w.email.Messages()); n != 0 {
		t.Errorf("sent %d messages with nothing on file for that channel", n)
	}
}

func TestSeveralTenantsShortestLifetimeLongestCode(t *testing.T) {
	w := newWorld(t)
	w.tenant(t, "acme", func(s *login.Settings) { s.LinkTTL, s.CodeLength = 15*time.Minute, 4 })
	w.tenant(t, "beta", func(s *login.Settings) { s.LinkTTL, s.CodeLength = 5*time.Minute, 8 })
	w.contact(t, "acme", "ana@example.com", "")
	w.contact(t, "beta", "ana@example.com", "")
	w.request(t, login.LoginRequest{Identifier: email("ana@example.com")})
	msgs := w.email.Messages()
	if len(msgs) != 1 {
		t.Fatalf("sent %d emails; want one for both tenants", len(msgs))
	}
	if m := msgs[0]; m.TTL != 5*time.Minute || len(m.Code) != 8 || !strings.Contains(m.Link, "token=m.") {
		t.Errorf("message TTL %v code %q link %q; want 5m, 8 digits, a several-tenant token", m.TTL, m.Code, m.Link)
	}
	w.clock.Advance(5*time.Minute + time.Second)
	if _, err := w.svc.RedeemLink(context.Background(), tokenOf(msgs[0]), login.LoginOpts{}); login.ErrorCode(err) != login.CodeLinkExpired {
		t.Errorf("redeem after the shortest lifetime = %v; want link_expired", err)
	}
}

func TestPickerByCode(t *testing.T) {
	w := newWorld(t)
	w.tenant(t, "acme", nil)
	w.tenant(t, "beta", nil)
	w.contact(t, "acme", "ana@example.com", "")
	beta := w.contact(t, "beta", "ana@example.com", "")
	w.request(t, login.LoginRequest{Identifier: email("ana@example.com")})
	m := w.email.Last()
	ctx := context.Background()
	out, err := w.svc.LoginWithCode(ctx, login.CodeLogin{Identifier: email("ana@example.com"), Code: m.Code}, login.LoginOpts{})
	if err != nil || out.Picker == nil || len(out.Picker.Tenants) != 2 {
		t.Fatalf("code login = %+v, %v; want a picker of two tenants", out, err)
	}
	// Link and code are one attempt: the link is spent too.
	if _, err := w.svc.RedeemLink(ctx, tokenOf(m), login.LoginOpts{}); login.ErrorCode(err) != login.CodeLinkInvalid {
		t.Errorf("link after its code = %v; want link_invalid", err)
	}
	got, err := w.svc.PickTenant(ctx, out.Picker.Token, "beta", login.LoginOpts{})
	if err != nil || got.Session.Session.ContactID != beta.ID || got.Session.Session.Via != "code" {
		t.Fatalf("pick = %+v, %v", got.Session, err)
	}
	if _, err := w.svc.PickTenant(ctx, out.Picker.Token, "acme", login.LoginOpts{}); login.ErrorCode(err) != login.CodeLinkInvalid {
		t.Errorf("second pick = %v; want link_invalid", err)
	}
}

func TestLoginEndsInviteLink(t *testing.T) {
	w := newWorld(t)
	w.tenant(t, "acme", nil)
	ctx := context.Background()
	c, _, err := w.svc.Invite(ctx, w.keys["acme"], login.InviteInput{Email: "ana@example.com"}, login.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	invite := w.email.Last()
	if invite.Kind != login.KindInvite || invite.TTL != 7*24*time.Hour || invite.Code != "" {
		t.Fatalf("invite message = %+v", invite)
	}
	w.request(t, login.LoginRequest{Identifier: email("ana@example.com")})
	if _, err := w.svc.LoginWithCode(ctx, login.CodeLogin{Identifier: email("ana@example.com"), Code: w.email.Last().Code}, login.LoginOpts{}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.RedeemLink(ctx, tokenOf(invite), login.LoginOpts{}); login.ErrorCode(err) != login.CodeLinkInvalid {
		t.Errorf("invite after a login = %v; want link_invalid", err)
	}
	got, _ := w.svc.GetContact(ctx, w.keys["acme"], c.ID)
	if got.PortalAccess() != login.AccessActive {
		t.Errorf("portal access after first login = %q; want active", got.PortalAccess())
	}
}

func TestFailedDeliveryKeepsAttemptAndAudits(t *testing.T) {
	w := newWorld(t)
	w.tenant(t, "acme", nil)
	w.contact(t, "acme", "ana@example.com", "")
	w.email.SetFail(errors.New("provider said no"))
	w.request(t, login.LoginRequest{Identifier: email("ana@example.com")}) // still nil: no enumeration
	var failed bool
	for _, ev := range w.store.Events() {
		failed = failed || ev.Type == login.EventDeliveryFailed
	}
	if !failed {
		t.Error("no delivery.failed event")
	}
	if err := w.svc.RequestLogin(context.Background(), login.LoginRequest{Identifier: email("ana@example.com")}); err != nil {
		t.Errorf("request after a failed send = %v", err)
	}
}

func TestAuditEventsHoldNoSecrets(t *testing.T) {
	w := newWorld(t)
	w.tenant(t, "acme", nil)
	w.contact(t, "acme", "ana@example.com", "")
	w.request(t, login.LoginRequest{Identifier: email("ana@example.com"), Meta: login.Meta{IP: "198.51.100.7", UserAgent: "test"}})
	m := w.email.Last()
	ctx := context.Background()
	if _, err := w.svc.LoginWithCode(ctx, login.CodeLogin{Identifier: email("ana@example.com"), Code: "000000"}, login.LoginOpts{}); err == nil {
		t.Fatal("wrong code accepted")
	}
	out, err := w.svc.RedeemLink(ctx, tokenOf(m), login.LoginOpts{})
	if err != nil {
		t.Fatal(err)
	}
	_ = w.svc.Logout(ctx, out.Session.Token, login.Meta{})
	types := map[login.EventType]bool{}
	for _, ev := range w.store.Events() {
		types[ev.Type] = true
		all := ev.ID + string(ev.Type) + ev.ContactID + ev.Actor + ev.IP + ev.UserAgent
		for k, v := range ev.Detail {
			all += k + v
		}
		for _, secret := range []string{tokenOf(m), m.Code, out.Session.Token} {
			if strings.Contains(all, secret) {
				t.Errorf("event %s holds a secret", ev.Type)
			}
		}
	}
	for _, want := range []login.EventType{login.EventLoginRequested, login.EventCodeFailed, login.EventLoginRedeemed, login.EventSessionCreated, login.EventLogout} {
		if !types[want] {
			t.Errorf("no %s event among %v", want, types)
		}
	}
}
