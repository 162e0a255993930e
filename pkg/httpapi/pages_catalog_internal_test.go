package httpapi

import (
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/message"
)

var (
	hiddenInputRE = regexp.MustCompile(`<input type="hidden"[^>]*>`)
	shownAttrRE   = regexp.MustCompile(`\b(?:placeholder|title|aria-label|alt)="([^"]*)"`)
	anyTagRE      = regexp.MustCompile(`(?s)<[^>]*>`)
	styleRE       = regexp.MustCompile(`(?s)<style>.*?</style>`)
	pseudoTextRE  = regexp.MustCompile(`(?s)` + message.PseudoOpen + `[^` + message.PseudoOpen + message.PseudoClose + `]*` + message.PseudoClose)
)

// pseudoPages renders every page, in every state it has, in the
// pseudo-locale, with data values a reader would not mistake for words.
func pseudoPages() map[string]string {
	const lang = message.PseudoLang
	tr := func(k message.Key) string { return message.T(lang, k) }
	base := pageData{Lang: lang, Tenant: "zq", TenantName: "Zqx", Identifier: "zz@zq.zq", Redirect: "/zq"}
	out := map[string]string{}
	add := func(name, page string, edit func(*pageData)) {
		d := base
		edit(&d)
		out[name] = pageRenderers[page](d)
	}
	add("login", "login", func(d *pageData) { d.Title = tr(message.PageLogIn); d.TenantName = "" })
	add("login tenant", "login", func(d *pageData) { d.Title = message.F(lang, message.PageLogInTo, "tenant", d.TenantName) })
	add("login error", "login", func(d *pageData) { d.Title, d.Error = tr(message.PageLogIn), tr(message.PageErrInvalidIdentifier) })
	for _, ch := range []string{"email", "sms"} {
		for _, fb := range []bool{false, true} {
			add("check "+ch+map[bool]string{true: " fallback"}[fb], "check", func(d *pageData) {
				d.Title, d.Channel, d.Fallback, d.KeepLang = tr(message.PageCheckTitle), ch, fb, true
			})
		}
	}
	add("check error", "check", func(d *pageData) { d.Title, d.Error = tr(message.PageCheckTitle), tr(message.PageErrInvalidCode) })
	for _, several := range []bool{false, true} {
		add("continue", "continue", func(d *pageData) {
			d.Title, d.Several, d.Token, d.Auto = message.ContinueTitle(lang, d.TenantName, several), several, "zq.zq", true
		})
	}
	add("tenants", "tenants", func(d *pageData) {
		d.Title, d.Tenants = tr(message.PagePickTitle), []login.Tenant{{ID: "zq", Name: "Zqx"}, {ID: "zr", Name: "Zrx"}}
	})
	add("error", "error", func(d *pageData) {
		d.Title, d.Error, d.Code = tr(message.PageLinkExpired), tr(message.PageErrLinkExpired), "zq"
	})
	add("error rate limited", "error", func(d *pageData) {
		d.Title, d.Error, d.NoForm = message.WaitTitle(lang, 3), message.WaitMsg(lang, 3), true
	})
	// The same pages wearing a tenant's look: logo or name, support contact.
	brand := pageBrand{Color: "#7a1f5c", Logo: "/logos/zq/0a.png", SupportEmail: "zz@zq.zq", SupportURL: "https://zq.zq/zq"}
	add("login branded", "login", func(d *pageData) {
		d.Title, d.Brand = message.F(lang, message.PageLogInTo, "tenant", d.TenantName), brand
	})
	add("check branded", "check", func(d *pageData) {
		d.Title, d.Channel, d.Brand = tr(message.PageCheckTitle), "email", pageBrand{Color: "#7a1f5c"}
	})
	add("error branded", "error", func(d *pageData) {
		d.Title, d.Error, d.Code, d.Brand = tr(message.PageLinkExpired), tr(message.PageErrLinkExpired), "zq", brand
	})
	add("logout branded", "logout", func(d *pageData) { d.Title, d.Brand = tr(message.PageLoggedOut), brand })
	add("tenants with logos", "tenants", func(d *pageData) {
		d.Title, d.Tenants = tr(message.PagePickTitle), []login.Tenant{{ID: "zq", Name: "Zqx", Settings: login.Settings{Logo: "0a.png"}}, {ID: "zr", Name: "Zrx"}}
	})
	add("logout", "logout", func(d *pageData) { d.Title = tr(message.PageLoggedOut) })
	add("logout session", "logout", func(d *pageData) {
		d.Title, d.LoggedIn = message.F(lang, message.PageLogOutOf, "tenant", d.TenantName), true
	})
	return out
}

// TestPagesNoUncataloguedText renders every hosted page in the
// pseudo-locale, where each catalog text is bracketed, and fails when
// anything a reader sees (text, title, placeholder, labels) is neither
// bracketed nor the page's own data: a word written into a page instead
// of the catalog.
func TestPagesNoUncataloguedText(t *testing.T) {
	for name, page := range pseudoPages() {
		if !strings.Contains(page, `<html lang="`+message.PseudoLang+`">`) {
			t.Errorf("%s: <html lang> is not the page's language", name)
		}
		shown := hiddenInputRE.ReplaceAllString(styleRE.ReplaceAllString(page, " "), " ")
		var seen []string
		for _, m := range shownAttrRE.FindAllStringSubmatch(shown, -1) {
			seen = append(seen, m[1])
		}
		seen = append(seen, anyTagRE.ReplaceAllString(shown, " "))
		for _, s := range seen {
			rest := html.UnescapeString(s)
			for {
				r := pseudoTextRE.ReplaceAllString(rest, " ")
				if r == rest {
					break
				}
				rest = r
			}
			for _, v := range []string{"Zqx", "Zrx", "https://zq.zq/zq", "zz@zq.zq"} {
				rest = strings.ReplaceAll(rest, v, " ")
			}
			if strings.IndexFunc(rest, func(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > 127 }) >= 0 {
				t.Errorf("%s: text outside the catalog: %q", name, strings.Join(strings.Fields(rest), " "))
			}
		}
	}
}
