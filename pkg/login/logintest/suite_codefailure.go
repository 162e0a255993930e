package logintest

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/portalpass/portalpass/pkg/login"
)

// codeSetup gives ana in t1 a login slot with tries, mirrored into her
// email identifier, and returns the slot, its code-path ref and a
// count-only failure counter.
func (f *fx) codeSetup(tries int, exp time.Time) (login.Slot, *login.SlotRef, login.Counter) {
	f.Helper()
	c := f.contact("t1", "c1", "ana@example.com", "")
	key := login.EmailKey("ana@example.com")
	sl := newSlot("a", exp)
	sl.TriesLeft = tries
	f.setSlot(c, login.SlotLogin, sl, key)
	ref := slotRef(c, login.SlotLogin, sl)
	ref.IdentKey, ref.NeedTries = key, true
	return sl, ref, login.Counter{Subject: key, Key: "codefail#1", ExpiresAt: t0.Add(24 * time.Hour)}
}

// wantTries fails unless ana's slot and mirror are sl with tries left.
func (f *fx) wantTries(what string, sl login.Slot, tries int) {
	f.Helper()
	sl.TriesLeft = tries
	f.eq(what+": Login", f.get("t1", "c1").Login, &sl)
	if m := match(f.find(login.EmailKey("ana@example.com")), "t1"); m == nil {
		f.Errorf("%s: FindIdentity lost the match", what)
	} else {
		f.eq(what+": mirror", m.Login, &sl)
	}
}

