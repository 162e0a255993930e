package memstore

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/portalpass/portalpass/pkg/login"
)

// pageLimit is a query's page size: a Limit below 1 is login.MaxPage.
func pageLimit(n int) int {
	if n < 1 {
		return login.MaxPage
	}
	return n
}

// contactSortKey returns c's sort key in the order by, and whether c is
// listed in it at all: like the DynamoDB store's sparse indexes, the
// name order holds only contacts with a name, the email order only
// those with an email.
func contactSortKey(by string, c *login.Contact) (string, bool) {
	switch by {
	case "name":
		return login.SortKeyName(*c), c.Name != ""
	case "email":
		return c.Email, c.Email != ""
	}
	return c.ID, true
}

// ListContacts returns up to q.Limit contacts of a tenant in the order of
// q.By ("" by id, "name" by login.SortKeyName, "email" by email) whose
// sort key starts with q.Prefix (lower-cased for "name"; ignored for "")
// and is after q.After, and whether more follow. A Limit below 1 is
// login.MaxPage.
func (s *Store) ListContacts(ctx context.Context, tenantID string, q login.ContactQuery) ([]login.Contact, bool, error) {
	if q.By != "" && q.By != "name" && q.By != "email" {
		return nil, false, fmt.Errorf("memstore: list contacts: unknown order %q", q.By)
	}
	if err := s.lock(ctx, "list contacts"); err != nil {
		return nil, false, err
	}
	defer s.mu.Unlock()
	prefix := q.Prefix
	switch q.By {
	case "":
		prefix = ""
	case "name":
		prefix = strings.ToLower(prefix)
	}
	type keyed struct {
		key string
		c   *login.Contact
	}
	var found []keyed
	for k, c := range s.contacts {
		if k.tenant != tenantID {
			continue
		}
		sk, ok := contactSortKey(q.By, c)
		if ok && strings.HasPrefix(sk, prefix) && sk > q.After {
			found = append(found, keyed{sk, c})
		}
	}
	slices.SortFunc(found, func(a, b keyed) int { return strings.Compare(a.key, b.key) })
	limit := pageLimit(q.Limit)
	more := len(found) > limit
	found = found[:min(len(found), limit)]
	out := make([]login.Contact, len(found))
	for i, x := range found {
		out[i] = cloneContact(*x.c)
	}
	return out, more, nil
}

// ListEvents returns up to q.Limit audit events of a tenant, newest first
// (by login.EventSortKey), older than q.Before when set, of q.ContactID
// and q.Type when set, and whether more follow. A Limit below 1 is
// login.MaxPage.
func (s *Store) ListEvents(ctx context.Context, tenantID string, q login.EventQuery) ([]login.AuditEvent, bool, error) {
	if err := s.lock(ctx, "list events"); err != nil {
		return nil, false, err
	}
	defer s.mu.Unlock()
	type keyed struct {
		key string
		i   int
	}
	var found []keyed
	for i := range s.events {
		e := &s.events[i]
		if e.TenantID != tenantID || (q.ContactID != "" && e.ContactID != q.ContactID) || (q.Type != "" && e.Type != q.Type) {
			continue
		}
		if sk := login.EventSortKey(*e); q.Before == "" || sk < q.Before {
			found = append(found, keyed{sk, i})
		}
	}
	slices.SortFunc(found, func(a, b keyed) int { return strings.Compare(b.key, a.key) })
	limit := pageLimit(q.Limit)
	more := len(found) > limit
	found = found[:min(len(found), limit)]
	out := make([]login.AuditEvent, len(found))
	for i, x := range found {
		out[i] = cloneEvents(s.events[x.i : x.i+1])[0]
	}
	return out, more, nil
}

// ListAPIKeys returns a tenant's keys by CreatedAt, then ID.
func (s *Store) ListAPIKeys(ctx context.Context, tenantID string) ([]login.APIKey, error) {
	if err := s.lock(ctx, "list api keys"); err != nil {
		return nil, err
	}
	defer s.mu.Unlock()
	var out []login.APIKey
	for _, k := range s.apiKeys {
		if k.TenantID == tenantID {
			out = append(out, cloneAPIKey(k))
		}
	}
	slices.SortFunc(out, func(a, b login.APIKey) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), strings.Compare(a.ID, b.ID))
	})
	return out, nil
}

// RevokeAPIKey marks a tenant's key revoked; ErrNotFound when the tenant
// has no key with that id.
func (s *Store) RevokeAPIKey(ctx context.Context, tenantID, id string) error {
	if err := s.lock(ctx, "revoke api key"); err != nil {
		return err
	}
	defer s.mu.Unlock()
	for h, k := range s.apiKeys {
		if k.TenantID == tenantID && k.ID == id {
			k.Revoked = true
			s.apiKeys[h] = k
			return nil
		}
	}
	return fmt.Errorf("memstore: revoke api key: %w", login.ErrNotFound)
}

// TouchAPIKey sets the LastUsedAt of the key with that hash; ErrNotFound
// when there is none.
func (s *Store) TouchAPIKey(ctx context.Context, hash []byte, at time.Time) error {
	if err := s.lock(ctx, "touch api key"); err != nil {
		return err
	}
	defer s.mu.Unlock()
	k, ok := s.apiKeys[string(hash)]
	if !ok {
		return fmt.Errorf("memstore: touch api key: %w", login.ErrNotFound)
	}
	k.LastUsedAt = at
	s.apiKeys[string(hash)] = k
	return nil
}
