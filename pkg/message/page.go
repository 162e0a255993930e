package message

import (
	"html"
	"strings"
)

// The HTML part of every email: a single centred column that narrows with
// the screen, tables for the clients that need them (Outlook lays out
// nothing else reliably), inline styles only, system fonts. It loads
// nothing but the tenant's logo, from the API's own origin. The button is
// "bulletproof": a table cell painted with bgcolor around the link, so it
// shows in the tenant's colour where a client drops padding or CSS
// backgrounds. It is written out piece by piece rather than with
// html/template, whose use makes the linker keep every exported method of
// every reachable type (see doc.go). Every value it interpolates goes
// through html.EscapeString, every attribute is double-quoted, and the
// colour is only ever a checked "#rrggbb" (login.SafeBrandColor).

// fontStack is the system font stack of every text cell.
const fontStack = `-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif`

const (
	pageHead = `<!DOCTYPE html>
<html lang="`
	pageHead2 = `">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>`

	// pagePreheader follows the escaped subject in <title>: the hidden
	// line an inbox shows beside the subject, before the visible body.
	pagePreheader = `</title>
</head>
<body style="margin:0;padding:0;background-color:#f4f4f5;">
<div style="display:none;max-height:0;max-width:0;overflow:hidden;opacity:0;mso-hide:all;font-size:1px;line-height:1px;color:#f4f4f5;">`

	pageTop = `</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#f4f4f5;">
<tr>
<td align="center" style="padding:24px 12px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:560px;background-color:#ffffff;border-radius:8px;">
`
	// The logo row, when the tenant has a logo: a fixed height, so the
	// layout does not move when the image loads or is blocked.
	pageLogo = `<tr>
<td style="padding:24px 24px 0 24px;"><img src="`
	pageLogoAlt   = `" alt="`
	pageLogoStyle = `" height="48" style="display:block;height:48px;width:auto;max-width:240px;border:0;outline:none;text-decoration:none;font-family:` + fontStack + `;font-size:18px;font-weight:600;color:#18181b;"></td>
</tr>
`
	pageBody = `<tr>
<td style="padding:32px 24px;font-family:` + fontStack + `;font-size:16px;line-height:1.5;color:#18181b;text-align:left;">
<h1 style="margin:0 0 16px 0;font-size:22px;line-height:1.3;font-weight:600;color:#18181b;">`

	pageIntro = `</h1>
<p style="margin:0 0 24px 0;">`

	// The link block, when there is a link: the button, a hint and the
	// link as text, both anchors to the same href.
	pageButton = "</p>\n" + `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:0 0 24px 0;">
<tr>
<td align="center" bgcolor="`
	pageButtonCell  = `" style="border-radius:6px;background-color:`
	pageButtonHref  = `;"><a href="`
	pageButtonStyle = `" target="_blank" style="display:inline-block;padding:12px 24px;font-family:` + fontStack + `;font-size:16px;font-weight:600;line-height:1.25;color:#ffffff;text-decoration:none;border-radius:6px;">`
	pageCopyLink    = `</a></td>
</tr>
</table>
<p style="margin:0 0 8px 0;font-size:14px;color:#52525b;">`
	pageLinkText = `</p>
<p style="margin:0 0 24px 0;font-size:14px;word-break:break-all;"><a href="`
	pageLinkStyle  = `" style="color:`
	pageLinkStyle2 = `;text-decoration:underline;">`
	pageLinkEnd    = `</a>`

	// The code line, set large. It stays one run of text ("Or enter
	// this code: 123456", no tag inside) so that a reader's eye, a
	// screen reader and the tools that read codes out of sent mail
	// (functest, capacity, bench) all find the code where the words put it.
	pageCode = "</p>\n" + `<p style="margin:0 0 24px 0;font-size:24px;line-height:1.4;font-weight:700;letter-spacing:1px;color:#18181b;">`

	pageExpiry  = "</p>\n" + `<p style="margin:0 0 24px 0;">`
	pageIgnore  = "</p>\n" + `<p style="margin:0;font-size:14px;color:#52525b;">`
	pageSupport = "</p>\n" + `<p style="margin:16px 0 0 0;font-size:14px;color:#52525b;">`
	pageSupLink = `<br><a href="`

	pageFoot = `</p>
</td>
</tr>
</table>
</td>
</tr>
</table>
</body>
</html>
`
)

// html renders c as the HTML part of an email.
func (c content) html() string {
	var b strings.Builder
	b.Grow(4096 + 2*len(c.Subject) + 2*len(c.Intro) + 3*len(c.Link) + len(c.LogoURL) + len(c.SupportEmail) + len(c.SupportURL))
	text := func(s string) { b.WriteString(html.EscapeString(s)) }
	raw := func(s ...string) {
		for _, v := range s {
			b.WriteString(v)
		}
	}
	color := html.EscapeString(c.Color) // a checked "#rrggbb": escaping changes nothing

	raw(pageHead)
	text(c.Lang)
	raw(pageHead2)
	text(c.Subject)
	raw(pagePreheader)
	text(c.Preheader)
	raw(pageTop)
	if src := href(c.LogoURL); c.LogoURL != "" && src != unsafeHref {
		raw(pageLogo, src, pageLogoAlt)
		text(c.LogoAlt)
		raw(pageLogoStyle)
	}
	raw(pageBody)
	text(c.Subject)
	raw(pageIntro)
	text(c.Intro)
	if c.Link != "" {
		h := href(c.Link)
		raw(pageButton, color, pageButtonCell, color, pageButtonHref, h, pageButtonStyle)
		text(c.Button)
		raw(pageCopyLink)
		text(c.CopyLink)
		raw(pageLinkText, h, pageLinkStyle, color, pageLinkStyle2)
		text(c.Link)
		raw(pageLinkEnd)
	}
	if c.CodeLine != "" {
		raw(pageCode)
		text(c.CodeLine)
	}
	if c.Expiry != "" {
		raw(pageExpiry)
		text(c.Expiry)
	}
	raw(pageIgnore)
	text(c.Ignore)
	if c.Support != "" {
		raw(pageSupport)
		text(c.Support)
		if c.SupportEmail != "" {
			raw(pageSupLink, mailtoHref(c.SupportEmail), pageLinkStyle, color, pageLinkStyle2)
			text(c.SupportEmail)
			raw(pageLinkEnd)
		}
		if h := href(c.SupportURL); c.SupportURL != "" && h != unsafeHref {
			raw(pageSupLink, h, pageLinkStyle, color, pageLinkStyle2)
			text(c.SupportURL)
			raw(pageLinkEnd)
		}
	}
	raw(pageFoot)
	return b.String()
}

// mailtoHref is a mailto: link to addr as the value of a double-quoted
// attribute: "?", "#" and "&" (which would start headers such as cc= or a
// fragment) and every byte with no place in a URL percent-encoded, then
// escaped.
func mailtoHref(addr string) string {
	addr = strings.NewReplacer("?", "%3f", "#", "%23", "&", "%26").Replace(addr)
	return html.EscapeString(normalizeURL("mailto:" + addr))
}
