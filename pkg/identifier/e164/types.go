package e164

// NumberType is the kind of a phone number, as libphonenumber's
// GetNumberType tells it from the number alone.
type NumberType uint8

// Number types, libphonenumber's PhoneNumberType.
const (
	Unknown           NumberType = iota // not a valid number, or of no known type
	FixedLine                           // a landline: takes no SMS
	Mobile                              // a mobile phone
	FixedLineOrMobile                   // the region's numbers do not tell (US, CA, ...)
	TollFree                            // free to the caller
	PremiumRate                         // the caller pays extra: SMS pumping's target
	SharedCost                          // the caller pays part of the cost
	VoIP                                // an internet telephony number
	PersonalNumber                      // follows a person to other numbers
	Pager
	UAN // universal access number: a company's number
	Voicemail
)

var typeNames = [...]string{
	Unknown: "unknown", FixedLine: "fixed_line", Mobile: "mobile", FixedLineOrMobile: "fixed_line_or_mobile",
	TollFree: "toll_free", PremiumRate: "premium_rate", SharedCost: "shared_cost", VoIP: "voip",
	PersonalNumber: "personal_number", Pager: "pager", UAN: "uan", Voicemail: "voicemail",
}

// String names the type in snake case ("premium_rate").
func (t NumberType) String() string {
	if int(t) < len(typeNames) {
		return typeNames[t]
	}
	return "unknown"
}

// kind is a set of number types a desc of tables.go stands for.
type kind uint16

// Kinds as tables.go names them.
const (
	kindFixedLine kind = 1 << iota
	kindMobile
	kindTollFree
	kindPremiumRate
	kindSharedCost
	kindVoIP
	kindPersonalNumber
	kindPager
	kindUAN
	kindVoicemail
)

// Type returns the type of a number in E.164 form (Validate's output; a
// number Validate accepts in another form is typed the same), or Unknown
// for an invalid one. Like libphonenumber's GetNumberType, the types that
// cost the caller or tell a service come first: a number matching both
// premium-rate and fixed-line patterns is PremiumRate.
//
// Each pattern of the number's region it tries is compiled on first use,
// so call it where numbers enter, not on every login.
func Type(num string) NumberType {
	_, r, nsn, err := parse(num)
	if err != nil {
		return Unknown
	}
	return r.typeOf(nsn)
}

// typeOf is libphonenumber's getNumberTypeHelper for a valid nsn of r.
func (r *region) typeOf(nsn string) NumberType {
	bit := uint32(1) << len(nsn)
	var k kind
	for _, d := range r.types {
		if d.lengths&bit != 0 && d.pattern.re().MatchString(nsn) {
			k |= d.kinds
		}
	}
	switch {
	case k&kindPremiumRate != 0:
		return PremiumRate
	case k&kindTollFree != 0:
		return TollFree
	case k&kindSharedCost != 0:
		return SharedCost
	case k&kindVoIP != 0:
		return VoIP
	case k&kindPersonalNumber != 0:
		return PersonalNumber
	case k&kindPager != 0:
		return Pager
	case k&kindUAN != 0:
		return UAN
	case k&kindVoicemail != 0:
		return Voicemail
	case k&(kindFixedLine|kindMobile) == kindFixedLine|kindMobile:
		return FixedLineOrMobile
	case k&kindFixedLine != 0:
		return FixedLine
	case k&kindMobile != 0:
		return Mobile
	}
	return Unknown
}

// Region returns the ISO 3166 alpha-2 code of the region a number belongs
// to ("US" for +14155550123), "001" for a non-geographic number, or "" for
// an invalid one. It reads leading digits and compiles only the patterns
// of the number's calling code it needs.
func Region(num string) string {
	_, id, err := validate(num)
	if err != nil {
		return ""
	}
	return id
}

// Textable reports whether a number of this type can receive an SMS a
// login sends: mobile, a region's numbers that may be mobile, VoIP and
// personal numbers (which forward to a phone). Fixed lines, toll-free,
// UAN, pager and voicemail numbers are stored but never texted;
// premium-rate and shared-cost numbers are not stored at all (Storable).
func (t NumberType) Textable() bool {
	switch t {
	case Mobile, FixedLineOrMobile, VoIP, PersonalNumber:
		return true
	}
	return false
}
