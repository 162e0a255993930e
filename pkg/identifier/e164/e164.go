package e164

import "github.com/portalpass/portalpass/pkg/identifier"

//go:generate go run ./internal/gen

// Parser parses identifiers and validates phone numbers.
var Parser = identifier.Parser{Phone: Validate}

// Validate checks a normalised number (a + and digits) and returns its
// E.164 form, the national prefix dropped (+44 (0)20… becomes +4420…). It
// accepts what phonenumbers.IsValidNumber accepts after
// phonenumbers.Parse(num, "ZZ"); its errors come from identifier.Invalid.
func Validate(num string) (string, error) {
	e, _, err := validate(num)
	return e, err
}
