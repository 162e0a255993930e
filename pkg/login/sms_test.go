package login_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/portalpass/portalpass/pkg/identifier/e164"
	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/login/logintest"
	"github.com/portalpass/portalpass/pkg/store/memstore"
)

// newSMSWorld is newWorld with the stack's SMS countries and the
// per-identifier and per-IP limits relaxed, so that floods reach the SMS
// ceilings rather than those.
func newSMSWorld(t *testing.T, countries ...string) *world {
	t.Helper()
	w := &world{store: memstore.New(), clock: logintest.NewClock(start), email: &logintest.Sender{}, sms: &logintest.Sender{}, keys: map[string]login.APIKey{}}
	w.svc = login.New(login.Deps{
		Store: w.store, Email: w.email, SMS: w.sms, Clock: w.clock, BaseURL: "https://api.example.com",
		Sleep:        func(_ context.Context, d time.Duration) { w.slept.Add(1) },
		Phones:       e164.SMSInfo,
		SMSCountries: countries,
		RateLimits:   login.RateLimits{Send: 1 << 20, IP: 1 << 20},
	})
	return w
}

func (w *world) suppressed(t *testing.T, tenant string) []login.AuditEvent {
	t.Helper()
	evs, _, err := w.svc.ListEvents(context.Background(), w.keys[tenant], "", string(login.EventDeliverySuppressed), 100, "")
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

func TestSMSOnlyToAllowedTextableNumbers(t *testing.T) {
	tests := []struct {
		name      string
		stack     []string
		tenant    string // smsCountries
		phone     string
		wantSMS   int
		wantEmail int
	}{
		{"US mobile-or-fixed in the default list", nil, "", "+14155550123", 1, 1},
		{"GB mobile outside the default list", nil, "", "+447400123456", 0, 1},
		{"GB mobile in the stack's list", []string{"US", "GB"}, "", "+447400123456", 1, 1},
		{"GB landline is never texted", []string{"US", "GB"}, "", "+442079460000", 0, 1},
		{"US toll-free is never texted", nil, "", "+18005550123", 0, 1},
		{"tenant narrows to CA", nil, "CA", "+14155550123", 0, 1},
		{"tenant narrows to CA, a CA number", nil, "CA", "+16135550123", 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newSMSWorld(t, tt.stack...)
			w.tenant(t, "acme", func(s *login.Settings) { s.SMSCountries = tt.tenant })
			w.contact(t, "acme", "ana@example.com", tt.phone)
			w.request(t, login.LoginRequest{Identifier: email("ana@example.com")})
			if got := len(w.sms.Messages()); got != tt.wantSMS {
				t.Errorf("sms = %d; want %d", got, tt.wantSMS)
			}
			if got := len(w.email.Messages()); got != tt.wantEmail {
				t.Errorf("emails = %d; want %d", got, tt.wantEmail)
			}
		})
	}
}

// TestPhoneLoginToUntextableNumberKeepsAttempt: a phone login to a
// number that cannot take an SMS here is as if no phone were on file.
func TestPhoneLoginToUntextableNumberKeepsAttempt(t *testing.T) {
	w := newSMSWorld(t, "US", "GB")
	w.tenant(t, "acme", nil)
	c := w.contact(t, "acme", "ana@example.com", "+442079460000")
	w.request(t, login.LoginRequest{Identifier: email("ana@example.com")})
	before := w.loginSlot(t, "acme", c.ID)
	w.request(t, login.LoginRequest{Identifier: phone("+442079460000")})
	if n := len(w.sms.Messages()); n != 0 {
		t.Errorf("sent %d SMS to a landline", n)
	}
	if after := w.loginSlot(t, "acme", c.ID); !bytes.Equal(after, before) {
		t.Error("a phone login that sent nothing replaced the live attempt")
	}
}

func (w *world) loginSlot(t *testing.T, tenant, id string) []byte {
	t.Helper()
	c, err := w.store.GetContact(context.Background(), tenant, id)
	if err != nil {
		t.Fatal(err)
	}
	if c.Login == nil {
		return nil
	}
	return c.Login.TokenHash
}

