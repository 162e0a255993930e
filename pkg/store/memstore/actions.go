package memstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/portalpass/portalpass/pkg/login"
)

// actionKey names an action link: ids are unique within a tenant only.
type actionKey struct{ tenant, id string }

func cloneAction(a login.ActionLink) login.ActionLink {
	a.Hash = cloneBytes(a.Hash)
	return a
}

// live reports whether the link may still be used at now.
func actionLive(a *login.ActionLink, now time.Time) bool {
	return !a.Revoked && now.Before(a.ExpiresAt)
}

// PutActionLink stores a new action link with its events; ErrConflict
// when the tenant has one with that id.
func (s *Store) PutActionLink(ctx context.Context, a login.ActionLink, events []login.AuditEvent) error {
	if err := s.lock(ctx, "put action link"); err != nil {
		return err
	}
	defer s.mu.Unlock()
	k := actionKey{a.TenantID, a.ID}
	if _, ok := s.actions[k]; ok {
		return fmt.Errorf("memstore: put action link: %w", login.ErrConflict)
	}
	ca := cloneAction(a)
	s.actions[k] = &ca
	s.record(events)
	return nil
}

// GetActionLink returns a tenant's action link by id, or ErrNotFound. It
// may have expired or been revoked.
func (s *Store) GetActionLink(ctx context.Context, tenantID, id string) (login.ActionLink, error) {
	if err := s.lock(ctx, "get action link"); err != nil {
		return login.ActionLink{}, err
	}
	defer s.mu.Unlock()
	a := s.actions[actionKey{tenantID, id}]
	if a == nil {
		return login.ActionLink{}, fmt.Errorf("memstore: get action link: %w", login.ErrNotFound)
	}
	return cloneAction(*a), nil
}

// RevokeActionLinks revokes the tenant's action link with that id
// (ErrNotFound when there is none), or every one with that ref (none is
// no error), records the events and returns how many were live (neither
// revoked nor expired) at now. Exactly one of id and ref is given.
func (s *Store) RevokeActionLinks(ctx context.Context, tenantID, id, ref string, now time.Time, events []login.AuditEvent) (int, error) {
	if (id == "") == (ref == "") {
		return 0, errors.New("memstore: revoke action links: want one of id and ref")
	}
	if err := s.lock(ctx, "revoke action links"); err != nil {
		return 0, err
	}
	defer s.mu.Unlock()
	var links []*login.ActionLink
	if id != "" {
		a := s.actions[actionKey{tenantID, id}]
		if a == nil {
			return 0, fmt.Errorf("memstore: revoke action links: %w", login.ErrNotFound)
		}
		links = append(links, a)
	} else {
		for k, a := range s.actions {
			if k.tenant == tenantID && a.Ref == ref {
				links = append(links, a)
			}
		}
	}
	live := 0
	for _, a := range links {
		if actionLive(a, now) {
			live++
		}
		a.Revoked = true
	}
	s.record(events)
	return live, nil
}

// checkAction returns nil when ref names a live action link that opens
// sess (its tenant and contact), else ErrLinkInvalid or ErrLinkExpired.
// The caller holds the lock.
func (s *Store) checkAction(ref *login.ActionRef, sess *login.Session, now time.Time) error {
	a := s.actions[actionKey{ref.TenantID, ref.ID}]
	switch {
	case a == nil || len(ref.Hash) == 0 || !bytes.Equal(a.Hash, ref.Hash) || a.Revoked ||
		a.TenantID != sess.TenantID || a.ContactID != sess.ContactID:
		return login.ErrLinkInvalid
	case !now.Before(a.ExpiresAt):
		return login.ErrLinkExpired
	}
	return nil
}
