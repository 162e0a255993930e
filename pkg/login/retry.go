package login

import "errors"

// staleTries is how many times a flow reads and writes again when its
// write found a version changed under it.
const staleTries = 3

// errChangedMeanwhile is how a flow gives up when every try found its
// data changed by another write: the caller may simply try again.
var errChangedMeanwhile = &Error{Code: CodeConflict, Msg: "This changed while it was being saved. Try again."}

// retryStale runs once, a read and a write under a version condition,
// again while it fails with ErrStale (another write came first, so it
// reads afresh), at most staleTries times; then it gives up with
// errChangedMeanwhile. Any other result is returned as it is.
func retryStale[T any](once func() (T, error)) (T, error) {
	for range staleTries {
		v, err := once()
		if !errors.Is(err, ErrStale) {
			return v, err
		}
	}
	var zero T
	return zero, errChangedMeanwhile
}
