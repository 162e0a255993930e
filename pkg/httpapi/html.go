package httpapi

import (
	"html"
	"strings"

	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/message"
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

func (p *page) top(d pageData) {
	p.raw(`<!doctype html>
<html lang="`, esc(d.lang()), `">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>`, esc(d.Title), `</title>
<link rel="icon" href="/assets/favicon.svg">
<link rel="stylesheet" href="/assets/app.css">
`)
	if style := brandStyle(d.Brand); style != "" {
		p.raw("<style>", style, "</style>\n") // its hash is in the CSP (render)
	}
	p.raw(`</head>
<body>
<main class="card">
`)
	p.brandHeader(d)
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

// errorLine shows msg. For an error about a field, id names the line so
// that the field can point at it (aria-describedby).
func (p *page) errorLine(id, msg, code string) {
	if msg == "" {
		return
	}
	p.raw(`<p class="error" role="alert"`)
	if id != "" {
		p.raw(` id="`, id, `"`)
	}
	if code != "" {
		p.raw(` data-code="`, esc(code), `"`)
	}
	p.raw(`>`, esc(msg), "</p>\n")
}

// fieldState marks a field focused on arrival and, when errID is not
// "", invalid and described by that error line: after a refused post the
// page comes back with focus on the field to fix, never on body.
func (p *page) fieldState(errID string) {
	p.raw(` autofocus`)
	if errID != "" {
		p.raw(` aria-invalid="true" aria-describedby="`, errID, `"`)
	}
}

func (p *page) identifierInput(d pageData, label message.Key, value, errID string) {
	p.raw(`<label for="identifier">`, esc(d.t(label)), `</label>
<input id="identifier" name="identifier" type="text" inputmode="email" autocomplete="username" required value="`, esc(value), `" placeholder="`, esc(d.t(message.PagePlaceholder)), `"`)
	p.fieldState(errID)
	p.raw(">\n")
}

// pageData is what the pages show.
type pageData struct {
	Title, TenantName, Tenant, Redirect, Identifier string
	Channel, Error, Code, Token                     string
	Auto                                            bool
	// Fallback: the check page after "send it by the other channel",
	// which must read the same whether or not that channel is on file.
	Fallback bool
	// Several: a continue page of a login for several tenants.
	Several bool
	// NoForm: an error page that offers no form (rate limited: it would
	// be refused).
	NoForm bool
	// LoggedIn: the logout page of a browser that holds a session.
	LoggedIn bool
	Tenants  []login.Tenant
	// Lang is the page's language (pageLang); KeepLang: it came from
	// ?lang=, which the page's links and forms carry on.
	Lang     string
	KeepLang bool
	// Brand is the look of the page's tenant (brand.go); zero when the
	// page knows no tenant.
	Brand pageBrand
}

// errorBase is a page for an error of d's form: its language and, when
// d knows its tenant, that tenant and look.
func (d pageData) errorBase() pageData {
	e := pageData{Lang: d.Lang, KeepLang: d.KeepLang}
	if d.Brand.Color != "" {
		e.Tenant, e.TenantName, e.Brand = d.Tenant, d.TenantName, d.Brand
	}
	return e
}

// lang is the page's language, English when none was picked.
func (d pageData) lang() string {
	if d.Lang == "" {
		return "en"
	}
	return d.Lang
}

// t is a catalog text in the page's language.
func (d pageData) t(k message.Key) string { return message.T(d.lang(), k) }

// langQuery is what a link or a form action of the page adds to keep an
// explicit ?lang=: "" or "lang=xx", to follow "?" or "&".
func (d pageData) langQuery() string {
	if !d.KeepLang {
		return ""
	}
	return "lang=" + esc(d.lang())
}

// withLang is path (escaped for an attribute) with the page's explicit
// language, if any.
func (d pageData) withLang(path string) string {
	q := d.langQuery()
	switch {
	case q == "":
		return path
	case strings.Contains(path, "?"):
		return path + "&amp;" + q
	default:
		return path + "?" + q
	}
}

const (
	identifierErr = "identifier-error"
	codeErr       = "code-error"
)

func loginPageHTML(d pageData) string {
	var p page
	p.top(d)
	if d.TenantName != "" {
		p.raw("<h1>", esc(message.F(d.lang(), message.PageLogInTo, "tenant", d.TenantName)), "</h1>\n")
	} else {
		p.raw("<h1>", esc(d.t(message.PageLogIn)), "</h1>\n")
	}
	errID := ""
	if d.Error != "" {
		errID = identifierErr
	}
	p.errorLine(errID, d.Error, "")
	p.raw(`<form method="post" action="/login">` + "\n")
	p.identifierInput(d, message.PageIdentifierLabel, d.Identifier, errID)
	p.hidden("tenant", d.Tenant)
	p.hidden("redirect", d.Redirect)
	p.hidden("lang", d.lang())
	p.raw(`<button type="submit">`, esc(d.t(message.PageSendLink)), `</button>
</form>
<p class="hint">`, esc(d.t(message.PageNoPassword)), "</p>\n")
	p.bottom(false)
	return p.b.String()
}

func checkPageHTML(d pageData) string {
	sms := d.Channel == string(login.ChannelSMS)
	heading, other, otherCh, fallback, sent := message.PageCheckEmail, message.PageOtherSMS, "sms", message.PageFallbackEmail, message.PageCheckSentEmail
	if sms {
		heading, other, otherCh, fallback, sent = message.PageCheckPhone, message.PageOtherEmail, "email", message.PageFallbackSMS, message.PageCheckSentSMS
	}
	var p page
	p.top(d)
	p.raw("<h1>", esc(d.t(heading)), "</h1>\n")
	if d.Fallback {
		p.raw("<p>", esc(d.t(fallback)), "</p>\n")
	} else {
		// The identifier stands where the language puts it, in bold.
		before, after, _ := strings.Cut(d.t(sent), "{identifier}")
		p.raw("<p>", esc(before), "<strong>", esc(d.Identifier), "</strong>", esc(after), "</p>\n")
	}
	errID := ""
	if d.Error != "" {
		errID = codeErr
	}
	p.errorLine(errID, d.Error, "")
	p.raw(`<form method="post" action="/login/code">
<label for="code">`, esc(d.t(message.PageCodeLabel)), `</label>
<input id="code" name="code" type="text" inputmode="numeric" pattern="[0-9]*" autocomplete="one-time-code" maxlength="8" required`)
	p.fieldState(errID)
	p.raw(">\n")
	p.hidden("identifier", d.Identifier)
	p.hidden("tenant", d.Tenant)
	p.hidden("lang", d.lang())
	p.raw("<button type=\"submit\">", esc(d.t(message.PageCodeButton)), "</button>\n</form>\n<form method=\"post\" action=\"/login\" class=\"secondary\">\n")
	p.hidden("identifier", d.Identifier)
	p.hidden("tenant", d.Tenant)
	p.hidden("redirect", d.Redirect)
	p.hidden("channel", otherCh)
	p.hidden("lang", d.lang())
	p.raw(`<button type="submit" class="link">`, esc(d.t(other)), "</button>\n</form>\n")
	another := "/login"
	if d.Tenant != "" {
		another += "?tenant=" + esc(d.Tenant)
	}
	p.raw(`<p class="hint"><a href="`, d.withLang(another), "\">", esc(d.t(message.PageUseAnother)), "</a></p>\n")
	// WebOTP: where the browser has it, the code of an SMS bound to our
	// origin fills itself in (web/otp.js); elsewhere autocomplete does.
	p.raw(`<script src="/assets/otp.js" defer></script>` + "\n")
	p.bottom(false)
	return p.b.String()
}

func continuePageHTML(d pageData) string {
	var p page
	p.top(d)
	p.raw("<h1>", esc(message.ContinueTitle(d.lang(), d.TenantName, d.Several)), "</h1>\n", `<form method="post" action="`, d.withLang("/v1/login/redeem"), `" id="continue"`)
	if d.Auto {
		p.raw(` data-auto="1"`)
	}
	p.raw(">\n")
	p.hidden("token", d.Token)
	p.raw(`<button type="submit">`, esc(d.t(message.PageContinueButton)), `</button>
</form>
<p class="hint">`, esc(d.t(message.PageContinueHint)), "</p>\n")
	p.bottom(d.Auto)
	return p.b.String()
}

func tenantsPageHTML(d pageData) string {
	var p page
	p.top(d)
	p.raw("<h1>", esc(d.t(message.PagePickTitle)), "</h1>\n<p>", esc(d.t(message.PagePickIntro)), "</p>\n<ul class=\"tenants\">\n")
	for _, t := range d.Tenants {
		p.raw(`<li><form method="post" action="`, d.withLang("/v1/login/tenants"), `"><input type="hidden" name="tenant" value="`, esc(t.ID),
			`"><button type="submit">`)
		if logo := login.LogoPath(t); logo != "" {
			// The name follows: the logo adds nothing a screen reader must hear.
			p.raw(`<img src="`, esc(logo), `" alt="" height="24">`)
		}
		p.raw(esc(t.Name), "</button></form></li>\n")
	}
	p.raw("</ul>\n")
	p.bottom(false)
	return p.b.String()
}

func errorPageHTML(d pageData) string {
	var p page
	p.top(d)
	p.raw("<h1>", esc(d.Title), "</h1>\n")
	p.errorLine("", d.Error, d.Code)
	// A page of a known tenant asks that tenant for the new link.
	toLogin := "/login"
	if d.Brand.Color != "" && d.Tenant != "" {
		toLogin += "?tenant=" + esc(d.Tenant)
	}
	if !d.NoForm {
		p.raw(`<form method="post" action="/login">` + "\n")
		p.identifierInput(d, message.PageNewLinkLabel, "", "")
		if d.Brand.Color != "" {
			p.hidden("tenant", d.Tenant)
		}
		p.hidden("lang", d.lang())
		p.raw(`<button type="submit">`, esc(d.t(message.PageNewLinkButton)), `</button>
</form>
<p class="hint"><a href="`, d.withLang(toLogin), `">`, esc(d.t(message.PageToLogin)), "</a></p>\n")
	}
	p.supportLine(d)
	p.bottom(false)
	return p.b.String()
}

// logoutPageHTML asks to log out while the browser holds a session, and
// says it is logged out otherwise, with the way back to its login.
func logoutPageHTML(d pageData) string {
	var p page
	p.top(d)
	if d.LoggedIn {
		p.raw("<h1>", esc(d.Title), "</h1>\n", `<form method="post" action="`, d.withLang("/v1/logout"), `">`+"\n")
		p.hidden("tenant", d.Tenant)
		p.raw(`<button type="submit" autofocus>`, esc(d.t(message.PageLogOutButton)), "</button>\n</form>\n")
	} else {
		again := "/login"
		if d.Tenant != "" {
			again = "/p/" + esc(d.Tenant)
		}
		p.raw("<h1>", esc(d.t(message.PageLoggedOut)), "</h1>\n<p>", esc(d.t(message.PageLoggedOutIntro)), "</p>\n", `<p><a id="login-again" href="`, d.withLang(again), `">`, esc(d.t(message.PageLogInAgain)), "</a></p>\n")
	}
	p.bottom(false)
	return p.b.String()
}

var pageRenderers = map[string]func(pageData) string{
	"login": loginPageHTML, "check": checkPageHTML, "continue": continuePageHTML,
	"tenants": tenantsPageHTML, "error": errorPageHTML, "logout": logoutPageHTML,
}
