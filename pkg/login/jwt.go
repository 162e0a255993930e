package login

import (
	"context"
	"encoding/base64"
	"errors"
	"time"
)

// SessionTokenTTL is the longest lifetime of a session JWT (API.md
// "Handing the session to the portal").
const SessionTokenTTL = 5 * time.Minute

// Signer signs session JWTs with ES256 and publishes the keys that verify
// them. pkg/jwtsign's Keys implements it.
type Signer interface {
	// SignJWT returns a compact JWT of claims (marshalled as JSON),
	// signed ES256 by the current key, its header naming that key's kid.
	SignJWT(ctx context.Context, claims any) (string, error)
	// JWKS returns the JSON Web Key Set document (RFC 7517) of every key
	// whose tokens may still be live: the one that signs and those that
	// signed before it or will after it.
	JWKS(ctx context.Context) ([]byte, error)
}

// SessionClaims are the claims of a session JWT.
type SessionClaims struct {
	Issuer    string `json:"iss"` // the API's BaseURL
	Audience  string `json:"aud"` // the tenant id
	Subject   string `json:"sub"` // the contact id
	SessionID string `json:"sid"` // SessionID of the session: not a secret
	Via       string `json:"via"`
	IssuedAt  int64  `json:"iat"`
	ExpiresAt int64  `json:"exp"`
}

// SessionID names a session without revealing it: base64url of the
// first 16 bytes of its stored hash (the SHA-256 of its token), from
// which neither the token nor the stored key can be recovered.
func SessionID(hash []byte) string {
	return base64.RawURLEncoding.EncodeToString(hash[:min(len(hash), 16)])
}

var errNoSigner = errors.New("no JWT signing key is configured")

// SessionToken checks a session exactly as Session does (one consistent
// read) and mints a JWT asserting it: at most SessionTokenTTL long and
// never past the session's own expiry. It returns the JWT and its expiry.
func (s *Service) SessionToken(ctx context.Context, sessionToken string) (string, time.Time, error) {
	v, err := s.Session(ctx, sessionToken)
	if err != nil {
		return "", time.Time{}, err
	}
	if s.d.Signer == nil {
		return "", time.Time{}, internal("session token", errNoSigner)
	}
	now := s.now()
	exp := now.Add(SessionTokenTTL)
	if v.Session.ExpiresAt.Before(exp) {
		exp = v.Session.ExpiresAt
	}
	// Whole seconds, rounded down: exp is never past the session's end.
	iat, expUnix := now.Unix(), exp.Unix()
	if expUnix <= iat {
		return "", time.Time{}, ErrNoSession // ends within the second
	}
	jwt, err := s.d.Signer.SignJWT(ctx, SessionClaims{
		Issuer: s.d.BaseURL, Audience: v.Tenant.ID, Subject: v.Contact.ID,
		SessionID: SessionID(v.Session.Hash), Via: v.Session.Via,
		IssuedAt: iat, ExpiresAt: expUnix,
	})
	if err != nil {
		return "", time.Time{}, internal("sign session token", err)
	}
	return jwt, time.Unix(expUnix, 0).UTC(), nil
}

// JWKS returns the JSON Web Key Set that verifies session JWTs; an
// empty set when no signer is configured.
func (s *Service) JWKS(ctx context.Context) ([]byte, error) {
	if s.d.Signer == nil {
		return []byte(`{"keys":[]}`), nil
	}
	b, err := s.d.Signer.JWKS(ctx)
	if err != nil {
		return nil, internal("jwks", err)
	}
	return b, nil
}
