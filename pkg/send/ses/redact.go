package ses

import (
	"errors"
	"strings"
)

// redact returns err unchanged when its text holds none of the non-empty
// secrets; otherwise an error with only the text, every secret in it
// replaced, and without the original in its chain: a provider's error
// never carries a link or code into a log, not even through Unwrap.
func redact(err error, secrets ...string) error {
	msg := err.Error()
	found := false
	for _, s := range secrets {
		if s != "" && strings.Contains(msg, s) {
			msg = strings.ReplaceAll(msg, s, "[redacted]")
			found = true
		}
	}
	if !found {
		return err
	}
	return errors.New(msg)
}
