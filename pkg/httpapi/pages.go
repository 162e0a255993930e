package httpapi

import (
	"embed"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/message"
)

//go:embed web/app.css web/continue.js web/otp.js web/favicon.svg
var web embed.FS

// pageCSP lets a page load only its own stylesheet and script: nothing
// from another origin, and no page may be framed.
const pageCSP = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; base-uri 'none'; frame-ancestors 'none'"

func pageRoutes(s *server, mux *http.ServeMux) {
	s.handle(mux, "GET /login", s.loginPage)
	s.handle(mux, "POST /login", s.loginForm)
	s.handle(mux, "GET /p/{tenant}", s.portalLink)
	s.handle(mux, "GET /logout", s.logoutPage)
	s.handle(mux, "GET /assets/{file}", s.asset)
}

// render writes a page. HEAD gets the same headers and no body.
func (s *server) render(w http.ResponseWriter, status int, name string, d pageData) error {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", pageCSPFor(brandStyle(d.Brand)))
	w.WriteHeader(status)
	_, err := io.WriteString(w, pageRenderers[name](d))
	return err
}

// errorPage renders an error for people, with the same code and message
// as the JSON error and a form to get a new link. A rate-limited page
// says how long to wait and offers no form: it would be refused.
func (s *server) errorPage(w http.ResponseWriter, r *http.Request, err error) error {
	lang, keep := pageLang(r, nil, "")
	return s.errorPageIn(w, r, pageData{Lang: lang, KeepLang: keep}, err)
}

// errorPageIn is errorPage in the language of d (Lang, KeepLang), for a
// form whose own lang field picked it.
func (s *server) errorPageIn(w http.ResponseWriter, r *http.Request, d pageData, err error) error {
	code, msg := s.describe(r, err)
	setRetryAfter(w, err)
	lang := d.lang()
	d.Title, d.Error, d.Code = d.t(message.PageErrorTitle), pageError(lang, code, msg), string(code)
	switch code {
	case login.CodeLinkExpired:
		d.Title = d.t(message.PageLinkExpired)
	case login.CodeLinkInvalid:
		d.Title = d.t(message.PageLinkUsed)
		if errors.Is(err, errLinkNotValid) {
			d.Title, d.Error = d.t(message.PageLinkNotValid), d.t(message.PageLinkNotValidMsg)
		}
	case login.CodeRateLimited:
		m := retryMinutes(err)
		d.Title, d.Error, d.NoForm = message.WaitTitle(lang, m), message.WaitMsg(lang, m), true
	case login.CodeForbidden:
		d.Title = d.t(message.PageRefused)
	}
	return s.render(w, StatusOf(code), "error", d)
}

// errLinkNotValid is link_invalid for a token that was never a link (cut
// short, mistyped, made up), which the page words apart from a link that
// was used or replaced.
var errLinkNotValid = &login.Error{Code: login.CodeLinkInvalid, Msg: message.T("en", message.PageLinkNotValidMsg)}

// linkError is err, or errLinkNotValid when err says the link is not
// valid and token is not even shaped like a link.
func linkError(token string, err error) error {
	if ok, _ := login.LinkShape(token); !ok && login.ErrorCode(err) == login.CodeLinkInvalid {
		return errLinkNotValid
	}
	return err
}

// retryMinutes is a rate limit's Retry-After in whole minutes, rounded
// up and at least one: a page never promises less wait than there is.
func retryMinutes(err error) int {
	var e *login.Error
	if !asError(err, &e) {
		return 1
	}
	return max(int((e.RetryAfter+time.Minute-1)/time.Minute), 1)
}

func wantsJSON(r *http.Request) bool {
	a := r.Header.Get("Accept")
	return strings.Contains(a, "application/json") && !strings.Contains(a, "text/html")
}

func (s *server) loginPage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	var d pageData
	var offered []string // the generic page: every shipped language
	if t := q.Get("tenant"); t != "" {
		tenant, err := s.Tenants.Tenant(r.Context(), t)
		if err == nil {
			d.setTenant(tenant)
			offered = tenant.Settings.LocaleList()
		}
	}
	d.Lang, d.KeepLang = pageLang(r, offered, "")
	d.Title = d.t(message.PageLogIn)
	if d.TenantName != "" {
		d.Title = message.F(d.Lang, message.PageLogInTo, "tenant", d.TenantName)
	}
	if red := q.Get("redirect"); red != "" {
		b := loginRequestBody{Identifier: "x@example.com", Redirect: &red}
		if _, err := s.parseLoginRequest(b); err == nil {
			d.Redirect = red
		}
	}
	return s.render(w, http.StatusOK, "login", d)
}

