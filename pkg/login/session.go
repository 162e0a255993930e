package login

import (
	"context"
	"errors"
)

// SessionView is a live session with its tenant and contact.
type SessionView struct {
	Session Session
	Tenant  Tenant
	Contact Contact
}

// Session returns the live session of a token: one consistent read of
// the session and its contact. Expired, revoked, logged-out or disabled
// is ErrNoSession.
func (s *Service) Session(ctx context.Context, token string) (SessionView, error) {
	ref := sessionRef(token)
	if ref == nil {
		return SessionView{}, ErrNoSession
	}
	sess, c, err := s.d.Sessions.GetSession(ctx, ref.TenantID, ref.ContactID, ref.Hash)
	if errors.Is(err, ErrNotFound) {
		return SessionView{}, ErrNoSession
	}
	if err != nil {
		return SessionView{}, internal("get session", err)
	}
	now := s.now()
	// A session made at the very instant of a revocation is revoked too:
	// clocks of two containers may read the same.
	if !now.Before(sess.ExpiresAt) || !sess.CreatedAt.After(c.SessionsNotBefore) || !c.Access.CanLogIn() {
		return SessionView{}, ErrNoSession
	}
	t, err := s.Tenant(ctx, sess.TenantID)
	if err != nil {
		return SessionView{}, ErrNoSession
	}
	return SessionView{Session: sess, Tenant: t, Contact: c}, nil
}

// Logout ends the session of a token, if there is one. The logout event
// is the store's to write only when a live session ended: a well-formed
// token names any tenant and contact, and must not put events in their
// log.
func (s *Service) Logout(ctx context.Context, token string, m Meta) error {
	ref := sessionRef(token)
	if ref == nil {
		return nil
	}
	ev := s.event(EventLogout, ref.TenantID, ref.ContactID, "customer", m, nil)
	if err := s.d.Sessions.DeleteSession(ctx, ref.TenantID, ref.ContactID, ref.Hash, ev.At, []AuditEvent{ev}); err != nil {
		return internal("logout", err)
	}
	return nil
}
