package httpwire

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/portalpass/portalpass/pkg/config"
	"github.com/portalpass/portalpass/pkg/httpapi"
	"github.com/portalpass/portalpass/pkg/identifier/e164"
	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/store/memstore"
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

// TestAdminJWT: with a dashboard JWT issuer configured, an admin route
// takes an API key and the issuer's JWT alike, and turns away a JWT of
// another issuer or audience.
func TestAdminJWT(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	other, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	b64 := base64.RawURLEncoding
	pub, _ := key.PublicKey.Bytes()
	jwks, _ := json.Marshal(map[string]any{"keys": []map[string]string{{
		"kty": "EC", "crv": "P-256", "kid": "k1", "use": "sig",
		"x": b64.EncodeToString(pub[1:33]), "y": b64.EncodeToString(pub[33:]),
	}}})
	idp := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/pool/.well-known/jwks.json" {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write(jwks)
	}))
	t.Cleanup(idp.Close)
	issuer := idp.URL + "/pool"

	ctx := context.Background()
	svc := login.New(login.Deps{Store: memstore.New(), BaseURL: "https://api.example.com"})
	if _, err := svc.CreateTenant(ctx, "acme", "Acme", login.DefaultSettings("https://portal.acme.example")); err != nil {
		t.Fatal(err)
	}
	apiKey, _, err := svc.NewAPIKey(ctx, "acme", "dashboard")
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Config{
		PublicBaseURL:  "https://api.example.com",
		AdminJWTIssuer: issuer, AdminJWTAudience: "dashboard", AdminTenantClaim: "custom:tenant",
		AdminJWKSURL: issuer + "/.well-known/jwks.json",
	}
	var logs bytes.Buffer
	h := httpapi.Contacts(HTTP(cfg, svc, slog.New(slog.NewJSONHandler(&logs, nil))))

	jwt := func(signer *ecdsa.PrivateKey, edit map[string]any) string {
		claims := map[string]any{"iss": issuer, "aud": "dashboard", "sub": "user-1", "custom:tenant": "acme",
			"exp": time.Now().Add(time.Hour).Unix()}
		for k, v := range edit {
			claims[k] = v
		}
		hb, _ := json.Marshal(map[string]string{"alg": "ES256", "kid": "k1", "typ": "JWT"})
		cb, _ := json.Marshal(claims)
		input := b64.EncodeToString(hb) + "." + b64.EncodeToString(cb)
		d := sha256.Sum256([]byte(input))
		r, s, err := ecdsa.Sign(rand.Reader, signer, d[:])
		if err != nil {
			t.Fatal(err)
		}
		return input + "." + b64.EncodeToString(append(r.FillBytes(make([]byte, 32)), s.FillBytes(make([]byte, 32))...))
	}
	tests := []struct {
		name   string
		bearer string
		want   int
	}{
		{"API key", apiKey, http.StatusOK},
		{"JWT", jwt(key, nil), http.StatusOK},
		{"JWT with an aud array", jwt(key, map[string]any{"aud": []string{"x", "dashboard"}}), http.StatusOK},
		{"JWT of another issuer", jwt(key, map[string]any{"iss": "https://evil.example.com/pool"}), http.StatusUnauthorized},
		{"JWT with a wrong audience", jwt(key, map[string]any{"aud": "someone-else"}), http.StatusUnauthorized},
		{"JWT signed by another key", jwt(other, nil), http.StatusUnauthorized},
		{"expired JWT", jwt(key, map[string]any{"exp": time.Now().Add(-time.Hour).Unix()}), http.StatusUnauthorized},
		{"JWT of an unknown tenant", jwt(key, map[string]any{"custom:tenant": "nosuch"}), http.StatusUnauthorized},
		{"JWT without the tenant claim", jwt(key, map[string]any{"custom:tenant": ""}), http.StatusUnauthorized},
		{"unknown API key", "ppk_nosuch_" + strings.Repeat("a", 43), http.StatusUnauthorized},
		{"nothing", "", http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/v1/admin/contacts", nil)
			if tt.bearer != "" {
				r.Header.Set("Authorization", "Bearer "+tt.bearer)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != tt.want {
				t.Fatalf("GET /v1/admin/contacts = %d %s; want %d", w.Code, w.Body, tt.want)
			}
			if tt.want == http.StatusUnauthorized && !strings.Contains(w.Body.String(), `"unauthorized"`) {
				t.Errorf("body %s; want API.md's unauthorized error", w.Body)
			}
		})
	}
	if s := logs.String(); !strings.Contains(s, "admin jwt rejected") || strings.Contains(s, jwt(key, nil)[:40]) {
		t.Errorf("logs %s; want the rejections logged without a token", s)
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
