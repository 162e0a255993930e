package httpwire

import (
	"net/http/httptest"
	"testing"

	"github.com/portalpass/portalpass/pkg/config"
	"github.com/portalpass/portalpass/pkg/identifier/e164"
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

// phoneFormats are numbers typed the ways people type them, with the
// E.164 form the storing parser gives; a national (trunk) prefix is
// dropped only where the country's rules say so.
var phoneFormats = []struct{ typed, want string }{
	{"+44 (0)7911 123456", "+447911123456"},
	{"+44 7911 123456", "+447911123456"},
	{"+44 07911 123456", "+447911123456"},
	{"+44 (0)20 7946 0000", "+442079460000"},
	{"(+44) 7911 123456", "+447911123456"},
	{"+1 (415) 555-0123", "+14155550123"},
	{"+1.415.555.0123", "+14155550123"},
	{"+1 1 415 555 0123", "+14155550123"},
	{"+33 (0)6 12 34 56 78", "+33612345678"},
	{"+49 (0)30 1234 5678", "+493012345678"},
	{"+39 06 1234 5678", "+390612345678"},
	{"+39 (0)6 1234 5678", "+390612345678"},
	{"+7 8 495 123 4567", "+74951234567"},
	{"+7 800 123 4567", "+78001234567"},
	{"+61 (0)4 1234 5678", "+61412345678"},
	{"+353 (0)87 123 4567", "+353871234567"},
	{"0044 7911 123456", ""},
	{"+999 1234567", ""},
	{"+44 7911 12345x", ""},
}

// TestHTTPParsesLikeTheStore checks that every function, whatever it
// does with an identifier, reads it as request-login and invite store
// it: with e164's rules.
func TestHTTPParsesLikeTheStore(t *testing.T) {
	h := HTTP(config.Config{PublicBaseURL: "https://api.example.com"}, nil, nil)
	for _, tt := range phoneFormats {
		got, err := h.Identifiers.ParsePhone(tt.typed)
		if got != tt.want || (err == nil) != (tt.want != "") {
			t.Errorf("ParsePhone(%q) = %q, %v; want %q", tt.typed, got, err, tt.want)
		}
		id, err := h.Identifiers.Parse(tt.typed)
		stored, serr := e164.Parser.Parse(tt.typed)
		if id != stored || (err == nil) != (serr == nil) {
			t.Errorf("Parse(%q) = %+v, %v; the storing parser gives %+v, %v", tt.typed, id, err, stored, serr)
		}
	}
}

// FuzzHTTPParsesLikeTheStore: for any input, every function's parser and
// the storing one accept the same and give the same identifier.
func FuzzHTTPParsesLikeTheStore(f *testing.F) {
	for _, tt := range phoneFormats {
		f.Add(tt.typed)
	}
	f.Add("Ana@Example.com")
	h := HTTP(config.Config{}, nil, nil)
	f.Fuzz(func(t *testing.T, s string) {
		id, err := h.Identifiers.Parse(s)
		stored, serr := e164.Parser.Parse(s)
		if id != stored || (err == nil) != (serr == nil) {
			t.Fatalf("Parse(%q) = %+v, %v; the storing parser gives %+v, %v", s, id, err, stored, serr)
		}
	})
}
