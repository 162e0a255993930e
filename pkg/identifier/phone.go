package identifier

import (
	"github.com/nyaruka/phonenumbers"
)

const (
	// maxPhoneInput bounds the raw input, formatting included.
	maxPhoneInput = 64
	// maxPhoneDigits is E.164's limit, country code included.
	maxPhoneDigits = 15
)

// Messages for people about phone numbers.
const (
	msgPhoneFormat  = "Enter the phone number in international format, starting with + and the country code, like +14155550123."
	msgPhoneChars   = "A phone number can hold only digits after the leading +, with spaces, dashes, dots or brackets between them."
	msgPhoneInvalid = "That phone number is not valid. Check the country code and the number."
)

// ParsePhone parses a phone number in international format and returns it
// in E.164 form (+14155550123). Spaces, dashes, dots and round brackets are
// stripped; what is left must be a + and digits (no letters, no extension)
// that make a valid number for its country.
func ParsePhone(s string) (string, error) {
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
	n, err := phonenumbers.Parse(string(num), "ZZ")
	if err != nil {
		return "", invalid(msgPhoneInvalid, "phone: "+err.Error())
	}
	if n.GetExtension() != "" || !phonenumbers.IsValidNumber(n) {
		return "", invalid(msgPhoneInvalid, "phone: not a valid number")
	}
	return phonenumbers.Format(n, phonenumbers.E164), nil
}
