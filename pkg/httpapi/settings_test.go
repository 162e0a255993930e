package httpapi_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// TestPatchSettingsErrors: the core's setting rules reach a client as
// 400 invalid_request naming the setting, and a rejected PATCH changes
// nothing.
func TestPatchSettingsErrors(t *testing.T) {
	e := newEnv(t)
	before := e.admin(http.MethodGet, "/v1/admin/settings", "").Body.String()
	tests := []struct {
		name, body, want string // want: the start of the message
	}{
		{"link below min", `{"linkTtlSeconds": 59}`, "linkTtlSeconds must be from 60 to 3600 seconds"},
		{"link above max", `{"linkTtlSeconds": 3601}`, "linkTtlSeconds must be from 60 to 3600 seconds"},
		{"link huge", `{"linkTtlSeconds": 9223372036854775807}`, "linkTtlSeconds must be"},
		{"session below min", `{"sessionTtlSeconds": 299}`, "sessionTtlSeconds must be from 300"},
		{"code length", `{"codeLength": 9}`, "codeLength must be from 4 to 8"},
		{"name empty", `{"name": ""}`, "name must be 1-100 characters"},
		{"portal http", `{"portalUrl": "http://portal.acme.example"}`, "portalUrl must be an https URL (http only for localhost)"},
		{"integration", `{"portalIntegration": "iframe"}`, `portalIntegration must be "cookie" or "handoff"`},
		{"cookie domain not a parent", `{"cookieDomain": "other.example"}`, "cookieDomain must be the portal's host"},
		{"sender control", `{"senderName": "a\u0007b"}`, "senderName must be"},
		{"no relaxed flag in a body", `{"relaxed": true, "linkTtlSeconds": 2}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := e.admin(http.MethodPatch, "/v1/admin/settings", tt.body)
			var got struct {
				Error struct{ Code, Message string }
			}
			if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil || w.Code != http.StatusBadRequest || got.Error.Code != "invalid_request" {
				t.Fatalf("PATCH %s = %d %s; want 400 invalid_request", tt.body, w.Code, w.Body)
			}
			if !strings.HasPrefix(got.Error.Message, tt.want) {
				t.Errorf("message = %q; want it to start with %q", got.Error.Message, tt.want)
			}
		})
	}
	if after := e.admin(http.MethodGet, "/v1/admin/settings", "").Body.String(); after != before {
		t.Errorf("settings after rejected changes = %s; want %s", after, before)
	}
	if w := e.admin(http.MethodPatch, "/v1/admin/settings", `{"linkTtlSeconds": 60, "cookieDomain": ".ACME.example"}`); w.Code != http.StatusOK ||
		!strings.Contains(w.Body.String(), `"linkTtlSeconds":60`) || !strings.Contains(w.Body.String(), `"cookieDomain":"acme.example"`) {
		t.Errorf("PATCH at the edge = %d %s", w.Code, w.Body)
	}
}
