package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/lestrrat-go/httprc/v3"
	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwk"
	"github.com/lestrrat-go/jwx/v3/jws"
	"github.com/lestrrat-go/jwx/v3/jwt"
)

const (
	// maxLifetime is API.md's bound on a session JWT: exp - iat ≤ 5 min.
	maxLifetime = 5 * time.Minute
	// defaultSkew is how far the portal's clock may be from the API's.
	defaultSkew = 30 * time.Second
	// refetchEvery bounds how often an unknown kid makes the verifier
	// fetch the JWKS again (after a key rotation), so that tokens with
	// made-up kids cannot make it hammer the API.
	refetchEvery = 10 * time.Second
)

// Claims are the verified claims of a portalpass session JWT.
type Claims struct {
	Issuer    string `json:"iss"` // the API's base URL
	Audience  string `json:"aud"` // the tenant id
	Subject   string `json:"sub"` // the contact id
	SessionID string `json:"sid"`
	Via       string `json:"via"` // "link", "code", "invite", "recovery" or "action_link"
	IssuedAt  int64  `json:"iat"`
	ExpiresAt int64  `json:"exp"`
}

// VerifierConfig configures a Verifier.
type VerifierConfig struct {
	Issuer   string // required: the API's base URL, as in iss
	Audience string // required: the tenant id, as in aud
	// JWKSURL defaults to Issuer + "/.well-known/jwks.json".
	JWKSURL string
	// HTTPClient fetches the JWKS; the default is jwx's, with timeouts.
	HTTPClient *http.Client
	// Now is the clock (default time.Now); Skew the tolerance on
	// exp, iat and nbf (default 30 s).
	Now  func() time.Time
	Skew time.Duration
}

// Verifier verifies session JWTs against the API's JWKS, which it keeps
// in a jwk.Cache refreshed in the background. It accepts only ES256
// tokens signed by a listed key, with the configured iss and aud, within
// their lifetime. It is safe for concurrent use.
type Verifier struct {
	cfg    VerifierConfig
	cache  *jwk.Cache
	cancel context.CancelFunc

	mu          sync.Mutex
	lastRefetch time.Time
}

