package memstore

import (
	"bytes"
	"context"
	"fmt"

	"github.com/portalpass/portalpass/pkg/login"
)

// logoKey names a logo's item: the tenant and the logo's name.
func logoKey(tenantID, name string) string { return tenantID + "/" + name }

// PutLogo makes logo the tenant's logo if its version is still prev: the
// logo stored, the old one dropped, the tenant's Logo and Version set.
func (s *Store) PutLogo(ctx context.Context, tenantID string, logo login.Logo, old string, prev int64) error {
	return s.changeLogo(ctx, "put logo", tenantID, &logo, old, prev)
}

// DeleteLogo removes the tenant's logo old if its version is still prev.
func (s *Store) DeleteLogo(ctx context.Context, tenantID, old string, prev int64) error {
	return s.changeLogo(ctx, "delete logo", tenantID, nil, old, prev)
}

func (s *Store) changeLogo(ctx context.Context, op, tenantID string, logo *login.Logo, old string, prev int64) error {
	if err := s.lock(ctx, op); err != nil {
		return err
	}
	defer s.mu.Unlock()
	t, ok := s.tenants[tenantID]
	if !ok || t.Version != prev {
		return fmt.Errorf("memstore: %s: %w", op, login.ErrStale)
	}
	if s.logos == nil {
		s.logos = map[string]login.Logo{}
	}
	if old != "" {
		delete(s.logos, logoKey(tenantID, old))
	}
	t.Settings.Logo = ""
	if logo != nil {
		l := *logo
		l.Data = bytes.Clone(l.Data) // the caller's buffer stays the caller's
		s.logos[logoKey(tenantID, l.Name)] = l
		t.Settings.Logo = l.Name
	}
	t.Version = prev + 1
	s.tenants[tenantID] = t
	return nil
}

// GetLogo returns the tenant's logo of that name or ErrNotFound.
func (s *Store) GetLogo(ctx context.Context, tenantID, name string) (login.Logo, error) {
	if err := s.lock(ctx, "get logo"); err != nil {
		return login.Logo{}, err
	}
	defer s.mu.Unlock()
	l, ok := s.logos[logoKey(tenantID, name)]
	if !ok {
		return login.Logo{}, fmt.Errorf("memstore: get logo: %w", login.ErrNotFound)
	}
	l.Data = bytes.Clone(l.Data)
	return l, nil
}
