package login

import "errors"

// Check reports whether r is a well-formed redemption: exactly one thing
// consumed (a slot, a several-tenant attempt, a picker) or used (an
// action link), and exactly one thing created (a session or a picker);
// an action link and a hand-off go only with a session. Both stores call
// it before they write, so a malformed Redemption is a bug caught at
// once and never a partial write. A kept slot (SlotRef.Keep) goes only
// with a login of its own contact, and the scanner exception
// (ExceptionEvents) only with a kept slot or attempt.
func (r *Redemption) Check() error {
	consumed := 0
	for _, ok := range [4]bool{r.Slot != nil, r.Multi != nil, r.Picker != nil, r.Action != nil} {
		if ok {
			consumed++
		}
	}
	switch {
	case consumed != 1 || (r.Session == nil) == (r.NewPicker == nil):
		return errors.New("login: redemption: want exactly one thing consumed and one created")
	case r.Action != nil && r.Session == nil:
		return errors.New("login: redemption: an action link opens only a session")
	case r.Handoff != nil && r.Session == nil:
		return errors.New("login: redemption: a hand-off needs a session")
	case r.Slot != nil && r.Slot.Keep && (r.Session == nil || r.KeepSlots ||
		r.Session.TenantID != r.Slot.TenantID || r.Session.ContactID != r.Slot.ContactID || r.Slot.IdentKey != ""):
		return errors.New("login: redemption: a kept slot goes only with a login of its own contact")
	case r.ExceptionEvents != nil && !(r.Slot != nil && r.Slot.Keep) && !(r.Multi != nil && r.Multi.Keep):
		return errors.New("login: redemption: the scanner exception needs a kept slot or attempt")
	}
	return nil
}
