package jwtsign_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math/big"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/lestrrat-go/jwx/v3/jwk"
	"github.com/lestrrat-go/jwx/v3/jws"

	"github.com/portalpass/portalpass/pkg/jwtsign"
)

type testClaims struct {
	Iss string `json:"iss"`
	Aud string `json:"aud"`
	Sub string `json:"sub"`
	Exp int64  `json:"exp"`
}

var claims = testClaims{Iss: "https://api.example.com", Aud: "acme", Sub: "c1", Exp: 1795447800}

func newLocal(t testing.TB) *jwtsign.LocalSigner {
	t.Helper()
	s, err := jwtsign.GenerateLocalSigner()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func newKeys(t testing.TB, signers ...jwtsign.Signer) *jwtsign.Keys {
	t.Helper()
	k, err := jwtsign.NewKeys(signers...)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// verify checks a compact ES256 JWT against pub with crypto/ecdsa alone
// and returns its header and decoded payload.
func verify(t *testing.T, token string, pub *ecdsa.PublicKey) (jwtsign.Header, []byte) {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("token has %d parts; want 3", len(parts))
	}
	b64 := base64.RawURLEncoding
	hb, err1 := b64.DecodeString(parts[0])
	payload, err2 := b64.DecodeString(parts[1])
	sig, err3 := b64.DecodeString(parts[2])
	if err := errors.Join(err1, err2, err3); err != nil {
		t.Fatalf("token is not base64url: %v", err)
	}
	if len(sig) != 64 {
		t.Fatalf("signature is %d bytes; want 64 (raw r||s)", len(sig))
	}
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if !ecdsa.Verify(pub, digest[:], new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])) {
		t.Fatal("signature does not verify")
	}
	var h jwtsign.Header
	dec := json.NewDecoder(strings.NewReader(string(hb)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&h); err != nil {
		t.Fatalf("header %s: %v", hb, err)
	}
	return h, payload
}

func TestSignJWT(t *testing.T) {
	ctx := context.Background()
	first, second := newLocal(t), newLocal(t)
	keys := newKeys(t, first, second)
	token, err := keys.SignJWT(ctx, claims)
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := first.PublicKey(ctx)
	h, payload := verify(t, token, pub)
	kid, _ := jwtsign.Thumbprint(pub)
	if want := (jwtsign.Header{Alg: "ES256", Typ: "JWT", Kid: kid}); h != want {
		t.Errorf("header = %+v; want %+v", h, want)
	}
	var got testClaims
	if err := json.Unmarshal(payload, &got); err != nil || got != claims {
		t.Errorf("claims = %+v, %v; want %+v", got, err, claims)
	}
	// The second key is published but does not sign.
	pub2, _ := second.PublicKey(ctx)
	parts := strings.Split(token, ".")
	sig, _ := base64.RawURLEncoding.DecodeString(parts[2])
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if ecdsa.Verify(pub2, digest[:], new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])) {
		t.Error("the second key verifies the token; want only the first to sign")
	}
	// A changed payload does not verify.
	forged := parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(`{"sub":"c2"}`)) + "." + parts[2]
	fd := sha256.Sum256([]byte(forged[:strings.LastIndexByte(forged, '.')]))
	if ecdsa.Verify(pub, fd[:], new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])) {
		t.Error("a forged payload verifies")
	}
}

