package memstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/portalpass/portalpass/pkg/login"
)

// Redeem consumes one slot, several-tenant attempt or picker, or uses an
// action link (which stays valid), and creates a session or a picker, all
// or nothing: at most once per one-time token. A session needs its
// contact to exist with access that can log in and, when r.NotBefore is
// set, a SessionsNotBefore that is zero or not after it (else
// ErrLinkInvalid); unless r.KeepSlots it marks the contact logged in
// (LastLoginAt, both slots cleared). An action link must exist with the
// hash, unrevoked, unexpired and of the session's tenant and contact; it
// opens only a session. Consuming a slot with an IdentKey clears that
// identifier's mirror.
func (s *Store) Redeem(ctx context.Context, r login.Redemption) error {
	if err := r.Check(); err != nil {
		return fmt.Errorf("memstore: %w", err)
	}
	if err := s.lock(ctx, "redeem"); err != nil {
		return err
	}
	defer s.mu.Unlock()
	fail := func(err error) error { return fmt.Errorf("memstore: redeem: %w", err) }

	var (
		slotC     *login.Contact
		slotField **login.Slot
		err       error
	)
	switch {
	case r.Slot != nil:
		slotC, slotField, err = s.findSlot(r.Slot, r.Now)
	case r.Multi != nil:
		_, err = s.findMulti(r.Multi, r.Now)
	case r.Action != nil:
		err = s.checkAction(r.Action, r.Session, r.Now)
	default:
		p := s.pickers[string(r.Picker)]
		switch {
		case p == nil:
			err = login.ErrLinkInvalid
		case !r.Now.Before(p.ExpiresAt):
			err = login.ErrLinkExpired
		}
	}
	if err != nil {
		return fail(err)
	}
	var target *login.Contact
	if r.Session != nil {
		target = s.contacts[contactKey{r.Session.TenantID, r.Session.ContactID}]
		if target == nil || !target.Access.CanLogIn() ||
			(!r.NotBefore.IsZero() && target.SessionsNotBefore.After(r.NotBefore)) {
			return fail(login.ErrLinkInvalid)
		}
		if _, ok := s.sessions[string(r.Session.Hash)]; ok {
			return fail(errors.New("a session with that hash exists"))
		}
	}
	if r.NewPicker != nil {
		if _, ok := s.pickers[string(r.NewPicker.Hash)]; ok {
			return fail(errors.New("a picker with that hash exists"))
		}
	}
	if r.Handoff != nil {
		if _, ok := s.handoffs[string(r.Handoff.Hash)]; ok {
			return fail(errors.New("a hand-off with that hash exists"))
		}
	}

	switch {
	case r.Slot != nil:
		*slotField = nil
		slotC.Version++
		if key := r.Slot.IdentKey; key != "" {
			if item := s.idents[key][slotC.TenantID]; item != nil && item.contactID == slotC.ID {
				item.login = nil
			}
		}
	case r.Multi != nil:
		delete(s.multis, r.Multi.IdentHash)
	case r.Picker != nil:
		delete(s.pickers, string(r.Picker))
	}
	if e := r.EndSession; e != nil {
		s.deleteSession(e.TenantID, e.ContactID, e.Hash)
	}
	if r.Session != nil {
		if !r.KeepSlots {
			target.LastLoginAt = r.Now
			target.Login, target.Link = nil, nil
			if target != slotC {
				target.Version++
			}
		}
		sess := cloneSession(*r.Session)
		s.sessions[string(sess.Hash)] = &sess
	}
	if r.NewPicker != nil {
		p := clonePicker(*r.NewPicker)
		s.pickers[string(p.Hash)] = &p
	}
	if r.Handoff != nil {
		h := cloneHandoff(*r.Handoff)
		s.handoffs[string(h.Hash)] = &h
	}
	s.record(r.Events)
	return nil
}
