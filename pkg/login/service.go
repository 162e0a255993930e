package login

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"sync"
	"time"
)

// Deps are what a Service needs. The stores, Email and SMS are required
// for the flows that use them; the others have working defaults.
//
// Storage comes by role, so that a function wires only the roles its
// flows call (the authorizer: Tenants and Sessions). Store, when set,
// serves every role left nil (the dev server, operator tooling, tests).
type Deps struct {
	Store Store

	Tenants  TenantStore
	Keys     APIKeyStore
	Contacts ContactStore
	Attempts AttemptStore
	Sessions SessionStore
	Audit    AuditStore
	Actions  ActionLinkStore
	Handoffs HandoffStore
	Delivery DeliveryStore

	// SendQueue takes a login message whose send still fails transiently
	// after the sender's own retries, to be sent again later
	// (sendqueue.go); nil: such a failure is audited at once.
	SendQueue SendQueue

	Email  Sender
	SMS    Sender
	Clock  Clock     // default SystemClock
	Random io.Reader // default crypto/rand
	Logger *slog.Logger
	// BaseURL is the API's public base URL ("https://api.example.com"):
	// links are built from it and the tenant's configuration only, never
	// from a request's Host.
	BaseURL string
	// TenantCacheTTL bounds how long a container trusts cached tenant
	// settings (default 60 s); writes condition on the settings version.
	TenantCacheTTL time.Duration
	// Sleep waits for d unless ctx ends first; login requests wait with
	// it for their response-time floor (default a real timer; tests pass
	// one that waits on their fake Clock).
	Sleep func(ctx context.Context, d time.Duration)
	// RequestFloor is the least time a login request takes, so that
	// known, unknown and disabled identifiers answer alike (floor.go):
	// zero means DefaultRequestFloor, a negative value no floor, for
	// tools that measure the work itself. Lambda functions read it from
	// LOGIN_REQUEST_FLOOR_MS (pkg/config); the dev server's is smaller.
	RequestFloor time.Duration
	// AuditRetention is how long audit events are kept (default 400 days).
	AuditRetention time.Duration
	// Signer signs session JWTs (SessionToken) and lists their keys
	// (JWKS); nil: no JWT is minted and the key set is empty.
	Signer Signer
	// RateLimits relaxes the rate limits for local work; the zero value
	// is the production limits (SendLimit, IPLimit, CodeFailureLimit).
	// Only the dev server sets it: Lambda wiring must leave it zero.
	RateLimits RateLimits
	// Suppressions clears an address from the provider's own suppression
	// list when an admin clears its status (default: nothing to clear).
	Suppressions Suppressions
	// SMSCountries are the ISO 3166 alpha-2 codes of the countries whose
	// numbers may get an SMS (the stack's SmsCountries); a tenant's
	// smsCountries narrows it. Default DefaultSMSCountries.
	SMSCountries []string
	// Phones tells a stored number's region and whether a login SMS may
	// go to it (not a fixed line): e164.SMSInfo, which the core cannot
	// import (e164 imports it). pkg/wire sets it for every function; nil,
	// in tests that build a Service by hand, skips the country and
	// number-type checks (the ceilings still hold).
	Phones func(e164 string) (region string, textable bool)
	// Observer, when set, learns what the flows did (the audit events the
	// stores accept, the messages sent, the rate limits hit) to count it
	// (observe.go); nil counts nothing.
	Observer Observer
}

// DefaultSMSCountries is the stack's SMS countries when none are set.
var DefaultSMSCountries = []string{"US", "CA"}

// Service runs the login flows. It is safe for concurrent use and is
// built once per process (per Lambda container).
type Service struct {
	d       Deps
	mu      sync.Mutex
	tenants map[string]cachedTenant
	logos   *logoCache
}

type cachedTenant struct {
	t  Tenant
	at time.Time
}

