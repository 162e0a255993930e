package memstore

import (
	"context"
	"time"

	"github.com/portalpass/portalpass/pkg/login"
)

// EmailStatus returns the stored status of the identifier key's address.
func (s *Store) EmailStatus(ctx context.Context, identKey string) (login.EmailStatus, error) {
	if err := s.lock(ctx, "email status"); err != nil {
		return "", err
	}
	defer s.mu.Unlock()
	return s.statuses[identKey], nil
}

// SetEmailStatus stores (or, for ok, deletes) the status of the
// identifier key's address and appends events.
func (s *Store) SetEmailStatus(ctx context.Context, identKey string, st login.EmailStatus, _ time.Time, events []login.AuditEvent) error {
	if err := s.lock(ctx, "set email status"); err != nil {
		return err
	}
	defer s.mu.Unlock()
	if st.OK() {
		delete(s.statuses, identKey)
	} else {
		if s.statuses == nil {
			s.statuses = map[string]login.EmailStatus{}
		}
		s.statuses[identKey] = st
	}
	s.record(events)
	return nil
}
