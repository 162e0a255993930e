package login

import (
	"crypto/sha256"
	"encoding/base64"
	"time"
)

// IdentHash returns how keys and tokens name an identifier: base64url
// (no padding) of the SHA-256 of its key ("email:ana@example.com"), so
// that no plaintext address is a key or travels in a link. Stores key an
// identifier's items by it.
func IdentHash(identKey string) string {
	h := sha256.Sum256([]byte(identKey))
	return base64.RawURLEncoding.EncodeToString(h[:])
}

// Tenant is a business that runs a customer portal on portalpass.
type Tenant struct {
	ID        string
	Name      string
	Settings  Settings
	Version   int64 // bumped by every settings write; writes that depend on settings condition on it
	CreatedAt time.Time
}

// Settings are a tenant's settings (API.md "Tenant settings").
type Settings struct {
	PortalURL         string
	LinkTTL           time.Duration
	InviteTTL         time.Duration
	RecoveryTTL       time.Duration
	SessionTTL        time.Duration
	CodeLength        int
	CodeAlsoBySMS     bool
	SMSLogin          bool
	SenderName        string // "" means the tenant's name
	PortalIntegration string // "cookie" or "handoff"
	CookieDomain      string
	// SMSCountries narrows the stack's SMS countries (Deps.SMSCountries)
	// for this tenant: ISO 3166 alpha-2 codes, upper-case, joined by
	// commas ("US,CA"; a string keeps Settings comparable); "" means the
	// stack's list.
	SMSCountries string
	// SMSPerHour is the most SMS the tenant sends in an hour (0-100000).
	SMSPerHour int
	// SMSLink: a login SMS also carries a short magic link (two
	// segments); false: the code only, in one segment.
	SMSLink bool
	// Locales are the languages the tenant offers, its default first
	// (Locales), joined by commas ("es,en"; a string keeps Settings
	// comparable); "" means ["en"]. LocaleList reads it.
	Locales string
	// BrandColor is the colour of the tenant's buttons and links,
	// "#RRGGBB" lower-case; "" means DefaultBrandColor.
	BrandColor string
	// SupportEmail and SupportURL name the tenant's support contact on
	// error pages and in emails; "" when none.
	SupportEmail string
	SupportURL   string
	// Logo names the uploaded logo: the first 16 hex digits of its
	// SHA-256 and its extension ("3f2a...9c.png"), "" when none. Only the
	// name lives on the tenant (read by every login); the bytes live in an
	// item of their own (TenantStore.GetLogo).
	Logo string
}

// DefaultBrandColor is the brandColor setting's default.
const DefaultBrandColor = "#2d5bd7"

// Color returns the tenant's brand colour, the default when none is set.
func (s Settings) Color() string {
	if s.BrandColor == "" {
		return DefaultBrandColor
	}
	return s.BrandColor
}

// DefaultSMSPerHour is the smsPerHour setting's default.
const DefaultSMSPerHour = 200

// DefaultSettings returns API.md's defaults for a tenant with that portal URL.
func DefaultSettings(portalURL string) Settings {
	return Settings{
		PortalURL:         portalURL,
		LinkTTL:           10 * time.Minute,
		InviteTTL:         7 * 24 * time.Hour,
		RecoveryTTL:       24 * time.Hour,
		SessionTTL:        30 * 24 * time.Hour,
		CodeLength:        6,
		CodeAlsoBySMS:     true,
		SMSLogin:          true,
		PortalIntegration: "cookie",
		SMSPerHour:        DefaultSMSPerHour,
		SMSLink:           true,
	}
}

// Access is a contact's portal access as stored.
type Access string

// Portal access states of API.md.
const (
	AccessNone     Access = "none"
	AccessInvited  Access = "invited"
	AccessActive   Access = "active"
	AccessDisabled Access = "disabled"
)

// CanLogIn reports whether a contact with this stored access may log in.
func (a Access) CanLogIn() bool { return a == AccessInvited || a == AccessActive }