func TestJWKS(t *testing.T) {
	ctx := context.Background()
	first, second := newLocal(t), newLocal(t)
	keys := newKeys(t, first, second, first) // the first listed twice: published once
	doc, err := keys.JWKS(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var set struct {
		Keys []map[string]string `json:"keys"`
	}
	if err := json.Unmarshal(doc, &set); err != nil {
		t.Fatalf("JWKS %s: %v", doc, err)
	}
	if len(set.Keys) != 2 {
		t.Fatalf("JWKS lists %d keys; want 2: %s", len(set.Keys), doc)
	}
	for i, s := range []*jwtsign.LocalSigner{first, second} {
		pub, _ := s.PublicKey(ctx)
		p, _ := pub.Bytes()
		kid, _ := jwtsign.Thumbprint(pub)
		want := map[string]string{
			"kty": "EC", "crv": "P-256", "alg": "ES256", "use": "sig", "kid": kid,
			"x": base64.RawURLEncoding.EncodeToString(p[1:33]), "y": base64.RawURLEncoding.EncodeToString(p[33:]),
		}
		if got := set.Keys[i]; !reflect.DeepEqual(got, want) {
			t.Errorf("key %d = %v; want %v", i, got, want)
		}
	}
	again, _ := keys.JWKS(ctx)
	again[0] = 'x' // the caller's copy
	if third, _ := keys.JWKS(ctx); string(third) != string(doc) {
		t.Errorf("JWKS changed between calls: %s then %s", doc, third)
	}
}

// TestInterop checks the tokens and the JWKS with an independent JOSE
// library (the one examples/portal verifies with).
func TestInterop(t *testing.T) {
	ctx := context.Background()
	keys := newKeys(t, newLocal(t), newLocal(t))
	token, err := keys.SignJWT(ctx, claims)
	if err != nil {
		t.Fatal(err)
	}
	doc, _ := keys.JWKS(ctx)
	set, err := jwk.Parse(doc)
	if err != nil {
		t.Fatalf("jwk.Parse: %v", err)
	}
	for i := range set.Len() {
		k, _ := set.Key(i)
		tp, err := k.Thumbprint(crypto.SHA256)
		kid, _ := k.KeyID()
		if err != nil || base64.RawURLEncoding.EncodeToString(tp) != kid {
			t.Errorf("key %d: kid %q is not its RFC 7638 thumbprint (%v)", i, kid, err)
		}
	}
	payload, err := jws.Verify([]byte(token), jws.WithKeySet(set))
	if err != nil {
		t.Fatalf("jws.Verify: %v", err)
	}
	var got testClaims
	if err := json.Unmarshal(payload, &got); err != nil || got != claims {
		t.Errorf("claims = %+v, %v; want %+v", got, err, claims)
	}
}

// flaky fails PublicKey until told otherwise and counts calls.
type flaky struct {
	jwtsign.Signer
	fail  atomic.Bool
	calls atomic.Int32
}

func (f *flaky) PublicKey(ctx context.Context) (*ecdsa.PublicKey, error) {
	f.calls.Add(1)
	if f.fail.Load() {
		return nil, errors.New("unavailable")
	}
	return f.Signer.PublicKey(ctx)
}

func TestKeysFetchOnceAndRetryFailures(t *testing.T) {
	ctx := context.Background()
	f := &flaky{Signer: newLocal(t)}
	f.fail.Store(true)
	keys := newKeys(t, f)
	if _, err := keys.SignJWT(ctx, claims); err == nil {
		t.Fatal("SignJWT with no public key succeeded")
	}
	if _, err := keys.JWKS(ctx); err == nil {
		t.Fatal("JWKS with no public key succeeded")
	}
	f.fail.Store(false)
	for range 3 {
		if _, err := keys.SignJWT(ctx, claims); err != nil {
			t.Fatal(err)
		}
		if _, err := keys.JWKS(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if got := f.calls.Load(); got != 3 {
		t.Errorf("PublicKey called %d times; want 3 (two failures, then once)", got)
	}
}

// badSigner returns signatures of the wrong size.
type badSigner struct{ jwtsign.Signer }

func (badSigner) Sign(context.Context, []byte) ([]byte, error) { return make([]byte, 63), nil }

func TestEncodeRejects(t *testing.T) {
	ctx := context.Background()
	s := newLocal(t)
	if _, err := jwtsign.Encode(ctx, badSigner{s}, "k", claims); err == nil {
		t.Error("Encode with a 63-byte signature succeeded")
	}
	if _, err := jwtsign.Encode(ctx, s, "k", func() {}); err == nil {
		t.Error("Encode of claims that are not JSON succeeded")
	}
	if _, err := jwtsign.NewKeys(); err == nil {
		t.Error("NewKeys() with no key succeeded")
	}
	if _, err := jwtsign.NewLocalSigner(nil); err == nil {
		t.Error("NewLocalSigner(nil) succeeded")
	}
}

func TestJWKRoundTrip(t *testing.T) {
	pub, _ := newLocal(t).PublicKey(context.Background())
	j, err := jwtsign.NewJWK(pub)
	if err != nil {
		t.Fatal(err)
	}
	back, err := j.PublicKey()
	if err != nil || !back.Equal(pub) {
		t.Errorf("JWK.PublicKey() = %v, %v; want the key back", back, err)
	}
	j.X = j.X[:10]
	if _, err := j.PublicKey(); err == nil {
		t.Error("a JWK with a short x parsed")
	}
}

func TestParseKeyIDs(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"empty", "", nil},
		{"one", "k1", []string{"k1"}},
		{"order kept", "k2,k1", []string{"k2", "k1"}},
		{"spaces and empties", " k1 , ,k2,", []string{"k1", "k2"}},
		{"repeats", "k1,k2,k1", []string{"k1", "k2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := jwtsign.ParseKeyIDs(tt.in); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseKeyIDs(%q) = %q; want %q", tt.in, got, tt.want)
			}
		})
	}
}

func BenchmarkSignJWTLocal(b *testing.B) {
	ctx := context.Background()
	keys := newKeys(b, newLocal(b))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := keys.SignJWT(ctx, claims); err != nil {
			b.Fatal(err)
		}
	}
}
