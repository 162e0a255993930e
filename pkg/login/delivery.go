package login

import (
	"context"
	"strings"
	"time"
)

// EmailStatus is the delivery status of an email address (API.md
// "Delivery status"). Stores persist it: append, never rename.
type EmailStatus string

// Email statuses. The zero value "" reads as EmailOK.
const (
	EmailOK         EmailStatus = "ok"
	EmailBounced    EmailStatus = "bounced"    // a permanent bounce
	EmailComplained EmailStatus = "complained" // the recipient marked a message as spam
)

// OK reports whether mail may go to an address with this status.
func (st EmailStatus) OK() bool { return st == "" || st == EmailOK }

// Shown is the status as API.md shows it: "ok" for "".
func (st EmailStatus) Shown() EmailStatus {
	if st == "" {
		return EmailOK
	}
	return st
}

// DeliveryStore keeps the delivery status of email addresses, one per
// address across tenants, as the provider's reputation is. The
// identifier's FindIdentity reads it too (IdentityRecord.EmailStatus).
type DeliveryStore interface {
	// EmailStatus returns the status of the identifier key's address; ""
	// when none is stored.
	EmailStatus(ctx context.Context, identKey string) (EmailStatus, error)
	// SetEmailStatus stores st for the identifier key's address (EmailOK
	// or "" deletes it) and appends events, in one atomic write.
	SetEmailStatus(ctx context.Context, identKey string, st EmailStatus, at time.Time, events []AuditEvent) error
}

// Suppressions is the email provider's account-level suppression list.
type Suppressions interface {
	// Unsuppress removes an address from it; an address not on it is
	// no error.
	Unsuppress(ctx context.Context, email string) error
}

// NoSuppressions is a provider without a suppression list (the dev
// server's inbox).
type NoSuppressions struct{}

// Unsuppress does nothing.
func (NoSuppressions) Unsuppress(context.Context, string) error { return nil }

// DeliveryEvent is the provider's feedback on one email it sent, parsed
// from its own format (package sesevent) into what the core needs.
type DeliveryEvent struct {
	// Type is the audit event it becomes: EventDeliveryDelivered,
	// EventDeliveryBounced, EventDeliveryComplained, EventDeliveryDelayed
	// or EventDeliveryRejected.
	Type EventType
	// TenantID and ContactID are the message's tags; either may be "".
	TenantID  string
	ContactID string
	// Recipients are the addresses the event is about.
	Recipients []string
	// Suppress is the status the event gives its recipients:
	// EmailBounced for a permanent bounce, EmailComplained for a
	// complaint, "" for none.
	Suppress EmailStatus
	// Detail is what the audit event says beside its type, such as the
	// bounce type and the diagnostic status; never the message.
	Detail map[string]string
}

// known delivery event types, the only ones RecordDelivery takes.
var deliveryTypes = map[EventType]bool{
	EventDeliveryDelivered: true, EventDeliveryBounced: true, EventDeliveryComplained: true,
	EventDeliveryDelayed: true, EventDeliveryRejected: true,
}

