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

// Store is every role of storage at once: what the two stores
// (pkg/store/dynamo, pkg/store/memstore) implement and the contract suite
// (logintest.TestStore) checks. The core never asks for all of it: each
// flow uses the roles it calls, and a function wires only those (Deps).
//
// Every method scopes tenant data by its tenant. Each write method is one
// atomic write: all of it happens or none of it. Expiry is checked against
// the time the caller passes, never left to TTL.
type Store interface {
	TenantStore
	APIKeyStore
	ContactStore
	AttemptStore
	SessionStore
	AuditStore
	ActionLinkStore
	HandoffStore
	DeliveryStore
}

// TenantStore keeps tenants and their settings.
type TenantStore interface {
	// CreateTenant stores a new tenant; ErrConflict when the id is taken.
	CreateTenant(ctx context.Context, t Tenant) error
	// GetTenant returns a tenant or ErrNotFound.
	GetTenant(ctx context.Context, id string) (Tenant, error)
	// UpdateTenant stores t if the stored version is still prev; else ErrStale.
	UpdateTenant(ctx context.Context, t Tenant, prev int64) error
	// ListTenants returns every tenant (operator tooling; small).
	ListTenants(ctx context.Context) ([]Tenant, error)
	// PutLogo makes logo the tenant's logo if the tenant's stored version
	// is still prev, in one atomic write: the logo's own item (keyed by
	// the tenant and logo.Name), the tenant's Settings.Logo = logo.Name
	// and Version = prev+1, and the item of the logo it replaces (old,
	// "" for none) deleted. ErrStale when the version moved or there is
	// no such tenant.
	PutLogo(ctx context.Context, tenantID string, logo Logo, old string, prev int64) error
	// DeleteLogo removes the tenant's logo old as PutLogo replaces it:
	// its item deleted, Settings.Logo = "" and Version = prev+1, if the
	// stored version is still prev; else ErrStale.
	DeleteLogo(ctx context.Context, tenantID, old string, prev int64) error
	// GetLogo returns the tenant's logo of that name or ErrNotFound.
	GetLogo(ctx context.Context, tenantID, name string) (Logo, error)
}

// APIKeyStore keeps the admin API keys, by the hash of the key.
type APIKeyStore interface {
	// PutAPIKey stores a new key (its hash); ErrConflict when the hash exists.
	PutAPIKey(ctx context.Context, k APIKey) error
	// GetAPIKey returns the key with that hash or ErrNotFound.
	GetAPIKey(ctx context.Context, hash []byte) (APIKey, error)
	// ListAPIKeys returns a tenant's keys (never their hashes' secrets).
	ListAPIKeys(ctx context.Context, tenantID string) ([]APIKey, error)
	// RevokeAPIKey marks a tenant's key revoked; ErrNotFound when the
	// tenant has no key with that id.
	RevokeAPIKey(ctx context.Context, tenantID, id string) error
	// TouchAPIKey sets a key's LastUsedAt.
	TouchAPIKey(ctx context.Context, hash []byte, at time.Time) error
}

// ContactStore keeps a tenant's contacts and their identifier items.
type ContactStore interface {
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
	// ListContacts returns up to q.Limit contacts of a tenant in the
	// order of q.By, starting after the sort key q.After, and whether
	// more follow. By "" lists every contact by id (sort key: the id);
	// "name" those whose lower-cased name starts with q.Prefix (sort key:
	// SortKeyName); "email" those whose email starts with q.Prefix (sort
	// key: the email).
	ListContacts(ctx context.Context, tenantID string, q ContactQuery) ([]Contact, bool, error)
	// EraseContact deletes a contact of the tenant with its identifier
	// items and sessions, the contact first (no login succeeds once it
	// has begun), records events, and then scrubs the contact's audit
	// events (ScrubEvent). A contact already gone is ErrNotFound, after
	// it finishes what an earlier erase left undone; one changed while
	// it was read is ErrStale.
	EraseContact(ctx context.Context, tenantID, contactID string, now time.Time, events []AuditEvent) error
}

