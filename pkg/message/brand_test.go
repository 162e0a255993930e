package message_test

import (
	"strings"
	"testing"

	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/message"
)

// htmlLink is link as an href holds it.
var htmlLink = strings.ReplaceAll(link, "&", "&amp;")

var acmeBrand = login.Brand{
	Color: "#7a1f5c", LogoURL: "https://api.example.com/logos/acme/0123456789abcdef.png",
	SupportEmail: "help@acme.example", SupportURL: "https://acme.example/help",
}

// TestEmailBrand: an email wears its tenant's look in the HTML part
// (button, links, logo, support) and says the same in the text part;
// whatever arrives is escaped, and only a checked colour or an http(s)
// URL reaches an attribute.
func TestEmailBrand(t *testing.T) {
	tests := []struct {
		name       string
		m          login.Message
		html, text []string // present
		absent     []string // in the HTML part
	}{
		{
			name: "branded",
			m:    msg(login.KindLogin, func(m *login.Message) { m.Brand = acmeBrand }),
			html: []string{
				`<td align="center" bgcolor="#7a1f5c" style="border-radius:6px;background-color:#7a1f5c;"><a href="` + htmlLink + `"`,
				`<img src="https://api.example.com/logos/acme/0123456789abcdef.png" alt="Acme" height="48"`,
				`Need help? Contact Acme support:<br><a href="mailto:help@acme.example" style="color:#7a1f5c;`,
				`<a href="https://acme.example/help" style="color:#7a1f5c;text-decoration:underline;">https://acme.example/help</a>`,
				`font-size:24px;line-height:1.4;font-weight:700;letter-spacing:1px;color:#18181b;">Or enter this code: 123456</p>`,
				`<div style="display:none;`, `>Use this link to log in to Acme</div>`,
			},
			text:   []string{"Need help? Contact Acme support:\nhelp@acme.example\nhttps://acme.example/help\n", link, "123456", ignoreEN},
			absent: []string{"#2d5bd7"},
		},
		{
			name:   "no logo, no support",
			m:      msg(login.KindLogin, func(m *login.Message) { m.Brand = login.Brand{Color: "#0b6e4f"} }),
			html:   []string{`bgcolor="#0b6e4f"`, `style="color:#0b6e4f;`},
			absent: []string{"<img", "src=", "Need help", "mailto:"},
		},
		{
			name:   "support url only",
			m:      msg(login.KindLogin, func(m *login.Message) { m.Brand = login.Brand{SupportURL: "https://acme.example/help"} }),
			html:   []string{`Need help? Contact Acme support:<br><a href="https://acme.example/help"`, `bgcolor="#2d5bd7"`},
			text:   []string{"Need help? Contact Acme support:\nhttps://acme.example/help\n"},
			absent: []string{"mailto:"},
		},
		{
			name: "colour that is not a checked setting",
			m: msg(login.KindLogin, func(m *login.Message) {
				m.Brand = login.Brand{Color: `red" onmouseover="x`}
			}),
			html:   []string{`bgcolor="#2d5bd7"`},
			absent: []string{"red", "onmouseover"},
		},
		{
			name: "colour too light for white text",
			m:    msg(login.KindLogin, func(m *login.Message) { m.Brand = login.Brand{Color: "#ffff00"} }),
			html: []string{`bgcolor="#2d5bd7"`}, absent: []string{"#ffff00"},
		},
		{
			name: "markup everywhere",
			m: msg(login.KindLogin, func(m *login.Message) {
				m.TenantName = `<b>"Acme"</b>`
				m.Brand = login.Brand{LogoURL: `https://api.example.com/logos/a/"><script>.png`,
					SupportEmail: `a"b?cc=evil@acme.example`, SupportURL: `https://acme.example/"><script>`}
			}),
			html: []string{
				`alt="&lt;b&gt;&#34;Acme&#34;&lt;/b&gt;"`, `src="https://api.example.com/logos/a/%22%3e%3cscript%3e.png"`,
				`href="mailto:a%22b%3fcc=evil@acme.example"`, `href="https://acme.example/%22%3e%3cscript%3e"`,
			},
			absent: []string{"<script", `"><script`, "<b>"},
		},
		{
			name:   "logo that is not a web URL",
			m:      msg(login.KindLogin, func(m *login.Message) { m.Brand = login.Brand{LogoURL: "javascript:alert(1)"} }),
			absent: []string{"<img", "javascript:"},
		},
		{
			name:   "several tenants: neutral",
			m:      msg(login.KindLogin, func(m *login.Message) { m.TenantName = "" }),
			html:   []string{`bgcolor="#2d5bd7"`},
			absent: []string{"<img", "Need help"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, text, htm := message.Email(tt.m)
			for _, w := range tt.html {
				if !strings.Contains(htm, w) {
					t.Errorf("HTML part lacks %q:\n%s", w, htm)
				}
			}
			for _, w := range tt.text {
				if !strings.Contains(text, w) {
					t.Errorf("text part lacks %q:\n%s", w, text)
				}
			}
			for _, a := range tt.absent {
				if strings.Contains(htm, a) {
					t.Errorf("HTML part holds %q:\n%s", a, htm)
				}
			}
		})
	}
}

// TestEmailSubjectNamesTenant: every kind of email names its tenant in
// the subject, in every language.
func TestEmailSubjectNamesTenant(t *testing.T) {
	for _, lang := range message.Languages {
		for _, kind := range []login.MessageKind{login.KindLogin, login.KindInvite, login.KindRecovery} {
			for _, withLink := range []bool{true, false} {
				m := msg(kind, func(m *login.Message) {
					m.TenantName, m.Locale, m.Brand = "Zyxwa Portal", lang, acmeBrand
					if !withLink {
						m.Link = ""
					}
				})
				if subject, _, _ := message.Email(m); !strings.Contains(subject, "Zyxwa Portal") {
					t.Errorf("%s %s (link %v) subject %q does not name the tenant", lang, kind, withLink, subject)
				}
			}
		}
	}
}
