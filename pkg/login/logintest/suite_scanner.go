package logintest

import (
	"errors"
	"sync"
	"time"

	"github.com/portalpass/portalpass/pkg/login"
)

// The scanner exception (DESIGN.md, single use): a login attempt's link
// redeemed by a browser without the attempt's request cookie (a mail
// scanner pressing Continue) is kept consumed, and the browser holding
// that cookie may still finish once, within the link's lifetime, ending
// the other browser's session or picker. Every other redeem is refused.

// keptRef is the ref of a link redeem of c's login slot sl by a browser
// carrying the request cookie whose hash is rh (nil: none).
func keptRef(c login.Contact, sl login.Slot, rh []byte) *login.SlotRef {
	return &login.SlotRef{TenantID: c.TenantID, ContactID: c.ID, Which: login.SlotLogin,
		TokenHash: sl.TokenHash, NeedTries: true, Keep: true, RequestHash: rh}
}

// linkRedeem is a link's redeem of c's login slot sl into a session named
// name by a browser with request cookie hash rh, allowing the exception:
// its Events are "<name>" and ExceptionEvents "<name>:exception".
func linkRedeem(c login.Contact, sl login.Slot, rh []byte, name string, now time.Time) login.Redemption {
	sess := newSession(c.TenantID, c.ID, name)
	sess.CreatedAt = now
	return login.Redemption{Now: now, Slot: keptRef(c, sl, rh), Session: &sess,
		Events:          []login.AuditEvent{{ID: name, TenantID: c.TenantID, At: now, Type: login.EventLoginRedeemed, ContactID: c.ID, Actor: "customer"}},
		ExceptionEvents: []login.AuditEvent{{ID: name + ":exception", TenantID: c.TenantID, At: now, Type: login.EventLoginRedeemed, ContactID: c.ID, Actor: "customer", Detail: map[string]string{"scanner": "exception"}}},
	}
}

// scannerSetup gives c1 of t1 a login slot asked for by the browser whose
// request cookie hash is sl.RequestHash.
func (f *fx) scannerSetup() (login.Contact, login.Slot) {
	f.Helper()
	c := f.contact("t1", "c1", "ana@example.com", "")
	sl := newSlot("a", t0.Add(10*time.Minute))
	f.setSlot(c, login.SlotLogin, sl, login.EmailKey("ana@example.com"))
	return c, sl
}

