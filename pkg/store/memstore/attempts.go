package memstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/portalpass/portalpass/pkg/login"
)

// live reports whether a counter still counts at now; a zero expiry never ends.
func (c *counter) live(now time.Time) bool {
	return c != nil && (c.expiresAt.IsZero() || now.Before(c.expiresAt))
}

// checkCounters returns the rate_limited error of the first counter of cs
// that has reached its limit at now. The caller holds the lock.
func (s *Store) checkCounters(cs []login.Counter, now time.Time) error {
	for _, c := range cs {
		if c.Host == "" {
			continue
		}
		it := s.idents[c.Subject][c.Host]
		if it == nil || it.counters[c.Key] != c.Seen {
			return login.ErrStale // the host is gone, or another write counted first
		}
	}
	for _, c := range cs {
		if c.Limit <= 0 || c.Host != "" {
			continue
		}
		if st := s.counters[c.Subject][c.Key]; st.live(now) && st.n >= c.Limit {
			return login.RateLimited(st.expiresAt.Sub(now))
		}
	}
	return nil
}

// bump adds one to each counter of cs, starting a counter afresh when it
// is new or has expired at now. The caller holds the lock.
func (s *Store) bump(cs []login.Counter, now time.Time) {
	for _, c := range cs {
		if c.Host != "" {
			s.idents[c.Subject][c.Host].counters = map[string]int{c.Key: c.Seen + 1}
			continue
		}
		m := s.counters[c.Subject]
		if m == nil {
			m = map[string]*counter{}
			s.counters[c.Subject] = m
		}
		st := m[c.Key]
		if !st.live(now) {
			st = &counter{expiresAt: c.ExpiresAt}
			m[c.Key] = st
		}
		st.n++
	}
}

// slotField returns the field of c that holds the slot which.
func slotField(c *login.Contact, which login.SlotKind) (**login.Slot, error) {
	switch which {
	case login.SlotLogin:
		return &c.Login, nil
	case login.SlotLink:
		return &c.Link, nil
	}
	return nil, fmt.Errorf("unknown slot kind %q", which)
}

// SaveAttempt bumps the counters, checks the tenant versions and the
// contacts, then sets the slots, mirrors and several-tenant attempt, all
// or nothing. A slot's IdentKey must be one of its contact's identifiers
// (else ErrStale).
func (s *Store) SaveAttempt(ctx context.Context, w login.AttemptWrite) error {
	if err := s.lock(ctx, "save attempt"); err != nil {
		return err
	}
	defer s.mu.Unlock()
	fail := func(err error) error { return fmt.Errorf("memstore: save attempt: %w", err) }
	if err := s.checkCounters(w.Counters, w.Now); err != nil {
		return fail(err)
	}
	for id, v := range w.Versions {
		if t, ok := s.tenants[id]; !ok || t.Version != v {
			return fail(login.ErrStale)
		}
	}
	for _, sw := range w.Slots {
		c := s.contacts[contactKey{sw.TenantID, sw.ContactID}]
		if c == nil || !c.Access.CanLogIn() {
			return fail(login.ErrStale)
		}
		if _, err := slotField(c, sw.Which); err != nil {
			return fail(err)
		}
		if sw.IdentKey != "" {
			if sw.Which != login.SlotLogin {
				return fail(errors.New("only a login slot is mirrored"))
			}
			if s.takenBy(sw.IdentKey, sw.TenantID) != sw.ContactID {
				return fail(login.ErrStale)
			}
		}
	}
	if w.Multi != nil && w.Multi.IdentKey == "" {
		return fail(errors.New("several-tenant attempt without an identifier"))
	}

	s.bump(w.Counters, w.Now)
	for _, sw := range w.Slots {
		c := s.contacts[contactKey{sw.TenantID, sw.ContactID}]
		f, _ := slotField(c, sw.Which)
		*f = cloneSlot(&sw.Slot)
		c.Version++
		if sw.IdentKey != "" {
			s.idents[sw.IdentKey][sw.TenantID].login = cloneSlot(&sw.Slot)
		}
	}
	if w.DropMulti != "" {
		delete(s.multis, login.IdentHash(w.DropMulti))
	}
	if w.Multi != nil {
		m := cloneMulti(*w.Multi)
		s.multis[login.IdentHash(m.IdentKey)] = &m
	}
	s.record(w.Events)
	return nil
}

// findSlot returns the live slot that ref names, checked as a code or
// link may use it, or ErrLinkInvalid (a consumed slot too) or
// ErrLinkExpired. A slot that
// mirrors a several-tenant attempt is redeemed only through that attempt.
func (s *Store) findSlot(ref *login.SlotRef, now time.Time) (*login.Contact, **login.Slot, error) {
	c := s.contacts[contactKey{ref.TenantID, ref.ContactID}]
	if c == nil {
		return nil, nil, login.ErrLinkInvalid
	}
	f, err := slotField(c, ref.Which)
	if err != nil {
		return nil, nil, login.ErrLinkInvalid
	}
	sl := *f
	switch {
	case sl == nil || sl.Multi || !bytes.Equal(sl.TokenHash, ref.TokenHash) || sl.Consumed():
		return nil, nil, login.ErrLinkInvalid
	case !sl.Live(now):
		return nil, nil, login.ErrLinkExpired
	case ref.NeedTries && sl.TriesLeft <= 0:
		return nil, nil, login.ErrLinkInvalid
	}
	return c, f, nil
}

