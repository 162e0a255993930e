package message

import (
	"strings"

	"github.com/portalpass/portalpass/pkg/login"
)

// Email renders m as an email: its subject, its plain-text part and its
// HTML part. Both parts carry the tenant name, the link (in the HTML as a
// button in the tenant's colour and as text), the code when there is one,
// the lifetime in words, the EmailIgnore line and the tenant's support
// contact when it set one, in the language of m.Locale (English when it is
// not a shipped language). The HTML part uses inline styles only, loads
// nothing but the tenant's logo (m.Brand.LogoURL, on the API's origin)
// and escapes every value it interpolates; only an http or https link
// goes into an href (any other stays text, its href "#ZgotmplZ").
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
	// The tenant's look: Color a checked "#rrggbb", LogoURL "" for none
	// (LogoAlt, the tenant's name, stands in for it), Support the line
	// before the support contact, "" when the tenant gave none.
	Color, LogoURL, LogoAlt  string
	Support                  string
	SupportEmail, SupportURL string
	// Preheader is the hidden line an inbox shows after the subject:
	// the intro, without the colon that leads to the button.
	Preheader string
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
	c.Preheader = strings.TrimRight(c.Intro, " :\u00a0")
	if p.code != "" {
		c.CodeLine = F(lang, codeLine, "code", p.code)
	}
	c.Color, c.LogoURL, c.LogoAlt = login.SafeBrandColor(p.brand.Color), p.brand.LogoURL, name
	if p.brand.SupportEmail != "" || p.brand.SupportURL != "" {
		c.Support = F(lang, SupportLine, "tenant", name)
		c.SupportEmail, c.SupportURL = p.brand.SupportEmail, p.brand.SupportURL
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
	if c.Support != "" {
		b.WriteString("\n")
		b.WriteString(c.Support)
		for _, v := range []string{c.SupportEmail, c.SupportURL} {
			if v != "" {
				b.WriteString("\n")
				b.WriteString(v)
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}
