package message

import (
	"strings"
	"time"
	"unicode"

	"github.com/portalpass/portalpass/pkg/login"
)

// Longest tenant names the renderings keep, in runes.
const (
	maxNameEmail = 100
	maxNameSMS   = 40
)

// clean makes s safe to place in a line of text: control characters
// (CR, LF, tab and the rest) become spaces, bidirectional controls go,
// runs of spaces collapse, and the result is trimmed and cut to max runes
// (max <= 0: no limit).
func clean(s string, max int) string {
	var b strings.Builder
	space := false
	n := 0
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Bidi_Control, r):
			continue
		case unicode.IsControl(r) || unicode.IsSpace(r):
			space = true
			continue
		}
		sep := space && b.Len() > 0
		if max > 0 && n+1+btoi(sep) > max {
			break
		}
		if sep {
			b.WriteByte(' ')
			n++
		}
		space = false
		b.WriteRune(r)
		n++
	}
	return strings.TrimSpace(b.String())
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// parts are a Message's fields, cleaned, and the words that depend on its
// kind.
type parts struct {
	tenant string // "" when the message names no tenant
	link   string
	code   string
	ttl    string // "" when the message has no lifetime, else in English (the SMS's words)
	ttlD   time.Duration
	kind   login.MessageKind
	lang   string // a shipped language (Message.Locale, else English)
	brand  login.Brand
}

func partsOf(m login.Message, maxName int) parts {
	p := parts{
		tenant: clean(m.TenantName, maxName),
		link:   clean(m.Link, 0),
		code:   clean(m.Code, 0),
		kind:   m.Kind,
		lang:   Lang(m.Locale),
		brand: login.Brand{
			Color: m.Brand.Color, LogoURL: clean(m.Brand.LogoURL, 0),
			SupportEmail: clean(m.Brand.SupportEmail, 0), SupportURL: clean(m.Brand.SupportURL, 0),
		},
	}
	if m.TTL > 0 {
		p.ttl, p.ttlD = Duration(m.TTL), m.TTL
	}
	switch p.kind {
	case login.KindInvite, login.KindRecovery:
	default:
		p.kind = login.KindLogin
	}
	return p
}

// upperFirst capitalises the first letter of an ASCII sentence.
func upperFirst(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
