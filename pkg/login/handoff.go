package login

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"time"
)

// Hand-off of API.md "Handing the session to the portal".
const (
	// IntegrationHandoff is the portalIntegration setting under which a
	// login's redirect to the portal carries a one-time hand-off code.
	IntegrationHandoff = "handoff"
	// HandoffParam is the query parameter of the portal redirect that
	// carries the hand-off code.
	HandoffParam = "pp_code"
	// HandoffTTL is how long a hand-off code may be exchanged.
	HandoffTTL = 60 * time.Second
)

var (
	// errHandoffInvalid is every failure of an exchange past its
	// authentication: unknown, used, expired, another tenant's, a wrong
	// verifier. One body for all, so that a failure tells nothing.
	errHandoffInvalid = &Error{Code: CodeLinkInvalid, Msg: "This hand-off code is not valid: it has expired, was already used or is not yours. Log in again."}
	// errHandoffAuth is an exchange that presents neither an API key nor
	// a PKCE verifier: nothing could authenticate it, nothing is spent.
	errHandoffAuth = &Error{Code: CodeUnauthorized, Msg: "Exchanging a hand-off code needs the tenant's API key (Authorization: Bearer <key>) or the PKCE codeVerifier."}
	errVerifier    = &Error{Code: CodeInvalidRequest, Msg: "codeVerifier must be 43 to 128 characters of A-Z, a-z, 0-9, -, ., _ and ~ (RFC 7636)."}
)

// addHandoff adds to r the hand-off of r's new session when t hands
// sessions to its portal by code, and returns the code ("" when t does
// not). The hand-off is stored by the login's own write.
func (s *Service) addHandoff(t Tenant, r *Redemption, challenge string) (string, error) {
	if t.Settings.PortalIntegration != IntegrationHandoff || r.Session == nil {
		return "", nil
	}
	secret, err := newSecret(s.d.Random)
	if err != nil {
		return "", internal("hand-off secret", err)
	}
	code := tokenParts{kind: kindHandoff, tenant: t.ID, secret: secret}.String()
	r.Handoff = &Handoff{
		Hash: HashToken(code), TenantID: t.ID, ContactID: r.Session.ContactID, Via: r.Session.Via,
		CodeChallenge: challenge, SessionExpiresAt: r.Session.ExpiresAt,
		CreatedAt: r.Now, ExpiresAt: r.Now.Add(HandoffTTL),
	}
	return code, nil
}

// ValidCodeVerifier reports whether v is a PKCE code verifier of RFC 7636
// section 4.1: 43 to 128 characters of A-Z, a-z, 0-9, "-", ".", "_", "~".
func ValidCodeVerifier(v string) bool {
	if len(v) < 43 || len(v) > 128 {
		return false
	}
	for i := 0; i < len(v); i++ {
		if c := v[i]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~') {
			return false
		}
	}
	return true
}

// CodeChallengeS256 returns the S256 challenge of a verifier: base64url
// without padding of its SHA-256 (RFC 7636 section 4.2).
func CodeChallengeS256(verifier string) string {
	h := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(h[:])
}

// Exchange is a portal's request to exchange a hand-off code: with the
// tenant's API key (its backend) or the PKCE verifier (a single-page
// portal), or both.
type Exchange struct {
	Code         string
	CodeVerifier string  // "" when none
	Key          *APIKey // the authenticated API key, nil when none
	Meta         Meta
}

// Exchanged is the session an exchange created, with its tenant and
// contact. Token is its only copy: it goes into the response body only.
type Exchanged struct {
	Token   string
	Session Session
	Tenant  Tenant
	Contact Contact
}