// AttemptStore keeps login attempts: the contacts' one-time slots, the
// several-tenant attempts and pickers, and the redemptions that consume
// them.
type AttemptStore interface {
	// FindIdentity reads, consistently and at once, an identifier's
	// contacts in every tenant, its several-tenant attempt and counters.
	// An unknown identifier is an empty record, not an error.
	FindIdentity(ctx context.Context, identKey string) (IdentityRecord, error)
	// SaveAttempt writes login attempts in one atomic write.
	SaveAttempt(ctx context.Context, w AttemptWrite) error
	// Redeem consumes one slot, several-tenant attempt or picker and
	// creates a session or a picker, in one atomic write. It succeeds at
	// most once per token, and once more by the scanner exception
	// (Redemption.ExceptionEvents) for the browser holding the attempt's
	// request cookie; otherwise ErrLinkInvalid or ErrLinkExpired. A slot
	// or attempt kept consumed is used to every other redeem (a code
	// too). r must pass r.Check().
	Redeem(ctx context.Context, r Redemption) error
	// RecordCodeFailure counts a wrong code in one atomic write: it spends
	// one try of every slot and attempt it names and bumps the counters.
	// When one of them is gone or has no try left it returns
	// ErrLinkInvalid, and when a counter has reached its Limit a
	// rate_limited *Error; either way it writes nothing.
	RecordCodeFailure(ctx context.Context, f CodeFailure) error
	// ReadCounters returns, in one consistent read, the count of each
	// counter of cs (by Subject and Key; none hosted) that is live at now:
	// 0 for one missing or expired. An admin's SMS reads its number's
	// count with it before it decides to send.
	ReadCounters(ctx context.Context, now time.Time, cs []Counter) ([]int, error)
	// AddCounter bumps one counter (not hosted) on its own, outside any
	// atomic write: the cheapest write a store has. A counter at its Limit
	// fails it with a rate_limited *Error and is left as it was. A login
	// counts its tenant's SMS with it before it writes the attempt.
	AddCounter(ctx context.Context, now time.Time, c Counter) error
	// GetMulti returns the several-tenant attempt of the identifier whose
	// IdentHash is identHash, or ErrNotFound.
	GetMulti(ctx context.Context, identHash string) (MultiAttempt, error)
	// GetPicker returns the picker with that hash or ErrNotFound.
	GetPicker(ctx context.Context, hash []byte) (Picker, error)
}

// SessionStore keeps sessions, read together with their contact.
type SessionStore interface {
	// GetSession reads a session and its contact in one consistent read;
	// ErrNotFound when either is missing. Expiry and revocation are the
	// caller's to check.
	GetSession(ctx context.Context, tenantID, contactID string, hash []byte) (Session, Contact, error)
	// DeleteSession ends one session of that tenant and contact that is
	// live at now, and records events with it, in one atomic write. When
	// there is none (gone, expired, never there) it writes nothing, the
	// events neither, and returns no error: a logout that ended nothing
	// is not an event.
	DeleteSession(ctx context.Context, tenantID, contactID string, hash []byte, now time.Time, events []AuditEvent) error
	// RevokeSessions ends every session of a contact: it sets the
	// contact's SessionsNotBefore to now and deletes its sessions,
	// returning how many were live at now.
	RevokeSessions(ctx context.Context, tenantID, contactID string, now time.Time, events []AuditEvent) (int, error)
}

// AuditStore keeps a tenant's audit log. Flows that change something
// write their events inside that change's own write; these are for
// events on their own and for reading.
type AuditStore interface {
	// RecordEvents appends audit events on their own.
	RecordEvents(ctx context.Context, events []AuditEvent) error
	// ListEvents returns up to q.Limit audit events of a tenant, newest
	// first, older than the sort key q.Before ("" from the newest), of
	// q.ContactID and q.Type when set, and whether more follow.
	ListEvents(ctx context.Context, tenantID string, q EventQuery) ([]AuditEvent, bool, error)
}

