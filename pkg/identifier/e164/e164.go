package e164

import "github.com/portalpass/portalpass/pkg/identifier"

//go:generate go run ./internal/gen

// Parser parses identifiers and validates phone numbers.
var Parser = identifier.Parser{Phone: Validate, Storable: Storable}

// Storable refuses a number a contact may not hold: a premium-rate or
// shared-cost one, which costs whoever calls or texts it (the target of
// SMS pumping). Its error is identifier.NotStorable (400
// invalid_identifier). It types the number (Type), compiling its
// region's patterns, so it belongs where numbers enter, not on a login.
func Storable(num string) error {
	switch t := Type(num); t {
	case PremiumRate, SharedCost:
		return identifier.NotStorable(t.String() + " number")
	}
	return nil
}

// SMSInfo returns the region of a stored number and whether a login SMS
// may go to it (Type(num).Textable()): the form of login.Deps.Phones.
func SMSInfo(num string) (region string, textable bool) {
	_, r, nsn, err := parse(num)
	if err != nil {
		return "", false
	}
	return r.id, r.typeOf(nsn).Textable()
}

// Validate checks a normalised number (a + and digits) and returns its
// E.164 form, the national prefix dropped (+44 (0)20… becomes +4420…). It
// accepts what phonenumbers.IsValidNumber accepts after
// phonenumbers.Parse(num, "ZZ"); its errors come from identifier.Invalid.
func Validate(num string) (string, error) {
	e, _, err := validate(num)
	return e, err
}