// Contact is a customer of one tenant.
type Contact struct {
	TenantID string
	ID       string
	Email    string // normalised, "" when none
	Phone    string // E.164, "" when none
	Name     string
	// Locale is the language of the messages an admin sends the
	// contact, one of the tenant's locales; "" for the tenant's default.
	Locale    string
	Access    Access
	CreatedAt time.Time
	UpdatedAt time.Time
	// LastLoginAt is set by every login. An invited contact who has logged
	// in is active: a redeem sets only this, in the same single write.
	LastLoginAt time.Time
	// SessionsNotBefore revokes every session created before it.
	SessionsNotBefore time.Time
	// Login is the current login attempt (request-login, login email,
	// admin login link); Link the outstanding invite or recovery link.
	Login *Slot
	Link  *Slot
	// EmailStatus is the delivery status of the contact's email address,
	// which belongs to the address, not the contact: the stores never keep
	// it on the contact, and Service.GetContact fills it in ("" is ok).
	EmailStatus EmailStatus
	// Version changes with every write to the contact, the store's own
	// (slot writes, redeems, code failures, revocations) included, so that
	// an update from an older read fails as stale instead of undoing them.
	Version int64
}

// PortalAccess is the access API.md shows: invited becomes active at the first login.
func (c Contact) PortalAccess() Access {
	if c.Access == AccessInvited && !c.LastLoginAt.IsZero() {
		return AccessActive
	}
	if c.Access == "" {
		return AccessNone
	}
	return c.Access
}

// Slot is one outstanding one-time link (and code) of a contact. Only
// hashes are stored; the redirect and purpose travel inside the token and
// are bound to it by TokenHash.
type Slot struct {
	TokenHash []byte
	CodeHash  []byte // nil for a link without a code
	CodeSalt  []byte
	TriesLeft int
	ExpiresAt time.Time
	// Multi marks a slot that mirrors a several-tenant attempt: the
	// MultiAttempt of the identifier is the truth, the slot only replaces
	// any older attempt and lets the code path see the tenant.
	Multi bool
	// RequestHash is the hash of the login-request cookie that asked for
	// it, so the redeem page may continue by itself in that browser.
	RequestHash []byte
	// CodeChallenge is a PKCE S256 challenge bound to the attempt (hand-off).
	CodeChallenge string
	// Redirect is the portal path of the attempt, for the code path (the
	// link carries its own, bound by TokenHash).
	Redirect string
	// ConsumedBy marks a login attempt whose link was redeemed: the hash
	// of the session that redeem created. The slot is used (Live is
	// false) but kept until it expires, because mail scanners press
	// buttons: the browser holding the request cookie (RequestHash) may
	// still finish once (the scanner exception, Redemption.ExceptionEvents),
	// which ends that session.
	ConsumedBy []byte
	// ConsumedRequest is the hash of the login-request cookie the
	// consuming browser carried, if any: that browser got its login and
	// takes no exception.
	ConsumedRequest []byte
	// ExceptionUsed marks the exception taken: the slot is spent for good.
	ExceptionUsed bool
}

// Live reports whether the slot has not expired at now and was not
// consumed. DynamoDB's TTL deletes items days late: expiry is always
// checked in code.
func (s *Slot) Live(now time.Time) bool {
	return s != nil && s.ConsumedBy == nil && now.Before(s.ExpiresAt)
}

// Consumed reports whether the slot's link was redeemed (see ConsumedBy).
func (s *Slot) Consumed() bool { return s != nil && s.ConsumedBy != nil }

// ExceptionFor reports whether a browser carrying the login-request
// cookie whose hash is requestHash may still finish the login of this
// consumed attempt at now: the attempt's own request cookie, a browser
// other than the one that consumed it, the exception unused, not expired.
func (s *Slot) ExceptionFor(requestHash []byte, now time.Time) bool {
	return s.Consumed() && scannerException(s.RequestHash, s.ConsumedRequest, requestHash, s.ExceptionUsed, s.ExpiresAt, now)
}

// scannerException is the rule of Slot.ExceptionFor and MultiAttempt.ExceptionFor.
func scannerException(own, consumer, browser []byte, used bool, exp, now time.Time) bool {
	return !used && now.Before(exp) && hashesEqual(own, browser) && !hashesEqual(consumer, browser)
}

// IdentityMatch is a contact found by an identifier in one tenant, with
// the copy of what the code path needs.
type IdentityMatch struct {
	TenantID  string
	ContactID string
	Access    Access
	Email     string
	Phone     string
	Name      string
	// Login mirrors the contact's login slot as written by the request
	// that used this identifier; the contact item stays the truth.
	Login *Slot
	// Counters are the identifier's counters this item hosts
	// (Counter.Host), by key.
	Counters map[string]int
}