// New returns a Service over its dependencies.
func New(d Deps) *Service {
	d.fillRoles()
	if d.Observer != nil {
		d.observe(d.Observer)
	}
	if len(d.SMSCountries) == 0 {
		d.SMSCountries = DefaultSMSCountries
	}
	if d.Clock == nil {
		d.Clock = SystemClock{}
	}
	if d.Random == nil {
		d.Random = rand.Reader
	}
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	if d.TenantCacheTTL == 0 {
		d.TenantCacheTTL = 60 * time.Second
	}
	if d.Sleep == nil {
		d.Sleep = sleep
	}
	if d.Suppressions == nil {
		d.Suppressions = NoSuppressions{}
	}
	if d.AuditRetention == 0 {
		d.AuditRetention = 400 * 24 * time.Hour
	}
	return &Service{d: d, tenants: map[string]cachedTenant{}, logos: newLogoCache(logoCacheBytes)}
}

// fillRoles lets Store serve every role left nil.
func (d *Deps) fillRoles() {
	s := d.Store
	if s == nil {
		return
	}
	if d.Tenants == nil {
		d.Tenants = s
	}
	if d.Keys == nil {
		d.Keys = s
	}
	if d.Contacts == nil {
		d.Contacts = s
	}
	if d.Attempts == nil {
		d.Attempts = s
	}
	if d.Sessions == nil {
		d.Sessions = s
	}
	if d.Audit == nil {
		d.Audit = s
	}
	if d.Actions == nil {
		d.Actions = s
	}
	if d.Handoffs == nil {
		d.Handoffs = s
	}
	if d.Delivery == nil {
		d.Delivery = s
	}
}

func sleep(ctx context.Context, d time.Duration) {
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

func (s *Service) now() time.Time { return s.d.Clock.Now().UTC() }

// Tenant returns a tenant, from the container's cache when fresh.
func (s *Service) Tenant(ctx context.Context, id string) (Tenant, error) {
	if !ValidTenantID(id) {
		return Tenant{}, ErrNotFound
	}
	now := s.now()
	s.mu.Lock()
	c, ok := s.tenants[id]
	s.mu.Unlock()
	if ok && now.Sub(c.at) < s.d.TenantCacheTTL && now.Sub(c.at) >= 0 {
		return c.t, nil
	}
	t, err := s.d.Tenants.GetTenant(ctx, id)
	if err != nil {
		return Tenant{}, err
	}
	s.mu.Lock()
	s.tenants[id] = cachedTenant{t, now}
	s.mu.Unlock()
	return t, nil
}

// forgetTenant drops a cached tenant after a write found it stale.
func (s *Service) forgetTenant(id string) {
	s.mu.Lock()
	delete(s.tenants, id)
	s.mu.Unlock()
}

// Meta describes who made a request, for rate limits and the audit log.
type Meta struct {
	IP        string // from API Gateway's request context, never X-Forwarded-For
	UserAgent string
}

// event builds an audit event. It never takes a token, code or session id.
func (s *Service) event(typ EventType, tenantID, contactID, actor string, m Meta, detail map[string]string) AuditEvent {
	id, err := newID(s.d.Random, "e")
	if err != nil {
		id = "e" + hex.EncodeToString([]byte(s.now().Format(time.RFC3339Nano)))
	}
	ua := m.UserAgent
	if len(ua) > 512 {
		ua = ua[:512]
	}
	now := s.now()
	return AuditEvent{
		ID: id, TenantID: tenantID, At: now, Type: typ, ContactID: contactID,
		Actor: actor, IP: m.IP, UserAgent: ua, Detail: detail,
		ExpiresAt: now.Add(s.d.AuditRetention),
	}
}

// record writes audit events on their own; a failure is logged, not
// returned, since the flow it describes already happened.
func (s *Service) record(ctx context.Context, events ...AuditEvent) {
	if len(events) == 0 {
		return
	}
	if err := s.d.Audit.RecordEvents(ctx, events); err != nil {
		s.d.Logger.ErrorContext(ctx, "audit write failed", "err", err, "type", events[0].Type)
	}
}

// internal wraps an unexpected error so that it is logged but never shown.
func internal(op string, err error) error {
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	return &Error{Code: CodeInternal, Msg: "Something went wrong on our side. Please try again.", Err: errors.Join(errors.New(op), err)}
}

// window returns the fixed window of size d that holds now: its index
// (used in counter keys) and its end (the counter's expiry).
func window(now time.Time, d time.Duration) (int64, time.Time) {
	i := now.Unix() / int64(d/time.Second)
	return i, time.Unix((i+1)*int64(d/time.Second), 0).UTC()
}
