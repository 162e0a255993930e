package identifier

import (
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/portalpass/portalpass/pkg/login"
)

// Messages for people.
const (
	msgEmpty   = "Enter an email address or phone number."
	msgGeneric = "Enter a valid email address or phone number in international format, like +14155550123."
)

// Parse parses an email address or a phone number. Spaces around s are
// trimmed, nothing else is. Input holding an @ sign, or a look-alike of one
// (which ParseEmail then rejects), is an email address; anything else is a
// phone number.
func (p Parser) Parse(s string) (login.Identifier, error) {
	s = strings.Trim(s, " ")
	if s == "" {
		return login.Identifier{}, invalid(msgEmpty, "empty")
	}
	if looksLikeEmail(s) {
		v, err := ParseEmail(s)
		if err != nil {
			return login.Identifier{}, err
		}
		return login.Identifier{Kind: login.IdentEmail, Value: v}, nil
	}
	if !looksLikePhone(s) {
		return login.Identifier{}, invalid(msgGeneric, "neither email nor phone")
	}
	v, err := p.ParsePhone(s)
	if err != nil {
		return login.Identifier{}, err
	}
	return login.Identifier{Kind: login.IdentPhone, Value: v}, nil
}

// Parse parses with the zero Parser: phone numbers are only stripped of
// formatting, not brought to the form they are stored in (see Parser).
func Parse(s string) (login.Identifier, error) { return Parser{}.Parse(s) }

// looksLikeEmail reports whether s holds an @ sign or a look-alike of one.
func looksLikeEmail(s string) bool {
	if strings.IndexByte(s, '@') >= 0 {
		return true
	}
	for _, r := range s {
		if r >= utf8.RuneSelf && isAtLookalike(r) {
			return true
		}
	}
	return false
}

// looksLikePhone reports whether s starts the way a phone number does, so
// that its errors can speak of phone numbers rather than of both kinds.
func looksLikePhone(s string) bool {
	c := s[0]
	return c == '+' || c == '(' || ('0' <= c && c <= '9')
}

// invalid returns the invalid_identifier error with a message for people and
// a reason for logs; neither holds the input.
func invalid(msg, reason string) error {
	e := login.Errorf(login.CodeInvalidIdentifier, "%s", msg)
	e.Err = errors.New("identifier: " + reason)
	return e
}
