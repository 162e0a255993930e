package memstore

import (
	"context"
	"fmt"
	"time"

	"github.com/portalpass/portalpass/pkg/login"
)

// session returns the session with that hash if it belongs to that
// tenant and contact. The caller holds the lock.
func (s *Store) session(tenantID, contactID string, hash []byte) *login.Session {
	sess := s.sessions[string(hash)]
	if sess == nil || sess.TenantID != tenantID || sess.ContactID != contactID {
		return nil
	}
	return sess
}

// deleteSession deletes the session if it belongs to that tenant and
// contact. The caller holds the lock.
func (s *Store) deleteSession(tenantID, contactID string, hash []byte) {
	if s.session(tenantID, contactID, hash) != nil {
		delete(s.sessions, string(hash))
	}
}

// GetSession returns a session of that tenant and contact with the
// contact; ErrNotFound when either is missing. It may have expired or
// been revoked.
func (s *Store) GetSession(ctx context.Context, tenantID, contactID string, hash []byte) (login.Session, login.Contact, error) {
	if err := s.lock(ctx, "get session"); err != nil {
		return login.Session{}, login.Contact{}, err
	}
	defer s.mu.Unlock()
	sess := s.session(tenantID, contactID, hash)
	c := s.contacts[contactKey{tenantID, contactID}]
	if sess == nil || c == nil {
		return login.Session{}, login.Contact{}, fmt.Errorf("memstore: get session: %w", login.ErrNotFound)
	}
	return cloneSession(*sess), cloneContact(*c), nil
}

// DeleteSession ends the session of that tenant and contact if it is
// live at now, and only then records the events; otherwise it changes
// nothing and returns no error.
func (s *Store) DeleteSession(ctx context.Context, tenantID, contactID string, hash []byte, now time.Time, events []login.AuditEvent) error {
	if err := s.lock(ctx, "delete session"); err != nil {
		return err
	}
	defer s.mu.Unlock()
	if sess := s.session(tenantID, contactID, hash); sess == nil || !now.Before(sess.ExpiresAt) {
		return nil
	}
	delete(s.sessions, string(hash))
	s.record(events)
	return nil
}

// RevokeSessions sets the contact's SessionsNotBefore to now, deletes its
// sessions and returns how many were live at now; ErrNotFound for an
// unknown contact.
func (s *Store) RevokeSessions(ctx context.Context, tenantID, contactID string, now time.Time, events []login.AuditEvent) (int, error) {
	if err := s.lock(ctx, "revoke sessions"); err != nil {
		return 0, err
	}
	defer s.mu.Unlock()
	c := s.contacts[contactKey{tenantID, contactID}]
	if c == nil {
		return 0, fmt.Errorf("memstore: revoke sessions: %w", login.ErrNotFound)
	}
	live := 0
	for h, sess := range s.sessions {
		if sess.TenantID != tenantID || sess.ContactID != contactID {
			continue
		}
		if now.Before(sess.ExpiresAt) {
			live++
		}
		delete(s.sessions, h)
	}
	c.SessionsNotBefore = now
	c.Version++
	s.record(events)
	return live, nil
}
