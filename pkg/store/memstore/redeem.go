package memstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/portalpass/portalpass/pkg/login"
)

// Redeem consumes one slot, several-tenant attempt or picker and creates a
// session or a picker, all or nothing: at most once per token. A session
// marks its contact logged in (LastLoginAt, both slots cleared) and needs
// the contact to exist with access that can log in (else ErrLinkInvalid).
// Consuming a slot with an IdentKey clears that identifier's mirror.
func (s *Store) Redeem(ctx context.Context, r login.Redemption) error {
	consumed, created := 0, 0
	for _, ok := range []bool{r.Slot != nil, r.Multi != nil, r.Picker != nil} {
		if ok {
			consumed++
		}
	}
	for _, ok := range []bool{r.Session != nil, r.NewPicker != nil} {
		if ok {
			created++
		}
	}
	if consumed != 1 || created != 1 {
		return errors.New("memstore: redeem: want exactly one thing consumed and one created")
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
		if target == nil || !target.Access.CanLogIn() {
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
	default:
		delete(s.pickers, string(r.Picker))
	}
	if e := r.EndSession; e != nil {
		s.deleteSession(e.TenantID, e.ContactID, e.Hash)
	}
	if r.Session != nil {
		target.LastLoginAt = r.Now
		target.Login, target.Link = nil, nil
		if target != slotC {
			target.Version++
		}
		sess := cloneSession(*r.Session)
		s.sessions[string(sess.Hash)] = &sess
	}
	if r.NewPicker != nil {
		p := clonePicker(*r.NewPicker)
		s.pickers[string(p.Hash)] = &p
	}
	s.record(r.Events)
	return nil
}
