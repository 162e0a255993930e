package message

import (
	"strings"

	"github.com/portalpass/portalpass/pkg/login"
)

// Ignore is the closing line of every email.
const Ignore = "If you did not ask for this, you can ignore this email."

// Email renders m as an email: its subject, its plain-text part and its
// HTML part. Both parts carry the tenant name, the link (in the HTML as a
// button and as text), the code when there is one, the lifetime in words
// and the Ignore line. The HTML part uses inline styles only, loads
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
}

func emailContent(p parts) content {
	w := emailWords[p.kind]
	name := p.tenant
	if name == "" {
		name = "your portal"
		w.subject = strings.ReplaceAll(w.subject, "the {t} portal", "the portal")
		w.intro = strings.ReplaceAll(w.intro, "the {t} portal", "the portal")
	}
	c := content{Link: p.link, Button: w.button, Ignore: Ignore}
	what := "link"
	if p.link == "" {
		what = "code"
	}
	c.Subject = strings.ReplaceAll(w.subject, "{what}", what)
	c.Subject = strings.ReplaceAll(c.Subject, "{t}", name)
	intro := w.intro + " Use this link " + w.action + ":"
	if p.link == "" {
		intro = w.intro + " Use the code below " + w.action + "."
	}
	c.Intro = strings.TrimSpace(strings.ReplaceAll(intro, "{t}", name))
	if p.code != "" {
		c.CodeLine = "Enter this code: " + p.code
		if p.link != "" {
			c.CodeLine = "Or enter this code: " + p.code
		}
	}
	if p.ttl != "" {
		c.Expiry = "This " + what + " expires in " + p.ttl + "."
	}
	return c
}

type words struct {
	subject string // {what}: link or code; {t}: tenant name
	intro   string // the first sentence, "" for none
	action  string // follows "Use this link"; {t}: tenant name
	button  string
}

var emailWords = map[login.MessageKind]words{
	login.KindLogin: {
		subject: "Your login {what} for {t}",
		action:  "to log in to {t}",
		button:  "Log in",
	},
	login.KindInvite: {
		subject: "You're invited to the {t} portal",
		intro:   "You have been invited to the {t} portal.",
		action:  "to accept the invitation and log in",
		button:  "Accept invitation",
	},
	login.KindRecovery: {
		subject: "Your account recovery {what} for {t}",
		action:  "to recover your {t} account",
		button:  "Recover account",
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