// loginForm is the login page's form: the same flow as POST
// /v1/login/request, answered with the page that asks for the code.
func (s *server) loginForm(w http.ResponseWriter, r *http.Request) error {
	if !isForm(r) {
		return s.errorPage(w, r, errUnsupported)
	}
	if !s.sameOrigin(r) {
		return s.errorPage(w, r, errCrossSite)
	}
	v, err := decodeForm(r, "identifier", "tenant", "redirect", "channel", "lang")
	if err != nil {
		return s.errorPage(w, r, err)
	}
	// The page's language came with the form: the check page keeps it,
	// and the message goes out in it when the tenant offers it.
	lang, keep := pageLang(r, nil, v.Get("lang"))
	b := loginRequestBody{Identifier: strings.TrimSpace(v.Get("identifier"))}
	for name, dst := range map[string]**string{"tenant": &b.Tenant, "redirect": &b.Redirect, "channel": &b.Channel} {
		if v.Has(name) && v.Get(name) != "" {
			val := v.Get(name)
			*dst = &val
		}
	}
	d := pageData{Identifier: b.Identifier, Tenant: v.Get("tenant"), Redirect: v.Get("redirect"), Lang: lang, KeepLang: keep}
	s.withTenant(r.Context(), &d, d.Tenant)
	d.Title = d.t(message.PageLogIn)
	req, err := s.parseLoginRequest(b)
	if err != nil {
		d.Error = pageError(lang, login.ErrorCode(err), login.ErrorMessage(err))
		return s.render(w, StatusOf(login.ErrorCode(err)), "login", d)
	}
	req.Locale = lang
	tenantKnown(r, req.Tenant)
	cookie, hash := newRequestCookie()
	req.RequestHash, req.Meta = hash, s.meta(r)
	if err := s.Logins.RequestLogin(r.Context(), req); err != nil {
		return s.errorPageIn(w, r, d.errorBase(), err)
	}
	s.setCookie(w, s.cookies.request, cookie, requestCookieTTL)
	d.Title, d.Identifier = d.t(message.PageCheckTitle), req.Identifier.Value
	own := login.ChannelEmail
	if req.Identifier.Kind == login.IdentPhone {
		own = login.ChannelSMS
	}
	d.Channel = string(own)
	if req.Channel != "" && req.Channel != own {
		// The other channel: whether the contact has it on file is not
		// the page's to say, so it reads the same either way.
		d.Channel, d.Fallback = string(req.Channel), true
	}
	return s.render(w, http.StatusOK, "check", d)
}

// codeForm is the code entry form of the check page.
func (s *server) codeForm(w http.ResponseWriter, r *http.Request) error {
	if !isForm(r) {
		return s.errorPage(w, r, errUnsupported)
	}
	if !s.sameOrigin(r) {
		return s.errorPage(w, r, errCrossSite)
	}
	v, err := decodeForm(r, "identifier", "code", "tenant", "lang")
	if err != nil {
		return s.errorPage(w, r, err)
	}
	lang, keep := pageLang(r, nil, v.Get("lang"))
	b := codeBody{Identifier: v.Get("identifier"), Code: strings.TrimSpace(v.Get("code"))}
	if t := v.Get("tenant"); t != "" {
		b.Tenant = &t
	}
	d := pageData{Identifier: b.Identifier, Tenant: v.Get("tenant"), Lang: lang, KeepLang: keep}
	s.withTenant(r.Context(), &d, d.Tenant)
	d.Title = d.t(message.PageCheckTitle)
	in, err := s.parseCodeLogin(b)
	if err == nil {
		var out login.Outcome
		out, err = s.Logins.LoginWithCode(r.Context(), in, s.loginOpts(r))
		if err == nil {
			return s.finishLogin(w, r, out, true)
		}
	}
	if c := login.ErrorCode(err); c == login.CodeInternal || c == login.CodeRateLimited {
		return s.errorPageIn(w, r, d.errorBase(), err)
	}
	d.Error = pageError(lang, login.ErrorCode(err), login.ErrorMessage(err))
	return s.render(w, StatusOf(login.ErrorCode(err)), "check", d)
}

// portalLink is a tenant's Portal link: it never expires; it opens the
// portal when the browser holds a session for that tenant, else the
// tenant's login page.
func (s *server) portalLink(w http.ResponseWriter, r *http.Request) error {
	t, err := s.Tenants.Tenant(r.Context(), r.PathValue("tenant"))
	if errors.Is(err, login.ErrNotFound) {
		return s.errorPage(w, r, login.Errorf(login.CodeNotFound, "%s", message.T("en", message.PageNoPortal)))
	}
	if err != nil {
		return s.errorPage(w, r, err)
	}
	if tok := cookieValue(r, s.cookies.session); tok != "" {
		if v, err := s.Sessions.Session(r.Context(), tok); err == nil && v.Tenant.ID == t.ID {
			http.Redirect(w, r, t.Settings.PortalURL, http.StatusSeeOther)
			return nil
		}
	}
	to := "/login?tenant=" + t.ID
	if l, ok := login.ParseLocaleTag(r.URL.Query().Get("lang")); ok && login.ShippedLocale(l) {
		to += "&lang=" + l // an explicit language carries on to the login page
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

var assetTypes = map[string]string{
	"app.css":     "text/css; charset=utf-8",
	"continue.js": "text/javascript; charset=utf-8",
	"otp.js":      "text/javascript; charset=utf-8",
	"favicon.svg": "image/svg+xml",
}

func (s *server) asset(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("file")
	ct, ok := assetTypes[name]
	if !ok {
		return login.Errorf(login.CodeNotFound, "No such file.")
	}
	b, err := web.ReadFile("web/" + name)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Cache-Control", "public, max-age=3600")
	_, err = w.Write(b)
	return err
}
