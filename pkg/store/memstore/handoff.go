package memstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/portalpass/portalpass/pkg/login"
)

func cloneHandoff(h login.Handoff) login.Handoff {
	h.Hash = cloneBytes(h.Hash)
	return h
}

// GetHandoff returns the hand-off with that hash or ErrNotFound. It may
// have expired.
func (s *Store) GetHandoff(ctx context.Context, hash []byte) (login.Handoff, error) {
	if err := s.lock(ctx, "get hand-off"); err != nil {
		return login.Handoff{}, err
	}
	defer s.mu.Unlock()
	h := s.handoffs[string(hash)]
	if h == nil {
		return login.Handoff{}, fmt.Errorf("memstore: get hand-off: %w", login.ErrNotFound)
	}
	return cloneHandoff(*h), nil
}

// ExchangeHandoff consumes a live hand-off of the session's tenant and
// contact and creates the session, all or nothing: at most once per
// hand-off. An unknown, used or foreign hand-off, or a contact that cannot
// log in or whose sessions were revoked after w.NotBefore, is
// ErrLinkInvalid; an expired one ErrLinkExpired.
func (s *Store) ExchangeHandoff(ctx context.Context, w login.HandoffExchange) error {
	if w.Session == nil {
		return errors.New("memstore: exchange hand-off: no session to create")
	}
	if err := s.lock(ctx, "exchange hand-off"); err != nil {
		return err
	}
	defer s.mu.Unlock()
	fail := func(err error) error { return fmt.Errorf("memstore: exchange hand-off: %w", err) }
	ss := w.Session
	h := s.handoffs[string(w.Hash)]
	switch {
	case h == nil || h.TenantID != ss.TenantID || h.ContactID != ss.ContactID:
		return fail(login.ErrLinkInvalid)
	case !w.Now.Before(h.ExpiresAt):
		return fail(login.ErrLinkExpired)
	}
	c := s.contacts[contactKey{ss.TenantID, ss.ContactID}]
	if c == nil || !c.Access.CanLogIn() || c.SessionsNotBefore.After(w.NotBefore) {
		return fail(login.ErrLinkInvalid)
	}
	if _, ok := s.sessions[string(ss.Hash)]; ok {
		return fail(errors.New("a session with that hash exists"))
	}
	delete(s.handoffs, string(w.Hash))
	sess := cloneSession(*ss)
	s.sessions[string(sess.Hash)] = &sess
	s.record(w.Events)
	return nil
}
