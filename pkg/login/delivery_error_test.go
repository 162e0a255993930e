package login_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/portalpass/portalpass/pkg/identifier/e164"
	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/login/logintest"
	"github.com/portalpass/portalpass/pkg/store/memstore"
)

// TestDeliveryFailedReason: delivery.failed carries the sender's reason
// and provider code, "unknown" for an unclassified error, and the log
// line says the same without the address.
func TestDeliveryFailedReason(t *testing.T) {
	tests := []struct {
		name         string
		err          error
		reason, code string
	}{
		{"classified", fmt.Errorf("wrapped: %w", &login.DeliveryError{Reason: login.ReasonThrottled, Code: "Throttling", Err: errors.New("ses: send: slow down")}), "throttled", "Throttling"},
		{"no code", &login.DeliveryError{Reason: login.ReasonTimeout, Err: errors.New("deadline")}, "timeout", ""},
		{"unclassified", errors.New("provider said no"), "unknown", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			w := &world{store: memstore.New(), clock: logintest.NewClock(start), email: &logintest.Sender{}, sms: &logintest.Sender{}, keys: map[string]login.APIKey{}}
			w.svc = login.New(login.Deps{
				Store: w.store, Email: w.email, SMS: w.sms, Clock: w.clock, BaseURL: "https://api.example.com",
				Sleep: func(context.Context, time.Duration) {}, Phones: e164.SMSInfo,
				Logger: slog.New(slog.NewTextHandler(&logs, nil)),
			})
			w.tenant(t, "acme", nil)
			c := w.contact(t, "acme", "ana@example.com", "")
			w.email.SetFail(tt.err)
			w.request(t, login.LoginRequest{Identifier: email("ana@example.com")})
			var got []login.AuditEvent
			for _, ev := range w.store.Events() {
				if ev.Type == login.EventDeliveryFailed {
					got = append(got, ev)
				}
			}
			if len(got) != 1 || got[0].ContactID != c.ID {
				t.Fatalf("delivery.failed events = %+v; want one for the contact", got)
			}
			if d := got[0].Detail; d["reason"] != tt.reason || d["providerCode"] != tt.code {
				t.Errorf("detail = %v; want reason %q code %q", d, tt.reason, tt.code)
			}
			line := logs.String()
			if !strings.Contains(line, `msg="delivery failed" reason=`+tt.reason) || !strings.Contains(line, "tenant=acme") {
				t.Errorf("log = %s", line)
			}
			if strings.Contains(line, "ana@example.com") {
				t.Errorf("log holds the address: %s", line)
			}
		})
	}
}