// ActionLinkStore keeps the reusable deep links of tenants'
// transactional emails. A use is a Redemption (AttemptStore.Redeem with
// Action set).
type ActionLinkStore interface {
	// PutActionLink stores a new action link.
	PutActionLink(ctx context.Context, a ActionLink, events []AuditEvent) error
	// GetActionLink returns a tenant's action link by id, or ErrNotFound.
	GetActionLink(ctx context.Context, tenantID, id string) (ActionLink, error)
	// RevokeActionLinks revokes the tenant's action link with that id, or
	// every one with that ref, returning how many were live (not revoked,
	// not expired) at now.
	RevokeActionLinks(ctx context.Context, tenantID, id, ref string, now time.Time, events []AuditEvent) (int, error)
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
	// Keep, for a link's redeem of a login attempt with a Session of the
	// slot's own contact, keeps the slot consumed (Slot.ConsumedBy,
	// Slot.ConsumedRequest = RequestHash) until it expires instead of
	// clearing it, for the scanner exception; its code is dropped.
	Keep bool
	// RequestHash is the hash of the login-request cookie the redeeming
	// browser carries; nil when it carries none.
	RequestHash []byte
}

// MultiRef names an identifier's several-tenant attempt by its token
// hash. A token carries IdentHash, never the identifier itself.
type MultiRef struct {
	IdentHash string // IdentHash of the identifier key
	TokenHash []byte
	NeedTries bool
	// Keep and RequestHash as in SlotRef: the consumed attempt is kept
	// (MultiAttempt.ConsumedBy is the new picker's hash).
	Keep        bool
	RequestHash []byte
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
	// ExceptionEvents, set on a link redeem, allows the scanner exception
	// (DESIGN.md, single use). When the Slot or Multi it names (Keep) was
	// already consumed and ExceptionFor(RequestHash) holds for it, the
	// store takes the exception instead of refusing: it marks the
	// exception used, ends what the consuming browser got (its session,
	// or for a several-tenant attempt its picker), creates the Session or
	// NewPicker and records ExceptionEvents in place of Events, all in one
	// atomic write. A store may spend a second call on this rare path; the
	// first redeem of a link is still one.
	ExceptionEvents []AuditEvent
	// PickedEvents, with ExceptionEvents on a several-tenant attempt, are
	// one session.revoked per target: when the consuming browser already
	// picked a tenant with its picker, the exception ends the session that
	// pick gave too, and the store records the event of that session's
	// tenant and contact. (A store may spend a third call on this, the
	// rarest path: a scanner that presses Continue and then a tenant.)
	PickedEvents []AuditEvent
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
	// Slots and Multi are every attempt the code was compared with: each
	// spends a try (a slot's IdentKey mirror too), so that one guess
	// against several live attempts costs each of them. At most one slot
	// per contact; none, and no Multi, only counts.
	Slots []SlotRef
	Multi *MultiRef
	// Counters are bumped; one at its Limit fails the whole write with a
	// rate_limited *Error (the cap on wrong codes per identifier).
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
	// Locale is the language of the message's words: one of the
	// tenant's locales (Settings.Locale picks it); "" reads as English.
	Locale string
	// TenantID and ContactID name whom the message is for, so that the
	// provider's delivery feedback finds its way back (API.md "Delivery
	// status"); both "" for a message to several tenants' contacts.
	TenantID  string
	ContactID string
	// OriginHost is the host name of the page a code is typed into (the
	// API's BaseURL): an SMS ends with the origin-bound line "@host #code"
	// so that WebOTP and iOS autofill offer the code only there.
	OriginHost string
	// Brand is the tenant's look (colour, logo, support contact); zero
	// for a message to several tenants' contacts, which reads neutral.
	Brand Brand
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
