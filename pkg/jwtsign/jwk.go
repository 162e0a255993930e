package jwtsign

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
)

// JWK is the public JSON Web Key (RFC 7517, RFC 7518 §6.2) of a P-256
// signing key, as listed in a JWKS.
type JWK struct {
	Kty string `json:"kty"` // "EC"
	Crv string `json:"crv"` // "P-256"
	X   string `json:"x"`   // base64url, 32 bytes
	Y   string `json:"y"`   // base64url, 32 bytes
	Kid string `json:"kid"` // RFC 7638 thumbprint
	Alg string `json:"alg"` // "ES256"
	Use string `json:"use"` // "sig"
}

// JWKS is a JSON Web Key Set.
type JWKS struct {
	Keys []JWK `json:"keys"`
}

var b64 = base64.RawURLEncoding

// coordinates returns the base64url x and y of a P-256 public key.
func coordinates(pub *ecdsa.PublicKey) (x, y string, err error) {
	if pub == nil || pub.Curve != elliptic.P256() {
		return "", "", errors.New("jwtsign: not a P-256 public key")
	}
	p, err := pub.Bytes() // 0x04 || X || Y
	if err != nil || len(p) != 65 {
		return "", "", fmt.Errorf("jwtsign: invalid P-256 public key: %w", err)
	}
	return b64.EncodeToString(p[1:33]), b64.EncodeToString(p[33:]), nil
}

// Thumbprint returns the RFC 7638 JWK thumbprint of a P-256 public key:
// base64url (no padding) of the SHA-256 of its required members in
// lexicographic order, {"crv":"P-256","kty":"EC","x":…,"y":…}.
func Thumbprint(pub *ecdsa.PublicKey) (string, error) {
	x, y, err := coordinates(pub)
	if err != nil {
		return "", err
	}
	// x and y are base64url: nothing in them needs JSON escaping.
	h := sha256.Sum256([]byte(`{"crv":"P-256","kty":"EC","x":"` + x + `","y":"` + y + `"}`))
	return b64.EncodeToString(h[:]), nil
}

// NewJWK returns the public JWK of a P-256 key for ES256 signatures, its
// kid the key's thumbprint.
func NewJWK(pub *ecdsa.PublicKey) (JWK, error) {
	x, y, err := coordinates(pub)
	if err != nil {
		return JWK{}, err
	}
	kid, err := Thumbprint(pub)
	if err != nil {
		return JWK{}, err
	}
	return JWK{Kty: "EC", Crv: "P-256", X: x, Y: y, Kid: kid, Alg: "ES256", Use: "sig"}, nil
}

// PublicKey returns the key a JWK describes, checking that it is a P-256
// point (a verifier's side; tests use it).
func (k JWK) PublicKey() (*ecdsa.PublicKey, error) {
	if k.Kty != "EC" || k.Crv != "P-256" {
		return nil, errors.New("jwtsign: not a P-256 JWK")
	}
	x, errX := b64.DecodeString(k.X)
	y, errY := b64.DecodeString(k.Y)
	if errX != nil || errY != nil || len(x) != 32 || len(y) != 32 {
		return nil, errors.New("jwtsign: malformed JWK coordinates")
	}
	pub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), append(append([]byte{4}, x...), y...))
	if err != nil {
		return nil, fmt.Errorf("jwtsign: JWK: %w", err)
	}
	return pub, nil
}