// findMulti returns the live several-tenant attempt that ref names, or
// ErrLinkInvalid (a consumed one too) or ErrLinkExpired.
func (s *Store) findMulti(ref *login.MultiRef, now time.Time) (*login.MultiAttempt, error) {
	m := s.multis[ref.IdentHash]
	switch {
	case m == nil || !bytes.Equal(m.TokenHash, ref.TokenHash) || m.ConsumedBy != nil:
		return nil, login.ErrLinkInvalid
	case !now.Before(m.ExpiresAt):
		return nil, login.ErrLinkExpired
	case ref.NeedTries && m.TriesLeft <= 0:
		return nil, login.ErrLinkInvalid
	}
	return m, nil
}

// RecordCodeFailure spends one try of every slot it names (and of its
// mirror in IdentKey, when that still holds the slot) and of the
// several-tenant attempt, and bumps the counters. A slot or attempt that
// is gone, expired or out of tries is ErrLinkInvalid; a counter at its
// limit is rate_limited; either writes nothing. With neither Slots nor
// Multi it only bumps the counters.
func (s *Store) RecordCodeFailure(ctx context.Context, f login.CodeFailure) error {
	if err := s.lock(ctx, "record code failure"); err != nil {
		return err
	}
	defer s.mu.Unlock()
	fail := func(err error) error { return fmt.Errorf("memstore: record code failure: %w", err) }
	for _, c := range f.Counters {
		if c.Host != "" {
			return fail(errors.New("a hosted counter in a code failure"))
		}
	}
	type charge struct {
		ref   login.SlotRef
		c     *login.Contact
		field **login.Slot
	}
	charges := make([]charge, 0, len(f.Slots))
	seen := map[contactKey]bool{}
	for _, ref := range f.Slots {
		k := contactKey{ref.TenantID, ref.ContactID}
		if seen[k] {
			return fail(errors.New("two slots of one contact"))
		}
		seen[k] = true
		ref.NeedTries = true
		c, field, err := s.findSlot(&ref, f.Now)
		if err != nil {
			return fail(login.ErrLinkInvalid)
		}
		charges = append(charges, charge{ref, c, field})
	}
	var m *login.MultiAttempt
	if f.Multi != nil {
		ref := *f.Multi
		ref.NeedTries = true
		var err error
		if m, err = s.findMulti(&ref, f.Now); err != nil {
			return fail(login.ErrLinkInvalid)
		}
	}
	if err := s.checkCounters(f.Counters, f.Now); err != nil {
		return fail(err)
	}

	s.bump(f.Counters, f.Now)
	for _, ch := range charges {
		(*ch.field).TriesLeft--
		ch.c.Version++
		if key := ch.ref.IdentKey; key != "" {
			if item := s.idents[key][ch.c.TenantID]; item != nil && item.contactID == ch.c.ID &&
				item.login != nil && bytes.Equal(item.login.TokenHash, ch.ref.TokenHash) {
				item.login.TriesLeft--
			}
		}
	}
	if m != nil {
		m.TriesLeft--
	}
	s.record(f.Events)
	return nil
}

// GetMulti returns the several-tenant attempt of the identifier whose
// IdentHash is identHash, or ErrNotFound. It may have expired.
func (s *Store) GetMulti(ctx context.Context, identHash string) (login.MultiAttempt, error) {
	if err := s.lock(ctx, "get multi"); err != nil {
		return login.MultiAttempt{}, err
	}
	defer s.mu.Unlock()
	m := s.multis[identHash]
	if m == nil {
		return login.MultiAttempt{}, fmt.Errorf("memstore: get multi: %w", login.ErrNotFound)
	}
	return cloneMulti(*m), nil
}

// GetPicker returns the picker with that hash or ErrNotFound. It may have
// expired.
func (s *Store) GetPicker(ctx context.Context, hash []byte) (login.Picker, error) {
	if err := s.lock(ctx, "get picker"); err != nil {
		return login.Picker{}, err
	}
	defer s.mu.Unlock()
	p := s.pickers[string(hash)]
	if p == nil {
		return login.Picker{}, fmt.Errorf("memstore: get picker: %w", login.ErrNotFound)
	}
	return clonePicker(*p), nil
}

// ReadCounters returns the count of each counter of cs live at now.
func (s *Store) ReadCounters(ctx context.Context, now time.Time, cs []login.Counter) ([]int, error) {
	if err := s.lock(ctx, "read counters"); err != nil {
		return nil, err
	}
	defer s.mu.Unlock()
	out := make([]int, len(cs))
	for i, c := range cs {
		if c.Host != "" {
			return nil, errors.New("memstore: read counters: a hosted counter")
		}
		if st := s.counters[c.Subject][c.Key]; st.live(now) {
			out[i] = st.n
		}
	}
	return out, nil
}

// AddCounter bumps c on its own: rate_limited at its Limit.
func (s *Store) AddCounter(ctx context.Context, now time.Time, c login.Counter) error {
	if err := s.lock(ctx, "add counter"); err != nil {
		return err
	}
	defer s.mu.Unlock()
	if c.Host != "" {
		return errors.New("memstore: add counter: a hosted counter")
	}
	cs := []login.Counter{c}
	if err := s.checkCounters(cs, now); err != nil {
		return fmt.Errorf("memstore: add counter: %w", err)
	}
	s.bump(cs, now)
	return nil
}
