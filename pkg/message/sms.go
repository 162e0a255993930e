package message

import (
	"strings"

	"github.com/portalpass/portalpass/pkg/login"
)

// SMS renders m as a short transactional text message, such as
//
//	Acme: your login code is 123456. Or tap https://… (expires in 10 minutes)
//
// It holds the tenant name (cut to 40 characters), the code, the link
// and the lifetime and nothing else. Without a link it carries only the
// code; with neither a link nor a code it is "".
func SMS(m login.Message) string {
	p := partsOf(m, maxNameSMS)
	if p.link == "" && p.code == "" {
		return ""
	}
	var b strings.Builder
	if p.tenant != "" {
		b.WriteString(p.tenant)
		b.WriteString(": ")
	}
	if p.code != "" {
		b.WriteString(smsCodeWords[p.kind])
		b.WriteString(p.code)
		if p.link != "" {
			b.WriteString(". Or tap ")
			b.WriteString(p.link)
		}
	} else {
		b.WriteString(smsLinkWords[p.kind])
		b.WriteString(p.link)
	}
	if p.ttl != "" {
		b.WriteString(" (expires in ")
		b.WriteString(p.ttl)
		b.WriteString(")")
	}
	s := b.String()
	if p.tenant == "" {
		s = upperFirst(s)
	}
	return s
}

var smsCodeWords = map[login.MessageKind]string{
	login.KindLogin:    "your login code is ",
	login.KindInvite:   "your invitation code is ",
	login.KindRecovery: "your account recovery code is ",
}

var smsLinkWords = map[login.MessageKind]string{
	login.KindLogin:    "tap to log in: ",
	login.KindInvite:   "tap to accept your invitation: ",
	login.KindRecovery: "tap to recover your account: ",
}
