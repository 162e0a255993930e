package httpapi

import (
	"net/http"
	"slices"
	"strings"
)

// The stack has no API-level CORS: with it, API Gateway answers every
// preflight itself, with one origin list for every route, and a PKCE
// portal's preflight of the exchange would be refused. One
// unauthenticated OPTIONS /{proxy+} route sends every preflight to a
// function instead, whose mux answers it here: the dashboard origins for
// the admin routes, any portal origin for the exchange (exchangePreflight,
// whose POST only the tenant's own portal may read).

// adminPrefix is the path prefix of the admin routes, the only routes the
// dashboard calls from a browser.
const adminPrefix = "/v1/admin/"

// dashboardMethods and dashboardHeaders are what a dashboard's request may
// use: the admin routes' methods, and the API key or dashboard JWT
// (Authorization) with a JSON body.
var (
	dashboardMethods = []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}
	dashboardHeaders = []string{"authorization", "content-type"}
)

func preflightRoutes(s *server, mux *http.ServeMux) {
	s.handle(mux, "OPTIONS /", s.preflight)
}

// preflight answers a CORS preflight of any route but the exchange. An
// admin route's is allowed for a dashboard origin asking for the admin
// methods and headers; anything else gets 204 without
// Access-Control-Allow-Origin, which the browser reads as a refusal.
// Never an error: a preflight carries nothing to judge but its headers.
func (s *server) preflight(w http.ResponseWriter, r *http.Request) error {
	h := w.Header()
	h.Add("Vary", "Origin")
	h.Add("Vary", "Access-Control-Request-Method")
	h.Add("Vary", "Access-Control-Request-Headers")
	if strings.HasPrefix(r.URL.Path, adminPrefix) && s.dashboardOrigin(r.Header.Get("Origin")) &&
		slices.Contains(dashboardMethods, r.Header.Get("Access-Control-Request-Method")) &&
		onlyHeaders(r.Header.Values("Access-Control-Request-Headers"), dashboardHeaders) {
		h.Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
		h.Set("Access-Control-Allow-Methods", strings.Join(dashboardMethods, ", "))
		h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type")
		h.Set("Access-Control-Max-Age", "600")
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// allowDashboard lets a dashboard origin read an admin route's answer,
// an error included (so that the dashboard can show why). No
// credentials: the dashboard sends its key or JWT in Authorization,
// never a cookie.
func (s *server) allowDashboard(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodOptions || !strings.HasPrefix(r.URL.Path, adminPrefix) {
		return
	}
	w.Header().Add("Vary", "Origin")
	if o := r.Header.Get("Origin"); s.dashboardOrigin(o) {
		w.Header().Set("Access-Control-Allow-Origin", o)
	}
}

// dashboardOrigin reports whether o is one of the configured dashboard
// origins, exactly as a browser sends it.
func (s *server) dashboardOrigin(o string) bool {
	return o != "" && slices.Contains(s.DashboardOrigins, o)
}

// onlyHeaders reports whether Access-Control-Request-Headers asks for
// nothing beyond allowed (lower-case names).
func onlyHeaders(values, allowed []string) bool {
	for _, v := range values {
		for _, name := range strings.Split(v, ",") {
			if n := strings.ToLower(strings.TrimSpace(name)); n != "" && !slices.Contains(allowed, n) {
				return false
			}
		}
	}
	return true
}
