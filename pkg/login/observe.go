package login

import (
	"context"
	"time"
)

// Observer learns what the flows did, so that it can be counted (the
// Lambda functions' metrics, pkg/metrics). The flows do not call it one
// by one: the audit events they hand to a store already say what
// happened, so New wraps the stores and senders and reports from there.
// Its methods run on the request's goroutine and must not block.
type Observer interface {
	// Recorded gets the audit events of a write the store accepted.
	Recorded(ctx context.Context, events []AuditEvent)
	// Sent reports a message the provider accepted: its channel, its
	// kind and its tenant ("" for one to several tenants' contacts).
	// Never the message itself, which holds the link and the code.
	Sent(ctx context.Context, ch Channel, kind MessageKind, tenantID string)
	// RateLimited reports a request refused by a rate limit.
	RateLimited(ctx context.Context)
}

// observe wraps the roles that write events, and the senders, so that
// what they accept reaches o.
func (d *Deps) observe(o Observer) {
	if d.Contacts != nil {
		d.Contacts = obsContacts{d.Contacts, o}
	}
	if d.Attempts != nil {
		d.Attempts = obsAttempts{d.Attempts, o}
	}
	if d.Sessions != nil {
		d.Sessions = obsSessions{d.Sessions, o}
	}
	if d.Audit != nil {
		d.Audit = obsAudit{d.Audit, o}
	}
	if d.Actions != nil {
		d.Actions = obsActions{d.Actions, o}
	}
	if d.Handoffs != nil {
		d.Handoffs = obsHandoffs{d.Handoffs, o}
	}
	if d.Email != nil {
		d.Email = obsSender{d.Email, o}
	}
	if d.SMS != nil {
		d.SMS = obsSender{d.SMS, o}
	}
}

// limited reports a rate_limited error made in the core itself (rather
// than by a store's counter) and returns it.
func (s *Service) limited(ctx context.Context, e *Error) *Error {
	if s.d.Observer != nil {
		s.d.Observer.RateLimited(ctx)
	}
	return e
}

// seen reports events after a write that returned err.
func seen(ctx context.Context, o Observer, events []AuditEvent, err error) {
	switch {
	case err == nil && len(events) > 0:
		o.Recorded(ctx, events)
	case ErrorCode(err) == CodeRateLimited:
		o.RateLimited(ctx)
	}
}

type obsContacts struct {
	ContactStore
	o Observer
}

func (s obsContacts) CreateContact(ctx context.Context, c Contact, events []AuditEvent) error {
	err := s.ContactStore.CreateContact(ctx, c, events)
	seen(ctx, s.o, events, err)
	return err
}

func (s obsContacts) UpdateContact(ctx context.Context, old, c Contact, events []AuditEvent) error {
	err := s.ContactStore.UpdateContact(ctx, old, c, events)
	seen(ctx, s.o, events, err)
	return err
}

func (s obsContacts) EraseContact(ctx context.Context, tenantID, contactID string, now time.Time, events []AuditEvent) error {
	err := s.ContactStore.EraseContact(ctx, tenantID, contactID, now, events)
	seen(ctx, s.o, events, err)
	return err
}

type obsAttempts struct {
	AttemptStore
	o Observer
}

func (s obsAttempts) SaveAttempt(ctx context.Context, w AttemptWrite) error {
	err := s.AttemptStore.SaveAttempt(ctx, w)
	seen(ctx, s.o, w.Events, err)
	return err
}

func (s obsAttempts) Redeem(ctx context.Context, r Redemption) error {
	err := s.AttemptStore.Redeem(ctx, r)
	seen(ctx, s.o, r.Events, err)
	return err
}

func (s obsAttempts) RecordCodeFailure(ctx context.Context, f CodeFailure) error {
	err := s.AttemptStore.RecordCodeFailure(ctx, f)
	seen(ctx, s.o, f.Events, err)
	return err
}

type obsSessions struct {
	SessionStore
	o Observer
}

func (s obsSessions) DeleteSession(ctx context.Context, tenantID, contactID string, hash []byte, now time.Time, events []AuditEvent) error {
	err := s.SessionStore.DeleteSession(ctx, tenantID, contactID, hash, now, events)
	seen(ctx, s.o, events, err)
	return err
}

func (s obsSessions) RevokeSessions(ctx context.Context, tenantID, contactID string, now time.Time, events []AuditEvent) (int, error) {
	n, err := s.SessionStore.RevokeSessions(ctx, tenantID, contactID, now, events)
	seen(ctx, s.o, events, err)
	return n, err
}

type obsAudit struct {
	AuditStore
	o Observer
}

func (s obsAudit) RecordEvents(ctx context.Context, events []AuditEvent) error {
	err := s.AuditStore.RecordEvents(ctx, events)
	seen(ctx, s.o, events, err)
	return err
}

type obsActions struct {
	ActionLinkStore
	o Observer
}

func (s obsActions) PutActionLink(ctx context.Context, a ActionLink, events []AuditEvent) error {
	err := s.ActionLinkStore.PutActionLink(ctx, a, events)
	seen(ctx, s.o, events, err)
	return err
}

func (s obsActions) RevokeActionLinks(ctx context.Context, tenantID, id, ref string, now time.Time, events []AuditEvent) (int, error) {
	n, err := s.ActionLinkStore.RevokeActionLinks(ctx, tenantID, id, ref, now, events)
	seen(ctx, s.o, events, err)
	return n, err
}

type obsHandoffs struct {
	HandoffStore
	o Observer
}

func (s obsHandoffs) ExchangeHandoff(ctx context.Context, w HandoffExchange) error {
	err := s.HandoffStore.ExchangeHandoff(ctx, w)
	seen(ctx, s.o, w.Events, err)
	return err
}

type obsSender struct {
	Sender
	o Observer
}

func (s obsSender) Send(ctx context.Context, m Message) error {
	err := s.Sender.Send(ctx, m)
	if err == nil {
		s.o.Sent(ctx, m.Channel, m.Kind, m.TenantID)
	}
	return err
}
