package memstore

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/portalpass/portalpass/pkg/login"
)

// takenBy returns the id of the contact of tenantID that holds the
// identifier key, or "".
func (s *Store) takenBy(key, tenantID string) string {
	if item := s.idents[key][tenantID]; item != nil {
		return item.contactID
	}
	return ""
}

// CreateContact stores a new contact with its slots and identifier items;
// ErrConflict when its id exists or its email or phone is another
// contact's in that tenant.
func (s *Store) CreateContact(ctx context.Context, c login.Contact, events []login.AuditEvent) error {
	if err := s.lock(ctx, "create contact"); err != nil {
		return err
	}
	defer s.mu.Unlock()
	k := contactKey{c.TenantID, c.ID}
	if _, ok := s.contacts[k]; ok {
		return fmt.Errorf("memstore: create contact: %w", login.ErrConflict)
	}
	keys := c.IdentKeys()
	for _, key := range keys {
		if s.takenBy(key, c.TenantID) != "" {
			return fmt.Errorf("memstore: create contact: %w", login.ErrConflict)
		}
	}
	cc := cloneContact(c)
	s.contacts[k] = &cc
	for _, key := range keys {
		s.setIdent(key, c.TenantID, &identItem{contactID: c.ID})
	}
	s.record(events)
	return nil
}

func (s *Store) setIdent(key, tenantID string, item *identItem) {
	m := s.idents[key]
	if m == nil {
		m = map[string]*identItem{}
		s.idents[key] = m
	}
	m[tenantID] = item
}

func (s *Store) dropIdent(key, tenantID string) {
	delete(s.idents[key], tenantID)
	if len(s.idents[key]) == 0 {
		delete(s.idents, key)
	}
}

// GetContact returns a contact of the tenant or ErrNotFound.
func (s *Store) GetContact(ctx context.Context, tenantID, id string) (login.Contact, error) {
	if err := s.lock(ctx, "get contact"); err != nil {
		return login.Contact{}, err
	}
	defer s.mu.Unlock()
	c, ok := s.contacts[contactKey{tenantID, id}]
	if !ok {
		return login.Contact{}, fmt.Errorf("memstore: get contact: %w", login.ErrNotFound)
	}
	return cloneContact(*c), nil
}

// UpdateContact replaces old with c if the stored version is still
// old.Version (else ErrStale; an unknown contact is ErrNotFound), moving
// its identifier items when email or phone change (ErrConflict when
// taken). The identifier items it keeps lose their login mirror when
// c.Login is nil; the ones it adds start without one.
func (s *Store) UpdateContact(ctx context.Context, old, c login.Contact, events []login.AuditEvent) error {
	if old.TenantID != c.TenantID || old.ID != c.ID {
		return errors.New("memstore: update contact: old and new name different contacts")
	}
	if err := s.lock(ctx, "update contact"); err != nil {
		return err
	}
	defer s.mu.Unlock()
	k := contactKey{c.TenantID, c.ID}
	cur, ok := s.contacts[k]
	switch {
	case !ok:
		return fmt.Errorf("memstore: update contact: %w", login.ErrNotFound)
	case cur.Version != old.Version:
		return fmt.Errorf("memstore: update contact: %w", login.ErrStale)
	}
	oldKeys, newKeys := cur.IdentKeys(), c.IdentKeys()
	for _, key := range newKeys {
		if by := s.takenBy(key, c.TenantID); by != "" && by != c.ID {
			return fmt.Errorf("memstore: update contact: %w", login.ErrConflict)
		}
	}
	for _, key := range oldKeys {
		if !slices.Contains(newKeys, key) {
			s.dropIdent(key, c.TenantID)
		}
	}
	for _, key := range newKeys {
		item := s.idents[key][c.TenantID]
		if item == nil {
			s.setIdent(key, c.TenantID, &identItem{contactID: c.ID})
		} else if c.Login == nil {
			item.login = nil
		}
	}
	cc := cloneContact(c)
	s.contacts[k] = &cc
	s.record(events)
	return nil
}

// FindIdentity returns an identifier's contacts in every tenant (by
// tenant id), its several-tenant attempt and the counters whose Subject is
// the identifier key. An unknown identifier is an empty record.
func (s *Store) FindIdentity(ctx context.Context, identKey string) (login.IdentityRecord, error) {
	if err := s.lock(ctx, "find identity"); err != nil {
		return login.IdentityRecord{}, err
	}
	defer s.mu.Unlock()
	rec := login.IdentityRecord{Key: identKey}
	items := s.idents[identKey]
	tenants := make([]string, 0, len(items))
	for t := range items {
		tenants = append(tenants, t)
	}
	slices.Sort(tenants)
	for _, t := range tenants {
		item := items[t]
		c := s.contacts[contactKey{t, item.contactID}]
		if c == nil {
			continue
		}
		rec.Matches = append(rec.Matches, login.IdentityMatch{
			TenantID: t, ContactID: c.ID, Access: c.Access,
			Email: c.Email, Phone: c.Phone, Name: c.Name,
			Login: cloneSlot(item.login), Counters: maps.Clone(item.counters),
		})
	}
	if m := s.multis[login.IdentHash(identKey)]; m != nil {
		cm := cloneMulti(*m)
		rec.Multi = &cm
	}
	rec.EmailStatus = s.statuses[identKey]
	if cs := s.counters[identKey]; len(cs) > 0 {
		rec.Counters = make(map[string]int, len(cs))
		for k, c := range cs {
			rec.Counters[k] = c.n
		}
	}
	return rec, nil
}
