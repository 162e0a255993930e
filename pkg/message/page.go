package message

import (
	"html"
	"strings"
)

// The HTML part of every email: a single centred column that narrows with
// the screen, tables for the clients that need them, inline styles, system
// fonts and no images, so it loads nothing from anywhere. It is written
// out piece by piece rather than with html/template, whose use makes the
// linker keep every exported method of every reachable type (see doc.go).
// Every value it interpolates goes through html.EscapeString, and every
// attribute is double-quoted.
const (
	pageHead = `<!DOCTYPE html>
<html lang="`
	pageHead2 = `">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>`

	// pageTop follows the escaped subject in <title>; the subject follows
	// it again as the heading.
	pageTop = `</title>
</head>
<body style="margin:0;padding:0;background-color:#f4f4f5;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#f4f4f5;">
<tr>
<td align="center" style="padding:24px 12px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:560px;background-color:#ffffff;border-radius:8px;">
<tr>
<td style="padding:32px 24px;font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;font-size:16px;line-height:1.5;color:#18181b;text-align:left;">
<h1 style="margin:0 0 16px 0;font-size:22px;line-height:1.3;font-weight:600;color:#18181b;">`

	pageIntro = `</h1>
<p style="margin:0 0 24px 0;">`

	// The link block, when there is a link: a button, a hint and the link
	// as text, both anchors to the same href.
	pageButton      = "</p>\n" + `<p style="margin:0 0 24px 0;"><a href="`
	pageButtonStyle = `" style="display:inline-block;padding:12px 24px;background-color:#1d4ed8;color:#ffffff;font-weight:600;text-decoration:none;border-radius:6px;">`
	pageCopyLink    = `</a></p>
<p style="margin:0 0 8px 0;font-size:14px;color:#52525b;">`
	pageLinkText = `</p>
<p style="margin:0 0 24px 0;font-size:14px;word-break:break-all;"><a href="`
	pageLinkStyle = `" style="color:#1d4ed8;text-decoration:underline;">`
	pageLinkEnd   = `</a>`

	pageCode   = "</p>\n" + `<p style="margin:0 0 24px 0;font-size:18px;font-weight:600;letter-spacing:1px;">`
	pageExpiry = "</p>\n" + `<p style="margin:0 0 24px 0;">`
	pageIgnore = "</p>\n" + `<p style="margin:0;font-size:14px;color:#52525b;">`

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
	b.Grow(len(pageHead) + len(pageHead2) + len(pageCopyLink) + len(c.CopyLink) + len(pageTop) + len(pageIntro) + len(pageButton) +
		len(pageButtonStyle) + len(pageLinkText) + len(pageLinkStyle) +
		len(pageCode) + len(pageExpiry) + len(pageIgnore) + len(pageFoot) +
		2*len(c.Subject) + len(c.Intro) + 3*len(c.Link) + len(c.CodeLine) +
		len(c.Expiry) + len(c.Ignore) + 64)
	text := func(s string) { b.WriteString(html.EscapeString(s)) }

	b.WriteString(pageHead)
	text(c.Lang)
	b.WriteString(pageHead2)
	text(c.Subject)
	b.WriteString(pageTop)
	text(c.Subject)
	b.WriteString(pageIntro)
	text(c.Intro)
	if c.Link != "" {
		h := href(c.Link)
		b.WriteString(pageButton)
		b.WriteString(h)
		b.WriteString(pageButtonStyle)
		text(c.Button)
		b.WriteString(pageCopyLink)
		text(c.CopyLink)
		b.WriteString(pageLinkText)
		b.WriteString(h)
		b.WriteString(pageLinkStyle)
		text(c.Link)
		b.WriteString(pageLinkEnd)
	}
	if c.CodeLine != "" {
		b.WriteString(pageCode)
		text(c.CodeLine)
	}
	if c.Expiry != "" {
		b.WriteString(pageExpiry)
		text(c.Expiry)
	}
	b.WriteString(pageIgnore)
	text(c.Ignore)
	b.WriteString(pageFoot)
	return b.String()
}