// RecordDelivery audits the provider's feedback on an email on the
// contacts it was for, and suppresses the recipients' addresses after a
// permanent bounce or a complaint. A message tagged with its contact
// lands on that contact; one without is matched by address, in its
// tenant when tagged with one. Feedback on an address no contact has is
// dropped.
func (s *Service) RecordDelivery(ctx context.Context, e DeliveryEvent) error {
	if !deliveryTypes[e.Type] {
		return Errorf(CodeInvalidRequest, "unknown delivery event type %q", e.Type)
	}
	if e.Suppress != "" && e.Suppress != EmailBounced && e.Suppress != EmailComplained {
		return Errorf(CodeInvalidRequest, "unknown email status %q", e.Suppress)
	}
	seen := map[string]bool{}
	for _, addr := range e.Recipients {
		addr = strings.ToLower(strings.TrimSpace(addr))
		if addr == "" || seen[addr] {
			continue
		}
		seen[addr] = true
		if err := s.recordDeliveryTo(ctx, e, EmailKey(addr)); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) recordDeliveryTo(ctx context.Context, e DeliveryEvent, key string) error {
	var targets []Target
	if e.TenantID != "" && e.ContactID != "" {
		targets = []Target{{e.TenantID, e.ContactID}}
	} else {
		rec, err := s.d.Attempts.FindIdentity(ctx, key)
		if err != nil {
			return internal("find identity", err)
		}
		for _, m := range rec.Matches {
			if e.TenantID == "" || m.TenantID == e.TenantID {
				targets = append(targets, Target{m.TenantID, m.ContactID})
			}
		}
	}
	events := make([]AuditEvent, 0, len(targets))
	for _, t := range targets {
		ev := s.event(e.Type, t.TenantID, t.ContactID, "system", Meta{}, cloneDetail(e.Detail))
		ev.Channel = string(ChannelEmail)
		events = append(events, ev)
	}
	if e.Suppress == "" {
		if err := s.d.Audit.RecordEvents(ctx, events); err != nil {
			return internal("record delivery", err)
		}
		return nil
	}
	if err := s.d.Delivery.SetEmailStatus(ctx, key, e.Suppress, s.now(), events); err != nil {
		return internal("suppress address", err)
	}
	return nil
}

func cloneDetail(d map[string]string) map[string]string {
	if len(d) == 0 {
		return nil
	}
	out := make(map[string]string, len(d))
	for k, v := range d {
		out[k] = v
	}
	return out
}

// errUndeliverable answers an admin send to a suppressed address.
var errUndeliverable = &Error{Code: CodeEmailUndeliverable,
	Msg: "This email address bounced or complained, so no more email goes to it. Clear its emailStatus once it is fixed."}

// checkDeliverable refuses an admin's email to a contact whose address
// is suppressed, auditing delivery.suppressed.
func (s *Service) checkDeliverable(ctx context.Context, k APIKey, c Contact, m Meta) error {
	if c.EmailStatus.OK() {
		return nil
	}
	ev := s.event(EventDeliverySuppressed, c.TenantID, c.ID, k.Actor(), m, map[string]string{"emailStatus": string(c.EmailStatus)})
	ev.Channel = string(ChannelEmail)
	s.record(ctx, ev)
	return errUndeliverable
}

// withEmailStatus fills in c.EmailStatus (one read; none for a contact
// without an email address or a Service without the role).
func (s *Service) withEmailStatus(ctx context.Context, c Contact) (Contact, error) {
	if c.Email == "" || s.d.Delivery == nil {
		return c, nil
	}
	st, err := s.d.Delivery.EmailStatus(ctx, EmailKey(c.Email))
	if err != nil {
		return Contact{}, internal("email status", err)
	}
	c.EmailStatus = st
	return c, nil
}

// suppressLogin reports whether a login request for an email address
// must send nothing because the address is suppressed, and then adds a
// delivery.suppressed event per contact to the request's own write (no
// extra call). An SMS the customer asked for goes to the phone, not the
// address, and still goes.
func (s *Service) suppressLogin(rec IdentityRecord, r LoginRequest, w *AttemptWrite) bool {
	if r.Identifier.Kind != IdentEmail || rec.EmailStatus.OK() || r.Channel == ChannelSMS {
		return false
	}
	for _, sw := range w.Slots {
		ev := s.event(EventDeliverySuppressed, sw.TenantID, sw.ContactID, "system", r.Meta, map[string]string{"emailStatus": string(rec.EmailStatus)})
		ev.Channel = string(ChannelEmail)
		w.Events = append(w.Events, ev)
	}
	return true
}

// setEmailStatus is an admin's change of a contact's address status:
// only back to ok, which also takes the address off the provider's
// suppression list.
func (s *Service) setEmailStatus(ctx context.Context, k APIKey, c Contact, st EmailStatus, m Meta) (Contact, error) {
	if st != EmailOK {
		return Contact{}, Errorf(CodeInvalidRequest, "emailStatus can only be set to \"ok\"")
	}
	if c.Email == "" || c.EmailStatus.OK() {
		return c, nil // nothing to clear
	}
	if err := s.d.Suppressions.Unsuppress(ctx, c.Email); err != nil {
		return Contact{}, internal("unsuppress", err)
	}
	ev := s.event(EventContactUpdated, k.TenantID, c.ID, k.Actor(), m, map[string]string{"fields": "emailStatus", "emailStatus": string(EmailOK)})
	if err := s.d.Delivery.SetEmailStatus(ctx, EmailKey(c.Email), EmailOK, s.now(), []AuditEvent{ev}); err != nil {
		return Contact{}, internal("clear email status", err)
	}
	c.EmailStatus = EmailOK
	return c, nil
}

// updateEmailStatus is UpdateContact with an emailStatus: the other
// fields change first, then the (possibly new) address is cleared.
func (s *Service) updateEmailStatus(ctx context.Context, k APIKey, id string, in ContactInput, m Meta) (Contact, error) {
	st := *in.EmailStatus
	if st != EmailOK {
		return Contact{}, Errorf(CodeInvalidRequest, "emailStatus can only be set to \"ok\"")
	}
	in.EmailStatus = nil
	var c Contact
	var err error
	if in.Email != nil || in.Phone != nil || in.Name != nil || in.Access != nil {
		c, err = s.UpdateContact(ctx, k, id, in, m)
	} else {
		c, err = s.GetContact(ctx, k, id)
	}
	if err != nil {
		return Contact{}, err
	}
	return s.setEmailStatus(ctx, k, c, st, m)
}
