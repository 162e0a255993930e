package main

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// pendingLogin is how long a PKCE login may take: it covers the longest
// login link lifetime (API.md: at most 3600 s).
const pendingLogin = time.Hour

// Config configures a Portal.
type Config struct {
	API    string // required: the portalpass API's base URL, also the JWT issuer
	Tenant string // required: the tenant id, also the JWT audience
	// Key is the tenant's API key, used to exchange hand-off codes. It
	// must be empty when PKCE is set: then the portal holds no secret.
	Key  string
	PKCE bool
	// SecureCookies marks the portal's cookie Secure and names it with
	// the __Host- prefix: set it when the portal is served over https.
	SecureCookies bool
	HTTPClient    *http.Client     // calls the API; default one with a 10 s timeout
	Logger        *slog.Logger     // default slog.Default()
	Now           func() time.Time // default time.Now
}

// Portal is the example portal: an http.Handler.
type Portal struct {
	cfg     Config
	api     *Client
	jwt     *Verifier
	states  *states
	cookie  string
	log     *slog.Logger
	handler http.Handler
}

// New checks cfg and builds a Portal. Close releases it.
func New(cfg Config) (*Portal, error) {
	cfg.API = strings.TrimRight(cfg.API, "/")
	if u, err := url.Parse(cfg.API); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, errors.New("portal: the API must be an http or https URL")
	}
	if cfg.Tenant == "" {
		return nil, errors.New("portal: a tenant is required")
	}
	if cfg.PKCE == (cfg.Key != "") {
		return nil, errors.New("portal: give either an API key or PKCE mode, not both or neither")
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	// Never follow the API's redirects: every answer used here is JSON.
	c := *cfg.HTTPClient
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	v, err := NewVerifier(VerifierConfig{Issuer: cfg.API, Audience: cfg.Tenant, HTTPClient: &c, Now: cfg.Now})
	if err != nil {
		return nil, err
	}
	p := &Portal{
		cfg: cfg, api: &Client{Base: cfg.API, Key: cfg.Key, HTTP: &c}, jwt: v,
		states: newStates(cfg.Now), cookie: "portal_sid", log: cfg.Logger,
	}
	if cfg.SecureCookies {
		p.cookie = "__Host-portal_sid"
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", p.index)
	mux.HandleFunc("GET /callback", p.callback)
	// A login's redirect path lands after the portal URL; this example
	// has no such pages and shows / instead.
	mux.HandleFunc("GET /callback/{path...}", p.callback)
	mux.HandleFunc("GET /me.json", p.me)
	mux.HandleFunc("POST /logout", p.logout)
	if cfg.PKCE {
		mux.HandleFunc("POST /login", p.login)
	}
	// Browsers' cross-origin POSTs (login CSRF) are refused with 403.
	p.handler = http.NewCrossOriginProtection().Handler(mux)
	return p, nil
}

// ServeHTTP serves the portal and logs one line per request: never the
// query (the callback's holds a one-time code) nor a cookie.
func (p *Portal) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	p.handler.ServeHTTP(sw, r)
	p.log.Info("request", "method", r.Method, "path", r.URL.Path, "status", sw.status)
}

// Close stops the JWKS cache.
func (p *Portal) Close() { p.jwt.Close() }

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// browser returns the state of the request's browser and its id.
func (p *Portal) browser(r *http.Request) (string, browser) {
	c, err := r.Cookie(p.cookie)
	if err != nil {
		return "", browser{}
	}
	b, ok := p.states.get(c.Value)
	if !ok {
		return "", browser{}
	}
	return c.Value, b
}

// keep stores b under a new id, forgetting old, and points the browser's
// cookie at it: a fresh id at every change, so that an id learnt before
// a login is worth nothing after it.
func (p *Portal) keep(w http.ResponseWriter, old string, b browser) bool {
	p.states.delete(old)
	if b.empty() {
		p.setCookie(w, "", -1)
		return true
	}
	id := p.states.put(b)
	if id == "" {
		return false
	}
	p.setCookie(w, id, time.Until(b.until()))
	return true
}

func (p *Portal) setCookie(w http.ResponseWriter, id string, maxAge time.Duration) {
	c := &http.Cookie{
		Name: p.cookie, Value: id, Path: "/", HttpOnly: true,
		Secure: p.cfg.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: int(maxAge / time.Second),
	}
	if maxAge <= 0 {
		c.MaxAge = -1
	}
	http.SetCookie(w, c)
}

func (p *Portal) loginURL() string {
	return p.cfg.API + "/login?tenant=" + url.QueryEscape(p.cfg.Tenant)
}

// index shows who is logged in, asking the API whether the session still
// lives (it may have been logged out or revoked), or how to log in.
func (p *Portal) index(w http.ResponseWriter, r *http.Request) {
	v := view{Title: "Example portal", LoginURL: p.loginURL(), PKCE: p.cfg.PKCE}
	id, b := p.browser(r)
	if b.Session == "" {
		render(w, http.StatusOK, v)
		return
	}
	who, err := p.api.Session(r.Context(), b.Session)
	switch {
	case statusOf(err) == http.StatusUnauthorized:
		b.Session, b.SessionUntil = "", time.Time{}
		p.keep(w, id, b)
	case err != nil:
		p.log.Error("session check failed", "err", err)
		v.Error = "The login service could not be reached. Try again in a moment."
		render(w, http.StatusBadGateway, v)
		return
	default:
		v.Who = &who
	}
	render(w, http.StatusOK, v)
}

