package adminjwt

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Timings of the key set cache and of the claims' clocks.
const (
	// KeysTTL is how long a fetched key set is used before it is fetched
	// again.
	KeysTTL = time.Hour
	// MinRefetch is the least time between two fetches of the key set, so
	// that tokens naming unknown kids cannot make every request a fetch.
	MinRefetch = 30 * time.Second
	// Leeway is the clock skew allowed on exp, nbf and iat.
	Leeway = time.Minute
)

// maxToken bounds what is worth parsing: a real token is a few KiB.
const maxToken = 16 << 10

var b64 = base64.RawURLEncoding

// ErrNoToken is returned by Request for a request that carries no bearer
// JWT (nothing, another scheme, or a bearer that is not a JWT, such as an
// API key).
var ErrNoToken = errors.New("adminjwt: no bearer JWT")

// ErrInvalid is wrapped by every error about a token itself (as opposed
// to the key set being unavailable).
var ErrInvalid = errors.New("invalid token")

// Config configures a Verifier.
type Config struct {
	Issuer      string // the iss tokens must carry, exactly
	Audience    string // what aud must hold, or client_id equal when there is no aud
	TenantClaim string // the claim that names the tenant
	JWKSURL     string // where the issuer's key set is
	// Client fetches the key set; nil is a client with a 5-second timeout.
	Client *http.Client
	// Now is the clock; nil is time.Now.
	Now func() time.Time
}

// Claims are what the admin routes take from a verified token.
type Claims struct {
	Tenant  string // the tenant claim
	Subject string // sub: the dashboard user
}

// Verifier verifies tokens of one issuer. It is safe for concurrent use.
type Verifier struct {
	c Config

	mu      sync.Mutex
	keys    map[string]key
	fetched time.Time // when keys were fetched
	tried   time.Time // the last fetch, failed or not
}

// New returns a Verifier of c. It makes no network call: the key set is
// fetched on the first token.
func New(c Config) *Verifier {
	if c.Client == nil {
		c.Client = &http.Client{Timeout: 5 * time.Second}
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return &Verifier{c: c}
}

// Request verifies the request's Authorization: Bearer JWT. It returns
// ErrNoToken when there is none, so that the caller may try an API key.
func (v *Verifier) Request(r *http.Request) (Claims, error) {
	scheme, tok, ok := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " ")
	tok = strings.TrimSpace(tok)
	if !ok || !strings.EqualFold(scheme, "bearer") || strings.Count(tok, ".") != 2 {
		return Claims{}, ErrNoToken
	}
	return v.Verify(r.Context(), tok)
}

func invalid(why string) error { return fmt.Errorf("adminjwt: %s: %w", why, ErrInvalid) }

// header is a token's JOSE header.
type header struct {
	Alg  string   `json:"alg"`
	Kid  string   `json:"kid"`
	Crit []string `json:"crit"`
}

// claims are the registered claims a token is checked on.
type claims struct {
	Iss      string   `json:"iss"`
	Sub      string   `json:"sub"`
	Aud      audience `json:"aud"`
	ClientID string   `json:"client_id"`
	Exp      *float64 `json:"exp"`
	Nbf      *float64 `json:"nbf"`
	Iat      *float64 `json:"iat"`
}

// audience is aud: one string or an array of them (RFC 7519 §4.1.3).
type audience []string

func (a *audience) UnmarshalJSON(b []byte) error {
	if bytes.HasPrefix(b, []byte(`"`)) {
		var s string
		err := json.Unmarshal(b, &s)
		*a = audience{s}
		return err
	}
	return json.Unmarshal(b, (*[]string)(a))
}

