package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwk"
	"github.com/lestrrat-go/jwx/v3/jws"
)

const (
	testIss = "https://api.example.com"
	testAud = "acme"
)

// jwksServer serves a JWKS that a test may swap, and counts fetches.
type jwksServer struct {
	*httptest.Server
	mu      sync.Mutex
	body    []byte
	fetches atomic.Int32
}

func newJWKSServer(t testing.TB, keys map[string]*ecdsa.PrivateKey) *jwksServer {
	s := &jwksServer{}
	s.serve(t, keys)
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fetches.Add(1)
		s.mu.Lock()
		defer s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(s.body)
	}))
	t.Cleanup(s.Close)
	return s
}

// serve makes the server list the public halves of keys under their kids.
func (s *jwksServer) serve(t testing.TB, keys map[string]*ecdsa.PrivateKey) {
	set := jwk.NewSet()
	for kid, k := range keys {
		pub, err := jwk.Import(&k.PublicKey)
		if err != nil {
			t.Fatal(err)
		}
		_ = pub.Set(jwk.KeyIDKey, kid)
		_ = pub.Set(jwk.KeyUsageKey, "sig")
		_ = pub.Set(jwk.AlgorithmKey, jwa.ES256())
		if err := set.AddKey(pub); err != nil {
			t.Fatal(err)
		}
	}
	b, err := json.Marshal(set)
	if err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	s.body = b
	s.mu.Unlock()
}

