package login

import "strings"

// Locales are the languages that ship, English first: the values a
// tenant's locales setting and a contact's locale may take. The message
// catalog (pkg/message) holds a text for each (a test there checks they
// agree).
var Locales = []string{"en", "es", "de", "fr"}

// DefaultLocale is the language of a tenant that chose none.
const DefaultLocale = "en"

// ShippedLocale reports whether l is one of Locales.
func ShippedLocale(l string) bool {
	for _, x := range Locales {
		if x == l {
			return true
		}
	}
	return false
}

// LocaleList returns the languages the tenant offers, its default first
// (["en"] when it chose none).
func (s Settings) LocaleList() []string {
	if s.Locales == "" {
		return []string{DefaultLocale}
	}
	return strings.Split(s.Locales, ",")
}

// DefaultLocale is the tenant's default language: the first it offers.
func (s Settings) DefaultLocale() string { return s.LocaleList()[0] }

// Offers reports whether the tenant offers language l.
func (s Settings) Offers(l string) bool {
	for _, x := range s.LocaleList() {
		if x == l {
			return true
		}
	}
	return false
}

// Locale is the language a message to this tenant's contact goes out in
// when want is asked for: want when the tenant offers it, else its default.
func (s Settings) Locale(want string) string {
	if want != "" && s.Offers(want) {
		return want
	}
	return s.DefaultLocale()
}

// ParseLocaleTag reduces a language tag to its primary language,
// lower-case ("es-MX" -> "es"); ok is false when tag is not shaped like
// a language tag (2-3 letters, then subtags of 1-8 letters or digits).
// Whether the language ships is the caller's to see.
func ParseLocaleTag(tag string) (lang string, ok bool) {
	if tag == "" || len(tag) > 35 {
		return "", false
	}
	parts := strings.Split(tag, "-")
	for i, p := range parts {
		if len(p) < 1 || len(p) > 8 || (i == 0 && (len(p) < 2 || len(p) > 3)) {
			return "", false
		}
		for _, c := range p {
			letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
			if !letter && (i == 0 || c < '0' || c > '9') {
				return "", false
			}
		}
	}
	return strings.ToLower(parts[0]), true
}
