package login

import (
	"context"
	"time"
)

// SlotKind names one of a contact's two one-time slots.
type SlotKind string

// The slots of a contact.
const (
	// SlotLogin holds the current login attempt; a new login request replaces it.
	SlotLogin SlotKind = "login"
	// SlotLink holds the outstanding invite or recovery link.
	SlotLink SlotKind = "link"
)

// Store persists tenants, contacts, attempts, sessions and audit events.
// Every method scopes tenant data by its tenant. Each write method is one
// atomic write: all of it happens or none of it. Expiry is checked against
// the time the caller passes, never left to TTL.
type Store interface {
	// CreateTenant stores a new tenant; ErrConflict when the id is taken.
	CreateTenant(ctx context.Context, t Tenant) error
	// GetTenant returns a tenant or ErrNotFound.
	GetTenant(ctx context.Context, id string) (Tenant, error)
	// UpdateTenant stores t if the stored version is still prev; else ErrStale.
	UpdateTenant(ctx context.Context, t Tenant, prev int64) error
	// ListTenants returns every tenant (operator tooling; small).
	ListTenants(ctx context.Context) ([]Tenant, error)

	// PutAPIKey stores a new key (its hash); ErrConflict when the hash exists.
	PutAPIKey(ctx context.Context, k APIKey) error
	// GetAPIKey returns the key with that hash or ErrNotFound.
	GetAPIKey(ctx context.Context, hash []byte) (APIKey, error)

	// CreateContact stores a new contact (with any slots it holds) and its
	// identifier items; ErrConflict when its email or phone is already a
	// contact's in that tenant, or its id exists.
	CreateContact(ctx context.Context, c Contact, events []AuditEvent) error
	// GetContact returns a contact of the tenant or ErrNotFound.
	GetContact(ctx context.Context, tenantID, id string) (Contact, error)
	// UpdateContact replaces old with c (same tenant and id) if the stored
	// version is still old.Version (else ErrStale), moving its identifier
	// items when email or phone change (ErrConflict when taken). c.Version
	// is the new version. The identifier items take c's fields; their
	// login mirror is cleared when c.Login is nil.
	UpdateContact(ctx context.Context, old, c Contact, events []AuditEvent) error

	// FindIdentity reads, consistently and at once, an identifier's
	// contacts in every tenant, its several-tenant attempt and counters.
	// An unknown identifier is an empty record, not an error.
	FindIdentity(ctx context.Context, identKey string) (IdentityRecord, error)

	// SaveAttempt writes login attempts in one atomic write.
	SaveAttempt(ctx context.Context, w AttemptWrite) error
	// Redeem consumes one slot, several-tenant attempt or picker and
	// creates a session or a picker, in one atomic write. It succeeds at
	// most once per token; otherwise ErrLinkInvalid or ErrLinkExpired.
	Redeem(ctx context.Context, r Redemption) error
	// RecordCodeFailure counts a wrong code in one atomic write: it spends
	// one try of the slot or attempt and bumps the counters. When the slot
	// or attempt is gone or has no try left it returns ErrLinkInvalid and
	// writes nothing.
	RecordCodeFailure(ctx context.Context, f CodeFailure) error
	// GetMulti returns the several-tenant attempt of the identifier whose
	// IdentHash is identHash, or ErrNotFound.
	GetMulti(ctx context.Context, identHash string) (MultiAttempt, error)
	// GetPicker returns the picker with that hash or ErrNotFound.
	GetPicker(ctx context.Context, hash []byte) (Picker, error)

	// GetSession reads a session and its contact in one consistent read;
	// ErrNotFound when either is missing. Expiry and revocation are the
	// caller's to check.
	GetSession(ctx context.Context, tenantID, contactID string, hash []byte) (Session, Contact, error)
	// DeleteSession ends one session (no error when it is already gone).
	DeleteSession(ctx context.Context, tenantID, contactID string, hash []byte, events []AuditEvent) error
	// RevokeSessions ends every session of a contact: it sets the
	// contact's SessionsNotBefore to now and deletes its sessions,
	// returning how many were live at now.
	RevokeSessions(ctx context.Context, tenantID, contactID string, now time.Time, events []AuditEvent) (int, error)

	// RecordEvents appends audit events on their own.
	RecordEvents(ctx context.Context, events []AuditEvent) error

	AdminStore
	HandoffStore
}

