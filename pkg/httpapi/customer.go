package httpapi

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"time"

	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/message"
	"github.com/portalpass/portalpass/pkg/redirect"
)

// requestCookieTTL covers the longest login link lifetime.
const requestCookieTTL = time.Hour

func customerRoutes(s *server, mux *http.ServeMux) {
	s.handle(mux, "POST /v1/login/request", s.loginRequest)
}

func redeemRoutes(s *server, mux *http.ServeMux) {
	s.handle(mux, "GET /v1/login/redeem", s.redeemPage)
	s.handle(mux, "POST /v1/login/redeem", s.redeem)
	s.handle(mux, "GET /l/{token}", s.shortLinkPage)
	s.handle(mux, "POST /v1/login/code", s.codeLogin)
	s.handle(mux, "POST /login/code", s.codeForm)
	s.handle(mux, "GET /v1/login/action", s.useActionLink)
	s.handle(mux, "GET /v1/login/tenants", s.tenants)
	s.handle(mux, "POST /v1/login/tenants", s.pickTenant)
}

func sessionRoutes(s *server, mux *http.ServeMux) {
	s.handle(mux, "GET /v1/session", s.session)
	s.handle(mux, "POST /v1/logout", s.logout)
	s.handle(mux, "POST /v1/session/exchange", s.exchange)
	s.handle(mux, "OPTIONS /v1/session/exchange", s.exchangePreflight)
	s.handle(mux, "POST /v1/session/token", s.sessionJWT)
	s.handle(mux, "GET /.well-known/jwks.json", s.jwks)
}

type loginRequestBody struct {
	Identifier    string  `json:"identifier"`
	Tenant        *string `json:"tenant"`
	Redirect      *string `json:"redirect"`
	Channel       *string `json:"channel"`
	CodeChallenge *string `json:"codeChallenge"`
	Locale        *string `json:"locale"`
}

// parseLoginRequest checks a login request's fields.
func (s *server) parseLoginRequest(b loginRequestBody) (login.LoginRequest, error) {
	id, err := s.parseIdentifier(b.Identifier)
	if err != nil {
		return login.LoginRequest{}, err
	}
	req := login.LoginRequest{Identifier: id}
	if b.Tenant != nil {
		if !login.ValidTenantID(*b.Tenant) {
			return req, login.Errorf(login.CodeInvalidRequest, "tenant must be a tenant id like \"acme\"")
		}
		req.Tenant = *b.Tenant
	}
	if b.Redirect != nil {
		if err := redirect.Check(*b.Redirect); err != nil {
			return req, err
		}
		req.Redirect = *b.Redirect
	}
	if b.Channel != nil {
		switch c := login.Channel(*b.Channel); c {
		case login.ChannelEmail, login.ChannelSMS:
			req.Channel = c
		default:
			return req, login.Errorf(login.CodeInvalidRequest, "channel must be \"email\" or \"sms\"")
		}
	}
	if b.CodeChallenge != nil {
		if !login.ValidB64Secret(*b.CodeChallenge) {
			return req, login.Errorf(login.CodeInvalidRequest, "codeChallenge must be the base64url SHA-256 of a verifier (43 characters)")
		}
		req.CodeChallenge = *b.CodeChallenge
	}
	if b.Locale != nil {
		// A well-formed tag the tenant does not offer is not an error:
		// the message goes out in the tenant's default (login.Settings.Locale).
		l, ok := login.ParseLocaleTag(*b.Locale)
		if !ok {
			return req, login.Errorf(login.CodeInvalidRequest, "locale must be a language tag like \"es\"")
		}
		req.Locale = l
	}
	return req, nil
}

func (s *server) parseIdentifier(v string) (login.Identifier, error) {
	if v == "" {
		return login.Identifier{}, login.Errorf(login.CodeInvalidIdentifier, "Enter your email address or phone number.")
	}
	return s.Identifiers.Parse(v)
}

// newRequestCookie makes the login-request cookie's value and its hash.
func newRequestCookie() (string, []byte) {
	var b [32]byte
	_, _ = rand.Read(b[:])
	v := base64.RawURLEncoding.EncodeToString(b[:])
	return v, hashOf(v)
}

func hashOf(v string) []byte {
	if v == "" {
		return nil
	}
	h := sha256.Sum256([]byte(v))
	return h[:]
}

// loginRequest answers 202 for every well-formed request, known
// identifier or not, with the same body, headers and cookie.
func (s *server) loginRequest(w http.ResponseWriter, r *http.Request) error {
	var b loginRequestBody
	if err := decodeJSON(r, &b); err != nil {
		return err
	}
	req, err := s.parseLoginRequest(b)
	if err != nil {
		return err
	}
	tenantKnown(r, req.Tenant)
	cookie, hash := newRequestCookie()
	req.RequestHash, req.Meta = hash, s.meta(r)
	if err := s.Logins.RequestLogin(r.Context(), req); err != nil {
		return err
	}
	s.setCookie(w, s.cookies.request, cookie, requestCookieTTL)
	writeJSON(w, http.StatusAccepted, map[string]string{"status": "sent"})
	return nil
}

