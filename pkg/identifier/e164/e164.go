// Package e164 validates phone numbers with a real phone-number library
// (nyaruka/phonenumbers). Its metadata costs tens of milliseconds at
// start-up, so only the functions that accept new numbers import it.
package e164

import (
	"github.com/nyaruka/phonenumbers"

	"github.com/portalpass/portalpass/pkg/identifier"
)

// Parser parses identifiers and validates phone numbers.
var Parser = identifier.Parser{Phone: Validate}

// Validate checks a normalised number (a + and digits) and returns its
// E.164 form, the national prefix dropped (+44 (0)20… becomes +4420…).
func Validate(num string) (string, error) {
	n, err := phonenumbers.Parse(num, "ZZ")
	if err != nil {
		return "", identifier.Invalid(err.Error())
	}
	if n.GetExtension() != "" || !phonenumbers.IsValidNumber(n) {
		return "", identifier.Invalid("not a valid number")
	}
	return phonenumbers.Format(n, phonenumbers.E164), nil
}