// Verify checks a token and returns its tenant and subject.
func (v *Verifier) Verify(ctx context.Context, token string) (Claims, error) {
	if len(token) > maxToken {
		return Claims{}, invalid("token too long")
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return Claims{}, invalid("not a JWS compact serialization")
	}
	var h header
	if err := decodePart(parts[0], &h); err != nil {
		return Claims{}, invalid("header: " + err.Error())
	}
	if h.Alg != "RS256" && h.Alg != "ES256" {
		// Never "none", never HS256 with a public key as its secret.
		return Claims{}, invalid(fmt.Sprintf("algorithm %q not accepted", h.Alg))
	}
	if len(h.Crit) > 0 {
		return Claims{}, invalid("critical header parameters not understood")
	}
	if h.Kid == "" {
		return Claims{}, invalid("no kid")
	}
	k, err := v.key(ctx, h.Kid)
	if err != nil {
		return Claims{}, err
	}
	if k.alg != h.Alg {
		return Claims{}, invalid(fmt.Sprintf("key %q is not an %s key", h.Kid, h.Alg))
	}
	sig, err := b64.DecodeString(parts[2])
	if err != nil {
		return Claims{}, invalid("signature encoding")
	}
	if !verifySignature(k, []byte(parts[0]+"."+parts[1]), sig) {
		return Claims{}, invalid("bad signature")
	}

	payload, err := b64.DecodeString(parts[1])
	if err != nil {
		return Claims{}, invalid("claims: not base64url")
	}
	var c claims
	var all map[string]json.RawMessage
	if json.Unmarshal(payload, &c) != nil || json.Unmarshal(payload, &all) != nil {
		return Claims{}, invalid("claims: not a JSON object of the expected shape")
	}
	if err := v.check(c); err != nil {
		return Claims{}, err
	}
	var tenant string
	if raw, ok := all[v.c.TenantClaim]; !ok || json.Unmarshal(raw, &tenant) != nil || tenant == "" {
		return Claims{}, invalid(fmt.Sprintf("no %q claim (a non-empty string)", v.c.TenantClaim))
	}
	return Claims{Tenant: tenant, Subject: c.Sub}, nil
}

// check checks the registered claims.
func (v *Verifier) check(c claims) error {
	if c.Iss != v.c.Issuer {
		return invalid("issuer not accepted")
	}
	if c.Aud != nil {
		found := false
		for _, a := range c.Aud {
			found = found || a == v.c.Audience
		}
		if !found {
			return invalid("audience not accepted")
		}
	} else if c.ClientID != v.c.Audience {
		return invalid("no aud, and client_id is not the audience")
	}
	if c.Sub == "" {
		return invalid("no sub")
	}
	now := v.c.Now()
	at := func(f float64) time.Time { return time.Unix(0, 0).Add(time.Duration(f * float64(time.Second))) }
	switch {
	case c.Exp == nil:
		return invalid("no exp")
	case !now.Before(at(*c.Exp).Add(Leeway)):
		return invalid("expired")
	case c.Nbf != nil && now.Add(Leeway).Before(at(*c.Nbf)):
		return invalid("not valid yet (nbf)")
	case c.Iat != nil && now.Add(Leeway).Before(at(*c.Iat)):
		return invalid("issued in the future (iat)")
	}
	return nil
}

// decodePart decodes a base64url JSON part of a token.
func decodePart(s string, v any) error {
	b, err := b64.DecodeString(s)
	if err != nil {
		return errors.New("not base64url")
	}
	if err := json.Unmarshal(b, v); err != nil {
		return errors.New("not a JSON object of the expected shape")
	}
	return nil
}

func verifySignature(k key, signed, sig []byte) bool {
	digest := sha256.Sum256(signed)
	switch pub := k.pub.(type) {
	case *rsa.PublicKey:
		return rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], sig) == nil
	case *ecdsa.PublicKey:
		// JWS carries R || S, 32 bytes each (RFC 7518 §3.4), not DER.
		if len(sig) != 64 {
			return false
		}
		r, s := new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])
		return ecdsa.Verify(pub, digest[:], r, s)
	}
	return false
}

// key returns the key named kid, fetching the key set when it has none
// yet, when it is older than KeysTTL, or when it lacks kid, but never
// twice within MinRefetch.
func (v *Verifier) key(ctx context.Context, kid string) (key, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	now := v.c.Now()
	k, ok := v.keys[kid]
	stale := v.keys == nil || now.Sub(v.fetched) >= KeysTTL
	if (!ok || stale) && (v.tried.IsZero() || now.Sub(v.tried) >= MinRefetch) {
		// Holding the lock: concurrent requests wait for this one fetch
		// rather than each making their own.
		v.tried = now
		keys, err := fetchKeys(ctx, v.c.Client, v.c.JWKSURL)
		if err != nil && v.keys == nil {
			return key{}, err
		}
		if err == nil {
			v.keys, v.fetched = keys, now
		}
		// A failed refresh keeps the keys it had: an issuer's outage does
		// not end every dashboard session at once.
		k, ok = v.keys[kid]
	}
	if !ok {
		return key{}, invalid(fmt.Sprintf("unknown kid %q", kid))
	}
	return k, nil
}