// AttemptWrite is what a login request writes.
type AttemptWrite struct {
	Now time.Time
	// Counters are bumped first; one at its limit fails the whole write
	// with a rate_limited *Error whose RetryAfter runs to its expiry.
	Counters []Counter
	// Versions are the tenant settings versions the attempt was built on;
	// a changed one fails the write with ErrStale.
	Versions map[string]int64
	// Slots set contact slots. Each write requires the contact to exist
	// with access that can log in (else ErrStale).
	Slots []SlotWrite
	// Multi sets its identifier's several-tenant attempt; DropMulti
	// deletes the identifier's previous one (a new request replaces it).
	Multi     *MultiAttempt
	DropMulti string
	Events    []AuditEvent
}

// SlotWrite sets one slot of a contact.
type SlotWrite struct {
	TenantID  string
	ContactID string
	Which     SlotKind
	Slot      Slot
	// IdentKey, when set, also mirrors the slot (SlotLogin only) into that
	// identifier's item for the contact, for the code path.
	IdentKey string
}

// SlotRef names a slot holding a token hash.
type SlotRef struct {
	TenantID  string
	ContactID string
	Which     SlotKind
	TokenHash []byte
	// IdentKey, when set, is the identifier whose mirror is consumed too.
	IdentKey string
	// NeedTries requires a try left (the code path).
	NeedTries bool
}

// MultiRef names an identifier's several-tenant attempt by its token
// hash. A token carries IdentHash, never the identifier itself.
type MultiRef struct {
	IdentHash string // IdentHash of the identifier key
	TokenHash []byte
	NeedTries bool
}

// Redemption is one login: what it consumes and what it creates.
type Redemption struct {
	Now time.Time
	// Exactly one of Slot, Multi and Picker is consumed, or Action is
	// used (it stays valid).
	Slot   *SlotRef
	Multi  *MultiRef
	Picker []byte // hash of a picker
	Action *ActionRef
	// Exactly one of Session and NewPicker is created. A Session also
	// marks its contact logged in: LastLoginAt = Now and both slots
	// cleared (a login ends every other one-time link), requiring the
	// contact to exist with access that can log in.
	Session   *Session
	NewPicker *Picker
	// KeepSlots leaves the contact's slots and LastLoginAt alone (an
	// action link's narrow session is not a login).
	KeepSlots bool
	// NotBefore, when set, requires the contact's SessionsNotBefore to be
	// at or before it: a link made before a revocation is dead.
	NotBefore time.Time
	// EndSession is the hash of a session the browser held, deleted too.
	EndSession *SessionRef
	// Handoff, only with a Session, is stored too (a new item: the
	// tenant hands the session to its portal by a one-time code).
	Handoff *Handoff
	Events  []AuditEvent
}

// SessionRef names a stored session.
type SessionRef struct {
	TenantID  string
	ContactID string
	Hash      []byte
}

// CodeFailure records one wrong code.
type CodeFailure struct {
	Now time.Time
	// One of Slot and Multi spends a try (Slot's IdentKey mirror too).
	Slot     *SlotRef
	Multi    *MultiRef
	Counters []Counter
	Events   []AuditEvent
}

// Channel is how a message travels.
type Channel string

// Channels.
const (
	ChannelEmail Channel = "email"
	ChannelSMS   Channel = "sms"
)

// MessageKind says why a message is sent.
type MessageKind string

// Message kinds.
const (
	KindLogin    MessageKind = "login"
	KindInvite   MessageKind = "invite"
	KindRecovery MessageKind = "recovery"
)

// Message is one email or SMS to a contact. Senders render it; it holds
// the link and code only on its way to the provider.
type Message struct {
	Channel    Channel
	To         string // email address or E.164 phone
	Kind       MessageKind
	TenantName string
	SenderName string // email display name
	Link       string // "" for an SMS that carries only the code
	Code       string // "" when the message has no code
	TTL        time.Duration
}

// Sender delivers messages of one channel. It returns only after the
// provider accepted the message: on Lambda nothing runs after the response.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// Clock tells the time.
type Clock interface {
	Now() time.Time
}

// SystemClock is the real clock.
type SystemClock struct{}

// Now returns the current time in UTC.
func (SystemClock) Now() time.Time { return time.Now().UTC() }