// ExchangeHandoff exchanges a hand-off code for a new session of its
// tenant and contact, with the login's via and expiry. A code whose login
// carried a PKCE challenge needs the matching verifier (with or without
// a key); one without needs the tenant's API key and no verifier (no
// downgrade). Neither key nor verifier is unauthorized and spends
// nothing; a malformed verifier is invalid_request. Every other failure
// (unknown, used, expired, another tenant's key, a wrong verifier) is the
// same link_invalid, audited as handoff.failed with its reason. The code
// is single use under any concurrency.
func (s *Service) ExchangeHandoff(ctx context.Context, in Exchange) (Exchanged, error) {
	if in.Key == nil && in.CodeVerifier == "" {
		return Exchanged{}, errHandoffAuth
	}
	if in.CodeVerifier != "" && !ValidCodeVerifier(in.CodeVerifier) {
		return Exchanged{}, errVerifier
	}
	tenantID, ok := HandoffTenant(in.Code)
	if !ok {
		return Exchanged{}, errHandoffInvalid
	}
	now := s.now()
	h, err := s.d.Handoffs.GetHandoff(ctx, HashToken(in.Code))
	if errors.Is(err, ErrNotFound) {
		// Unknown or used: audited in the tenant the code names, if any.
		if _, terr := s.Tenant(ctx, tenantID); terr == nil {
			s.handoffFailed(ctx, in, tenantID, "", "invalid")
		}
		return Exchanged{}, errHandoffInvalid
	}
	if err != nil {
		return Exchanged{}, internal("get hand-off", err)
	}
	if reason := checkHandoff(h, in, tenantID, now); reason != "" {
		s.handoffFailed(ctx, in, h.TenantID, h.ContactID, reason)
		return Exchanged{}, errHandoffInvalid
	}
	t, err := s.Tenant(ctx, h.TenantID)
	if errors.Is(err, ErrNotFound) {
		return Exchanged{}, errHandoffInvalid
	}
	if err != nil {
		return Exchanged{}, internal("tenant", err)
	}
	ns, err := s.newSession(t, h.ContactID, h.Via, now, h.SessionExpiresAt.Sub(now))
	if err != nil {
		return Exchanged{}, internal("new session", err)
	}
	auth := "apikey"
	if h.CodeChallenge != "" {
		auth = "pkce"
	}
	actor := handoffActor(in, t.ID)
	w := HandoffExchange{
		Now: now, Hash: h.Hash, Session: &ns.Session, NotBefore: h.CreatedAt,
		Events: []AuditEvent{
			s.event(EventHandoffExchanged, t.ID, h.ContactID, actor, in.Meta, map[string]string{"via": h.Via, "auth": auth}),
			s.event(EventSessionCreated, t.ID, h.ContactID, actor, in.Meta, map[string]string{"via": h.Via}),
		},
	}
	if err := s.d.Handoffs.ExchangeHandoff(ctx, w); err != nil {
		switch ErrorCode(err) {
		case CodeLinkExpired:
			s.handoffFailed(ctx, in, t.ID, h.ContactID, "expired")
			return Exchanged{}, errHandoffInvalid
		case CodeLinkInvalid:
			s.handoffFailed(ctx, in, t.ID, h.ContactID, "invalid")
			return Exchanged{}, errHandoffInvalid
		}
		return Exchanged{}, internal("exchange hand-off", err)
	}
	c, err := s.d.Contacts.GetContact(ctx, t.ID, h.ContactID)
	if err != nil {
		return Exchanged{}, internal("get contact", err)
	}
	return Exchanged{Token: ns.Token, Session: ns.Session, Tenant: t, Contact: c}, nil
}

// checkHandoff returns why a stored hand-off may not be exchanged by in,
// or "" when it may.
func checkHandoff(h Handoff, in Exchange, codeTenant string, now time.Time) string {
	switch {
	case h.TenantID != codeTenant || (in.Key != nil && in.Key.TenantID != h.TenantID):
		return "tenant"
	case !now.Before(h.ExpiresAt) || !now.Before(h.SessionExpiresAt):
		return "expired"
	case h.CodeChallenge == "" && in.CodeVerifier != "":
		// A verifier for a code without a challenge: a PKCE downgrade.
		return "verifier"
	case h.CodeChallenge == "" && in.Key == nil:
		return "key_required"
	case h.CodeChallenge != "" && in.CodeVerifier == "":
		return "verifier_required"
	case h.CodeChallenge != "" && subtle.ConstantTimeCompare([]byte(CodeChallengeS256(in.CodeVerifier)), []byte(h.CodeChallenge)) != 1:
		return "verifier"
	}
	return ""
}

// handoffActor is who exchanges, as the tenant's audit log shows it: its
// own API key, else the public caller (a single-page portal, or a caller
// whose key is another tenant's, which this tenant may not learn).
func handoffActor(in Exchange, tenantID string) string {
	if in.Key != nil && in.Key.TenantID == tenantID {
		return in.Key.Actor()
	}
	return "customer"
}

// handoffFailed audits a failed exchange: its reason, never the code.
func (s *Service) handoffFailed(ctx context.Context, in Exchange, tenantID, contactID, reason string) {
	s.record(ctx, s.event(EventHandoffFailed, tenantID, contactID, handoffActor(in, tenantID), in.Meta, map[string]string{"reason": reason}))
}
