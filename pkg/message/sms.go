package message

import (
	"strings"
	"time"

	"github.com/portalpass/portalpass/pkg/login"
)

// SMS renders m as a short transactional text message in m.Locale's
// language, such as
//
//	Acme: your login code is 123456. Or tap https://api.example.com/l/t.acme.c….… (expires in 10 minutes)
//	@api.example.com #123456
//
// A message with a code ends with the origin-bound line "@host #code"
// (m.OriginHost), so that WebOTP and iOS autofill offer the code only on
// the API's own pages. It holds the tenant name, the code, the link and
// the lifetime and nothing else, in GSM-7 only: the tenant name is
// transliterated (accents dropped) and what has no GSM-7 form is left
// out. It fits one segment (160 characters) without a link and two (306)
// with one, for a tenant name of up to 20 characters and a host of up to
// 50: a longer name is cut, then the lifetime left out, and a link that
// still does not fit beside a code is left out (the code logs in too).
// With neither a link nor a code it is "".
func SMS(m login.Message) string {
	p := partsOf(m, maxNameSMS)
	if p.link == "" && p.code == "" {
		return ""
	}
	lang := smsLang(m.Locale)
	r := smsRender{lang: lang, kind: p.kind, code: p.code, link: p.link, host: toGSM7(clean(m.OriginHost, 0))}
	if m.TTL > 0 {
		r.ttl = smsDuration(lang, m.TTL)
	}
	name := toGSM7(p.tenant)
	if p.tenant == severalTenants {
		// A login for several tenants names none of them.
		name = ""
	}
	if s, ok := r.fit(name); ok || r.code == "" || r.link == "" {
		return s
	}
	r.link = ""
	s, _ := r.fit(name)
	return s
}

// severalTenants is the tenant name login gives a message of a login
// for several tenants.
const severalTenants = "your portals"

// SMSLocales are the languages SMS are written in: the shipped ones.
var SMSLocales = Languages

// smsLang returns the catalog language of locale ("es", or "es-MX" for
// the same), English for "" or any other.
func smsLang(locale string) string {
	if locale == PseudoLang {
		return locale
	}
	lang, _, _ := strings.Cut(strings.ToLower(locale), "-")
	return Lang(lang)
}

// smsWords are the catalog keys of an SMS's opening words by kind: what
// precedes the code, and what precedes a link sent without one.
var smsWords = map[login.MessageKind][2]Key{
	login.KindLogin:    {SMSCodeLogin, SMSLinkLogin},
	login.KindInvite:   {SMSCodeInvite, SMSLinkInvite},
	login.KindRecovery: {SMSCodeRecovery, SMSLinkRecovery},
}

// smsRender is one SMS's parts, ready to write.
type smsRender struct {
	lang                  string
	kind                  login.MessageKind
	code, link, ttl, host string
}

// minNameSMS is the tenant name's length that fit keeps before it drops
// the lifetime: the budget holds for a name this long.
const minNameSMS = 20

// fit writes the SMS with as much of name and the lifetime as the
// segment budget allows (one segment, two with a link), and reports
// whether it fits at all.
func (r smsRender) fit(name string) (string, bool) {
	budget := 1
	if r.link != "" {
		budget = 2
	}
	runes := []rune(name)
	var s string
	for _, step := range []struct {
		ttl     bool
		minName int
	}{{true, min(minNameSMS, len(runes))}, {false, 0}} {
		if !step.ttl && r.ttl == "" {
			break
		}
		for n := len(runes); n >= step.minName; n-- {
			s = r.text(strings.TrimSpace(string(runes[:n])), step.ttl)
			if segs, _ := SMSSegments(s); segs <= budget {
				return s, true
			}
		}
	}
	return s, false
}

// text writes the SMS with that name (none: "") and with or without
// the lifetime.
func (r smsRender) text(name string, ttl bool) string {
	var b strings.Builder
	if name != "" {
		b.WriteString(name)
		b.WriteString(": ")
	}
	start := b.Len()
	words := smsWords[r.kind]
	if r.code != "" {
		b.WriteString(T(r.lang, words[0]))
		b.WriteString(r.code)
		if r.link != "" {
			b.WriteString(T(r.lang, SMSOrTap))
			b.WriteString(r.link)
		}
	} else {
		b.WriteString(T(r.lang, words[1]))
		b.WriteString(r.link)
	}
	if ttl && r.ttl != "" {
		b.WriteString(" (")
		b.WriteString(F(r.lang, SMSExpires, "ttl", r.ttl))
		b.WriteString(")")
	}
	if r.code != "" && r.host != "" {
		// The origin-bound line of WICG's sms-one-time-codes: the last
		// line, so that nothing a tenant name holds can pose as it.
		b.WriteString("\n@")
		b.WriteString(r.host)
		b.WriteString(" #")
		b.WriteString(r.code)
	}
	s := b.String()
	if name == "" {
		s = s[:start] + upperFirst(s[start:])
	}
	return s
}

// smsDuration says d in lang's SMS words as DurationIn does: the
// largest unit that measures d exactly (days from two days up), never
// more time than there is. A language whose word for days is not GSM-7
// counts hours instead.
func smsDuration(lang string, d time.Duration) string {
	const day = 24 * time.Hour
	switch {
	case d < time.Second:
		return units(lang, 0, SMSSecond, SMSSeconds)
	case d < time.Minute:
		return units(lang, int64(d/time.Second), SMSSecond, SMSSeconds)
	}
	d = d.Truncate(time.Minute)
	switch {
	case d%day == 0 && d >= 2*day && IsGSM7(T(lang, SMSDays)):
		return units(lang, int64(d/day), SMSDay, SMSDays)
	case d%time.Hour == 0:
		return units(lang, int64(d/time.Hour), SMSHour, SMSHours)
	default:
		return units(lang, int64(d/time.Minute), SMSMinute, SMSMinutes)
	}
}
