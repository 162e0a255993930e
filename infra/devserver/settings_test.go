package main

import (
	"context"
	"testing"

	"github.com/portalpass/portalpass/infra/devserver/server"
)

// TestDevTenantSettings: POST /dev/tenants may set lifetimes below the
// usual minimums (API.md), every other rule still holds there, and the
// ordinary PATCH of the same dev server stays strict.
func TestDevTenantSettings(t *testing.T) {
	srv, err := server.Start(context.Background(), server.Options{APIKey: testKey, EmailFrom: "login@example.com", Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	c := newClient(t, srv.URL)

	var created struct {
		Tenant struct {
			Settings struct {
				LinkTTLSeconds int64 `json:"linkTtlSeconds"`
			}
		}
		APIKey string `json:"apiKey"`
	}
	body := map[string]any{"id": "quick", "name": "Quick", "settings": map[string]any{"linkTtlSeconds": 2}}
	if s := c.do("POST", "/dev/tenants", "", body, &created); s != 201 || created.Tenant.Settings.LinkTTLSeconds != 2 {
		t.Fatalf("dev tenant with a 2-second link = %d, %+v", s, created)
	}
	for name, settings := range map[string]map[string]any{
		"zero lifetime":  {"linkTtlSeconds": 0},
		"above the max":  {"linkTtlSeconds": 3601},
		"code length":    {"codeLength": 3},
		"http portal":    {"portalUrl": "http://portal.example.com"},
		"foreign domain": {"cookieDomain": "other.example"},
	} {
		if s := c.do("POST", "/dev/tenants", "", map[string]any{"id": "bad", "settings": settings}, nil); s != 400 {
			t.Errorf("dev tenant with %s = %d; want 400", name, s)
		}
	}
	if s := c.do("PATCH", "/v1/admin/settings", created.APIKey, map[string]any{"name": "Quicker"}, nil); s != 200 {
		t.Errorf("renaming the dev tenant = %d; want 200 (its short link is left alone)", s)
	}
	if s := c.do("PATCH", "/v1/admin/settings", created.APIKey, map[string]any{"linkTtlSeconds": 3}, nil); s != 400 {
		t.Errorf("PATCH of a 3-second link = %d; want 400: only POST /dev/tenants is relaxed", s)
	}
}
