package adminjwt

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const (
	testIssuer   = "https://issuer.example.com/pool"
	testAudience = "dashboard"
	testClaim    = "custom:tenant"
)

var (
	keyOnce         sync.Once
	rsaKey, rsaKey2 *rsa.PrivateKey
	ecKey           *ecdsa.PrivateKey
)

// keys are generated once per test binary: RSA generation is slow under -race.
func testKeys(t testing.TB) {
	t.Helper()
	keyOnce.Do(func() {
		var err error
		if rsaKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
		if rsaKey2, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
		if ecKey, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
			panic(err)
		}
	})
}

func rsaJWK(kid string, pub *rsa.PublicKey) map[string]string {
	return map[string]string{"kty": "RSA", "kid": kid, "use": "sig", "alg": "RS256",
		"n": b64.EncodeToString(pub.N.Bytes()), "e": b64.EncodeToString(big.NewInt(int64(pub.E)).Bytes())}
}

func ecJWK(kid string, pub *ecdsa.PublicKey) map[string]string {
	p, _ := pub.Bytes()
	return map[string]string{"kty": "EC", "kid": kid, "crv": "P-256", "x": b64.EncodeToString(p[1:33]), "y": b64.EncodeToString(p[33:])}
}

// issuer is a fake identity provider's key set endpoint.
type issuer struct {
	srv     *httptest.Server
	fetches atomic.Int32
	mu      sync.Mutex
	keys    []map[string]string
	status  int
}

func newIssuer(t *testing.T) *issuer {
	testKeys(t)
	is := &issuer{status: http.StatusOK,
		keys: []map[string]string{rsaJWK("rsa1", &rsaKey.PublicKey), ecJWK("ec1", &ecKey.PublicKey)}}
	is.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		is.fetches.Add(1)
		is.mu.Lock()
		defer is.mu.Unlock()
		if is.status != http.StatusOK {
			w.WriteHeader(is.status)
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"keys": is.keys})
	}))
	t.Cleanup(is.srv.Close)
	return is
}

func (is *issuer) set(status int, keys ...map[string]string) {
	is.mu.Lock()
	defer is.mu.Unlock()
	is.status = status
	if keys != nil {
		is.keys = keys
	}
}

// clock is a settable clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

var now0 = time.Unix(1_800_000_000, 0)

func newVerifier(t *testing.T, is *issuer) (*Verifier, *clock) {
	clk := &clock{t: now0}
	return New(Config{Issuer: testIssuer, Audience: testAudience, TenantClaim: testClaim,
		JWKSURL: is.srv.URL + "/.well-known/jwks.json", Client: is.srv.Client(), Now: clk.Now}), clk
}

// sign makes a token; header fields default to alg RS256, kid rsa1.
func sign(t testing.TB, hdr map[string]any, claims map[string]any) string {
	t.Helper()
	testKeys(t)
	h := map[string]any{"alg": "RS256", "kid": "rsa1", "typ": "JWT"}
	for k, v := range hdr {
		if v == nil {
			delete(h, k)
		} else {
			h[k] = v
		}
	}
	hb, _ := json.Marshal(h)
	cb, _ := json.Marshal(claims)
	input := b64.EncodeToString(hb) + "." + b64.EncodeToString(cb)
	digest := sha256.Sum256([]byte(input))
	var sig []byte
	var err error
	switch {
	case h["alg"] == "ES256":
		r, s, e := ecdsa.Sign(rand.Reader, ecKey, digest[:])
		sig, err = append(r.FillBytes(make([]byte, 32)), s.FillBytes(make([]byte, 32))...), e
	case h["alg"] == "HS256": // the public key as an HMAC secret: the classic confusion
		m := hmac.New(sha256.New, rsaKey.PublicKey.N.Bytes())
		m.Write([]byte(input))
		sig = m.Sum(nil)
	case h["alg"] == "none":
	case h["kid"] == "rsa2" || hdr["signer"] == "other":
		sig, err = rsa.SignPKCS1v15(rand.Reader, rsaKey2, crypto.SHA256, digest[:])
	default:
		sig, err = rsa.SignPKCS1v15(rand.Reader, rsaKey, crypto.SHA256, digest[:])
	}
	if err != nil {
		t.Fatal(err)
	}
	return input + "." + b64.EncodeToString(sig)
}

// good returns valid claims with edits applied (nil deletes).
func good(edits map[string]any) map[string]any {
	c := map[string]any{
		"iss": testIssuer, "aud": testAudience, "sub": "user-1", testClaim: "acme",
		"iat": now0.Unix() - 10, "exp": now0.Unix() + 3600,
	}
	for k, v := range edits {
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
	}
	return c
}

