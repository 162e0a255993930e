package identifier

const (
	// maxPhoneInput bounds the raw input, formatting included.
	maxPhoneInput = 64
	// maxPhoneDigits is E.164's limit, country code included.
	maxPhoneDigits = 15
)

// Messages for people about phone numbers.
const (
	msgPhoneFormat      = "Enter the phone number in international format, starting with + and the country code, like +14155550123."
	msgPhoneChars       = "A phone number can hold only digits after the leading +, with spaces, dashes, dots or brackets between them."
	msgPhoneInvalid     = "That phone number is not valid. Check the country code and the number."
	msgPhoneNotStorable = "That phone number is a premium-rate or shared-cost number. Enter a mobile or landline number."
)

// PhoneValidator checks a normalised number (a + and digits) and returns
// its E.164 form. Package e164 has the one backed by a phone-number
// library; it is a value passed in, not an import, because that
// library's start-up cost belongs only to the functions that need it.
type PhoneValidator func(normalised string) (string, error)

// Parser parses identifiers. With e164.Validate as Phone it checks phone
// numbers and gives their E.164 form, a national prefix dropped where the
// country's rules say so: that is the form numbers are stored in, and
// every function parses with it (e164.Parser) so that a number typed the
// same way is found again. With a nil Phone (the zero Parser) it only
// strips formatting: "+44 (0)7911 123456" stays +4407911123456, which is
// no stored number. Whether a trunk prefix is dropped depends on the
// country ("+39 (0)6…" keeps its zero), so no rule short of e164's tables
// can do better; the zero Parser is only for input already in E.164.
type Parser struct {
	Phone PhoneValidator
	// Storable, when set, refuses numbers that may not be stored on a
	// contact (e164.Storable: premium-rate and shared-cost numbers,
	// where an SMS would cost the sender money). ParseStoredPhone reads
	// it; a login request's identifier need not pass it, as no contact
	// holds such a number.
	Storable func(e164 string) error
}

// ParsePhone parses a phone number in international format and returns it
// in E.164 form (+14155550123). Spaces, dashes, dots and round brackets are
// stripped; what is left must be a + and digits (no letters, no extension),
// and p.Phone, when set, must accept it.
func (p Parser) ParsePhone(s string) (string, error) {
	if len(s) > maxPhoneInput {
		return "", invalid(msgPhoneInvalid, "phone: too long")
	}
	var buf [maxPhoneDigits + 1]byte
	num := buf[:0]
	for _, r := range s {
		switch {
		case r == ' ' || r == '-' || r == '.' || r == '(' || r == ')':
		case r == '+':
			if len(num) != 0 {
				return "", invalid(msgPhoneChars, "phone: misplaced +")
			}
			num = append(num, '+')
		case '0' <= r && r <= '9':
			if len(num) == 0 {
				return "", invalid(msgPhoneFormat, "phone: no leading +")
			}
			if len(num) > maxPhoneDigits {
				return "", invalid(msgPhoneInvalid, "phone: too many digits")
			}
			num = append(num, byte(r))
		default:
			return "", invalid(msgPhoneChars, "phone: character not allowed")
		}
	}
	if len(num) == 0 {
		return "", invalid(msgPhoneFormat, "phone: no leading +")
	}
	if len(num) < 3 {
		return "", invalid(msgPhoneInvalid, "phone: too short")
	}
	if p.Phone == nil {
		return string(num), nil
	}
	return p.Phone(string(num))
}

// ParseStoredPhone parses a phone number that is to be stored on a
// contact: ParsePhone, then p.Storable when set.
func (p Parser) ParseStoredPhone(s string) (string, error) {
	num, err := p.ParsePhone(s)
	if err != nil || p.Storable == nil {
		return num, err
	}
	if err := p.Storable(num); err != nil {
		return "", err
	}
	return num, nil
}

// ParsePhone normalises a phone number with the zero Parser: formatting
// stripped, no national prefix dropped, nothing validated.
func ParsePhone(s string) (string, error) { return Parser{}.ParsePhone(s) }

// Invalid returns the error for a number the validator refuses.
func Invalid(reason string) error { return invalid(msgPhoneInvalid, "phone: "+reason) }

// NotStorable is the error of a valid number that a contact may not hold
// (a premium-rate or shared-cost number); reason says which, for logs.
func NotStorable(reason string) error {
	return invalid(msgPhoneNotStorable, "phone: "+reason)
}
