package memstore

import (
	"bytes"
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
//
// A kept slot or several-tenant attempt (Keep) is marked consumed instead
// of cleared, and loses its code; nothing consumes it again, except the
// scanner exception (login.Redemption.ExceptionEvents): the browser with
// the attempt's request cookie finishes once, ending the session or
// picker the consuming browser got.
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
		field     **login.Slot
		multi     *login.MultiAttempt
		exception bool
		err       error
	)
	switch {
	case r.Slot != nil:
		slotC, field, err = s.findSlot(r.Slot, r.Now)
		if err != nil && s.slotException(&r) {
			slotC, exception, err = s.contacts[contactKey{r.Slot.TenantID, r.Slot.ContactID}], true, nil
			field, _ = slotField(slotC, r.Slot.Which)
		}
	case r.Multi != nil:
		multi, err = s.findMulti(r.Multi, r.Now)
		if err != nil && r.Multi.Keep && r.ExceptionEvents != nil {
			if m := s.multis[r.Multi.IdentHash]; m != nil && bytes.Equal(m.TokenHash, r.Multi.TokenHash) &&
				(!r.Multi.NeedTries || m.TriesLeft > 0) && m.ExceptionFor(r.Multi.RequestHash, r.Now) {
				multi, exception, err = m, true, nil
			}
		}
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

	// kept is what stays of a consumed slot: the login below clears both
	// slots, then puts it back.
	var kept *login.Slot
	switch {
	case r.Slot != nil && exception:
		kept = cloneSlot(*field)
		kept.ExceptionUsed = true
		s.deleteSession(slotC.TenantID, slotC.ID, kept.ConsumedBy)
		*field = kept
		slotC.Version++
	case r.Slot != nil && r.Slot.Keep:
		kept = cloneSlot(*field)
		kept.CodeHash, kept.CodeSalt = nil, nil
		kept.ConsumedBy, kept.ConsumedRequest = cloneBytes(r.Session.Hash), cloneBytes(r.Slot.RequestHash)
		*field = kept
		slotC.Version++
	case r.Slot != nil:
		*field = nil
		slotC.Version++
		if key := r.Slot.IdentKey; key != "" {
			if item := s.idents[key][slotC.TenantID]; item != nil && item.contactID == slotC.ID {
				item.login = nil
			}
		}
	case r.Multi != nil && exception:
		multi.ExceptionUsed = true
		delete(s.pickers, string(multi.ConsumedBy))
		if ps, ok := s.picked[string(multi.ConsumedBy)]; ok {
			delete(s.picked, string(multi.ConsumedBy))
			if s.session(ps.ref.TenantID, ps.ref.ContactID, ps.ref.Hash) != nil {
				s.deleteSession(ps.ref.TenantID, ps.ref.ContactID, ps.ref.Hash)
				for _, e := range r.PickedEvents {
					if e.TenantID == ps.ref.TenantID && e.ContactID == ps.ref.ContactID {
						s.record([]login.AuditEvent{e})
					}
				}
			}
		}
	case r.Multi != nil && r.Multi.Keep:
		multi.CodeHash, multi.CodeSalt = nil, nil
		multi.ConsumedBy, multi.ConsumedRequest = cloneBytes(r.NewPicker.Hash), cloneBytes(r.Multi.RequestHash)
	case r.Multi != nil:
		delete(s.multis, r.Multi.IdentHash)
	case r.Picker != nil:
		s.keepPicked(r)
		delete(s.pickers, string(r.Picker))
	}
	if e := r.EndSession; e != nil {
		s.deleteSession(e.TenantID, e.ContactID, e.Hash)
	}
	if r.Session != nil {
		if !r.KeepSlots {
			target.LastLoginAt = r.Now
			target.Login, target.Link = nil, nil
			if kept != nil {
				*field = kept
			}
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
	if exception {
		s.record(r.ExceptionEvents)
	} else {
		s.record(r.Events)
	}
	return nil
}

// slotException reports whether r, refused as the slot it names is
// consumed, may take the scanner exception (login.Redemption.ExceptionEvents).
func (s *Store) slotException(r *login.Redemption) bool {
	ref := r.Slot
	if !ref.Keep || r.ExceptionEvents == nil {
		return false
	}
	c := s.contacts[contactKey{ref.TenantID, ref.ContactID}]
	if c == nil {
		return false
	}
	f, err := slotField(c, ref.Which)
	if err != nil {
		return false
	}
	sl := *f
	return sl != nil && !sl.Multi && bytes.Equal(sl.TokenHash, ref.TokenHash) &&
		(!ref.NeedTries || sl.TriesLeft > 0) && sl.ExceptionFor(ref.RequestHash, r.Now)
}

// keepPicked remembers the session a pick gives when the picker came
// from a kept several-tenant attempt that still names it, so that the
// scanner exception can end it; entries past their attempt go.
func (s *Store) keepPicked(r login.Redemption) {
	for k, ps := range s.picked {
		if !r.Now.Before(ps.expires) {
			delete(s.picked, k)
		}
	}
	p := s.pickers[string(r.Picker)]
	if p == nil || p.Attempt == "" || r.Session == nil {
		return
	}
	m := s.multis[p.Attempt]
	if m == nil || !bytes.Equal(m.ConsumedBy, r.Picker) || m.ExceptionUsed {
		return
	}
	s.picked[string(r.Picker)] = pickedSession{
		ref:     login.SessionRef{TenantID: r.Session.TenantID, ContactID: r.Session.ContactID, Hash: cloneBytes(r.Session.Hash)},
		expires: m.ExpiresAt,
	}
}