// login (PKCE mode) requests a login link for the form's identifier,
// bound to a challenge whose verifier stays with this browser's state.
func (p *Portal) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	ident := strings.TrimSpace(r.PostFormValue("identifier"))
	v := view{Title: "Example portal", PKCE: true}
	if ident == "" {
		v.Error = "Enter your email address or phone number."
		render(w, http.StatusBadRequest, v)
		return
	}
	id, b := p.browser(r)
	b.Verifier, b.LoginUntil = NewCodeVerifier(), p.cfg.Now().Add(pendingLogin)
	if err := p.api.RequestLogin(r.Context(), ident, p.cfg.Tenant, CodeChallenge(b.Verifier)); err != nil {
		status := statusOf(err)
		var e *APIError
		switch {
		case errors.As(err, &e) && status < 500 && e.Message != "":
			v.Error = e.Message // the API's message for people, e.g. a bad email
		default:
			p.log.Error("login request failed", "err", err)
			v.Error = "The login service could not be reached. Try again in a moment."
			status = http.StatusBadGateway
		}
		render(w, status, v)
		return
	}
	if !p.keep(w, id, b) {
		v.Error = "Too many logins are under way. Try again in a moment."
		render(w, http.StatusServiceUnavailable, v)
		return
	}
	v.Sent = true
	render(w, http.StatusOK, v)
}

// callback exchanges the hand-off code of the portal redirect for a
// session, which it keeps server-side, and sends the browser to /.
func (p *Portal) callback(w http.ResponseWriter, r *http.Request) {
	v := view{Title: "Login failed", LoginURL: p.loginURL(), PKCE: p.cfg.PKCE}
	code := r.URL.Query().Get("pp_code")
	id, b := p.browser(r)
	if code == "" {
		v.Error = "This page needs a login code. Log in again."
		render(w, http.StatusBadRequest, v)
		return
	}
	verifier := ""
	if p.cfg.PKCE {
		if b.Verifier == "" {
			v.Error = "Open the login link in the browser where you asked for it, within the hour, or log in again here."
			render(w, http.StatusBadRequest, v)
			return
		}
		// One exchange per verifier, whatever its outcome.
		verifier, b.Verifier, b.LoginUntil = b.Verifier, "", time.Time{}
		p.states.delete(id)
		id = ""
	}
	fail := func(status int, msg string) {
		if p.cfg.PKCE {
			p.keep(w, "", b) // what else the browser had, without the verifier
		}
		v.Error = msg
		render(w, status, v)
	}
	ex, err := p.api.Exchange(r.Context(), code, verifier)
	if status := statusOf(err); status >= 400 && status < 500 {
		var e *APIError
		errors.As(err, &e)
		p.log.Warn("hand-off code refused", "status", status, "error_code", e.Code)
		fail(http.StatusBadRequest, "This login link was already used or has expired. Log in again.")
		return
	} else if err != nil {
		p.log.Error("exchange failed", "err", err)
		fail(http.StatusBadGateway, "The login service could not be reached. Try again in a moment.")
		return
	}
	if ex.Tenant.ID != p.cfg.Tenant {
		// Without a key (PKCE) any tenant's code can be exchanged: take
		// only this portal's.
		p.log.Warn("hand-off code of another tenant")
		_ = p.api.Logout(context.WithoutCancel(r.Context()), ex.Session.Token)
		fail(http.StatusBadRequest, "This login belongs to another portal. Log in again.")
		return
	}
	b.Session, b.SessionUntil = ex.Session.Token, ex.Session.ExpiresAt
	if !p.keep(w, id, b) {
		v.Error = "Too many sessions are open. Try again in a moment."
		render(w, http.StatusServiceUnavailable, v)
		return
	}
	p.log.Info("logged in", "tenant", ex.Tenant.ID, "contact", ex.Contact.ID, "via", ex.Session.Via)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// me mints a fresh JWT for the session, verifies it against the API's
// JWKS and answers its claims.
func (p *Portal) me(w http.ResponseWriter, r *http.Request) {
	id, b := p.browser(r)
	if b.Session == "" {
		jsonError(w, http.StatusUnauthorized, "no_session", "Log in first.")
		return
	}
	token, err := p.api.Token(r.Context(), b.Session)
	if statusOf(err) == http.StatusUnauthorized {
		b.Session, b.SessionUntil = "", time.Time{}
		p.keep(w, id, b)
		jsonError(w, http.StatusUnauthorized, "no_session", "Your session ended. Log in again.")
		return
	}
	if err != nil {
		p.log.Error("token request failed", "err", err)
		jsonError(w, http.StatusBadGateway, "bad_gateway", "The login service could not mint a token.")
		return
	}
	claims, err := p.jwt.Verify(r.Context(), token)
	if err != nil {
		p.log.Error("token did not verify", "err", err)
		jsonError(w, http.StatusBadGateway, "bad_token", "The login service's token did not verify.")
		return
	}
	writeJSON(w, http.StatusOK, claims)
}

// logout ends the session at the API and here.
func (p *Portal) logout(w http.ResponseWriter, r *http.Request) {
	id, b := p.browser(r)
	if b.Session != "" {
		if err := p.api.Logout(r.Context(), b.Session); err != nil {
			p.log.Warn("logout at the API failed", "err", err)
		}
	}
	b.Session, b.SessionUntil = "", time.Time{}
	p.keep(w, id, b)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
