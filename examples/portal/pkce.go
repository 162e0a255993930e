package main

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
)

// NewCodeVerifier returns a fresh PKCE code verifier (RFC 7636 section 4.1):
// 32 random bytes in base64url, 43 characters of the unreserved set.
func NewCodeVerifier() string {
	var b [32]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// CodeChallenge returns the S256 code challenge of a verifier:
// base64url(SHA-256(verifier)) without padding.
func CodeChallenge(verifier string) string {
	h := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(h[:])
}
