package logintest

import (
	"errors"
	"sync"
	"time"

	"github.com/portalpass/portalpass/pkg/login"
)

// newHandoff returns the hand-off of sess named name, made at t0.
func newHandoff(sess login.Session, name string) login.Handoff {
	return login.Handoff{
		Hash: hash("handoff:" + name), TenantID: sess.TenantID, ContactID: sess.ContactID, Via: sess.Via,
		CodeChallenge: "challenge-" + name, SessionExpiresAt: sess.ExpiresAt,
		CreatedAt: t0, ExpiresAt: t0.Add(login.HandoffTTL),
	}
}

// loginWithHandoff logs c in by a fresh login slot at t0 and stores the
// hand-off of its session, named name, in the same write.
func (f *fx) loginWithHandoff(c login.Contact, name string) login.Handoff {
	f.Helper()
	sl := newSlot("for-handoff:"+name, t0.Add(10*time.Minute))
	f.setSlot(c, login.SlotLogin, sl, "")
	sess := newSession(c.TenantID, c.ID, "login:"+name)
	h := newHandoff(sess, name)
	f.redeem(login.Redemption{Now: t0, Slot: slotRef(c, login.SlotLogin, sl), Session: &sess, Handoff: &h})
	return h
}

// exchange builds the exchange of h into a new session named name at now.
func exchange(h login.Handoff, name string, now time.Time) login.HandoffExchange {
	sess := newSession(h.TenantID, h.ContactID, name)
	sess.CreatedAt, sess.ExpiresAt = now, h.SessionExpiresAt
	return login.HandoffExchange{Now: now, Hash: h.Hash, Session: &sess, NotBefore: h.CreatedAt,
		Events: []login.AuditEvent{{ID: "exchanged:" + name, TenantID: h.TenantID, At: now, Type: login.EventHandoffExchanged, ContactID: h.ContactID, Actor: "apikey:k1"}}}
}

// wantHandoff fails unless GetHandoff finds h as it was stored.
func (f *fx) wantHandoff(what string, h login.Handoff) {
	f.Helper()
	got, err := f.s.GetHandoff(f.ctx, h.Hash)
	if err != nil {
		f.Fatalf("%s: GetHandoff: %v", what, err)
	}
	f.eq(what+": GetHandoff", got, h)
}

// wantNoHandoff fails unless GetHandoff finds nothing with that hash.
func (f *fx) wantNoHandoff(what string, h []byte) {
	f.Helper()
	_, err := f.s.GetHandoff(f.ctx, h)
	f.wantErr(what+": GetHandoff", err, login.ErrNotFound)
}

// handoffRaceN is how many goroutines race to exchange one hand-off.
const handoffRaceN = 20

