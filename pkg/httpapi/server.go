package httpapi

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/portalpass/portalpass/pkg/identifier"
	"github.com/portalpass/portalpass/pkg/logctx"
	"github.com/portalpass/portalpass/pkg/login"
)

// Config is what the HTTP layer needs.
type Config struct {
	// Roles are the core's flows the routes call. Service, when set,
	// plays every role left nil.
	Roles
	Service *login.Service
	// BaseURL is the API's public base URL, the origin of its pages:
	// links, redirects and the same-origin check use it, never Host.
	BaseURL string
	// ClientIP returns the caller's address. On Lambda it comes from API
	// Gateway's request context, never from X-Forwarded-For.
	ClientIP func(*http.Request) string
	// RequestID returns the id logged with each request ("" for a new one).
	RequestID func(*http.Request) string
	Logger    *slog.Logger
	// Identifiers parses emails and phones. Every function passes
	// e164.Parser, the one that stores phone numbers (httpwire.HTTP), so
	// that a number is looked up as it was stored; the zero Parser only
	// strips formatting.
	Identifiers identifier.Parser
	// AdminClaims, when set, returns the tenant and subject of a verified
	// dashboard JWT on an admin route (on Lambda, the handler's own check
	// of the bearer token: httpwire.AdminJWT); the admin routes then trust
	// it in place of an API key, and take an API key when it says no.
	AdminClaims func(*http.Request) (tenant, subject string, ok bool)
	// DashboardOrigins are the origins (lower-case scheme://host[:port])
	// of the dashboard frontend whose browser may call the admin routes:
	// their preflights are allowed and their answers readable
	// (preflight.go). None: no browser may.
	DashboardOrigins []string
}

type server struct {
	Config
	log     *slog.Logger
	origin  string // scheme://host of BaseURL
	host    string // BaseURL's host name, lower-cased
	cookies cookieNames
	secure  bool
}

func newServer(c Config) *server {
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.ClientIP == nil {
		c.ClientIP = RemoteIP
	}
	c.Roles.fill(c.Service)
	s := &server{Config: c, log: c.Logger}
	u, err := url.Parse(c.BaseURL)
	if err == nil {
		s.origin = u.Scheme + "://" + u.Host
		s.host = strings.ToLower(u.Hostname())
		s.secure = u.Scheme == "https"
	}
	s.cookies = newCookieNames(s.secure)
	return s
}

// RemoteIP is the peer address of a direct connection (dev server).
func RemoteIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// route registers a handler that returns an error on a mux.
type routes func(s *server, mux *http.ServeMux)

func (s *server) handle(mux *http.ServeMux, pattern string, h func(http.ResponseWriter, *http.Request) error) {
	mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		// The dev server's route; on Lambda, API Gateway's route key is
		// already there (pkg/lambdahttp) and stays.
		logctx.WithRoute(r.Context(), pattern)
		if err := h(w, r); err != nil {
			s.writeError(w, r, err)
		}
	})
}

func build(c Config, groups ...routes) http.Handler {
	s := newServer(c)
	mux := http.NewServeMux()
	for _, g := range groups {
		g(s, mux)
	}
	// Every function answers the preflights of the routes it has not
	// claimed itself: API Gateway sends them all to one (OPTIONS
	// /{proxy+}), and the dev server serves every route from one mux.
	preflightRoutes(s, mux)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.writeError(w, r, login.Errorf(login.CodeNotFound, "No such route."))
	})
	return s.middleware(mux)
}

// Customer serves the login request, the login pages and the logos
// they show.
func Customer(c Config) http.Handler { return build(c, customerRoutes, pageRoutes, logoRoutes) }

// Redeem serves the redeem, code and tenant-picker routes.
func Redeem(c Config) http.Handler { return build(c, redeemRoutes) }

// Session serves the session and logout routes.
func Session(c Config) http.Handler { return build(c, sessionRoutes) }

// Contacts serves the admin contacts, invites and account routes.
func Contacts(c Config) http.Handler { return build(c, contactRoutes, accountRoutes) }

// All serves every route (the dev server).
func All(c Config) http.Handler {
	return build(c, customerRoutes, pageRoutes, logoRoutes, redeemRoutes, sessionRoutes, contactRoutes, accountRoutes, linkRoutes, auditRoutes)
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// middleware sets the headers every response carries, recovers panics as
// 500 internal and logs one structured line per request: never the URL's
// query (a link's token is there), never a body or a cookie.
func (s *server) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := ""
		if s.RequestID != nil {
			id = s.RequestID(r)
		}
		if id == "" {
			var b [8]byte
			_, _ = rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-store")
		h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; base-uri 'none'")
		if s.secure {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		s.allowDashboard(w, r)
		// Every line logged with the request's context carries its id
		// (pkg/logctx): API Gateway's, or on the dev server our own.
		r = r.WithContext(logctx.With(r.Context(), logctx.Fields{RequestID: id}))
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if p := recover(); p != nil {
				s.log.ErrorContext(r.Context(), "panic", "request_id", id, "route", r.Pattern, "panic", fmt.Sprint(p))
				if sw.status == 0 {
					s.writeError(sw, r, fmt.Errorf("panic"))
				}
			}
			s.log.InfoContext(r.Context(), "request",
				"request_id", id, "method", r.Method, "route", routeOf(r), "status", sw.status,
				"latency_ms", float64(time.Since(start).Microseconds())/1000)
		}()
		next.ServeHTTP(sw, r)
	})
}

// routeOf names the route by its pattern, never by the request's path or
// query: a mangled link's path may hold a live token.
func routeOf(r *http.Request) string {
	if r.Pattern != "" && r.Pattern != "/" {
		return r.Pattern
	}
	return "unmatched"
}

// sameOrigin reports whether a browser form post comes from our own
// pages: Origin must be ours, or, where Origin is absent or "null" (our
// pages send Referrer-Policy: no-referrer, under which Chromium posts
// forms with Origin: null), Sec-Fetch-Site must say same-origin. An
// opaque cross-site origin still says cross-site there, and neither
// header means no browser we can trust.
func (s *server) sameOrigin(r *http.Request) bool {
	if o := r.Header.Get("Origin"); o != "" && o != "null" {
		return o == s.origin
	}
	return r.Header.Get("Sec-Fetch-Site") == "same-origin"
}

var errCrossSite = &login.Error{Code: login.CodeForbidden, Msg: "This form must be sent from our own page."}

// tenantKnown records the tenant a request acts for once the handler
// knows it (an API key's, a session's, the one the request names), so
// that the request's later lines, its closing line included, carry it.
// The middleware made the request's log record, which this fills in.
func tenantKnown(r *http.Request, tenant string) {
	logctx.WithTenant(r.Context(), tenant)
}

func (s *server) meta(r *http.Request) login.Meta {
	return login.Meta{IP: s.ClientIP(r), UserAgent: r.UserAgent()}
}
