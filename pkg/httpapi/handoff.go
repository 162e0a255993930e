package httpapi

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/redirect"
)

// withHandoffCode returns the portal redirect target carrying a hand-off
// code: pp_code=C appended to its query (or as its query), before any
// fragment. A pp_code the redirect path already had is dropped, so that
// a redirect chosen by whoever asked for the login cannot slip its own
// code in front of the real one.
func withHandoffCode(target, code string) string {
	base, frag, hasFrag := strings.Cut(target, "#")
	path, query, _ := strings.Cut(base, "?")
	var b strings.Builder
	b.Grow(len(target) + len(login.HandoffParam) + len(code) + 2)
	b.WriteString(path)
	b.WriteByte('?')
	for _, p := range strings.Split(query, "&") {
		k, _, _ := strings.Cut(p, "=")
		if p == "" || k == login.HandoffParam {
			continue
		}
		if uk, err := url.QueryUnescape(k); err == nil && uk == login.HandoffParam {
			continue
		}
		b.WriteString(p)
		b.WriteByte('&')
	}
	b.WriteString(login.HandoffParam)
	b.WriteByte('=')
	b.WriteString(code) // h.<tenant>.<base64url>: nothing to escape
	if hasFrag {
		b.WriteByte('#')
		b.WriteString(frag)
	}
	return b.String()
}

type exchangeBody struct {
	Code         string  `json:"code"`
	CodeVerifier *string `json:"codeVerifier"`
}

// exchange trades a hand-off code for a session of the portal: with the
// tenant's API key (Authorization: Bearer) or the PKCE verifier. A key
// that is given must be valid (else 401), even next to a verifier.
func (s *server) exchange(w http.ResponseWriter, r *http.Request) error {
	var b exchangeBody
	if err := decodeJSON(r, &b); err != nil {
		return err
	}
	s.allowPortalOrigin(w, r, b.Code)
	in := login.Exchange{Code: b.Code, Meta: s.meta(r)}
	if b.CodeVerifier != nil {
		in.CodeVerifier = *b.CodeVerifier
	}
	if key := bearer(r); key != "" {
		k, err := s.Keys.Authenticate(r.Context(), key)
		if err != nil {
			return err
		}
		tenantKnown(r, k.TenantID)
		in.Key = &k
	}
	x, err := s.Sessions.ExchangeHandoff(r.Context(), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"session": map[string]any{"token": x.Token, "expiresAt": x.Session.ExpiresAt, "via": x.Session.Via},
		"contact": map[string]any{
			"id": x.Contact.ID, "name": nullable(x.Contact.Name),
			"email": nullable(x.Contact.Email), "phone": nullable(x.Contact.Phone),
		},
		"tenant": tenantJSON{x.Tenant.ID, x.Tenant.Name},
	})
	return nil
}

// allowPortalOrigin lets a single-page portal read the exchange's answer:
// Access-Control-Allow-Origin only for the origin of the portal URL of
// the tenant the code names (no credentials: the exchange uses none).
func (s *server) allowPortalOrigin(w http.ResponseWriter, r *http.Request, code string) {
	w.Header().Add("Vary", "Origin")
	origin := r.Header.Get("Origin")
	if origin == "" {
		return
	}
	tenantID, ok := login.HandoffTenant(code)
	if !ok {
		return
	}
	t, err := s.Tenants.Tenant(r.Context(), tenantID)
	if err != nil {
		return
	}
	if po := originOf(t.Settings.PortalURL); po != "" && po == strings.ToLower(origin) {
		w.Header().Set("Access-Control-Allow-Origin", origin)
	}
}

// originOf returns the lower-cased scheme://host[:port] of a URL, or "".
func originOf(u string) string {
	p, err := url.Parse(u)
	if err != nil || p.Scheme == "" || p.Host == "" {
		return ""
	}
	return strings.ToLower(p.Scheme + "://" + p.Host)
}

// exchangePreflight answers the CORS preflight of a single-page portal's
// exchange. A preflight has no body, so the tenant, and with it the
// portal's origin, is unknown here: it allows a POST with Content-Type
// from any http(s) origin that could be a portal's, and the answer to the
// POST itself is readable only by the tenant's portal (allowPortalOrigin).
// Nothing else (no Authorization: a browser never holds an API key).
func (s *server) exchangePreflight(w http.ResponseWriter, r *http.Request) error {
	h := w.Header()
	h.Add("Vary", "Origin")
	h.Add("Vary", "Access-Control-Request-Method")
	h.Add("Vary", "Access-Control-Request-Headers")
	origin := r.Header.Get("Origin")
	if isOrigin(origin) && r.Header.Get("Access-Control-Request-Method") == http.MethodPost &&
		onlyContentType(r.Header.Values("Access-Control-Request-Headers")) {
		h.Set("Access-Control-Allow-Origin", origin)
		h.Set("Access-Control-Allow-Methods", http.MethodPost)
		h.Set("Access-Control-Allow-Headers", "Content-Type")
		h.Set("Access-Control-Max-Age", "600")
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// isOrigin reports whether o is an origin a portal could have: what
// CheckPortalURL allows for a portal URL, lower-case, without a path.
func isOrigin(o string) bool {
	return o != "" && redirect.CheckPortalURL(o) == nil && originOf(o) == o
}

// onlyContentType reports whether Access-Control-Request-Headers asks for
// nothing beyond Content-Type.
func onlyContentType(values []string) bool {
	for _, v := range values {
		for _, name := range strings.Split(v, ",") {
			if n := strings.TrimSpace(name); n != "" && !strings.EqualFold(n, "content-type") {
				return false
			}
		}
	}
	return true
}
