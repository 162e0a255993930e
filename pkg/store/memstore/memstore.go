package memstore

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/portalpass/portalpass/pkg/login"
)

// Store is a login.Store in memory. Its zero value is not usable: call New.
type Store struct {
	mu       sync.Mutex
	tenants  map[string]login.Tenant
	apiKeys  map[string]login.APIKey // by string(hash)
	contacts map[contactKey]*login.Contact
	idents   map[string]map[string]*identItem // identifier key → tenant → item
	multis   map[string]*login.MultiAttempt   // by IdentHash of the identifier
	pickers  map[string]*login.Picker         // by string(hash)
	sessions map[string]*login.Session        // by string(hash)
	counters map[string]map[string]*counter   // subject → key → counter
	actions  map[actionKey]*login.ActionLink
	handoffs map[string]*login.Handoff    // by string(hash)
	statuses map[string]login.EmailStatus // identifier key → status; made on first write
	logos    map[string]login.Logo        // tenant + "/" + name; made on first write
	events   []login.AuditEvent
}

var _ login.Store = (*Store)(nil)

// contactKey names a contact: ids are unique within a tenant only.
type contactKey struct{ tenant, id string }

// identItem is an identifier's entry for one contact of one tenant, with
// the login slot mirrored by the request that used that identifier.
type identItem struct {
	contactID string
	login     *login.Slot
	counters  map[string]int // hosted counters (login.Counter.Host)
}

// counter is one rate counter's count in its window.
type counter struct {
	n         int
	expiresAt time.Time
}

// New returns an empty Store.
func New() *Store {
	return &Store{
		tenants:  map[string]login.Tenant{},
		apiKeys:  map[string]login.APIKey{},
		contacts: map[contactKey]*login.Contact{},
		idents:   map[string]map[string]*identItem{},
		multis:   map[string]*login.MultiAttempt{},
		pickers:  map[string]*login.Picker{},
		sessions: map[string]*login.Session{},
		counters: map[string]map[string]*counter{},
		actions:  map[actionKey]*login.ActionLink{},
		handoffs: map[string]*login.Handoff{},
	}
}

// lock takes the store's lock unless ctx is done; the caller unlocks.
func (s *Store) lock(ctx context.Context, op string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("memstore: %s: %w", op, err)
	}
	s.mu.Lock()
	return nil
}

// CreateTenant stores a new tenant; ErrConflict when the id is taken.
func (s *Store) CreateTenant(ctx context.Context, t login.Tenant) error {
	if err := s.lock(ctx, "create tenant"); err != nil {
		return err
	}
	defer s.mu.Unlock()
	if _, ok := s.tenants[t.ID]; ok {
		return fmt.Errorf("memstore: create tenant: %w", login.ErrConflict)
	}
	s.tenants[t.ID] = t
	return nil
}

// GetTenant returns a tenant or ErrNotFound.
func (s *Store) GetTenant(ctx context.Context, id string) (login.Tenant, error) {
	if err := s.lock(ctx, "get tenant"); err != nil {
		return login.Tenant{}, err
	}
	defer s.mu.Unlock()
	t, ok := s.tenants[id]
	if !ok {
		return login.Tenant{}, fmt.Errorf("memstore: get tenant: %w", login.ErrNotFound)
	}
	return t, nil
}

// UpdateTenant stores t if the stored version is still prev; else
// ErrStale. An unknown tenant is ErrNotFound.
func (s *Store) UpdateTenant(ctx context.Context, t login.Tenant, prev int64) error {
	if err := s.lock(ctx, "update tenant"); err != nil {
		return err
	}
	defer s.mu.Unlock()
	old, ok := s.tenants[t.ID]
	switch {
	case !ok:
		return fmt.Errorf("memstore: update tenant: %w", login.ErrNotFound)
	case old.Version != prev:
		return fmt.Errorf("memstore: update tenant: %w", login.ErrStale)
	}
	s.tenants[t.ID] = t
	return nil
}

// ListTenants returns every tenant, by id.
func (s *Store) ListTenants(ctx context.Context) ([]login.Tenant, error) {
	if err := s.lock(ctx, "list tenants"); err != nil {
		return nil, err
	}
	defer s.mu.Unlock()
	out := make([]login.Tenant, 0, len(s.tenants))
	for _, t := range s.tenants {
		out = append(out, t)
	}
	slices.SortFunc(out, func(a, b login.Tenant) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

// PutAPIKey stores a new key; ErrConflict when its hash exists.
func (s *Store) PutAPIKey(ctx context.Context, k login.APIKey) error {
	if err := s.lock(ctx, "put api key"); err != nil {
		return err
	}
	defer s.mu.Unlock()
	if _, ok := s.apiKeys[string(k.Hash)]; ok {
		return fmt.Errorf("memstore: put api key: %w", login.ErrConflict)
	}
	s.apiKeys[string(k.Hash)] = cloneAPIKey(k)
	return nil
}

// GetAPIKey returns the key with that hash or ErrNotFound.
func (s *Store) GetAPIKey(ctx context.Context, hash []byte) (login.APIKey, error) {
	if err := s.lock(ctx, "get api key"); err != nil {
		return login.APIKey{}, err
	}
	defer s.mu.Unlock()
	k, ok := s.apiKeys[string(hash)]
	if !ok {
		return login.APIKey{}, fmt.Errorf("memstore: get api key: %w", login.ErrNotFound)
	}
	return cloneAPIKey(k), nil
}

// RecordEvents appends audit events on their own.
func (s *Store) RecordEvents(ctx context.Context, events []login.AuditEvent) error {
	if err := s.lock(ctx, "record events"); err != nil {
		return err
	}
	defer s.mu.Unlock()
	s.record(events)
	return nil
}

// Events returns a copy of every audit event recorded so far, oldest
// first. It is not part of login.Store: the dev server and tests read
// the log with it.
func (s *Store) Events() []login.AuditEvent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return cloneEvents(s.events)
}

// record appends events; the caller holds the lock.
func (s *Store) record(events []login.AuditEvent) {
	s.events = append(s.events, cloneEvents(events)...)
}
