package jwtsign

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
)

// Signer is one P-256 key that makes ES256 signatures.
type Signer interface {
	// PublicKey returns the public half of the key.
	PublicKey(ctx context.Context) (*ecdsa.PublicKey, error)
	// Sign returns the ES256 signature of signingInput (a JWS's
	// "header.payload"): ECDSA P-256 over its SHA-256, as raw r||s, 32
	// big-endian bytes each (RFC 7518 §3.4).
	Sign(ctx context.Context, signingInput []byte) ([]byte, error)
}

// Header is a JWS protected header of an ES256 JWT.
type Header struct {
	Alg string `json:"alg"` // "ES256"
	Typ string `json:"typ"` // "JWT"
	Kid string `json:"kid"`
}

// Encode returns a compact ES256 JWT (RFC 7519) of claims, marshalled as
// JSON, signed by s under the key id kid.
func Encode(ctx context.Context, s Signer, kid string, claims any) (string, error) {
	h, err := json.Marshal(Header{Alg: "ES256", Typ: "JWT", Kid: kid})
	if err != nil {
		return "", fmt.Errorf("jwtsign: header: %w", err)
	}
	p, err := json.Marshal(claims)
	if err != nil {
		return "", fmt.Errorf("jwtsign: claims: %w", err)
	}
	var b strings.Builder
	b.Grow(b64.EncodedLen(len(h)) + b64.EncodedLen(len(p)) + b64.EncodedLen(sigSize) + 2)
	b.WriteString(b64.EncodeToString(h))
	b.WriteByte('.')
	b.WriteString(b64.EncodeToString(p))
	sig, err := s.Sign(ctx, []byte(b.String()))
	if err != nil {
		return "", fmt.Errorf("jwtsign: sign: %w", err)
	}
	if len(sig) != sigSize {
		return "", fmt.Errorf("jwtsign: sign: signature of %d bytes, want %d", len(sig), sigSize)
	}
	b.WriteByte('.')
	b.WriteString(b64.EncodeToString(sig))
	return b.String(), nil
}

// Keys are the configured signing keys: the first signs, all are
// published, so that a new key is listed before it signs and an old one
// stays listed until its tokens have expired (doc.go, Rotation). Public
// keys are fetched at first use and kept. Keys is safe for concurrent use.
type Keys struct {
	signers []Signer

	mu   sync.Mutex
	jwks []JWK // by signer, filled as fetched; Kid "" until then
	doc  []byte
}

// NewKeys returns the keys; the first signs. It makes no network call.
func NewKeys(signers ...Signer) (*Keys, error) {
	if len(signers) == 0 {
		return nil, errors.New("jwtsign: no signing key")
	}
	for _, s := range signers {
		if s == nil {
			return nil, errors.New("jwtsign: nil signing key")
		}
	}
	return &Keys{signers: signers, jwks: make([]JWK, len(signers))}, nil
}

// jwk returns the public JWK of signer i, fetching its key once. A failed
// fetch is not kept: the next call tries again.
func (k *Keys) jwk(ctx context.Context, i int) (JWK, error) {
	k.mu.Lock()
	j := k.jwks[i]
	k.mu.Unlock()
	if j.Kid != "" {
		return j, nil
	}
	pub, err := k.signers[i].PublicKey(ctx)
	if err != nil {
		return JWK{}, fmt.Errorf("jwtsign: public key %d: %w", i+1, err)
	}
	if j, err = NewJWK(pub); err != nil {
		return JWK{}, err
	}
	k.mu.Lock()
	k.jwks[i] = j
	k.mu.Unlock()
	return j, nil
}

// KeyID returns the kid of the key that signs: the thumbprint of the
// first key.
func (k *Keys) KeyID(ctx context.Context) (string, error) {
	j, err := k.jwk(ctx, 0)
	return j.Kid, err
}

// SignJWT returns a compact ES256 JWT of claims signed by the first key,
// its header naming that key's kid.
func (k *Keys) SignJWT(ctx context.Context, claims any) (string, error) {
	kid, err := k.KeyID(ctx)
	if err != nil {
		return "", err
	}
	return Encode(ctx, k.signers[0], kid, claims)
}

// PublicKeys returns the JWK of every key, in order, each kid once (two
// configured names of the same key are listed once).
func (k *Keys) PublicKeys(ctx context.Context) ([]JWK, error) {
	out := make([]JWK, 0, len(k.signers))
	seen := map[string]bool{}
	for i := range k.signers {
		j, err := k.jwk(ctx, i)
		if err != nil {
			return nil, err
		}
		if !seen[j.Kid] {
			seen[j.Kid] = true
			out = append(out, j)
		}
	}
	return out, nil
}

// JWKS returns the JSON Web Key Set document of every key. It is built
// once, when every public key has been fetched, and reused.
func (k *Keys) JWKS(ctx context.Context) ([]byte, error) {
	k.mu.Lock()
	doc := k.doc
	k.mu.Unlock()
	if doc != nil {
		return bytes.Clone(doc), nil
	}
	keys, err := k.PublicKeys(ctx)
	if err != nil {
		return nil, err
	}
	doc, err = json.Marshal(JWKS{Keys: keys})
	if err != nil {
		return nil, fmt.Errorf("jwtsign: jwks: %w", err)
	}
	k.mu.Lock()
	k.doc = doc
	k.mu.Unlock()
	return bytes.Clone(doc), nil
}

// ParseKeyIDs splits a comma-separated list of key ids (JWT_KEY_IDS),
// trimming spaces and dropping empty and repeated entries, in order.
func ParseKeyIDs(s string) []string {
	var out []string
	seen := map[string]bool{}
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" && !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	return out
}
