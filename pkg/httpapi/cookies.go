package httpapi

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/portalpass/portalpass/pkg/login"
)

// cookieNames are the cookie names: __Host- prefixed (Secure, Path=/, no
// Domain) when the API is served over https, plain on a local http dev server.
type cookieNames struct {
	session, shared, request, picker string
}

func newCookieNames(secure bool) cookieNames {
	p := ""
	if secure {
		p = "__Host-"
	}
	return cookieNames{session: p + "pp_session", shared: "__Secure-pp_session", request: p + "pp_req", picker: p + "pp_pick"}
}

func (s *server) setCookie(w http.ResponseWriter, name, value string, maxAge time.Duration) {
	c := &http.Cookie{
		Name: name, Value: value, Path: "/", HttpOnly: true, Secure: s.secure,
		SameSite: http.SameSiteLaxMode, MaxAge: int(maxAge / time.Second),
	}
	if maxAge < 0 {
		c.MaxAge = -1
	}
	http.SetCookie(w, c)
}

func (s *server) clearCookie(w http.ResponseWriter, name string) { s.setCookie(w, name, "", -1) }

func cookieValue(r *http.Request, name string) string {
	c, err := r.Cookie(name)
	if err != nil {
		return ""
	}
	return c.Value
}

// sessionToken is the session from the cookie or Authorization: Bearer.
func (s *server) sessionToken(r *http.Request) string {
	if t := bearer(r); t != "" {
		return t
	}
	if t := cookieValue(r, s.cookies.session); t != "" {
		return t
	}
	return cookieValue(r, s.cookies.shared)
}

// sharedDomain is the tenant's shared cookie domain when it applies: the
// tenant's portal and the API's own host (over https) both sit under it,
// and the portal learns the session by the cookie, not by a hand-off.
func (s *server) sharedDomain(t login.Tenant) string {
	d := strings.TrimPrefix(strings.ToLower(t.Settings.CookieDomain), ".")
	if d == "" || !s.secure || t.Settings.PortalIntegration == login.IntegrationHandoff {
		return ""
	}
	portal, err := url.Parse(t.Settings.PortalURL)
	if err != nil || !underDomain(s.host, d) || !underDomain(strings.ToLower(portal.Hostname()), d) {
		return ""
	}
	return d
}

func underDomain(host, domain string) bool {
	return host == domain || strings.HasSuffix(host, "."+domain)
}

// setSessionCookie sets the session: __Host- on the API's host, or
// __Secure- with the tenant's shared Domain, clearing the other one.
func (s *server) setSessionCookie(w http.ResponseWriter, t login.Tenant, token string, ttl time.Duration) {
	d := s.sharedDomain(t)
	if d == "" {
		s.setCookie(w, s.cookies.session, token, ttl)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: s.cookies.shared, Value: token, Domain: d, Path: "/", HttpOnly: true,
		Secure: true, SameSite: http.SameSiteLaxMode, MaxAge: int(ttl / time.Second)})
	s.clearCookie(w, s.cookies.session)
}

// clearSessionCookies ends the session cookie, shared or not.
func (s *server) clearSessionCookies(w http.ResponseWriter, r *http.Request, token string) {
	s.clearCookie(w, s.cookies.session)
	if tenant, ok := login.SessionTenant(token); ok {
		if t, err := s.Tenants.Tenant(r.Context(), tenant); err == nil {
			if d := s.sharedDomain(t); d != "" {
				http.SetCookie(w, &http.Cookie{Name: s.cookies.shared, Value: "", Domain: d, Path: "/", HttpOnly: true,
					Secure: true, SameSite: http.SameSiteLaxMode, MaxAge: -1})
			}
		}
	}
}

func bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}