// redeemPage renders the continue page: GET and HEAD consume nothing.
func (s *server) redeemPage(w http.ResponseWriter, r *http.Request) error {
	return s.continuePage(w, r, r.URL.Query().Get("token"))
}

// shortLinkPage is GET /l/{token}, the short link an SMS carries: the
// same continue page, whose form posts the full link the short form
// stands for (login.LinkInfo.Token).
func (s *server) shortLinkPage(w http.ResponseWriter, r *http.Request) error {
	return s.continuePage(w, r, r.PathValue("token"))
}

func (s *server) continuePage(w http.ResponseWriter, r *http.Request, token string) error {
	info, err := s.Logins.PeekLink(r.Context(), token, hashOf(cookieValue(r, s.cookies.request)))
	lang, keep := pageLang(r, nil, "")
	d := pageData{Lang: lang, KeepLang: keep}
	if info.Tenant.ID != "" {
		d.setTenant(info.Tenant) // also beside an error: the link named it
	}
	if err != nil {
		return s.errorPageIn(w, r, d, linkError(token, err))
	}
	if info.Token != "" {
		token = info.Token
	}
	_, several := login.LinkShape(token)
	d.Title, d.TenantName = message.ContinueTitle(lang, info.TenantName, several), info.TenantName
	d.Token, d.Auto, d.Several = token, info.SameBrowser, several
	return s.render(w, http.StatusOK, "continue", d)
}

type tokenBody struct {
	Token string `json:"token"`
}

// redeem consumes a magic link, from the continue page's form or as JSON.
func (s *server) redeem(w http.ResponseWriter, r *http.Request) error {
	var token string
	form := isForm(r)
	switch {
	case isJSON(r):
		var b tokenBody
		if err := decodeJSON(r, &b); err != nil {
			return err
		}
		token = b.Token
	case form:
		if !s.sameOrigin(r) {
			return s.errorPage(w, r, errCrossSite)
		}
		v, err := decodeForm(r, "token")
		if err != nil {
			return s.errorPage(w, r, err)
		}
		token = v.Get("token")
	default:
		return errUnsupported
	}
	// The request cookie lets the browser that asked for this link still
	// finish after a mail scanner pressed Continue (API.md redeem).
	o := s.loginOpts(r)
	o.RequestHash = hashOf(cookieValue(r, s.cookies.request))
	out, err := s.Logins.RedeemLink(r.Context(), token, o)
	if err != nil {
		if form {
			return s.linkErrorPage(w, r, token, linkError(token, err))
		}
		return err
	}
	return s.finishLogin(w, r, out, form)
}

func (s *server) loginOpts(r *http.Request) login.LoginOpts {
	prev := cookieValue(r, s.cookies.session)
	if prev == "" {
		prev = cookieValue(r, s.cookies.shared)
	}
	return login.LoginOpts{PrevSession: prev, Meta: s.meta(r)}
}

type codeBody struct {
	Identifier string  `json:"identifier"`
	Code       string  `json:"code"`
	Tenant     *string `json:"tenant"`
}

func (s *server) codeLogin(w http.ResponseWriter, r *http.Request) error {
	var b codeBody
	if err := decodeJSON(r, &b); err != nil {
		return err
	}
	in, err := s.parseCodeLogin(b)
	if err != nil {
		return err
	}
	tenantKnown(r, in.Tenant)
	out, err := s.Logins.LoginWithCode(r.Context(), in, s.loginOpts(r))
	if err != nil {
		return err
	}
	return s.finishLogin(w, r, out, false)
}

func (s *server) parseCodeLogin(b codeBody) (login.CodeLogin, error) {
	id, err := s.parseIdentifier(b.Identifier)
	if err != nil {
		return login.CodeLogin{}, err
	}
	in := login.CodeLogin{Identifier: id, Code: b.Code}
	if b.Tenant != nil && *b.Tenant != "" {
		if !login.ValidTenantID(*b.Tenant) {
			return in, login.Errorf(login.CodeInvalidRequest, "tenant must be a tenant id like \"acme\"")
		}
		in.Tenant = *b.Tenant
	}
	return in, nil
}

type tenantJSON struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type sessionJSON struct {
	Token     string      `json:"token"`
	ExpiresAt time.Time   `json:"expiresAt"`
	Via       string      `json:"via"`
	Tenant    tenantJSON  `json:"tenant"`
	Contact   contactJSON `json:"contact"`
}

type contactJSON struct {
	ID string `json:"id"`
}