func TestVerify(t *testing.T) {
	is := newIssuer(t)
	v, _ := newVerifier(t, is)
	sec := now0.Unix()
	tests := []struct {
		name  string
		token string
		want  string // the tenant; "" for a rejection
	}{
		{"RS256", sign(t, nil, good(nil)), "acme"},
		{"ES256", sign(t, map[string]any{"alg": "ES256", "kid": "ec1"}, good(nil)), "acme"},
		{"aud array", sign(t, nil, good(map[string]any{"aud": []string{"other", testAudience}})), "acme"},
		{"client_id without aud", sign(t, nil, good(map[string]any{"aud": nil, "client_id": testAudience})), "acme"},
		{"fractional exp", sign(t, nil, good(map[string]any{"exp": float64(sec) + 0.5})), "acme"},
		{"expired within the leeway", sign(t, nil, good(map[string]any{"exp": sec - 30})), "acme"},
		{"nbf within the leeway", sign(t, nil, good(map[string]any{"nbf": sec + 30})), "acme"},

		{"another issuer", sign(t, nil, good(map[string]any{"iss": "https://evil.example.com/pool"})), ""},
		{"issuer with a trailing slash", sign(t, nil, good(map[string]any{"iss": testIssuer + "/"})), ""},
		{"no issuer", sign(t, nil, good(map[string]any{"iss": nil})), ""},
		{"wrong audience", sign(t, nil, good(map[string]any{"aud": "other"})), ""},
		{"aud array without ours", sign(t, nil, good(map[string]any{"aud": []string{"a", "b"}})), ""},
		{"empty aud array", sign(t, nil, good(map[string]any{"aud": []string{}})), ""},
		{"aud wrong, client_id right", sign(t, nil, good(map[string]any{"aud": "other", "client_id": testAudience})), ""},
		{"no aud, wrong client_id", sign(t, nil, good(map[string]any{"aud": nil, "client_id": "other"})), ""},
		{"no aud, no client_id", sign(t, nil, good(map[string]any{"aud": nil})), ""},
		{"aud not a string", sign(t, nil, good(map[string]any{"aud": 7})), ""},
		{"expired", sign(t, nil, good(map[string]any{"exp": sec - 61})), ""},
		{"no exp", sign(t, nil, good(map[string]any{"exp": nil})), ""},
		{"exp a string", sign(t, nil, good(map[string]any{"exp": "soon"})), ""},
		{"not valid yet", sign(t, nil, good(map[string]any{"nbf": sec + 120})), ""},
		{"issued in the future", sign(t, nil, good(map[string]any{"iat": sec + 120})), ""},
		{"no sub", sign(t, nil, good(map[string]any{"sub": nil})), ""},
		{"no tenant claim", sign(t, nil, good(map[string]any{testClaim: nil})), ""},
		{"empty tenant claim", sign(t, nil, good(map[string]any{testClaim: ""})), ""},
		{"tenant claim not a string", sign(t, nil, good(map[string]any{testClaim: []string{"acme"}})), ""},
		{"signed by another key", sign(t, map[string]any{"signer": "other"}, good(nil)), ""},
		{"alg none", sign(t, map[string]any{"alg": "none"}, good(nil)), ""},
		{"HS256 with the public key", sign(t, map[string]any{"alg": "HS256"}, good(nil)), ""},
		{"ES256 header on an RSA key", sign(t, map[string]any{"alg": "ES256", "kid": "rsa1"}, good(nil)), ""},
		{"RS256 header on an EC key", sign(t, map[string]any{"kid": "ec1"}, good(nil)), ""},
		{"unknown kid", sign(t, map[string]any{"kid": "nosuch"}, good(nil)), ""},
		{"no kid", sign(t, map[string]any{"kid": nil}, good(nil)), ""},
		{"crit", sign(t, map[string]any{"crit": []string{"exp"}}, good(nil)), ""},
		{"two parts", "eyJhbGciOiJSUzI1NiJ9.e30", ""},
		{"garbage", "a.b.c", ""},
		{"oversized", strings.Repeat("a", maxToken+1), ""},
	}
	// A payload swapped under a valid signature.
	valid := sign(t, nil, good(nil))
	other := sign(t, nil, good(map[string]any{testClaim: "globex"}))
	p, q := strings.Split(valid, "."), strings.Split(other, ".")
	tests = append(tests, struct {
		name, token, want string
	}{"payload swapped", p[0] + "." + q[1] + "." + p[2], ""})

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := v.Verify(context.Background(), tt.token)
			if tt.want == "" {
				if err == nil || !errors.Is(err, ErrInvalid) {
					t.Fatalf("Verify = %+v, %v; want an ErrInvalid", c, err)
				}
				if strings.Contains(err.Error(), tt.token) {
					t.Errorf("error %q quotes the token", err)
				}
				return
			}
			if err != nil || c != (Claims{Tenant: tt.want, Subject: "user-1"}) {
				t.Fatalf("Verify = %+v, %v; want tenant %q, subject user-1", c, err, tt.want)
			}
		})
	}
}

