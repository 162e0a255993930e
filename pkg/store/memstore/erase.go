package memstore

import (
	"context"
	"fmt"
	"time"

	"github.com/portalpass/portalpass/pkg/login"
)

// EraseContact deletes a contact of the tenant with its identifier items,
// sessions and action links, records events and scrubs the contact's
// audit events (login.ScrubEvent), all under one lock. A contact already
// gone is login.ErrNotFound, after its events are scrubbed again.
func (s *Store) EraseContact(ctx context.Context, tenantID, contactID string, now time.Time, events []login.AuditEvent) error {
	if err := s.lock(ctx, "erase contact"); err != nil {
		return err
	}
	defer s.mu.Unlock()
	k := contactKey{tenantID, contactID}
	c := s.contacts[k]
	if c == nil {
		s.scrubEvents(tenantID, contactID)
		return fmt.Errorf("memstore: erase contact: %w", login.ErrNotFound)
	}
	delete(s.contacts, k)
	for _, key := range c.IdentKeys() {
		if s.takenBy(key, tenantID) == contactID {
			s.dropIdent(key, tenantID)
		}
	}
	for h, sess := range s.sessions {
		if sess.TenantID == tenantID && sess.ContactID == contactID {
			delete(s.sessions, h)
		}
	}
	for ak, a := range s.actions {
		if ak.tenant == tenantID && a.ContactID == contactID {
			delete(s.actions, ak)
		}
	}
	s.record(events)
	s.scrubEvents(tenantID, contactID, c.Email, c.Phone)
	return nil
}

// scrubEvents scrubs every audit event of a contact. The caller holds
// the lock.
func (s *Store) scrubEvents(tenantID, contactID string, addrs ...string) {
	for i, e := range s.events {
		if e.TenantID == tenantID && e.ContactID == contactID {
			s.events[i] = login.ScrubEvent(e, addrs...)
		}
	}
}
