package httpwire

import (
	"net/http/httptest"
	"testing"

	"github.com/portalpass/portalpass/pkg/config"
	"github.com/portalpass/portalpass/pkg/wire"
)

func TestHTTP(t *testing.T) {
	cfg := config.Config{PublicBaseURL: "https://api.example.com"}
	logger := wire.Logger(cfg.LogLevel)
	h := HTTP(cfg, nil, logger)
	if h.BaseURL != cfg.PublicBaseURL || h.Logger != logger || h.ClientIP == nil || h.RequestID == nil {
		t.Errorf("HTTP() = %+v; want the base URL, the logger and API Gateway's client IP and request id", h)
	}
	if h.AdminClaims != nil {
		t.Error("AdminClaims set without ADMIN_TENANT_CLAIM")
	}
	// A request that did not come through API Gateway has no client IP,
	// request id or claims: none is taken from its headers.
	r := httptest.NewRequest("GET", "/v1/session", nil)
	r.Header.Set("X-Forwarded-For", "203.0.113.7")
	if ip, id := h.ClientIP(r), h.RequestID(r); ip != "" || id != "" {
		t.Errorf("ClientIP, RequestID = %q, %q; want none outside API Gateway", ip, id)
	}

	cfg.AdminTenantClaim = "custom:tenant"
	h = HTTP(cfg, nil, logger)
	if h.AdminClaims == nil {
		t.Fatal("AdminClaims = nil with ADMIN_TENANT_CLAIM set")
	}
	if _, _, ok := h.AdminClaims(r); ok {
		t.Error("AdminClaims found claims outside API Gateway")
	}
}
