package login

import "errors"

// Check reports whether r is a well-formed redemption: exactly one thing
// consumed (a slot, a several-tenant attempt, a picker) or used (an
// action link), and exactly one thing created (a session or a picker);
// an action link and a hand-off go only with a session. Both stores call
// it before they write, so a malformed Redemption is a bug caught at
// once and never a partial write.
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
	}
	return nil
}