// TestOtherChannelThatCannotSendKeepsAttempt: API.md, "when nothing can
// go out on that channel, the live attempt stays as it was".
func TestOtherChannelThatCannotSendKeepsAttempt(t *testing.T) {
	for name, phoneOnFile := range map[string]string{
		"no phone":        "",
		"country not on":  "+447400123456",
		"toll-free phone": "+18005550123",
	} {
		t.Run(name, func(t *testing.T) {
			w := newSMSWorld(t)
			w.tenant(t, "acme", nil)
			c := w.contact(t, "acme", "ana@example.com", phoneOnFile)
			w.request(t, login.LoginRequest{Identifier: email("ana@example.com")})
			before := w.loginSlot(t, "acme", c.ID)
			if before == nil {
				t.Fatal("no attempt after an email login")
			}
			w.request(t, login.LoginRequest{Identifier: email("ana@example.com"), Channel: login.ChannelSMS})
			if n := len(w.sms.Messages()); n != 0 {
				t.Errorf("sent %d SMS", n)
			}
			if after := w.loginSlot(t, "acme", c.ID); !bytes.Equal(after, before) {
				t.Error("the sms fallback that sent nothing replaced the live attempt")
			}
		})
	}
}

// TestSMSNumberCeilingAcrossTenants: 50 login requests for one number,
// by three identifiers in three tenants, send exactly 5 SMS; every
// request still succeeds and every email goes.
func TestSMSNumberCeilingAcrossTenants(t *testing.T) {
	w := newSMSWorld(t)
	const num = "+14155550123"
	tenants := []string{"acme", "globex", "initech"}
	for _, id := range tenants {
		w.tenant(t, id, nil)
		w.contact(t, id, "ana@"+id+".example", num)
	}
	for i := range 50 {
		id := tenants[i%3]
		if i%2 == 0 {
			w.request(t, login.LoginRequest{Identifier: email("ana@" + id + ".example"), Meta: login.Meta{IP: "192.0.2.1"}})
		} else {
			w.request(t, login.LoginRequest{Identifier: phone(num), Tenant: id})
		}
	}
	if got := len(w.sms.Messages()); got != login.SMSNumberLimit {
		t.Errorf("sms = %d; want %d", got, login.SMSNumberLimit)
	}
	if got := len(w.email.Messages()); got != 25 {
		t.Errorf("emails = %d; want 25", got)
	}
	n := 0
	for _, id := range tenants {
		for _, ev := range w.suppressed(t, id) {
			if ev.Detail["reason"] != "sms_number_ceiling" || ev.Channel != "sms" {
				t.Errorf("suppressed event = %+v", ev)
			}
			n++
		}
	}
	if n == 0 {
		t.Error("no delivery.suppressed event")
	}
	// A new window sends again.
	w.clock.Advance(login.SMSNumberWindow)
	w.request(t, login.LoginRequest{Identifier: phone(num), Tenant: "acme"})
	if got := len(w.sms.Messages()); got != login.SMSNumberLimit+1 {
		t.Errorf("sms after the window = %d; want %d", got, login.SMSNumberLimit+1)
	}
}

// TestSMSTenantCeiling: 300 phone logins to 300 numbers of one tenant with
// smsPerHour 200 send 180-220 SMS.
func TestSMSTenantCeiling(t *testing.T) {
	w := newSMSWorld(t)
	w.tenant(t, "acme", func(s *login.Settings) { s.SMSPerHour = 200 })
	for i := range 300 {
		w.contact(t, "acme", "", fmt.Sprintf("+1415555%04d", i))
	}
	for i := range 300 {
		w.request(t, login.LoginRequest{Identifier: phone(fmt.Sprintf("+1415555%04d", i))})
	}
	if got := len(w.sms.Messages()); got < 180 || got > 220 {
		t.Errorf("sms = %d; want 180-220", got)
	}
	if evs := w.suppressed(t, "acme"); len(evs) == 0 || evs[0].Detail["reason"] != "sms_tenant_ceiling" {
		t.Errorf("suppressed events = %d", len(evs))
	}
}

func TestSMSPerHourZeroSendsNone(t *testing.T) {
	w := newSMSWorld(t)
	w.tenant(t, "acme", func(s *login.Settings) { s.SMSPerHour = 0 })
	w.contact(t, "acme", "ana@example.com", "+14155550123")
	w.request(t, login.LoginRequest{Identifier: email("ana@example.com")})
	if len(w.sms.Messages()) != 0 || len(w.email.Messages()) != 1 {
		t.Errorf("sms = %d, emails = %d; want 0, 1", len(w.sms.Messages()), len(w.email.Messages()))
	}
}