func TestKeyCache(t *testing.T) {
	is := newIssuer(t)
	v, clk := newVerifier(t, is)
	ctx := context.Background()
	if n := is.fetches.Load(); n != 0 {
		t.Fatalf("New fetched the key set %d times; want none before a token", n)
	}
	tok := func(kid string) string {
		return sign(t, map[string]any{"kid": kid}, good(map[string]any{"exp": clk.Now().Unix() + 3600}))
	}
	verify := func(step, kid string, ok bool, fetches int32) {
		t.Helper()
		_, err := v.Verify(ctx, tok(kid))
		if (err == nil) != ok {
			t.Errorf("%s: Verify error = %v; want ok %v", step, err, ok)
		}
		if n := is.fetches.Load(); n != fetches {
			t.Errorf("%s: %d key set fetches; want %d", step, n, fetches)
		}
	}
	verify("first token", "rsa1", true, 1)
	for range 5 {
		verify("cached", "rsa1", true, 1)
	}
	verify("unknown kid, too soon after the first fetch", "rsa2", false, 1)
	clk.add(MinRefetch)
	verify("unknown kid", "rsa2", false, 2)
	clk.add(time.Second)
	verify("unknown kid again, too soon", "rsa2", false, 2)

	// The issuer rotates: a new key appears.
	is.set(http.StatusOK, rsaJWK("rsa1", &rsaKey.PublicKey), rsaJWK("rsa2", &rsaKey2.PublicKey))
	verify("rotated, too soon", "rsa2", false, 2)
	clk.add(MinRefetch)
	verify("rotated", "rsa2", true, 3)
	verify("old key still listed", "rsa1", true, 3)

	// An hour on, the set is fetched again; a failed fetch keeps the keys.
	is.set(http.StatusServiceUnavailable)
	clk.add(KeysTTL)
	verify("stale, issuer down", "rsa1", true, 4)
	verify("stale, issuer down, too soon", "rsa1", true, 4)
	is.set(http.StatusOK, rsaJWK("rsa2", &rsaKey2.PublicKey))
	clk.add(MinRefetch)
	verify("refreshed", "rsa2", true, 5)
	verify("dropped key", "rsa1", false, 5)
}

func TestKeySetUnavailable(t *testing.T) {
	for name, set := range map[string]func(*issuer){
		"status 500":   func(is *issuer) { is.set(http.StatusInternalServerError) },
		"no keys":      func(is *issuer) { is.set(http.StatusOK, []map[string]string{}...) },
		"only weak":    func(is *issuer) { is.set(http.StatusOK, weakRSA()) },
		"server down":  func(is *issuer) { is.srv.Close() },
		"encrypt only": func(is *issuer) { k := rsaJWK("rsa1", &rsaKey.PublicKey); k["use"] = "enc"; is.set(http.StatusOK, k) },
	} {
		t.Run(name, func(t *testing.T) {
			is := newIssuer(t)
			set(is)
			v, _ := newVerifier(t, is)
			_, err := v.Verify(context.Background(), sign(t, nil, good(nil)))
			if err == nil || errors.Is(err, ErrInvalid) {
				t.Errorf("Verify error = %v; want a key set error", err)
			}
		})
	}
}

func weakRSA() map[string]string {
	k, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		panic(err)
	}
	return rsaJWK("rsa1", &k.PublicKey)
}

func TestRequest(t *testing.T) {
	is := newIssuer(t)
	v, _ := newVerifier(t, is)
	jwt := sign(t, nil, good(nil))
	for _, tt := range []struct {
		auth string
		want error // nil: verified
	}{
		{"", ErrNoToken},
		{"Bearer ppk_k1_secretsecret", ErrNoToken},
		{"Basic dXNlcjpwYXNz", ErrNoToken},
		{"Bearer", ErrNoToken},
		{"Basic " + jwt, ErrNoToken},
		{"Bearer " + jwt, nil},
		{"bearer  " + jwt + " ", nil},
		{"Bearer " + jwt + "x", ErrInvalid},
	} {
		r := httptest.NewRequest("GET", "/v1/admin/contacts", nil)
		if tt.auth != "" {
			r.Header.Set("Authorization", tt.auth)
		}
		c, err := v.Request(r)
		if tt.want == nil && (err != nil || c.Tenant != "acme") || tt.want != nil && !errors.Is(err, tt.want) {
			t.Errorf("Request(%.20q) = %+v, %v; want %v", tt.auth, c, err, tt.want)
		}
	}
}

func FuzzVerify(f *testing.F) {
	f.Add(sign(f, nil, good(nil)))
	f.Add(sign(f, map[string]any{"alg": "ES256", "kid": "ec1"}, good(nil)))
	f.Add("eyJhbGciOiJub25lIn0.e30.")
	is := &issuer{status: http.StatusOK, keys: []map[string]string{rsaJWK("rsa1", &rsaKey.PublicKey), ecJWK("ec1", &ecKey.PublicKey)}}
	is.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]any{"keys": is.keys})
	}))
	defer is.srv.Close()
	v := New(Config{Issuer: testIssuer, Audience: testAudience, TenantClaim: testClaim,
		JWKSURL: is.srv.URL, Client: is.srv.Client(), Now: func() time.Time { return now0 }})
	f.Fuzz(func(t *testing.T, tok string) {
		c, err := v.Verify(context.Background(), tok)
		if err == nil && (c.Tenant == "" || c.Subject == "") {
			t.Fatalf("Verify = %+v with no error: a tenant and subject are required", c)
		}
	})
}
