package login

import (
	"context"
	"strings"
	"time"
)

// ReasonExpired: a queued send was dropped because its link (and code)
// expired before it could go out; sending it would be useless.
const ReasonExpired DeliveryReason = "expired"

// QueuedSend is a login message whose send failed transiently in the
// request, handed to the SendQueue to be sent again later: the very same
// message, so the same link and code (delivery is at least once; a retry
// never makes a new link). It holds secrets; a SendQueue keeps it sealed.
type QueuedSend struct {
	Message Message
	// ExpiresAt is when the link and code stop working: a retry after it
	// is dropped and audited with ReasonExpired.
	ExpiresAt time.Time
	// Targets are the contacts whose audit a final failure lands on: the
	// message's own, or for a message to several portals every contact
	// of the request.
	Targets []Target
}

// Tenants names the tenants of q's targets, comma-separated, in order,
// each once: what a log line and a sealing context say about whom the
// message is for.
func (q QueuedSend) Tenants() string {
	var ids []string
	seen := map[string]bool{}
	for _, t := range q.Targets {
		if t.TenantID != "" && !seen[t.TenantID] {
			seen[t.TenantID] = true
			ids = append(ids, t.TenantID)
		}
	}
	if len(ids) == 0 {
		return q.Message.TenantID
	}
	return strings.Join(ids, ",")
}

// SendQueue takes login messages whose send failed transiently, to be
// sent again after a delay by a retrier that calls Service.Resend
// (functions/send-retry on Lambda, a goroutine in the dev server).
type SendQueue interface {
	// Enqueue stores q sealed, so that nothing readable of it (address,
	// link, code) rests in the queue. An error means it was not queued.
	Enqueue(ctx context.Context, q QueuedSend) error
}

// transient reports whether a send that failed for reason may succeed
// when tried again later: throttling, a provider failure or a timeout.
// A refusal would fail the same way, and an unknown error is not
// retried blind.
func transient(reason DeliveryReason) bool {
	switch reason {
	case ReasonThrottled, ReasonProviderError, ReasonTimeout:
		return true
	}
	return false
}

// handOff queues a login message whose send failed transiently, instead
// of auditing it as failed, and reports whether it did. Without a
// SendQueue, for another kind of message, a permanent failure or a
// failed enqueue it reports false, and the caller audits
// delivery.failed as before: a message is never lost silently.
func (s *Service) handOff(ctx context.Context, m Message, err error, events []AuditEvent) bool {
	reason, _ := deliveryReason(err)
	if s.d.SendQueue == nil || m.Kind != KindLogin || !transient(reason) {
		return false
	}
	q := QueuedSend{Message: m, ExpiresAt: s.now().Add(m.TTL), Targets: targetsOf(m, events)}
	if qerr := s.d.SendQueue.Enqueue(ctx, q); qerr != nil {
		// The enqueue error is the queue's or KMS's, which never quotes
		// the sealed message.
		s.d.Logger.ErrorContext(ctx, "send queue failed", "channel", m.Channel, "tenant", q.Tenants(), "err", qerr)
		return false
	}
	s.d.Logger.WarnContext(ctx, "delivery queued", "reason", string(reason), "channel", m.Channel, "kind", m.Kind, "tenant", q.Tenants())
	return true
}

// targetsOf returns the contacts a message was for: its own, or every
// contact of the request's events for a message to several portals.
func targetsOf(m Message, events []AuditEvent) []Target {
	if m.TenantID != "" && m.ContactID != "" {
		return []Target{{m.TenantID, m.ContactID}}
	}
	var out []Target
	seen := map[Target]bool{}
	for _, ev := range events {
		t := Target{ev.TenantID, ev.ContactID}
		if t.TenantID != "" && t.ContactID != "" && !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

// ResendOutcome is what became of one try of a queued send, and so what
// the queue does with it.
type ResendOutcome int

// Resend outcomes.
const (
	// ResendSent: the message went out; remove it from the queue.
	ResendSent ResendOutcome = iota
	// ResendDropped: the link expired or the provider refused the
	// message; delivery.failed is audited; remove it from the queue.
	ResendDropped
	// ResendRetry: the send failed transiently; leave it in the queue to
	// be tried again.
	ResendRetry
	// ResendGaveUp: the last try failed transiently; delivery.failed is
	// audited; the queue keeps it for the operator (the dead-letter
	// queue) or drops it.
	ResendGaveUp
)

// String names the outcome for logs and tests.
func (o ResendOutcome) String() string {
	switch o {
	case ResendSent:
		return "sent"
	case ResendDropped:
		return "dropped"
	case ResendRetry:
		return "retry"
	case ResendGaveUp:
		return "gave_up"
	}
	return "unknown"
}

// Resend tries a queued send once more, with the same message, so the
// same link and code. last says that this is the queue's last try: a
// transient failure then ends it too. A message whose link expired is
// not sent. Every end other than a send is audited as delivery.failed on
// q's targets with the reason and provider code, and logged as the
// request's failures are ("delivery failed"), without address or secret.
func (s *Service) Resend(ctx context.Context, q QueuedSend, last bool) ResendOutcome {
	m := q.Message
	if !s.now().Before(q.ExpiresAt) {
		s.failQueued(ctx, q, ReasonExpired, "", nil)
		return ResendDropped
	}
	err := s.send(ctx, m)
	if err == nil {
		s.d.Logger.InfoContext(ctx, "queued delivery sent", "channel", m.Channel, "kind", m.Kind, "tenant", q.Tenants())
		return ResendSent
	}
	reason, code := deliveryReason(err)
	switch {
	case !transient(reason):
		s.failQueued(ctx, q, reason, code, err)
		return ResendDropped
	case last:
		s.failQueued(ctx, q, reason, code, err)
		return ResendGaveUp
	}
	s.d.Logger.WarnContext(ctx, "queued delivery retry", "reason", string(reason), "provider_code", code,
		"channel", m.Channel, "kind", m.Kind, "tenant", q.Tenants(), "err", err)
	return ResendRetry
}

// failQueued logs and audits the end of a queued send that did not go
// out. err is the sender's (redacted) error, or nil.
func (s *Service) failQueued(ctx context.Context, q QueuedSend, reason DeliveryReason, code string, err error) {
	m := q.Message
	attrs := []any{"reason", string(reason), "provider_code", code, "channel", m.Channel, "kind", m.Kind, "tenant", q.Tenants(), "queued", true}
	if err != nil {
		attrs = append(attrs, "err", err)
	}
	s.d.Logger.ErrorContext(ctx, "delivery failed", attrs...)
	var failed []AuditEvent
	for _, t := range q.Targets {
		detail := map[string]string{"channel": string(m.Channel), "reason": string(reason)}
		if code != "" {
			detail["providerCode"] = code
		}
		f := s.event(EventDeliveryFailed, t.TenantID, t.ContactID, "system", Meta{}, detail)
		f.Channel = string(m.Channel)
		failed = append(failed, f)
	}
	s.record(ctx, failed...)
}
