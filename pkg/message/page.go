package message

import "html/template"

// page is the HTML part of every email: a single centred column that
// narrows with the screen, tables for the clients that need them, inline
// styles, system fonts and no images, so it loads nothing from anywhere.
var page = template.Must(template.New("email").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Subject}}</title>
</head>
<body style="margin:0;padding:0;background-color:#f4f4f5;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#f4f4f5;">
<tr>
<td align="center" style="padding:24px 12px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:560px;background-color:#ffffff;border-radius:8px;">
<tr>
<td style="padding:32px 24px;font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;font-size:16px;line-height:1.5;color:#18181b;text-align:left;">
<h1 style="margin:0 0 16px 0;font-size:22px;line-height:1.3;font-weight:600;color:#18181b;">{{.Subject}}</h1>
<p style="margin:0 0 24px 0;">{{.Intro}}</p>
{{- if .Link}}
<p style="margin:0 0 24px 0;"><a href="{{.Link}}" style="display:inline-block;padding:12px 24px;background-color:#1d4ed8;color:#ffffff;font-weight:600;text-decoration:none;border-radius:6px;">{{.Button}}</a></p>
<p style="margin:0 0 8px 0;font-size:14px;color:#52525b;">If the button does not work, copy this link into your browser:</p>
<p style="margin:0 0 24px 0;font-size:14px;word-break:break-all;"><a href="{{.Link}}" style="color:#1d4ed8;text-decoration:underline;">{{.Link}}</a></p>
{{- end}}
{{- if .CodeLine}}
<p style="margin:0 0 24px 0;font-size:18px;font-weight:600;letter-spacing:1px;">{{.CodeLine}}</p>
{{- end}}
{{- if .Expiry}}
<p style="margin:0 0 24px 0;">{{.Expiry}}</p>
{{- end}}
<p style="margin:0;font-size:14px;color:#52525b;">{{.Ignore}}</p>
</td>
</tr>
</table>
</td>
</tr>
</table>
</body>
</html>
`))