// TestAdminSMSOverCeilingIsRateLimited: an admin send answers 429 where
// a customer's request would be suppressed; a number the tenant may not
// text is no_phone.
func TestAdminSMSOverCeilingIsRateLimited(t *testing.T) {
	ctx := context.Background()
	w := newSMSWorld(t)
	w.tenant(t, "acme", nil)
	c := w.contact(t, "acme", "ana@example.com", "+14155550123")
	send := login.LinkInput{ContactID: c.ID, Send: "sms", Purpose: login.PurposeLogin}
	for i := range login.SMSNumberLimit {
		if _, err := w.svc.GenerateLink(ctx, w.keys["acme"], send, login.Meta{}); err != nil {
			t.Fatalf("send %d: %v", i, err)
		}
	}
	_, err := w.svc.GenerateLink(ctx, w.keys["acme"], send, login.Meta{})
	if login.ErrorCode(err) != login.CodeRateLimited {
		t.Errorf("send over the ceiling = %v; want rate_limited", err)
	}
	if got := len(w.sms.Messages()); got != login.SMSNumberLimit {
		t.Errorf("sms = %d; want %d", got, login.SMSNumberLimit)
	}
	// The customer's own request is now suppressed, answered as usual.
	w.request(t, login.LoginRequest{Identifier: phone("+14155550123")})
	if got := len(w.sms.Messages()); got != login.SMSNumberLimit {
		t.Errorf("sms = %d; want %d", got, login.SMSNumberLimit)
	}

	gb := w.contact(t, "acme", "bo@example.com", "+447400123456")
	_, err = w.svc.GenerateLink(ctx, w.keys["acme"], login.LinkInput{ContactID: gb.ID, Send: "sms", Purpose: login.PurposeLogin}, login.Meta{})
	if login.ErrorCode(err) != login.CodeNoPhone {
		t.Errorf("send to a country not on = %v; want no_phone", err)
	}
}

// TestSMSNumberFloodSparesTenantHour: phone logins to a number at its
// ceiling are suppressed before the tenant's hour is counted, so that
// flooding one number does not use up the tenant's smsPerHour.
func TestSMSNumberFloodSparesTenantHour(t *testing.T) {
	w := newSMSWorld(t)
	w.tenant(t, "acme", func(s *login.Settings) { s.SMSPerHour = 20 }) // one shard of 20
	const num = "+14155550123"
	w.contact(t, "acme", "", num)
	for range 50 {
		w.request(t, login.LoginRequest{Identifier: phone(num)})
	}
	if got := len(w.sms.Messages()); got != login.SMSNumberLimit {
		t.Fatalf("sms = %d; want %d", got, login.SMSNumberLimit)
	}
	for i := range 20 - login.SMSNumberLimit {
		other := fmt.Sprintf("+1415555%04d", 100+i)
		w.contact(t, "acme", "", other)
		w.request(t, login.LoginRequest{Identifier: phone(other)})
	}
	if got := len(w.sms.Messages()); got != 20 {
		t.Errorf("sms = %d; want the tenant's 20", got)
	}
	w.request(t, login.LoginRequest{Identifier: phone("+14155550999")})
	w.contact(t, "acme", "", "+14155550998")
	w.request(t, login.LoginRequest{Identifier: phone("+14155550998")})
	if got := len(w.sms.Messages()); got != 20 {
		t.Errorf("sms = %d; want no more than the tenant's 20", got)
	}
}

// TestSMSFallbackToFullNumberKeepsAttempt: an email login asking for
// the SMS channel learns of the number's full ceiling from its write
// (it reads nothing of the number) and then leaves the live attempt as it
// was, audited as suppressed.
func TestSMSFallbackToFullNumberKeepsAttempt(t *testing.T) {
	ctx := context.Background()
	w := newSMSWorld(t)
	w.tenant(t, "acme", nil)
	c := w.contact(t, "acme", "ana@example.com", "+14155550123")
	for i := range login.SMSNumberLimit {
		if _, err := w.svc.GenerateLink(ctx, w.keys["acme"], login.LinkInput{ContactID: c.ID, Send: "sms", Purpose: login.PurposeLogin}, login.Meta{}); err != nil {
			t.Fatalf("admin sms %d: %v", i, err)
		}
	}
	w.request(t, login.LoginRequest{Identifier: email("ana@example.com")})
	before := w.loginSlot(t, "acme", c.ID)
	if before == nil || len(w.email.Messages()) != 1 {
		t.Fatal("the email login did not go out by email")
	}
	w.request(t, login.LoginRequest{Identifier: email("ana@example.com"), Channel: login.ChannelSMS})
	if got := len(w.sms.Messages()); got != login.SMSNumberLimit {
		t.Errorf("sms = %d; want %d", got, login.SMSNumberLimit)
	}
	if after := w.loginSlot(t, "acme", c.ID); !bytes.Equal(after, before) {
		t.Error("the sms fallback to a full number replaced the live attempt")
	}
	evs := w.suppressed(t, "acme")
	if len(evs) != 2 {
		t.Fatalf("suppressed events = %d; want 2 (the code by SMS, the fallback)", len(evs))
	}
	for _, ev := range evs {
		if ev.Detail["reason"] != "sms_number_ceiling" || ev.ContactID != c.ID {
			t.Errorf("suppressed event = %+v", ev)
		}
	}
}
