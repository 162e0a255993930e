package message

import (
	"strings"

	"github.com/portalpass/portalpass/pkg/login"
)

// Email renders m as an email: its subject, its plain-text part and its
// HTML part. Both parts carry the tenant name, the link (in the HTML as a
// button and as text), the code when there is one, the lifetime in words
// and the EmailIgnore line, in the language of m.Locale (English when
// it is not a shipped language). The HTML part uses inline styles only, loads
// nothing and escapes every value it interpolates; only an http or https
// link goes into an href (any other stays text, its href "#ZgotmplZ").
func Email(m login.Message) (subject, text, html string) {
	c := emailContent(partsOf(m, maxNameEmail))
	return c.Subject, c.text(), c.html()
}

// content is what both parts of an email say.
type content struct {
	Subject string
	Intro   string
	Button  string
	Link    string
	// CodeLine is "Or enter this code: 123456" ("Enter …" without a link).
	CodeLine string
	Expiry   string
	Ignore   string
	CopyLink string // the hint before the link as text
	Lang     string // the <html lang> of the HTML part
}

func emailContent(p parts) content {
	w := emailWords[p.kind]
	lang := p.lang
	name := p.tenant
	if name == "" {
		name = T(lang, EmailYourPortal)
		if w.subjectAny != "" {
			w.subjectLink, w.subjectCode = w.subjectAny, w.subjectAny
		}
		if w.introAny != "" {
			w.intro = w.introAny
		}
	}
	c := content{Link: p.link, Button: T(lang, w.button), Ignore: T(lang, EmailIgnore), CopyLink: T(lang, EmailCopyLink), Lang: lang}
	subject, use, expires, codeLine := w.subjectLink, w.useLink, EmailLinkExpires, EmailCodeLineOr
	if p.link == "" {
		subject, use, expires, codeLine = w.subjectCode, w.useCode, EmailCodeExpires, EmailCodeLine
	}
	c.Subject = F(lang, subject, "tenant", name)
	intro := F(lang, use, "tenant", name)
	if w.intro != "" {
		intro = F(lang, w.intro, "tenant", name) + " " + intro
	}
	c.Intro = strings.TrimSpace(intro)
	if p.code != "" {
		c.CodeLine = F(lang, codeLine, "code", p.code)
	}
	if p.ttl != "" {
		c.Expiry = F(lang, expires, "ttl", DurationIn(lang, p.ttlD))
	}
	return c
}

// words are the catalog keys of one kind of email. The *Any keys, when
// set, replace a text that names the tenant for a message without one.
type words struct {
	subjectLink, subjectCode, subjectAny Key
	intro, introAny                      Key // the first sentence, "" for none
	useLink, useCode                     Key
	button                               Key
}

var emailWords = map[login.MessageKind]words{
	login.KindLogin: {
		subjectLink: EmailLoginSubjectLink, subjectCode: EmailLoginSubjectCode,
		useLink: EmailLoginUseLink, useCode: EmailLoginUseCode, button: EmailLoginButton,
	},
	login.KindInvite: {
		subjectLink: EmailInviteSubject, subjectCode: EmailInviteSubject, subjectAny: EmailInviteSubjectAny,
		intro: EmailInviteIntro, introAny: EmailInviteIntroAny,
		useLink: EmailInviteUseLink, useCode: EmailInviteUseCode, button: EmailInviteButton,
	},
	login.KindRecovery: {
		subjectLink: EmailRecoverySubjectLink, subjectCode: EmailRecoverySubjectCode,
		useLink: EmailRecoveryUseLink, useCode: EmailRecoveryUseCode, button: EmailRecoveryButton,
	},
}

func (c content) text() string {
	var b strings.Builder
	para := func(s string) {
		if s != "" {
			b.WriteString(s)
			b.WriteString("\n\n")
		}
	}
	para(c.Intro)
	para(c.Link)
	para(c.CodeLine)
	para(c.Expiry)
	b.WriteString(c.Ignore)
	b.WriteString("\n")
	return b.String()
}