// MultiAttempt is a login attempt across several tenants, keyed by the
// identifier that asked for it.
type MultiAttempt struct {
	IdentKey  string
	TokenHash []byte
	CodeHash  []byte
	CodeSalt  []byte
	TriesLeft int
	ExpiresAt time.Time
	Targets   []Target
	// RequestHash, CodeChallenge and Redirect as in Slot.
	RequestHash   []byte
	CodeChallenge string
	Redirect      string
	// ConsumedBy, ConsumedRequest and ExceptionUsed as in Slot, but
	// ConsumedBy is the hash of the picker the consuming browser got.
	ConsumedBy      []byte
	ConsumedRequest []byte
	ExceptionUsed   bool
}

// Live reports whether the attempt has not expired at now and was not consumed.
func (m *MultiAttempt) Live(now time.Time) bool {
	return m != nil && m.ConsumedBy == nil && now.Before(m.ExpiresAt)
}

// ExceptionFor is Slot.ExceptionFor for a several-tenant attempt.
func (m *MultiAttempt) ExceptionFor(requestHash []byte, now time.Time) bool {
	return m != nil && m.ConsumedBy != nil && scannerException(m.RequestHash, m.ConsumedRequest, requestHash, m.ExceptionUsed, m.ExpiresAt, now)
}

// Target is one tenant and contact a several-tenant attempt may open.
type Target struct {
	TenantID  string
	ContactID string
}

// IdentityRecord is what one consistent read of an identifier finds:
// its contacts in every tenant, its several-tenant attempt and counters.
type IdentityRecord struct {
	Key     string // "email:ana@example.com" or "phone:+14155550123"
	Matches []IdentityMatch
	Multi   *MultiAttempt
	// EmailStatus is the delivery status of an email address ("" is ok).
	EmailStatus EmailStatus
	// Counters are this identifier's rate counters by their key, of any
	// window, kept in items of their own; Count adds the hosted ones.
	Counters map[string]int
}

// Count is the identifier's count of key, wherever it is kept.
func (r IdentityRecord) Count(key string) int {
	n := r.Counters[key]
	for _, m := range r.Matches {
		n += m.Counters[key]
	}
	return n
}

// Session is a logged-in contact of one tenant. The token names tenant
// and contact beside its secret; only the hash of the token is stored.
type Session struct {
	TenantID  string
	ContactID string
	Hash      []byte
	Via       string // link, code, invite, recovery, action_link
	CreatedAt time.Time
	ExpiresAt time.Time
}

// Picker is a short-lived tenant-picker session after a login that
// matched several tenants.
type Picker struct {
	Hash      []byte
	Targets   []Target
	Via       string
	Redirect  string
	CreatedAt time.Time
	ExpiresAt time.Time
	// CodeChallenge carries the attempt's PKCE challenge to the session.
	CodeChallenge string
	// Attempt is the IdentHash of the kept several-tenant attempt the
	// picker came from ("" for none): a pick records the session it gave
	// there, for the scanner exception to end (Redemption.PickedEvents).
	Attempt string
}

// APIKey is a tenant's admin key, stored by the hash of the key.
type APIKey struct {
	Hash       []byte
	ID         string // public, shown in audit actors ("apikey:<id>")
	TenantID   string
	Name       string
	CreatedAt  time.Time
	LastUsedAt time.Time
	Revoked    bool
	// Subject is set instead of a key for a dashboard user whose JWT API
	// Gateway verified: the audit log names them.
	Subject string
}

// AuditEvent is one entry of a tenant's audit log. It never holds a
// token, code or session id.
type AuditEvent struct {
	ID        string
	TenantID  string
	At        time.Time
	Type      EventType
	ContactID string
	Actor     string // customer, apikey:<id>, system
	Channel   string
	IP        string
	UserAgent string
	Detail    map[string]string
	ExpiresAt time.Time
}

// Counter is a rate-limit counter that a write bumps atomically. Key
// names scope and window (core-computed); Subject is the identifier key
// (stored beside that identifier) or another scope such as "ip:1.2.3.4".
type Counter struct {
	Subject   string
	Key       string
	Limit     int // the write fails with a rate_limited Error when the count has reached it; 0 means count only
	ExpiresAt time.Time
	// Host, for an identifier's counter, keeps it on the identifier's
	// item in that tenant (IdentityMatch.Counters) instead of an item of
	// its own: an identifier known in one tenant, the common case, then
	// costs a login request one item write fewer. A hosted counter is
	// optimistic: the write holds only while the host still counts Seen
	// (else ErrStale), and it replaces the host's counters, dropping other
	// windows; its Limit is the caller's to check against what it read.
	// Only SaveAttempt takes hosted counters.
	Host string
	Seen int
}
