package httpapi

import (
	"net/http"
	"strings"
	"time"
)

// cookieNames are the cookie names: __Host- prefixed (Secure, Path=/, no
// Domain) when the API is served over https, plain on a local http dev server.
type cookieNames struct {
	session, request, picker string
}

func newCookieNames(secure bool) cookieNames {
	p := ""
	if secure {
		p = "__Host-"
	}
	return cookieNames{session: p + "pp_session", request: p + "pp_req", picker: p + "pp_pick"}
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
	return cookieValue(r, s.cookies.session)
}

func bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}
