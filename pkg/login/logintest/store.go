package logintest

import (
	"context"
	"crypto/sha256"
	"errors"
	"testing"
	"time"

	"github.com/portalpass/portalpass/pkg/login"
)

// Option changes how TestStore runs.
type Option func(*options)

type options struct {
	skipConcurrent string
}

// SkipConcurrent skips, giving reason, the subtests that race many
// goroutines for one token. Use it only for a backend stand-in that does
// not isolate concurrent transactions (moto_server 5.2 does not: a
// cancelled TransactWriteItems may roll back a concurrent one that won),
// where those subtests fail whatever the store does.
func SkipConcurrent(reason string) Option {
	return func(o *options) { o.skipConcurrent = reason }
}

// TestStore runs the login.Store contract, one subtest per behaviour,
// each on a fresh store from newStore. It uses only the login.Store
// interface. Its times are whole seconds in UTC, so a store may keep
// times to the second; durations in settings are whole seconds too.
func TestStore(t *testing.T, newStore func(t *testing.T) login.Store, opts ...Option) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	for _, r := range roles {
		t.Run(r.name, func(t *testing.T) {
			for _, g := range r.groups {
				for _, c := range g {
					t.Run(c.name, func(t *testing.T) {
						c.run(&fx{T: t, s: newStore(t), ctx: t.Context(), opts: o})
					})
				}
			}
		})
	}
}

// roles orders the contract by the role interfaces of login.Store: one
// subtest per role, so `-run TestStore/sessions` checks one port.
var roles = []struct {
	name   string
	groups [][]storeCase
}{
	{"tenants", [][]storeCase{tenantCases, logoCases}},
	{"apikeys", [][]storeCase{apiKeyCases, apiKeyAdminCases}},
	{"contacts", [][]storeCase{contactCases, contactListCases, eraseCases}},
	{"attempts", [][]storeCase{identityCases, attemptCases, redeemCases, scannerCases, multiCases, codeFailureCases, counterCases}},
	{"sessions", [][]storeCase{sessionCases}},
	{"audit", [][]storeCase{eventCases, eventListCases}},
	{"actionlinks", [][]storeCase{actionCases}},
	{"handoffs", [][]storeCase{handoffCases}},
	{"delivery", [][]storeCase{deliveryCases}},
}

// storeCase is one behaviour of the contract.
type storeCase struct {
	name string
	run  func(f *fx)
}

// t0 is the suite's "now": whole seconds, UTC.
var t0 = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

// fx is one subtest with its fresh store.
type fx struct {
	*testing.T
	s    login.Store
	ctx  context.Context
	opts options
}

// hash returns a distinct 32-byte hash for each name.
func hash(name string) []byte {
	sum := sha256.Sum256([]byte(name))
	return sum[:]
}

// newTenant returns a tenant at version 1.
func newTenant(id string) login.Tenant {
	return login.Tenant{
		ID:        id,
		Name:      "Tenant " + id,
		Settings:  login.DefaultSettings("https://" + id + ".example.com/portal"),
		Version:   1,
		CreatedAt: t0,
	}
}

// newContact returns an active contact at version 1.
func newContact(tenantID, id, email, phone string) login.Contact {
	return login.Contact{
		TenantID:  tenantID,
		ID:        id,
		Email:     email,
		Phone:     phone,
		Name:      "Name of " + id,
		Access:    login.AccessActive,
		CreatedAt: t0.Add(-time.Hour),
		UpdatedAt: t0.Add(-time.Hour),
		Version:   1,
	}
}

// newSlot returns a slot with every field set, named so that its hashes
// differ from every other slot's, expiring at exp with 5 tries.
func newSlot(name string, exp time.Time) login.Slot {
	return login.Slot{
		TokenHash:     hash("token:" + name),
		CodeHash:      hash("code:" + name),
		CodeSalt:      hash("salt:" + name)[:16],
		TriesLeft:     5,
		ExpiresAt:     exp,
		RequestHash:   hash("request:" + name),
		CodeChallenge: "challenge-" + name,
		Redirect:      "/r/" + name,
	}
}

// newMulti returns a several-tenant attempt of identKey on targets.
func newMulti(name, identKey string, exp time.Time, targets ...login.Target) login.MultiAttempt {
	return login.MultiAttempt{
		IdentKey:      identKey,
		TokenHash:     hash("multi:" + name),
		CodeHash:      hash("multicode:" + name),
		CodeSalt:      hash("multisalt:" + name)[:16],
		TriesLeft:     5,
		ExpiresAt:     exp,
		Targets:       targets,
		RequestHash:   hash("multirequest:" + name),
		CodeChallenge: "challenge-" + name,
		Redirect:      "/m/" + name,
	}
}

