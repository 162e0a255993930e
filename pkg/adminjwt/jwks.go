package adminjwt

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
)

// maxJWKS bounds the key set read from the issuer: a real one is a few KiB.
const maxJWKS = 1 << 20

// minRSABits is the smallest RSA modulus accepted (RFC 7518 §3.3).
const minRSABits = 2048

// jwk is the part of a JSON Web Key (RFC 7517, RFC 7518 §6) a verifier
// reads.
type jwk struct {
	Kty string `json:"kty"`
	Kid string `json:"kid"`
	Use string `json:"use"`
	Alg string `json:"alg"`
	N   string `json:"n"`
	E   string `json:"e"`
	Crv string `json:"crv"`
	X   string `json:"x"`
	Y   string `json:"y"`
}

// key is a verification key and the one algorithm it verifies.
type key struct {
	alg string // "RS256" or "ES256"
	pub crypto.PublicKey
}

// fetchKeys reads the key set at url: the signing keys it can use, by
// kid. Keys of other types, sizes or uses, and keys without a kid, are
// skipped rather than failing the set: an issuer may list encryption keys
// or algorithms this verifier does not take beside the ones it signs with.
func fetchKeys(ctx context.Context, client *http.Client, url string) (map[string]key, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("adminjwt: key set request: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("adminjwt: fetch key set: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("adminjwt: fetch key set: status %d", resp.StatusCode)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxJWKS+1))
	if err != nil {
		return nil, fmt.Errorf("adminjwt: read key set: %w", err)
	}
	if len(body) > maxJWKS {
		return nil, errors.New("adminjwt: key set larger than 1 MiB")
	}
	return parseKeys(body)
}

// parseKeys reads a JWKS document.
func parseKeys(body []byte) (map[string]key, error) {
	var set struct {
		Keys []jwk `json:"keys"`
	}
	if err := json.Unmarshal(body, &set); err != nil {
		return nil, fmt.Errorf("adminjwt: key set: %w", err)
	}
	keys := map[string]key{}
	for _, k := range set.Keys {
		if k.Kid == "" || (k.Use != "" && k.Use != "sig") {
			continue
		}
		if p, err := k.key(); err == nil {
			keys[k.Kid] = p
		}
	}
	if len(keys) == 0 {
		return nil, errors.New("adminjwt: key set holds no RS256 or ES256 signing key")
	}
	return keys, nil
}

// key returns the verification key k describes.
func (k jwk) key() (key, error) {
	switch {
	case k.Kty == "RSA" && (k.Alg == "" || k.Alg == "RS256"):
		n, errN := b64.DecodeString(k.N)
		e, errE := b64.DecodeString(k.E)
		if errN != nil || errE != nil || len(e) == 0 || len(e) > 4 {
			return key{}, errors.New("malformed RSA key")
		}
		pub := &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
		if pub.N.BitLen() < minRSABits || pub.E < 3 || pub.E%2 == 0 {
			return key{}, errors.New("weak RSA key")
		}
		return key{alg: "RS256", pub: pub}, nil
	case k.Kty == "EC" && k.Crv == "P-256" && (k.Alg == "" || k.Alg == "ES256"):
		x, errX := b64.DecodeString(k.X)
		y, errY := b64.DecodeString(k.Y)
		if errX != nil || errY != nil || len(x) != 32 || len(y) != 32 {
			return key{}, errors.New("malformed EC key")
		}
		pub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), append(append([]byte{4}, x...), y...))
		if err != nil {
			return key{}, err
		}
		return key{alg: "ES256", pub: pub}, nil
	}
	return key{}, errors.New("unsupported key")
}