var codeFailureCases = []storeCase{
	{"spends a try and counts", func(f *fx) {
		sl, ref, fc := f.codeSetup(5, t0.Add(10*time.Minute))
		for i := 1; i <= 2; i++ {
			if err := f.s.RecordCodeFailure(f.ctx, login.CodeFailure{Now: t0, Slots: []login.SlotRef{*ref}, Counters: []login.Counter{fc}}); err != nil {
				f.Fatalf("RecordCodeFailure %d: %v", i, err)
			}
		}
		f.wantTries("after 2 failures", sl, 3)
		f.eq("Counters", f.find(fc.Subject).Counters, map[string]int{"codefail#1": 2})
		sess := newSession("t1", "c1", "s")
		f.redeem(login.Redemption{Now: t0, Slot: ref, Session: &sess}) // tries are left
	}},
	{"no try left", func(f *fx) {
		sl, ref, fc := f.codeSetup(1, t0.Add(10*time.Minute))
		if err := f.s.RecordCodeFailure(f.ctx, login.CodeFailure{Now: t0, Slots: []login.SlotRef{*ref}, Counters: []login.Counter{fc}}); err != nil {
			f.Fatalf("RecordCodeFailure: %v", err)
		}
		err := f.s.RecordCodeFailure(f.ctx, login.CodeFailure{Now: t0, Slots: []login.SlotRef{*ref}, Counters: []login.Counter{fc}})
		f.wantErr("RecordCodeFailure with no try left", err, login.ErrLinkInvalid)
		f.wantTries("after the failed write", sl, 0)
		f.eq("Counters", f.find(fc.Subject).Counters, map[string]int{"codefail#1": 1})
		sess := newSession("t1", "c1", "s")
		err = f.s.Redeem(f.ctx, login.Redemption{Now: t0, Slot: ref, Session: &sess})
		f.wantErr("Redeem of the burned attempt by code", err, login.ErrLinkInvalid)
	}},
	{"slot gone", func(f *fx) {
		sl, ref, fc := f.codeSetup(5, t0.Add(10*time.Minute))
		f.contact("t2", "c2", "bo@example.com", "") // no slot
		refs := map[string]login.SlotRef{
			"wrong hash":     {TenantID: "t1", ContactID: "c1", Which: login.SlotLogin, TokenHash: hash("other"), NeedTries: true},
			"other slot":     {TenantID: "t1", ContactID: "c1", Which: login.SlotLink, TokenHash: ref.TokenHash, NeedTries: true},
			"no slot":        {TenantID: "t2", ContactID: "c2", Which: login.SlotLogin, TokenHash: ref.TokenHash, NeedTries: true},
			"no contact":     {TenantID: "t1", ContactID: "c9", Which: login.SlotLogin, TokenHash: ref.TokenHash, NeedTries: true},
			"another tenant": {TenantID: "t2", ContactID: "c1", Which: login.SlotLogin, TokenHash: ref.TokenHash, NeedTries: true},
		}
		for name, r := range refs {
			err := f.s.RecordCodeFailure(f.ctx, login.CodeFailure{Now: t0, Slots: []login.SlotRef{r}, Counters: []login.Counter{fc}})
			f.wantErr(name, err, login.ErrLinkInvalid)
		}
		f.wantTries("after the failed writes", sl, 5)
		if got := f.find(fc.Subject).Counters; len(got) != 0 {
			f.Errorf("Counters after the failed writes = %v; want none", got)
		}
	}},
	{"expired slot", func(f *fx) {
		sl, ref, fc := f.codeSetup(5, t0)
		err := f.s.RecordCodeFailure(f.ctx, login.CodeFailure{Now: t0, Slots: []login.SlotRef{*ref}, Counters: []login.Counter{fc}})
		// The port names only ErrLinkInvalid ("gone"); ErrLinkExpired is accepted.
		if !errors.Is(err, login.ErrLinkInvalid) && !errors.Is(err, login.ErrLinkExpired) {
			f.Errorf("RecordCodeFailure(expired): err = %v; want ErrLinkInvalid or ErrLinkExpired", err)
		}
		f.wantTries("after the failed write", sl, 5)
		if got := f.find(fc.Subject).Counters; len(got) != 0 {
			f.Errorf("Counters after the failed write = %v; want none", got)
		}
	}},
	{"multi", func(f *fx) {
		key, targets := f.twoTenants()
		m := newMulti("m", key, t0.Add(10*time.Minute), targets...)
		m.TriesLeft = 2
		f.save(login.AttemptWrite{Now: t0, Multi: &m})
		ref := multiRef(m)
		ref.NeedTries = true
		fc := login.Counter{Subject: key, Key: "codefail#1", ExpiresAt: t0.Add(24 * time.Hour)}
		for want := 1; want >= 0; want-- {
			if err := f.s.RecordCodeFailure(f.ctx, login.CodeFailure{Now: t0, Multi: ref, Counters: []login.Counter{fc}}); err != nil {
				f.Fatalf("RecordCodeFailure: %v", err)
			}
			m.TriesLeft = want
			f.wantMulti("after a failure", m)
		}
		err := f.s.RecordCodeFailure(f.ctx, login.CodeFailure{Now: t0, Multi: ref, Counters: []login.Counter{fc}})
		f.wantErr("RecordCodeFailure with no try left", err, login.ErrLinkInvalid)
		unknown := &login.MultiRef{IdentHash: login.IdentHash(login.EmailKey("bo@example.com")), TokenHash: m.TokenHash, NeedTries: true}
		err = f.s.RecordCodeFailure(f.ctx, login.CodeFailure{Now: t0, Multi: unknown, Counters: []login.Counter{fc}})
		f.wantErr("RecordCodeFailure(unknown multi)", err, login.ErrLinkInvalid)
		f.wantMulti("after the failed writes", m)
		f.eq("Counters", f.find(key).Counters, map[string]int{"codefail#1": 2})
	}},
	{"counters only", func(f *fx) {
		key := login.EmailKey("nobody@example.com")
		fc := login.Counter{Subject: key, Key: "codefail#1", ExpiresAt: t0.Add(24 * time.Hour)}
		for i := 0; i < 3; i++ {
			if err := f.s.RecordCodeFailure(f.ctx, login.CodeFailure{Now: t0, Counters: []login.Counter{fc}}); err != nil {
				f.Fatalf("RecordCodeFailure without an attempt: %v", err)
			}
		}
		f.eq("Counters", f.find(key).Counters, map[string]int{"codefail#1": 3})
	}},
	{"counter at its limit", func(f *fx) {
		sl, ref, fc := f.codeSetup(5, t0.Add(10*time.Minute))
		fc.Limit = 1
		if err := f.s.RecordCodeFailure(f.ctx, login.CodeFailure{Now: t0, Slots: []login.SlotRef{*ref}, Counters: []login.Counter{fc},
			Events: codeFailed("e1", "t1", "c1")}); err != nil {
			f.Fatalf("RecordCodeFailure: %v", err)
		}
		err := f.s.RecordCodeFailure(f.ctx, login.CodeFailure{Now: t0, Slots: []login.SlotRef{*ref}, Counters: []login.Counter{fc},
			Events: codeFailed("e2", "t1", "c1")})
		f.wantRateLimited("RecordCodeFailure at the limit", err, 24*time.Hour)
		f.wantTries("after the limited write", sl, 4)
		f.eq("Counters", f.find(fc.Subject).Counters, map[string]int{"codefail#1": 1})
		f.eq("events after the limited write", f.eventPages("t1", login.EventQuery{Limit: 10}), []string{"e1"})
	}},
	{"every attempt compared is charged", func(f *fx) {
		key, targets := f.twoTenants()
		var slots []login.Slot
		var refs []login.SlotRef
		for i, tg := range targets {
			sl := newSlot(tg.TenantID, t0.Add(10*time.Minute))
			sl.TriesLeft = 5 - i // tries are counted per slot
			f.setSlot(f.get(tg.TenantID, tg.ContactID), login.SlotLogin, sl, key)
			slots = append(slots, sl)
			refs = append(refs, login.SlotRef{TenantID: tg.TenantID, ContactID: tg.ContactID, Which: login.SlotLogin,
				TokenHash: sl.TokenHash, IdentKey: key, NeedTries: true})
		}
		m := newMulti("m", key, t0.Add(10*time.Minute), targets...)
		f.save(login.AttemptWrite{Now: t0, Multi: &m})
		mref := multiRef(m)
		mref.NeedTries = true
		fc := login.Counter{Subject: key, Key: "codefail#1", Limit: 20, ExpiresAt: t0.Add(24 * time.Hour)}
		events := append(codeFailed("e1", "t1", "c1"), codeFailed("e2", "t2", "c2")...)
		if err := f.s.RecordCodeFailure(f.ctx, login.CodeFailure{Now: t0, Slots: refs, Multi: mref, Counters: []login.Counter{fc}, Events: events}); err != nil {
			f.Fatalf("RecordCodeFailure: %v", err)
		}
		rec := f.find(key)
		for i, tg := range targets {
			want := slots[i]
			want.TriesLeft--
			f.eq(tg.TenantID+": Login", f.get(tg.TenantID, tg.ContactID).Login, &want)
			if mt := match(rec, tg.TenantID); mt == nil {
				f.Errorf("%s: FindIdentity lost the match", tg.TenantID)
			} else {
				f.eq(tg.TenantID+": mirror", mt.Login, &want)
			}
		}
		m.TriesLeft--
		f.wantMulti("after the failure", m)
		f.eq("Counters", rec.Counters, map[string]int{"codefail#1": 1})
		f.eq("events of t1", f.eventPages("t1", login.EventQuery{Limit: 10}), []string{"e1"})
		f.eq("events of t2", f.eventPages("t2", login.EventQuery{Limit: 10}), []string{"e2"})

		// One attempt gone fails the whole write: the others keep their tries.
		gone := refs[1]
		gone.TokenHash = hash("replaced")
		err := f.s.RecordCodeFailure(f.ctx, login.CodeFailure{Now: t0, Slots: []login.SlotRef{refs[0], gone}, Multi: mref,
			Counters: []login.Counter{fc}, Events: codeFailed("e3", "t1", "c1")})
		f.wantErr("RecordCodeFailure with one slot gone", err, login.ErrLinkInvalid)
		want := slots[0]
		want.TriesLeft--
		f.eq("t1 after the failed write", f.get("t1", "c1").Login, &want)
		f.wantMulti("after the failed write", m)
		f.eq("Counters after the failed write", f.find(key).Counters, map[string]int{"codefail#1": 1})
		f.eq("events of t1 after the failed write", f.eventPages("t1", login.EventQuery{Limit: 10}), []string{"e1"})
	}},
	{"concurrent failures stop at the limit", func(f *fx) {
		if f.opts.skipConcurrent != "" {
			f.Skip(f.opts.skipConcurrent)
		}
		key := login.EmailKey("ana@example.com")
		fc := login.Counter{Subject: key, Key: "codefail#1", Limit: codeRaceLimit, ExpiresAt: t0.Add(24 * time.Hour)}
		errs := make([]error, codeRaceN)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range codeRaceN {
			wg.Go(func() {
				<-start
				errs[i] = f.s.RecordCodeFailure(f.ctx, login.CodeFailure{Now: t0, Counters: []login.Counter{fc}})
			})
		}
		close(start)
		wg.Wait()
		counted := 0
		for i, err := range errs {
			if err == nil {
				counted++
				continue
			}
			f.wantRateLimited(fmt.Sprintf("racer %d", i), err, 24*time.Hour)
		}
		if counted != codeRaceLimit {
			f.Errorf("%d of %d concurrent failures counted; want %d", counted, codeRaceN, codeRaceLimit)
		}
		f.eq("Counters", f.find(key).Counters, map[string]int{"codefail#1": codeRaceLimit})
	}},
}

// codeRaceN failures race for a counter of codeRaceLimit: DESIGN.md's
// cap of 20 wrong codes a day, twice over.
const (
	codeRaceN     = 40
	codeRaceLimit = 20
)

// codeFailed is a code.failed event of a contact.
func codeFailed(id, tenantID, contactID string) []login.AuditEvent {
	return []login.AuditEvent{{ID: id, TenantID: tenantID, At: t0, Type: login.EventCodeFailed, ContactID: contactID,
		Actor: "customer", ExpiresAt: t0.Add(24 * time.Hour)}}
}
