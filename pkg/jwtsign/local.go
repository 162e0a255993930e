package jwtsign

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
)

// LocalSigner signs with a P-256 private key held in memory: the dev
// server, which makes a new key at every start, and tests.
type LocalSigner struct {
	key *ecdsa.PrivateKey
}

var _ Signer = (*LocalSigner)(nil)

// NewLocalSigner returns a signer over a P-256 private key.
func NewLocalSigner(key *ecdsa.PrivateKey) (*LocalSigner, error) {
	if key == nil || key.Curve != elliptic.P256() {
		return nil, errors.New("jwtsign: local key must be a P-256 private key")
	}
	return &LocalSigner{key: key}, nil
}

// GenerateLocalSigner returns a signer over a new random P-256 key.
func GenerateLocalSigner() (*LocalSigner, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("jwtsign: generate key: %w", err)
	}
	return &LocalSigner{key: key}, nil
}

// PublicKey returns the public half of the key.
func (l *LocalSigner) PublicKey(context.Context) (*ecdsa.PublicKey, error) {
	return &l.key.PublicKey, nil
}

// Sign returns the raw ES256 signature of signingInput.
func (l *LocalSigner) Sign(_ context.Context, signingInput []byte) ([]byte, error) {
	digest := sha256.Sum256(signingInput)
	der, err := ecdsa.SignASN1(rand.Reader, l.key, digest[:])
	if err != nil {
		return nil, fmt.Errorf("jwtsign: local sign: %w", err)
	}
	return DERToRaw(der)
}
