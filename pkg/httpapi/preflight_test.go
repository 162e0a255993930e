package httpapi_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/portalpass/portalpass/pkg/httpapi"
)

const dashOrigin = "https://dash.example.com"

// dashboardHandlers are the handlers an admin preflight may reach: the
// session function's (API Gateway's OPTIONS /{proxy+} route goes there)
// and the dev server's (every route).
func dashboardHandlers(e *env) map[string]http.Handler {
	c := httpapi.Config{Service: e.svc, BaseURL: baseURL, DashboardOrigins: []string{dashOrigin}}
	return map[string]http.Handler{"session": httpapi.Session(c), "all": httpapi.All(c)}
}

func preflightReq(path, origin, method, headers string) *http.Request {
	return req(http.MethodOptions, path, "", "Origin", origin, "Access-Control-Request-Method", method,
		"Access-Control-Request-Headers", headers)
}

// TestPreflightDashboard: an admin route's preflight is allowed for a
// configured dashboard origin asking for the admin methods and headers,
// refused (204, no Access-Control-Allow-Origin) for anything else.
func TestPreflightDashboard(t *testing.T) {
	e := newEnv(t)
	for name, h := range dashboardHandlers(e) {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, preflightReq("/v1/admin/contacts/c1", dashOrigin, "PATCH", "authorization, content-type"))
		hd := w.Header()
		if w.Code != http.StatusNoContent || hd.Get("Access-Control-Allow-Origin") != dashOrigin ||
			!strings.Contains(hd.Get("Access-Control-Allow-Methods"), "PATCH") ||
			!strings.Contains(strings.ToLower(hd.Get("Access-Control-Allow-Headers")), "authorization") ||
			hd.Get("Access-Control-Allow-Credentials") != "" {
			t.Errorf("%s: dashboard preflight: %d %v; want 204 allowing %s, PATCH and Authorization, no credentials", name, w.Code, hd, dashOrigin)
		}
		// The logo upload: PUT with the image's Content-Type.
		w = httptest.NewRecorder()
		h.ServeHTTP(w, preflightReq("/v1/admin/settings/logo", dashOrigin, "PUT", "authorization, content-type"))
		if w.Header().Get("Access-Control-Allow-Origin") != dashOrigin || !strings.Contains(w.Header().Get("Access-Control-Allow-Methods"), "PUT") {
			t.Errorf("%s: logo upload preflight: %d %v; want PUT allowed for %s", name, w.Code, w.Header(), dashOrigin)
		}
		for _, bad := range []struct{ path, origin, method, headers string }{
			{"/v1/admin/contacts", "https://evil.example", "POST", "authorization"},
			{"/v1/admin/contacts", "https://dash.example.com.evil.example", "POST", "authorization"},
			{"/v1/admin/contacts", "null", "POST", "authorization"},
			{"/v1/admin/contacts", dashOrigin, "TRACE", "authorization"}, // no admin route's method
			{"/v1/admin/contacts", dashOrigin, "POST", "authorization, x-secret"},
			{"/v1/session", dashOrigin, "GET", "authorization"}, // not an admin route
			{"/v1/login/request", dashOrigin, "POST", "content-type"},
		} {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, preflightReq(bad.path, bad.origin, bad.method, bad.headers))
			if w.Code != http.StatusNoContent || w.Header().Get("Access-Control-Allow-Origin") != "" {
				t.Errorf("%s: preflight of %s from %s (%s, %q): %d, ACAO %q; want 204 without it",
					name, bad.path, bad.origin, bad.method, bad.headers, w.Code, w.Header().Get("Access-Control-Allow-Origin"))
			}
		}
	}
}

// TestPreflightNoDashboard: without dashboard origins no admin preflight
// is allowed.
func TestPreflightNoDashboard(t *testing.T) {
	e := newEnv(t)
	w := e.do(preflightReq("/v1/admin/contacts", dashOrigin, "POST", "authorization"))
	if w.Code != http.StatusNoContent || w.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("preflight without dashboard origins: %d, ACAO %q; want 204 without it", w.Code, w.Header().Get("Access-Control-Allow-Origin"))
	}
}

// TestPreflightExchangeThroughSession: the exchange's preflight still
// reaches its own handler beside the catch-all one, on the session
// function: any portal origin may send it, a malformed one may not.
func TestPreflightExchangeThroughSession(t *testing.T) {
	e := newEnv(t)
	h := dashboardHandlers(e)["session"]
	w := httptest.NewRecorder()
	h.ServeHTTP(w, preflightReq("/v1/session/exchange", shopOrigin, "POST", "content-type"))
	if w.Code != http.StatusNoContent || w.Header().Get("Access-Control-Allow-Origin") != shopOrigin || w.Header().Get("Access-Control-Allow-Methods") != "POST" {
		t.Errorf("exchange preflight from the portal: %d %v; want 204 allowing %s to POST", w.Code, w.Header(), shopOrigin)
	}
	w = httptest.NewRecorder()
	h.ServeHTTP(w, preflightReq("/v1/session/exchange", "null", "POST", "content-type"))
	if got := w.Header().Get("Access-Control-Allow-Origin"); w.Code != http.StatusNoContent || got != "" {
		t.Errorf("exchange preflight from null: %d, ACAO %q; want 204 without it", w.Code, got)
	}
}

// TestCORSDashboardResponses: an admin route's answer, an error
// included, is readable by a dashboard origin only; other routes' are
// not.
func TestCORSDashboardResponses(t *testing.T) {
	e := newEnv(t)
	h := dashboardHandlers(e)["all"]
	send := func(path, origin, key string) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req(http.MethodGet, path, "", "Origin", origin, "Authorization", "Bearer "+key))
		return w
	}
	for _, tt := range []struct {
		path, origin, key string
		status            int
		acao              string
	}{
		{"/v1/admin/settings", dashOrigin, e.key, http.StatusOK, dashOrigin},
		{"/v1/admin/settings", dashOrigin, "pp_wrong", http.StatusUnauthorized, dashOrigin},
		{"/v1/admin/settings", "https://evil.example", e.key, http.StatusOK, ""},
		{"/v1/session", dashOrigin, "nope", http.StatusUnauthorized, ""},
	} {
		w := send(tt.path, tt.origin, tt.key)
		if w.Code != tt.status || w.Header().Get("Access-Control-Allow-Origin") != tt.acao {
			t.Errorf("GET %s from %s: %d, ACAO %q; want %d, %q", tt.path, tt.origin, w.Code, w.Header().Get("Access-Control-Allow-Origin"), tt.status, tt.acao)
		}
		if strings.HasPrefix(tt.path, "/v1/admin/") && !strings.Contains(strings.Join(w.Header().Values("Vary"), ","), "Origin") {
			t.Errorf("GET %s: Vary %q; want Origin", tt.path, w.Header().Values("Vary"))
		}
	}
}