func newKey(t testing.TB, c elliptic.Curve) *ecdsa.PrivateKey {
	k, err := ecdsa.GenerateKey(c, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// claimsAt are valid claims of a token issued at now.
func claimsAt(now time.Time) map[string]any {
	return map[string]any{
		"iss": testIss, "aud": testAud, "sub": "c123", "sid": "s456", "via": "link",
		"iat": now.Unix(), "exp": now.Add(5 * time.Minute).Unix(),
	}
}

// sign makes a compact JWS of claims with alg and key, naming kid.
func sign(t testing.TB, alg jwa.SignatureAlgorithm, key any, kid string, claims map[string]any) string {
	t.Helper()
	payload, _ := json.Marshal(claims)
	h := jws.NewHeaders()
	if kid != "" {
		_ = h.Set(jws.KeyIDKey, kid)
	}
	_ = h.Set(jws.TypeKey, "JWT")
	b, err := jws.Sign(payload, jws.WithKey(alg, key, jws.WithProtectedHeaders(h)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func b64(v any) string {
	b, _ := json.Marshal(v)
	return base64.RawURLEncoding.EncodeToString(b)
}

func newTestVerifier(t testing.TB, url string, now func() time.Time) *Verifier {
	v, err := NewVerifier(VerifierConfig{Issuer: testIss, Audience: testAud, JWKSURL: url, Now: now, Skew: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(v.Close)
	return v
}

func TestVerify(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	key := newKey(t, elliptic.P256())
	srv := newJWKSServer(t, map[string]*ecdsa.PrivateKey{"k1": key})
	v := newTestVerifier(t, srv.URL, func() time.Time { return now })

	with := func(change func(map[string]any)) map[string]any {
		c := claimsAt(now)
		change(c)
		return c
	}
	valid := sign(t, jwa.ES256(), key, "k1", claimsAt(now))
	parts := strings.Split(valid, ".")
	pubDER, _ := x509.MarshalPKIXPublicKey(&key.PublicKey)

	tests := []struct {
		name  string
		token string
		ok    bool
	}{
		{"valid", valid, true},
		{"within skew after exp", sign(t, jwa.ES256(), key, "k1", with(func(c map[string]any) {
			c["iat"], c["exp"] = now.Add(-5*time.Minute-5*time.Second).Unix(), now.Add(-5*time.Second).Unix()
		})), true},
		{"tampered payload", parts[0] + "." + tamper(parts[1]) + "." + parts[2], false},
		{"tampered signature", parts[0] + "." + parts[1] + "." + tamper(parts[2]), false},
		{"expired", sign(t, jwa.ES256(), key, "k1", with(func(c map[string]any) {
			c["iat"], c["exp"] = now.Add(-6*time.Minute).Unix(), now.Add(-time.Minute).Unix()
		})), false},
		{"issued in the future", sign(t, jwa.ES256(), key, "k1", with(func(c map[string]any) {
			c["iat"], c["exp"] = now.Add(time.Minute).Unix(), now.Add(5*time.Minute).Unix()
		})), false},
		{"lives over 5 minutes", sign(t, jwa.ES256(), key, "k1", with(func(c map[string]any) {
			c["exp"] = now.Add(time.Hour).Unix()
		})), false},
		{"no exp", sign(t, jwa.ES256(), key, "k1", with(func(c map[string]any) { delete(c, "exp") })), false},
		{"no iat", sign(t, jwa.ES256(), key, "k1", with(func(c map[string]any) { delete(c, "iat") })), false},
		{"wrong issuer", sign(t, jwa.ES256(), key, "k1", with(func(c map[string]any) { c["iss"] = "https://evil.example" })), false},
		{"wrong audience", sign(t, jwa.ES256(), key, "k1", with(func(c map[string]any) { c["aud"] = "other" })), false},
		{"no subject", sign(t, jwa.ES256(), key, "k1", with(func(c map[string]any) { delete(c, "sub") })), false},
		{"no sid", sign(t, jwa.ES256(), key, "k1", with(func(c map[string]any) { delete(c, "sid") })), false},
		{"key not in the JWKS, same kid", sign(t, jwa.ES256(), newKey(t, elliptic.P256()), "k1", claimsAt(now)), false},
		{"unknown kid", sign(t, jwa.ES256(), newKey(t, elliptic.P256()), "k9", claimsAt(now)), false},
		{"no kid", sign(t, jwa.ES256(), key, "", claimsAt(now)), false},
		{"alg none", b64(map[string]string{"alg": "none", "kid": "k1", "typ": "JWT"}) + "." + parts[1] + ".", false},
		{"alg none, old signature", b64(map[string]string{"alg": "none", "kid": "k1"}) + "." + parts[1] + "." + parts[2], false},
		{"HS256 keyed with the public key", sign(t, jwa.HS256(), pubDER, "k1", claimsAt(now)), false},
		{"ES384", sign(t, jwa.ES384(), newKey(t, elliptic.P384()), "k1", claimsAt(now)), false},
		{"not a JWT", "not.a.jwt", false},
		{"empty", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := v.Verify(context.Background(), tt.token)
			if (err == nil) != tt.ok {
				t.Fatalf("Verify err = %v; want ok %v", err, tt.ok)
			}
			if err != nil {
				t.Logf("refused: %v", err)
			}
			if err != nil && strings.Contains(err.Error(), tt.token) && tt.token != "" {
				t.Errorf("the error holds the token: %v", err)
			}
			if tt.ok && (got.Subject != "c123" || got.SessionID != "s456" || got.Via != "link" || got.Issuer != testIss || got.Audience != testAud) {
				t.Errorf("claims = %+v", got)
			}
		})
	}
	// Unknown kids made the verifier fetch again at most once per refetchEvery.
	if n := srv.fetches.Load(); n > 3 {
		t.Errorf("JWKS fetched %d times; want at most 3", n)
	}
}

// tamper changes one character of a base64url segment.
func tamper(seg string) string {
	b, _ := base64.RawURLEncoding.DecodeString(seg)
	b[len(b)/2] ^= 0x01
	return base64.RawURLEncoding.EncodeToString(b)
}

// TestVerifyKeyRotation: a token signed by a key that appeared after the
// JWKS was cached verifies once the verifier fetches the JWKS again.
func TestVerifyKeyRotation(t *testing.T) {
	var mu sync.Mutex
	now := time.Unix(1_800_000_000, 0)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	k1, k2 := newKey(t, elliptic.P256()), newKey(t, elliptic.P256())
	srv := newJWKSServer(t, map[string]*ecdsa.PrivateKey{"k1": k1})
	v := newTestVerifier(t, srv.URL, clock)
	if _, err := v.Verify(context.Background(), sign(t, jwa.ES256(), k1, "k1", claimsAt(now))); err != nil {
		t.Fatalf("k1: %v", err)
	}
	srv.serve(t, map[string]*ecdsa.PrivateKey{"k1": k1, "k2": k2})
	mu.Lock()
	now = now.Add(refetchEvery)
	mu.Unlock()
	if _, err := v.Verify(context.Background(), sign(t, jwa.ES256(), k2, "k2", claimsAt(clock()))); err != nil {
		t.Fatalf("k2 after rotation: %v", err)
	}
}

func TestNewVerifierNeedsIssuerAndAudience(t *testing.T) {
	for _, c := range []VerifierConfig{{Issuer: testIss}, {Audience: testAud}} {
		if _, err := NewVerifier(c); err == nil {
			t.Errorf("NewVerifier(%+v) = nil error", c)
		}
	}
}

// FuzzVerify: whatever the token, Verify does not panic, and a token it
// accepts carries the claims of the one valid token it was made from.
func FuzzVerify(f *testing.F) {
	now := time.Unix(1_800_000_000, 0)
	key := newKey(f, elliptic.P256())
	srv := newJWKSServer(f, map[string]*ecdsa.PrivateKey{"k1": key})
	v := newTestVerifier(f, srv.URL, func() time.Time { return now })
	valid := sign(f, jwa.ES256(), key, "k1", claimsAt(now))
	f.Add(valid)
	f.Add("eyJhbGciOiJub25lIn0.e30.")
	f.Add("..")
	f.Fuzz(func(t *testing.T, token string) {
		c, err := v.Verify(context.Background(), token)
		if err == nil && (c.Subject != "c123" || c.SessionID != "s456") {
			t.Fatalf("accepted a forged token: %+v", c)
		}
	})
}

func BenchmarkVerify(b *testing.B) {
	now := time.Unix(1_800_000_000, 0)
	key := newKey(b, elliptic.P256())
	srv := newJWKSServer(b, map[string]*ecdsa.PrivateKey{"k1": key})
	v := newTestVerifier(b, srv.URL, func() time.Time { return now })
	token := sign(b, jwa.ES256(), key, "k1", claimsAt(now))
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Verify(ctx, token); err != nil {
			b.Fatal(err)
		}
	}
}
