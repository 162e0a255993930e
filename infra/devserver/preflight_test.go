package main

import (
	"context"
	"net/http"
	"testing"

	"github.com/portalpass/portalpass/infra/devserver/server"
)

// TestPreflightDevServer: through the dev server, as through API
// Gateway's OPTIONS /{proxy+} route, the admin routes' preflight is
// allowed for a dashboard origin and refused for another, and the
// exchange's for a portal origin but not for a malformed one.
func TestPreflightDevServer(t *testing.T) {
	const dash = "https://dash.example.com"
	srv, err := server.Start(context.Background(), server.Options{
		APIKey: testKey, EmailFrom: "login@example.com", Logger: quiet, DashboardOrigins: []string{dash},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	preflight := func(path, origin, headers string) (int, string) {
		r, err := http.NewRequest(http.MethodOptions, srv.URL+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		r.Header.Set("Origin", origin)
		r.Header.Set("Access-Control-Request-Method", "POST")
		r.Header.Set("Access-Control-Request-Headers", headers)
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode, resp.Header.Get("Access-Control-Allow-Origin")
	}
	for _, tt := range []struct{ path, origin, headers, want string }{
		{"/v1/admin/contacts", dash, "authorization, content-type", dash},
		{"/v1/admin/contacts", "https://evil.example", "authorization, content-type", ""},
		{"/v1/session/exchange", "https://shop.example", "content-type", "https://shop.example"},
		{"/v1/session/exchange", "null", "content-type", ""},
	} {
		if status, acao := preflight(tt.path, tt.origin, tt.headers); status != http.StatusNoContent || acao != tt.want {
			t.Errorf("preflight of %s from %s: %d, ACAO %q; want 204, %q", tt.path, tt.origin, status, acao, tt.want)
		}
	}

	// A real admin answer is readable by the dashboard.
	r, _ := http.NewRequest(http.MethodGet, srv.URL+"/v1/admin/settings", nil)
	r.Header.Set("Origin", dash)
	r.Header.Set("Authorization", "Bearer "+testKey)
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Access-Control-Allow-Origin") != dash {
		t.Errorf("GET /v1/admin/settings from the dashboard: %d, ACAO %q; want 200 readable by %s", resp.StatusCode, resp.Header.Get("Access-Control-Allow-Origin"), dash)
	}
}
