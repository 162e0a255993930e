package login

import (
	"context"
	"time"
)

// HandoffStore keeps the one-time codes that hand a session to a portal
// on another domain (API.md "Handing the session to the portal"). A hand-off
// is written by Redeem, in the login's own write (Redemption.Handoff).
type HandoffStore interface {
	// GetHandoff returns the hand-off whose code has that hash, read
	// consistently, or ErrNotFound. Expiry is the caller's to check.
	GetHandoff(ctx context.Context, hash []byte) (Handoff, error)
	// ExchangeHandoff consumes a hand-off and creates a session in one
	// atomic write. The hand-off must exist with w.Hash, belong to the
	// session's tenant and contact and not have expired at w.Now (else
	// ErrLinkInvalid, or ErrLinkExpired when only the time is up); the
	// contact must exist with access that can log in and a
	// SessionsNotBefore not after w.NotBefore (else ErrLinkInvalid). It
	// succeeds at most once per hand-off; a failure writes nothing.
	ExchangeHandoff(ctx context.Context, w HandoffExchange) error
}

// Handoff is a one-time code that hands a login's session to the
// tenant's portal: the portal exchanges it for a session of its own.
// Only the SHA-256 of the code is stored.
type Handoff struct {
	Hash      []byte // SHA-256 of the code
	TenantID  string
	ContactID string
	// Via is how the login began; the exchanged session says the same.
	Via string
	// CodeChallenge is the PKCE S256 challenge of the login attempt, ""
	// when it had none (then the exchange needs the tenant's API key).
	CodeChallenge string
	// SessionExpiresAt is when the login's session ends; the exchanged
	// session ends then too.
	SessionExpiresAt time.Time
	CreatedAt        time.Time
	ExpiresAt        time.Time // CreatedAt + HandoffTTL
}

// HandoffExchange is what an exchange writes: it consumes the hand-off
// with Hash and creates Session, with Events.
type HandoffExchange struct {
	Now     time.Time
	Hash    []byte
	Session *Session
	// NotBefore is the hand-off's CreatedAt: a revocation of the
	// contact's sessions after the login kills its hand-off too.
	NotBefore time.Time
	Events    []AuditEvent
}