// newSession returns a session of 30 days created at t0.
func newSession(tenantID, contactID, name string) login.Session {
	return login.Session{
		TenantID:  tenantID,
		ContactID: contactID,
		Hash:      hash("session:" + name),
		Via:       "link",
		CreatedAt: t0,
		ExpiresAt: t0.Add(30 * 24 * time.Hour),
	}
}

func (f *fx) tenant(id string) login.Tenant {
	f.Helper()
	t := newTenant(id)
	if err := f.s.CreateTenant(f.ctx, t); err != nil {
		f.Fatalf("CreateTenant(%q): %v", id, err)
	}
	return t
}

func (f *fx) create(c login.Contact) login.Contact {
	f.Helper()
	if err := f.s.CreateContact(f.ctx, c, nil); err != nil {
		f.Fatalf("CreateContact(%s/%s): %v", c.TenantID, c.ID, err)
	}
	return c
}

func (f *fx) contact(tenantID, id, email, phone string) login.Contact {
	f.Helper()
	return f.create(newContact(tenantID, id, email, phone))
}

func (f *fx) get(tenantID, id string) login.Contact {
	f.Helper()
	c, err := f.s.GetContact(f.ctx, tenantID, id)
	if err != nil {
		f.Fatalf("GetContact(%s/%s): %v", tenantID, id, err)
	}
	return c
}

func (f *fx) find(identKey string) login.IdentityRecord {
	f.Helper()
	rec, err := f.s.FindIdentity(f.ctx, identKey)
	if err != nil {
		f.Fatalf("FindIdentity(%q): %v", identKey, err)
	}
	return rec
}

func (f *fx) save(w login.AttemptWrite) {
	f.Helper()
	if err := f.s.SaveAttempt(f.ctx, w); err != nil {
		f.Fatalf("SaveAttempt: %v", err)
	}
}

// setSlot writes one slot of a contact, mirrored into identKey when set.
func (f *fx) setSlot(c login.Contact, which login.SlotKind, sl login.Slot, identKey string) {
	f.Helper()
	f.save(login.AttemptWrite{Now: t0, Slots: []login.SlotWrite{
		{TenantID: c.TenantID, ContactID: c.ID, Which: which, Slot: sl, IdentKey: identKey},
	}})
}

func (f *fx) redeem(r login.Redemption) {
	f.Helper()
	if err := f.s.Redeem(f.ctx, r); err != nil {
		f.Fatalf("Redeem: %v", err)
	}
}

// session logs c in by a fresh login slot and returns the new session.
func (f *fx) session(c login.Contact, name string, exp time.Time) login.Session {
	f.Helper()
	sl := newSlot("for-session:"+name, t0.Add(10*time.Minute))
	f.setSlot(c, login.SlotLogin, sl, "")
	sess := newSession(c.TenantID, c.ID, name)
	sess.ExpiresAt = exp
	f.redeem(login.Redemption{
		Now:     t0,
		Slot:    &login.SlotRef{TenantID: c.TenantID, ContactID: c.ID, Which: login.SlotLogin, TokenHash: sl.TokenHash},
		Session: &sess,
	})
	return sess
}

// hasSession reports whether GetSession finds the session.
func (f *fx) hasSession(tenantID, contactID string, h []byte) bool {
	f.Helper()
	_, _, err := f.s.GetSession(f.ctx, tenantID, contactID, h)
	switch {
	case err == nil:
		return true
	case errors.Is(err, login.ErrNotFound):
		return false
	}
	f.Fatalf("GetSession: %v", err)
	return false
}

// match returns rec's match in tenantID, or nil.
func match(rec login.IdentityRecord, tenantID string) *login.IdentityMatch {
	for i := range rec.Matches {
		if rec.Matches[i].TenantID == tenantID {
			return &rec.Matches[i]
		}
	}
	return nil
}

// wantErr fails unless errors.Is(err, target).
func (f *fx) wantErr(what string, err, target error) {
	f.Helper()
	if !errors.Is(err, target) {
		f.Errorf("%s: err = %v; want %v", what, err, target)
	}
}

// eq fails when got differs from want (see diff).
func (f *fx) eq(what string, got, want any) {
	f.Helper()
	if d := diff(got, want); d != "" {
		f.Errorf("%s: %s", what, d)
	}
}

// wantRateLimited fails unless err is a rate_limited *login.Error whose
// RetryAfter is positive and at most max.
func (f *fx) wantRateLimited(what string, err error, max time.Duration) {
	f.Helper()
	var le *login.Error
	if !errors.As(err, &le) || le.Code != login.CodeRateLimited {
		f.Errorf("%s: err = %v; want a rate_limited *login.Error", what, err)
		return
	}
	if le.RetryAfter <= 0 || le.RetryAfter > max {
		f.Errorf("%s: RetryAfter = %v; want in (0, %v]", what, le.RetryAfter, max)
	}
}