var scannerCases = []storeCase{
	{"scanner presses first: the request's browser finishes once", func(f *fx) {
		c, sl := f.scannerSetup()
		now := t0.Add(time.Minute)
		f.redeem(linkRedeem(c, sl, nil, "scanner", now))
		got := f.get("t1", "c1").Login
		if !got.Consumed() || got.Live(now) || string(got.ConsumedBy) != string(hash("session:scanner")) ||
			got.CodeHash != nil || got.ExceptionUsed || string(got.RequestHash) != string(sl.RequestHash) || !got.ExpiresAt.Equal(sl.ExpiresAt) {
			f.Errorf("login slot after the scanner's redeem = %+v; want it kept, consumed by its session, without its code", got)
		}
		// Any other browser, and the code path, find it used.
		err := f.s.Redeem(f.ctx, linkRedeem(c, sl, hash("other browser"), "other", now))
		f.wantErr("a third browser", err, login.ErrLinkInvalid)
		code := login.Redemption{Now: now, Slot: &login.SlotRef{TenantID: "t1", ContactID: "c1", Which: login.SlotLogin, TokenHash: sl.TokenHash, NeedTries: true},
			Session: new(newSession("t1", "c1", "code"))}
		f.wantErr("the code path", f.s.Redeem(f.ctx, code), login.ErrLinkInvalid)

		// The browser holding the request cookie wins once, and ends the scanner's session.
		f.redeem(linkRedeem(c, sl, sl.RequestHash, "browser", now.Add(time.Minute)))
		if f.hasSession("t1", "c1", hash("session:scanner")) {
			f.Errorf("the scanner's session lives on after the exception")
		}
		if !f.hasSession("t1", "c1", hash("session:browser")) {
			f.Errorf("the request's browser got no session")
		}
		after := f.get("t1", "c1")
		if !after.Login.ExceptionUsed || !after.LastLoginAt.Equal(now.Add(time.Minute)) {
			f.Errorf("contact after the exception: Login %+v, LastLoginAt %v; want the exception marked used, logged in", after.Login, after.LastLoginAt)
		}
		f.wantEvents("audit", "t1", login.EventLoginRedeemed, "browser:exception", "scanner")

		// The exception is itself single use.
		err = f.s.Redeem(f.ctx, linkRedeem(c, sl, sl.RequestHash, "again", now.Add(2*time.Minute)))
		f.wantErr("a second use of the exception", err, login.ErrLinkInvalid)
		if !f.hasSession("t1", "c1", hash("session:browser")) || f.hasSession("t1", "c1", hash("session:again")) {
			f.Errorf("sessions after a refused second exception: want the browser's only")
		}
	}},
	{"the request's browser first: strict single use", func(f *fx) {
		c, sl := f.scannerSetup()
		f.redeem(linkRedeem(c, sl, sl.RequestHash, "browser", t0))
		err := f.s.Redeem(f.ctx, linkRedeem(c, sl, sl.RequestHash, "again", t0))
		f.wantErr("the same browser again", err, login.ErrLinkInvalid)
		err = f.s.Redeem(f.ctx, linkRedeem(c, sl, nil, "scanner", t0))
		f.wantErr("a scanner after the browser", err, login.ErrLinkInvalid)
		if !f.hasSession("t1", "c1", hash("session:browser")) {
			f.Errorf("the first session was ended")
		}
	}},
	{"no request cookie on the attempt: strict single use", func(f *fx) {
		// Admin sends, invites and recovery links carry no request cookie.
		c := f.contact("t1", "c1", "ana@example.com", "")
		sl := newSlot("a", t0.Add(10*time.Minute))
		sl.RequestHash = nil
		f.setSlot(c, login.SlotLogin, sl, "")
		f.redeem(linkRedeem(c, sl, nil, "scanner", t0))
		for _, rh := range [][]byte{nil, hash("request:a"), hash("any")} {
			err := f.s.Redeem(f.ctx, linkRedeem(c, sl, rh, "browser", t0))
			f.wantErr("a second redeem", err, login.ErrLinkInvalid)
		}
		if !f.hasSession("t1", "c1", hash("session:scanner")) {
			f.Errorf("the first session was ended")
		}
	}},
	{"the exception ends with the link's lifetime", func(f *fx) {
		c, sl := f.scannerSetup()
		f.redeem(linkRedeem(c, sl, nil, "scanner", t0))
		err := f.s.Redeem(f.ctx, linkRedeem(c, sl, sl.RequestHash, "browser", sl.ExpiresAt))
		if !errors.Is(err, login.ErrLinkInvalid) && !errors.Is(err, login.ErrLinkExpired) {
			f.Errorf("the exception at expiry: err = %v; want link invalid or expired", err)
		}
		if !f.hasSession("t1", "c1", hash("session:scanner")) || f.hasSession("t1", "c1", hash("session:browser")) {
			f.Errorf("sessions after a refused late exception: want the scanner's only")
		}
	}},
	{"no exception unless asked for", func(f *fx) {
		c, sl := f.scannerSetup()
		f.redeem(linkRedeem(c, sl, nil, "scanner", t0))
		r := linkRedeem(c, sl, sl.RequestHash, "browser", t0)
		r.ExceptionEvents = nil
		f.wantErr("a redeem without ExceptionEvents", f.s.Redeem(f.ctx, r), login.ErrLinkInvalid)
	}},
	{"a new request replaces the kept attempt", func(f *fx) {
		c, sl := f.scannerSetup()
		f.redeem(linkRedeem(c, sl, nil, "scanner", t0))
		next := newSlot("b", t0.Add(10*time.Minute))
		f.setSlot(c, login.SlotLogin, next, "")
		err := f.s.Redeem(f.ctx, linkRedeem(c, sl, sl.RequestHash, "browser", t0))
		f.wantErr("the old link's exception after a new request", err, login.ErrLinkInvalid)
		f.redeem(linkRedeem(c, next, nil, "next", t0))
	}},
	{"several tenants: kept, the exception ends the picker", func(f *fx) {
		key, targets := f.twoTenants()
		m := newMulti("a", key, t0.Add(10*time.Minute), targets...)
		f.save(login.AttemptWrite{Now: t0, Multi: &m})
		at := t0
		redeem := func(rh []byte, name string) error {
			at = at.Add(time.Second) // the audit log lists newest first
			p := newPicker(name, t0.Add(5*time.Minute), targets, key)
			ref := multiRef(m)
			ref.NeedTries, ref.Keep, ref.RequestHash = true, true, rh
			return f.s.Redeem(f.ctx, login.Redemption{Now: at, Multi: ref, NewPicker: &p,
				Events:          []login.AuditEvent{{ID: name, TenantID: "t1", At: at, Type: login.EventLoginRedeemed, ContactID: "c1"}},
				ExceptionEvents: []login.AuditEvent{{ID: name + ":exception", TenantID: "t1", At: at, Type: login.EventLoginRedeemed, ContactID: "c1"}}})
		}
		if err := redeem(nil, "scanner"); err != nil {
			f.Fatalf("the scanner's redeem: %v", err)
		}
		got, err := f.s.GetMulti(f.ctx, login.IdentHash(key))
		if err != nil || got.Live(t0) || string(got.ConsumedBy) != string(hash("picker:scanner")) || got.CodeHash != nil {
			f.Errorf("attempt after the scanner's redeem = %+v, %v; want it kept, consumed by its picker, without its code", got, err)
		}
		f.wantErr("a third browser", redeem(hash("other"), "other"), login.ErrLinkInvalid)
		code := login.Redemption{Now: t0, Multi: &login.MultiRef{IdentHash: login.IdentHash(key), TokenHash: m.TokenHash, NeedTries: true},
			NewPicker: new(newPicker("code", t0.Add(5*time.Minute), targets, key))}
		f.wantErr("the code path", f.s.Redeem(f.ctx, code), login.ErrLinkInvalid)
		if err := redeem(m.RequestHash, "browser"); err != nil {
			f.Fatalf("the request's browser: %v", err)
		}
		f.wantNoPicker("the scanner's picker", hash("picker:scanner"))
		if _, err := f.s.GetPicker(f.ctx, hash("picker:browser")); err != nil {
			f.Errorf("the browser's picker: %v", err)
		}
		f.wantEvents("audit", "t1", login.EventLoginRedeemed, "browser:exception", "scanner")
		f.wantErr("a second use of the exception", redeem(m.RequestHash, "again"), login.ErrLinkInvalid)
	}},
	{"several tenants: the scanner picked a tenant, the exception ends that session too", func(f *fx) {
		key, targets := f.twoTenants()
		m := newMulti("a", key, t0.Add(10*time.Minute), targets...)
		f.save(login.AttemptWrite{Now: t0, Multi: &m})
		redeem := func(rh []byte, name string, at time.Time) error {
			p := newPicker(name, t0.Add(5*time.Minute), targets, key)
			ref := multiRef(m)
			ref.NeedTries, ref.Keep, ref.RequestHash = true, true, rh
			return f.s.Redeem(f.ctx, login.Redemption{Now: at, Multi: ref, NewPicker: &p,
				Events:          []login.AuditEvent{{ID: name, TenantID: "t2", At: at, Type: login.EventLoginRedeemed, ContactID: "c2"}},
				ExceptionEvents: []login.AuditEvent{{ID: name + ":exception", TenantID: "t2", At: at, Type: login.EventLoginRedeemed, ContactID: "c2"}},
				PickedEvents: []login.AuditEvent{
					{ID: name + ":revoked-t1", TenantID: "t1", At: at, Type: login.EventSessionRevoked, ContactID: "c1"},
					{ID: name + ":revoked-t2", TenantID: "t2", At: at, Type: login.EventSessionRevoked, ContactID: "c2"},
				}})
		}
		if err := redeem(nil, "scanner", t0); err != nil {
			f.Fatalf("the scanner's redeem: %v", err)
		}
		// The scanner picks the second tenant.
		picked := newSession("t2", "c2", "scanner-pick")
		pick := login.Redemption{Now: t0.Add(time.Second), Picker: hash("picker:scanner"), Session: &picked}
		f.redeem(pick)
		f.wantNoPicker("a used picker", hash("picker:scanner"))
		again := newSession("t1", "c1", "scanner-pick-again")
		pick.Session = &again
		f.wantErr("a second pick", f.s.Redeem(f.ctx, pick), login.ErrLinkInvalid)
		if !f.hasSession("t2", "c2", picked.Hash) {
			f.Fatalf("the scanner's picked session is missing")
		}
		if err := redeem(m.RequestHash, "browser", t0.Add(2*time.Second)); err != nil {
			f.Fatalf("the request's browser: %v", err)
		}
		if f.hasSession("t2", "c2", picked.Hash) {
			f.Errorf("the session the scanner picked lives on after the exception")
		}
		if _, err := f.s.GetPicker(f.ctx, hash("picker:browser")); err != nil {
			f.Errorf("the browser's picker: %v", err)
		}
		f.wantEvents("revoked", "t2", login.EventSessionRevoked, "browser:revoked-t2")
		f.wantEvents("no event for the tenant not picked", "t1", login.EventSessionRevoked)
		f.wantEvents("redeemed", "t2", login.EventLoginRedeemed, "browser:exception", "scanner")
		f.wantErr("a second use of the exception", redeem(m.RequestHash, "again", t0.Add(3*time.Second)), login.ErrLinkInvalid)
	}},
	{"concurrent redeems: one per kind of browser", func(f *fx) {
		c, sl := f.scannerSetup()
		// Browsers without the request cookie: exactly one wins.
		f.race(func(i int, name string) error {
			return f.s.Redeem(f.ctx, linkRedeem(c, sl, hash("browser "+name), name, t0))
		}, func(name string) bool { return f.hasSession("t1", "c1", hash("session:"+name)) })
		// The request's browser, pressing many times at once: exactly one wins.
		var mu sync.Mutex
		var winner string
		f.race(func(i int, name string) error {
			err := f.s.Redeem(f.ctx, linkRedeem(c, sl, sl.RequestHash, "cookie-"+name, t0))
			if err == nil {
				mu.Lock()
				winner = name
				mu.Unlock()
			}
			return err
		}, func(name string) bool { return f.hasSession("t1", "c1", hash("session:cookie-"+name)) })
		if winner == "" {
			return
		}
		// The first race's winner was logged out by the exception.
		for i := range raceN {
			name := "racer-" + string(rune('A'+i%26)) + string(rune('a'+i/26))
			if f.hasSession("t1", "c1", hash("session:"+name)) {
				f.Errorf("%s's session lives on after the exception", name)
			}
		}
	}},
}
