package httpapi

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"

	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/message"
)

// A page that knows its tenant wears the tenant's look (API.md "Tenant
// branding and languages"): its name and logo at the top, its colour on
// buttons and links, its support contact on error pages. The colour
// reaches the page in one small <style> whose SHA-256 the response's CSP
// names (style-src 'self' 'sha256-…'): nothing else is loosened, no
// inline style attribute is allowed, and the logo comes from our own
// origin (img-src 'self'). A page that knows no tenant (the generic
// /login, the picker) carries none of it and keeps the plain policy.

// pageBrand is a tenant's look as a page shows it; zero for a page that
// knows no tenant.
type pageBrand struct {
	// Color is a checked "#rrggbb" (login.SafeBrandColor); "" marks a
	// page without a tenant.
	Color string
	// Logo is the logo's path on our origin, "" for none.
	Logo                     string
	SupportEmail, SupportURL string
}

// brandOf is t's look for its pages.
func brandOf(t login.Tenant) pageBrand {
	return pageBrand{
		Color: login.SafeBrandColor(t.Settings.Color()), Logo: login.LogoPath(t),
		SupportEmail: t.Settings.SupportEmail, SupportURL: t.Settings.SupportURL,
	}
}

// withTenant fills in d's tenant, its name and look, from the tenant
// with id. An unknown id, or a store that fails, leaves the page
// neutral: the look is never worth an error page of its own.
func (s *server) withTenant(ctx context.Context, d *pageData, id string) {
	if !login.ValidTenantID(id) {
		return
	}
	t, err := s.Tenants.Tenant(ctx, id)
	if err != nil {
		return
	}
	d.setTenant(t)
}

// setTenant makes d a page of tenant t.
func (d *pageData) setTenant(t login.Tenant) {
	d.Tenant, d.TenantName, d.Brand = t.ID, t.Name, brandOf(t)
}

// linkErrorPage is errorPage for a link that could not be used, in the
// look of the tenant the token names when that tenant exists.
func (s *server) linkErrorPage(w http.ResponseWriter, r *http.Request, token string, err error) error {
	lang, keep := pageLang(r, nil, "")
	d := pageData{Lang: lang, KeepLang: keep}
	s.withTenant(r.Context(), &d, login.LinkTenant(token))
	return s.errorPageIn(w, r, d, err)
}

// brandStyle is the page's one inline style: the tenant's colour as the
// accent of app.css, or "" for a page without a tenant. Its bytes are
// what the CSP hash covers, so it is built only from a checked colour.
func brandStyle(b pageBrand) string {
	if b.Color == "" {
		return ""
	}
	return ":root{--accent:" + b.Color + "}"
}

// pageCSPFor is the policy of a page whose inline style is style ("" for
// none): pageCSP, with that one style's hash allowed beside 'self'.
func pageCSPFor(style string) string {
	if style == "" {
		return pageCSP
	}
	sum := sha256.Sum256([]byte(style))
	return strings.Replace(pageCSP, "style-src 'self'", "style-src 'self' 'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'", 1)
}

// brandHeader writes the tenant's logo, or its name when it has none, at
// the top of a page that knows its tenant. The logo's box has a fixed
// height (app.css .brand img), so the page does not move as it loads.
func (p *page) brandHeader(d pageData) {
	if d.Brand.Color == "" || d.TenantName == "" {
		return
	}
	p.raw(`<header class="brand">`)
	if d.Brand.Logo != "" {
		p.raw(`<img src="`, esc(d.Brand.Logo), `" alt="`, esc(d.TenantName), `" height="48">`)
	} else {
		p.raw(`<p class="brand-name">`, esc(d.TenantName), `</p>`)
	}
	p.raw("</header>\n")
}

// supportLine writes the tenant's support contact, when it set one: a
// mailto link for supportEmail, a link for supportUrl.
func (p *page) supportLine(d pageData) {
	b := d.Brand
	url := b.SupportURL
	if !strings.HasPrefix(url, "https://") {
		url = "" // the setting allows nothing else; a page never links to more
	}
	if b.SupportEmail == "" && url == "" {
		return
	}
	p.raw(`<p class="hint support">`, esc(message.F(d.lang(), message.SupportLine, "tenant", d.TenantName)))
	if b.SupportEmail != "" {
		p.raw(` <a href="`, esc(mailto(b.SupportEmail)), `">`, esc(b.SupportEmail), "</a>")
	}
	if url != "" {
		p.raw(` <a href="`, esc(url), `">`, esc(url), "</a>")
	}
	p.raw("</p>\n")
}

// mailto is a mailto: URL for addr, its "?", "#", "&" and "%" encoded so
// that it can add no header (cc=, body=) or fragment.
func mailto(addr string) string {
	return "mailto:" + strings.NewReplacer("%", "%25", "?", "%3F", "#", "%23", "&", "%26").Replace(addr)
}
