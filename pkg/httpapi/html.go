package httpapi

import (
	"html"
	"strings"

	"github.com/portalpass/portalpass/pkg/login"
)

// The pages are written with html.EscapeString, not html/template: the
// template packages call methods by name through reflection, which makes
// the linker keep every method of the AWS SDK and pushes the Lambda
// binaries past their size budget. Every value below goes through esc;
// every attribute is double-quoted.

func esc(s string) string { return html.EscapeString(s) }

// page accumulates one HTML document.
type page struct{ b strings.Builder }

func (p *page) raw(s ...string) {
	for _, v := range s {
		p.b.WriteString(v)
	}
}

func (p *page) top(title string) {
	p.raw(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>`, esc(title), `</title>
<link rel="icon" href="/assets/favicon.svg">
<link rel="stylesheet" href="/assets/app.css">
</head>
<body>
<main class="card">
`)
}

func (p *page) bottom(auto bool) {
	p.raw("</main>\n")
	if auto {
		p.raw(`<script src="/assets/continue.js"></script>` + "\n")
	}
	p.raw("</body>\n</html>\n")
}

func (p *page) hidden(name, value string) {
	if value != "" {
		p.raw(`<input type="hidden" name="`, name, `" value="`, esc(value), `">`+"\n")
	}
}

func (p *page) errorLine(msg, code string) {
	if msg == "" {
		return
	}
	p.raw(`<p class="error" role="alert"`)
	if code != "" {
		p.raw(` data-code="`, esc(code), `"`)
	}
	p.raw(`>`, esc(msg), "</p>\n")
}

func (p *page) identifierInput(label, value string) {
	p.raw(`<label for="identifier">`, esc(label), `</label>
<input id="identifier" name="identifier" type="text" inputmode="email" autocomplete="username" required value="`, esc(value), `" placeholder="you@example.com or +14155550123">
`)
}

// pageData is what the pages show.
type pageData struct {
	Title, TenantName, Tenant, Redirect, Identifier string
	Channel, Error, Code, Token                     string
	Auto                                            bool
	Tenants                                         []login.Tenant
}

func loginPageHTML(d pageData) string {
	var p page
	p.top(d.Title)
	if d.TenantName != "" {
		p.raw("<h1>Log in to ", esc(d.TenantName), "</h1>\n")
	} else {
		p.raw("<h1>Log in</h1>\n")
	}
	p.errorLine(d.Error, "")
	p.raw(`<form method="post" action="/login">` + "\n")
	p.identifierInput("Email address or phone number", d.Identifier)
	p.hidden("tenant", d.Tenant)
	p.hidden("redirect", d.Redirect)
	p.raw(`<button type="submit">Send me a login link</button>
</form>
<p class="hint">No password needed. We send you a link and a code.</p>
`)
	p.bottom(false)
	return p.b.String()
}

func checkPageHTML(d pageData) string {
	sms := d.Channel == string(login.ChannelSMS)
	where, what, other, otherCh := "email", "an email", "text message", "sms"
	if sms {
		where, what, other, otherCh = "phone", "a text message", "email", "email"
	}
	var p page
	p.top(d.Title)
	p.raw("<h1>Check your ", where, "</h1>\n<p>If <strong>", esc(d.Identifier), "</strong> belongs to an account, we sent ", what,
		" with a login link and a code. Follow the link, or enter the code here.</p>\n")
	p.errorLine(d.Error, "")
	p.raw(`<form method="post" action="/login/code">
<label for="code">Login code</label>
<input id="code" name="code" type="text" inputmode="numeric" pattern="[0-9]*" autocomplete="one-time-code" maxlength="8" required>
`)
	p.hidden("identifier", d.Identifier)
	p.hidden("tenant", d.Tenant)
	p.raw("<button type=\"submit\">Log in</button>\n</form>\n<form method=\"post\" action=\"/login\" class=\"secondary\">\n")
	p.hidden("identifier", d.Identifier)
	p.hidden("tenant", d.Tenant)
	p.hidden("redirect", d.Redirect)
	p.hidden("channel", otherCh)
	p.raw(`<button type="submit" class="link">Nothing arrived? Send it by `, other, " instead</button>\n</form>\n")
	p.raw(`<p class="hint"><a href="/login`)
	if d.Tenant != "" {
		p.raw("?tenant=", esc(d.Tenant))
	}
	p.raw("\">Use another address</a></p>\n")
	p.bottom(false)
	return p.b.String()
}

func continuePageHTML(d pageData) string {
	var p page
	p.top(d.Title)
	p.raw("<h1>Continue to ", esc(d.TenantName), " portal</h1>\n", `<form method="post" action="/v1/login/redeem" id="continue"`)
	if d.Auto {
		p.raw(` data-auto="1"`)
	}
	p.raw(">\n")
	p.hidden("token", d.Token)
	p.raw(`<button type="submit">Continue</button>
</form>
<p class="hint">This link works once. If you did not ask to log in, close this page.</p>
`)
	p.bottom(d.Auto)
	return p.b.String()
}

func tenantsPageHTML(d pageData) string {
	var p page
	p.top(d.Title)
	p.raw("<h1>Choose your portal</h1>\n<p>Your address belongs to more than one business. Which portal do you want to open?</p>\n<ul class=\"tenants\">\n")
	for _, t := range d.Tenants {
		p.raw(`<li><form method="post" action="/v1/login/tenants"><input type="hidden" name="tenant" value="`, esc(t.ID),
			`"><button type="submit">`, esc(t.Name), "</button></form></li>\n")
	}
	p.raw("</ul>\n")
	p.bottom(false)
	return p.b.String()
}

func errorPageHTML(d pageData) string {
	var p page
	p.top(d.Title)
	p.raw("<h1>", esc(d.Title), "</h1>\n")
	p.errorLine(d.Error, d.Code)
	p.raw(`<form method="post" action="/login">` + "\n")
	p.raw(`<label for="identifier">Get a new login link</label>
<input id="identifier" name="identifier" type="text" inputmode="email" autocomplete="username" required placeholder="you@example.com or +14155550123">
<button type="submit">Send me a new link</button>
</form>
<p class="hint"><a href="/login">Go to the login page</a></p>
`)
	p.bottom(false)
	return p.b.String()
}

var pageRenderers = map[string]func(pageData) string{
	"login": loginPageHTML, "check": checkPageHTML, "continue": continuePageHTML,
	"tenants": tenantsPageHTML, "error": errorPageHTML,
}