// NewVerifier starts the JWKS cache. It does not wait for the first
// fetch: a portal may start before the API, and the first Verify fetches
// the keys if the cache has none yet. Close stops the cache.
func NewVerifier(cfg VerifierConfig) (*Verifier, error) {
	if cfg.Issuer == "" || cfg.Audience == "" {
		return nil, errors.New("jwt: issuer and audience are required")
	}
	if cfg.JWKSURL == "" {
		cfg.JWKSURL = cfg.Issuer + "/.well-known/jwks.json"
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Skew == 0 {
		cfg.Skew = defaultSkew
	}
	ctx, cancel := context.WithCancel(context.Background())
	cache, err := jwk.NewCache(ctx, httprc.NewClient())
	if err != nil {
		cancel()
		return nil, fmt.Errorf("jwt: jwks cache: %w", err)
	}
	opts := []jwk.RegisterOption{jwk.WithWaitReady(false), jwk.WithMinInterval(time.Minute)}
	if cfg.HTTPClient != nil {
		opts = append(opts, jwk.WithHTTPClient(cfg.HTTPClient))
	}
	if err := cache.Register(ctx, cfg.JWKSURL, opts...); err != nil {
		cancel()
		return nil, fmt.Errorf("jwt: register jwks: %w", err)
	}
	return &Verifier{cfg: cfg, cache: cache, cancel: cancel}, nil
}

// Close stops the JWKS cache's background refresh.
func (v *Verifier) Close() { v.cancel() }

// Verify checks a compact JWT and returns its claims. Any failure
// (signature, algorithm, key, issuer, audience, time) is an error that
// never holds the token.
func (v *Verifier) Verify(ctx context.Context, token string) (Claims, error) {
	tok, err := jwt.Parse([]byte(token),
		jwt.WithKeyProvider(v),
		jwt.WithContext(ctx),
		jwt.WithValidate(true),
		jwt.WithIssuer(v.cfg.Issuer),
		jwt.WithAudience(v.cfg.Audience),
		jwt.WithRequiredClaim(jwt.SubjectKey),
		jwt.WithRequiredClaim("sid"),
		jwt.WithMaxDelta(maxLifetime, jwt.ExpirationKey, jwt.IssuedAtKey),
		jwt.WithClock(jwt.ClockFunc(v.cfg.Now)),
		jwt.WithAcceptableSkew(v.cfg.Skew),
	)
	if err != nil {
		return Claims{}, fmt.Errorf("jwt: verify: %w", err)
	}
	c := Claims{Issuer: v.cfg.Issuer, Audience: v.cfg.Audience}
	c.Subject, _ = tok.Subject()
	if iat, ok := tok.IssuedAt(); ok {
		c.IssuedAt = iat.Unix()
	}
	if exp, ok := tok.Expiration(); ok {
		c.ExpiresAt = exp.Unix()
	}
	if err := tok.Get("sid", &c.SessionID); err != nil {
		return Claims{}, fmt.Errorf("jwt: verify: sid: %w", err)
	}
	if tok.Has("via") {
		if err := tok.Get("via", &c.Via); err != nil {
			return Claims{}, fmt.Errorf("jwt: verify: via: %w", err)
		}
	}
	return c, nil
}

// FetchKeys implements jws.KeyProvider: it pins the algorithm to ES256
// whatever the token or the JWKS say, and offers only the P-256 key of
// the JWKS whose kid the token names.
func (v *Verifier) FetchKeys(ctx context.Context, sink jws.KeySink, sig *jws.Signature, _ *jws.Message) error {
	h := sig.ProtectedHeaders()
	if alg, ok := h.Algorithm(); !ok || alg != jwa.ES256() {
		return errors.New("jwt: algorithm must be ES256")
	}
	kid, ok := h.KeyID()
	if !ok || kid == "" {
		return errors.New("jwt: token names no key (kid)")
	}
	k, err := v.key(ctx, kid)
	if err != nil {
		return err
	}
	sink.Key(jwa.ES256(), k)
	return nil
}

// key returns the public key with that kid, fetching the JWKS again when
// the cache has no such key (at most once per refetchEvery).
func (v *Verifier) key(ctx context.Context, kid string) (*ecdsa.PublicKey, error) {
	if set, err := v.cache.Lookup(ctx, v.cfg.JWKSURL); err == nil {
		if k, ok := set.LookupKeyID(kid); ok {
			return es256Key(k)
		}
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if now := v.cfg.Now(); v.lastRefetch.IsZero() || now.Sub(v.lastRefetch) >= refetchEvery {
		v.lastRefetch = now
		if _, err := v.cache.Refresh(ctx, v.cfg.JWKSURL); err != nil {
			return nil, fmt.Errorf("jwt: fetch jwks: %w", err)
		}
	}
	set, err := v.cache.Lookup(ctx, v.cfg.JWKSURL)
	if err != nil {
		return nil, fmt.Errorf("jwt: jwks: %w", err)
	}
	k, ok := set.LookupKeyID(kid)
	if !ok {
		return nil, errors.New("jwt: no key in the JWKS has the token's kid")
	}
	return es256Key(k)
}

// es256Key checks that a JWK is a P-256 public signing key meant for
// ES256 (when it says) and returns it.
func es256Key(k jwk.Key) (*ecdsa.PublicKey, error) {
	if alg, ok := k.Algorithm(); ok && alg.String() != jwa.ES256().String() {
		return nil, errors.New("jwt: the JWKS key is not for ES256")
	}
	if use, ok := k.KeyUsage(); ok && use != "" && use != jwk.ForSignature.String() {
		return nil, errors.New("jwt: the JWKS key is not for signatures")
	}
	pub, err := k.PublicKey()
	if err != nil {
		return nil, fmt.Errorf("jwt: jwks key: %w", err)
	}
	var raw ecdsa.PublicKey
	if err := jwk.Export(pub, &raw); err != nil {
		return nil, fmt.Errorf("jwt: jwks key: not an EC key: %w", err)
	}
	if raw.Curve != elliptic.P256() {
		return nil, errors.New("jwt: the JWKS key is not on P-256")
	}
	return &raw, nil
}
