package httpapi

import (
	"net/http"

	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/message"
)

// logoutPage is the hosted logout page. A browser that holds a session
// gets a form that posts /v1/logout (no script: the page's CSP stays
// strict); any other gets "You are logged out" with the way back to the
// login of the tenant named by ?tenant=, which the form's answer
// redirects to.
func (s *server) logoutPage(w http.ResponseWriter, r *http.Request) error {
	var d pageData
	if cookieValue(r, s.cookies.session) != "" || cookieValue(r, s.cookies.shared) != "" {
		if v, err := s.Sessions.Session(r.Context(), s.sessionToken(r)); err == nil {
			d.LoggedIn = true
			d.setTenant(v.Tenant)
			d.Lang, d.KeepLang = pageLang(r, v.Tenant.Settings.LocaleList(), "")
			d.Title = message.F(d.Lang, message.PageLogOutOf, "tenant", v.Tenant.Name)
			return s.render(w, http.StatusOK, "logout", d)
		}
	}
	var offered []string
	if id := r.URL.Query().Get("tenant"); login.ValidTenantID(id) {
		if t, err := s.Tenants.Tenant(r.Context(), id); err == nil {
			d.setTenant(t)
			offered = t.Settings.LocaleList()
		}
	}
	d.Lang, d.KeepLang = pageLang(r, offered, "")
	d.Title = d.t(message.PageLoggedOut)
	return s.render(w, http.StatusOK, "logout", d)
}

// logoutForm is the logout page's form, posted to /v1/logout: it ends the
// browser's session (only from our own page: no other site may log a
// customer out) and answers 303 to the logout page, which then says the
// browser is logged out; a reload does not post again.
func (s *server) logoutForm(w http.ResponseWriter, r *http.Request) error {
	if !s.sameOrigin(r) {
		return s.errorPage(w, r, errCrossSite)
	}
	v, err := decodeForm(r, "tenant")
	if err != nil {
		return s.errorPage(w, r, err)
	}
	// A form is a browser's: its cookie, never a Bearer token.
	token := cookieValue(r, s.cookies.session)
	if token == "" {
		token = cookieValue(r, s.cookies.shared)
	}
	if err := s.Sessions.Logout(r.Context(), token, s.meta(r)); err != nil {
		return s.errorPage(w, r, err)
	}
	s.clearSessionCookies(w, r, token)
	target := "/logout"
	if t := v.Get("tenant"); login.ValidTenantID(t) {
		target += "?tenant=" + t
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
	return nil
}