// finishLogin answers a login: the session cookie and the portal (303
// for forms, JSON otherwise), or the tenant picker.
func (s *server) finishLogin(w http.ResponseWriter, r *http.Request, out login.Outcome, form bool) error {
	if p := out.Picker; p != nil {
		s.setCookie(w, s.cookies.picker, p.Token, login.PickerTTL)
		if form {
			http.Redirect(w, r, "/v1/login/tenants", http.StatusSeeOther)
			return nil
		}
		writeJSON(w, http.StatusOK, map[string]any{"next": "select_tenant", "tenants": tenantList(p.Tenants)})
		return nil
	}
	ns := out.Session
	tenantKnown(r, ns.Tenant.ID)
	target, err := redirect.Join(ns.Tenant.Settings.PortalURL, out.Redirect)
	if err != nil {
		return err
	}
	if out.HandoffCode != "" {
		target = withHandoffCode(target, out.HandoffCode)
	}
	if ns.Token != "" { // "" when the browser keeps the session it has
		s.setSessionCookie(w, ns.Tenant, ns.Token, ns.Session.ExpiresAt.Sub(ns.Session.CreatedAt))
		s.clearCookie(w, s.cookies.picker)
	}
	if form {
		http.Redirect(w, r, target, http.StatusSeeOther)
		return nil
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"session": sessionJSON{
			Token: ns.Token, ExpiresAt: ns.Session.ExpiresAt, Via: ns.Session.Via,
			Tenant:  tenantJSON{ns.Tenant.ID, ns.Tenant.Name},
			Contact: contactJSON{ns.Session.ContactID},
		},
		"redirect": target,
	})
	return nil
}

func tenantList(ts []login.Tenant) []tenantJSON {
	out := make([]tenantJSON, 0, len(ts))
	for _, t := range ts {
		out = append(out, tenantJSON{t.ID, t.Name})
	}
	return out
}

// tenants lists the picker's tenants, as a page or JSON by Accept.
func (s *server) tenants(w http.ResponseWriter, r *http.Request) error {
	ts, err := s.Logins.PickerTenants(r.Context(), cookieValue(r, s.cookies.picker))
	if wantsJSON(r) {
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, map[string]any{"tenants": tenantList(ts)})
		return nil
	}
	if err != nil {
		return s.errorPage(w, r, err)
	}
	lang, keep := pageLang(r, nil, "")
	return s.render(w, http.StatusOK, "tenants", pageData{Title: message.T(lang, message.PagePickTitle), Tenants: ts, Lang: lang, KeepLang: keep})
}

type pickBody struct {
	Tenant string `json:"tenant"`
}

func (s *server) pickTenant(w http.ResponseWriter, r *http.Request) error {
	var tenant string
	form := isForm(r)
	switch {
	case isJSON(r):
		var b pickBody
		if err := decodeJSON(r, &b); err != nil {
			return err
		}
		tenant = b.Tenant
	case form:
		if !s.sameOrigin(r) {
			return s.errorPage(w, r, errCrossSite)
		}
		v, err := decodeForm(r, "tenant")
		if err != nil {
			return s.errorPage(w, r, err)
		}
		tenant = v.Get("tenant")
	default:
		return errUnsupported
	}
	out, err := s.Logins.PickTenant(r.Context(), cookieValue(r, s.cookies.picker), tenant, s.loginOpts(r))
	if err != nil {
		if form {
			return s.errorPage(w, r, err)
		}
		return err
	}
	return s.finishLogin(w, r, out, form)
}

func (s *server) session(w http.ResponseWriter, r *http.Request) error {
	v, err := s.Sessions.Session(r.Context(), s.sessionToken(r))
	if err != nil {
		return err
	}
	tenantKnown(r, v.Tenant.ID)
	writeJSON(w, http.StatusOK, map[string]any{
		"tenant": tenantJSON{v.Tenant.ID, v.Tenant.Name},
		"contact": map[string]any{
			"id": v.Contact.ID, "name": nullable(v.Contact.Name),
			"email": nullable(v.Contact.Email), "phone": nullable(v.Contact.Phone),
		},
		"expiresAt": v.Session.ExpiresAt,
		"via":       v.Session.Via,
	})
	return nil
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// logout ends the session. A cross-site request may not end it.
func (s *server) logout(w http.ResponseWriter, r *http.Request) error {
	if isForm(r) {
		return s.logoutForm(w, r) // the hosted logout page's form
	}
	if ct := mediaType(r); ct != "" && ct != "application/json" {
		return errUnsupported
	}
	// With the cookie (not a Bearer token, which no browser adds by
	// itself), only our own pages may end the session.
	if bearer(r) == "" {
		if o := r.Header.Get("Origin"); o != "" && o != s.origin {
			return errCrossSite
		}
		if site := r.Header.Get("Sec-Fetch-Site"); site == "cross-site" || site == "same-site" {
			return errCrossSite
		}
	}
	token := s.sessionToken(r)
	if err := s.Sessions.Logout(r.Context(), token, s.meta(r)); err != nil {
		return err
	}
	s.clearSessionCookies(w, r, token)
	w.WriteHeader(http.StatusNoContent)
	return nil
}