var handoffCases = []storeCase{
	{"redeem stores the hand-off", func(f *fx) {
		c := f.contact("t1", "c1", "ana@example.com", "")
		h := f.loginWithHandoff(c, "a")
		f.wantHandoff("after redeem", h)
		if !f.hasSession("t1", "c1", hash("session:login:a")) {
			f.Errorf("the login's own session is missing")
		}
		// A hand-off without a challenge keeps none.
		sl := newSlot("plain", t0.Add(10*time.Minute))
		f.setSlot(c, login.SlotLogin, sl, "")
		sess := newSession("t1", "c1", "plain")
		plain := newHandoff(sess, "plain")
		plain.CodeChallenge = ""
		f.redeem(login.Redemption{Now: t0, Slot: slotRef(c, login.SlotLogin, sl), Session: &sess, Handoff: &plain})
		f.wantHandoff("without a challenge", plain)
	}},
	{"failed redeem stores no hand-off", func(f *fx) {
		c := f.contact("t1", "c1", "ana@example.com", "")
		sl := newSlot("a", t0.Add(10*time.Minute))
		f.setSlot(c, login.SlotLogin, sl, "")
		sess := newSession("t1", "c1", "s")
		h := newHandoff(sess, "a")
		err := f.s.Redeem(f.ctx, login.Redemption{Now: t0, Slot: slotRef(c, login.SlotLogin, newSlot("other", t0)), Session: &sess, Handoff: &h})
		f.wantErr("Redeem(wrong hash)", err, login.ErrLinkInvalid)
		f.wantNoHandoff("after the failed redeem", h.Hash)
		err = f.s.Redeem(f.ctx, login.Redemption{Now: t0.Add(11 * time.Minute), Slot: slotRef(c, login.SlotLogin, sl), Session: &sess, Handoff: &h})
		f.wantErr("Redeem(expired)", err, login.ErrLinkExpired)
		f.wantNoHandoff("after the expired redeem", h.Hash)
	}},
	{"unknown hand-off", func(f *fx) {
		f.wantNoHandoff("unknown", hash("handoff:nothing"))
		err := f.s.ExchangeHandoff(f.ctx, exchange(newHandoff(newSession("t1", "c1", "x"), "nothing"), "x", t0))
		f.wantErr("ExchangeHandoff(unknown)", err, login.ErrLinkInvalid)
	}},
	{"exchange once", func(f *fx) {
		c := f.contact("t1", "c1", "ana@example.com", "")
		h := f.loginWithHandoff(c, "a")
		now := t0.Add(30 * time.Second)
		first := exchange(h, "first", now)
		if err := f.s.ExchangeHandoff(f.ctx, first); err != nil {
			f.Fatalf("ExchangeHandoff: %v", err)
		}
		got, _, err := f.s.GetSession(f.ctx, "t1", "c1", first.Session.Hash)
		if err != nil {
			f.Fatalf("GetSession of the exchanged session: %v", err)
		}
		f.eq("exchanged session", got, *first.Session)
		f.wantNoHandoff("after the exchange", h.Hash)
		f.wantEvents("after the exchange", "t1", login.EventHandoffExchanged, "exchanged:first")
		second := exchange(h, "second", now)
		err = f.s.ExchangeHandoff(f.ctx, second)
		f.wantErr("second ExchangeHandoff", err, login.ErrLinkInvalid)
		if f.hasSession("t1", "c1", second.Session.Hash) {
			f.Errorf("the second exchange created its session")
		}
		f.wantEvents("after the second exchange", "t1", login.EventHandoffExchanged, "exchanged:first")
		// The exchange leaves the login's own session and the contact alone.
		if !f.hasSession("t1", "c1", hash("session:login:a")) {
			f.Errorf("the login's own session is gone")
		}
	}},
	{"expired", func(f *fx) {
		c := f.contact("t1", "c1", "ana@example.com", "")
		h := f.loginWithHandoff(c, "a")
		for _, now := range []time.Time{h.ExpiresAt, h.ExpiresAt.Add(time.Second)} {
			x := exchange(h, "late", now)
			err := f.s.ExchangeHandoff(f.ctx, x)
			f.wantErr("ExchangeHandoff at "+now.Format(time.TimeOnly), err, login.ErrLinkExpired)
			if f.hasSession("t1", "c1", x.Session.Hash) {
				f.Errorf("the expired exchange created its session")
			}
		}
		f.wantHandoff("after the expired exchanges", h)
	}},
	{"another tenant or contact", func(f *fx) {
		c := f.contact("t1", "c1", "ana@example.com", "")
		f.contact("t1", "c2", "bo@example.com", "")
		f.contact("t2", "c1", "ana@example.com", "")
		h := f.loginWithHandoff(c, "a")
		for _, who := range []struct{ tenant, contact string }{{"t2", "c1"}, {"t1", "c2"}} {
			x := exchange(h, "stolen", t0)
			x.Session.TenantID, x.Session.ContactID = who.tenant, who.contact
			err := f.s.ExchangeHandoff(f.ctx, x)
			f.wantErr("ExchangeHandoff into "+who.tenant+"/"+who.contact, err, login.ErrLinkInvalid)
			if f.hasSession(who.tenant, who.contact, x.Session.Hash) {
				f.Errorf("the exchange into %s/%s created its session", who.tenant, who.contact)
			}
		}
		f.wantHandoff("after the foreign exchanges", h)
		if err := f.s.ExchangeHandoff(f.ctx, exchange(h, "own", t0)); err != nil {
			f.Errorf("ExchangeHandoff by its own contact after the others: %v", err)
		}
	}},
	{"contact that cannot log in", func(f *fx) {
		c := f.contact("t1", "c1", "ana@example.com", "")
		h := f.loginWithHandoff(c, "a")
		old := f.get("t1", "c1")
		dis := old
		dis.Access, dis.Version = login.AccessDisabled, old.Version+1
		if err := f.s.UpdateContact(f.ctx, old, dis, nil); err != nil {
			f.Fatalf("UpdateContact: %v", err)
		}
		x := exchange(h, "x", t0)
		err := f.s.ExchangeHandoff(f.ctx, x)
		f.wantErr("ExchangeHandoff for a disabled contact", err, login.ErrLinkInvalid)
		if f.hasSession("t1", "c1", x.Session.Hash) {
			f.Errorf("the exchange for a disabled contact created its session")
		}
		f.wantHandoff("after the refused exchange", h)
	}},
	{"revoked after the login", func(f *fx) {
		c := f.contact("t1", "c1", "ana@example.com", "")
		h := f.loginWithHandoff(c, "a")
		if _, err := f.s.RevokeSessions(f.ctx, "t1", "c1", t0.Add(10*time.Second), nil); err != nil {
			f.Fatalf("RevokeSessions: %v", err)
		}
		x := exchange(h, "x", t0.Add(20*time.Second))
		err := f.s.ExchangeHandoff(f.ctx, x)
		f.wantErr("ExchangeHandoff after a revocation", err, login.ErrLinkInvalid)
		if f.hasSession("t1", "c1", x.Session.Hash) {
			f.Errorf("the exchange after a revocation created its session")
		}
	}},
	{"concurrent exchanges have one winner", func(f *fx) {
		if f.opts.skipConcurrent != "" {
			f.Skip(f.opts.skipConcurrent)
		}
		c := f.contact("t1", "c1", "ana@example.com", "")
		h := f.loginWithHandoff(c, "a")
		xs := make([]login.HandoffExchange, handoffRaceN)
		errs := make([]error, handoffRaceN)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range handoffRaceN {
			xs[i] = exchange(h, "racer-"+string(rune('a'+i)), t0.Add(time.Second))
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				errs[i] = f.s.ExchangeHandoff(f.ctx, xs[i])
			}()
		}
		close(start)
		wg.Wait()
		wins, sessions := 0, 0
		for i, err := range errs {
			switch {
			case err == nil:
				wins++
			case !errors.Is(err, login.ErrLinkInvalid):
				f.Errorf("racer %d: err = %v; want nil or ErrLinkInvalid", i, err)
			}
			if f.hasSession("t1", "c1", xs[i].Session.Hash) {
				sessions++
			}
		}
		if wins != 1 || sessions != 1 {
			f.Errorf("%d racers: %d won and %d sessions exist; want 1 and 1", handoffRaceN, wins, sessions)
		}
	}},
}
