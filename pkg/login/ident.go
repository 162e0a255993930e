package login

import "strings"

// IdentKind says what an identifier is. Kinds prefix identifier keys,
// which stores persist: never rename.
type IdentKind string

// Identifier kinds.
const (
	IdentEmail IdentKind = "email"
	IdentPhone IdentKind = "phone"
)

// Identifier is a parsed, normalised email address or E.164 phone number
// (package identifier parses them).
type Identifier struct {
	Kind IdentKind
	// Value is the normalised email address (NFC, ASCII domain, lower-cased)
	// or the E.164 phone number (+14155550123).
	Value string
}

// Key is the identifier's key, the one string that names it in store
// lookups and rate limits: "email:ana@example.com", "phone:+14155550123".
// An identifier without a kind or a value has the key "".
func (i Identifier) Key() string {
	if i.Kind == "" || i.Value == "" {
		return ""
	}
	return string(i.Kind) + ":" + i.Value
}

// EmailKey is the key of an email address, "" for none.
func EmailKey(email string) string { return Identifier{IdentEmail, email}.Key() }

// PhoneKey is the key of an E.164 phone number, "" for none.
func PhoneKey(phone string) string { return Identifier{IdentPhone, phone}.Key() }

// IdentKeys returns the keys of the identifiers c has on file: its email's
// and its phone's, in that order.
func (c Contact) IdentKeys() []string {
	var keys []string
	if k := EmailKey(c.Email); k != "" {
		keys = append(keys, k)
	}
	if k := PhoneKey(c.Phone); k != "" {
		keys = append(keys, k)
	}
	return keys
}

// IsIdentKey reports whether s is an identifier key rather than another
// rate-limit subject (such as "ip:192.0.2.1"): stores keep an identifier's
// counters beside it.
func IsIdentKey(s string) bool {
	return strings.HasPrefix(s, string(IdentEmail)+":") || strings.HasPrefix(s, string(IdentPhone)+":")
}
