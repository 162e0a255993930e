package logintest

import (
	"errors"
	"sync"
	"time"

	"github.com/portalpass/portalpass/pkg/login"
)

func slotRef(c login.Contact, which login.SlotKind, sl login.Slot) *login.SlotRef {
	return &login.SlotRef{TenantID: c.TenantID, ContactID: c.ID, Which: which, TokenHash: sl.TokenHash}
}

// wantUnredeemed fails unless c still holds sl as its login slot, has not
// logged in and has no session named name.
func (f *fx) wantUnredeemed(what string, c login.Contact, sl login.Slot, name string) {
	f.Helper()
	got := f.get(c.TenantID, c.ID)
	f.eq(what+": Login", got.Login, &sl)
	f.eq(what+": LastLoginAt", got.LastLoginAt, c.LastLoginAt)
	if f.hasSession(c.TenantID, c.ID, hash("session:"+name)) {
		f.Errorf("%s: the session was created", what)
	}
}

var redeemCases = []storeCase{
	{"slot into a session", func(f *fx) {
		c := newContact("t1", "c1", "ana@example.com", "+14155550101")
		c.Access = login.AccessInvited
		f.create(c)
		key := login.EmailKey("ana@example.com")
		sl := newSlot("a", t0.Add(10*time.Minute))
		f.setSlot(c, login.SlotLogin, sl, key)
		f.setSlot(c, login.SlotLink, newSlot("invite", t0.Add(7*24*time.Hour)), "")
		now := t0.Add(time.Minute)
		sess := newSession("t1", "c1", "s")
		sess.CreatedAt = now
		ref := slotRef(c, login.SlotLogin, sl)
		ref.IdentKey = key
		f.redeem(login.Redemption{Now: now, Slot: ref, Session: &sess,
			Events: []login.AuditEvent{{ID: "e1", TenantID: "t1", At: now, Type: login.EventLoginRedeemed, ContactID: "c1", Actor: "customer"}}})
		gotSess, gotC, err := f.s.GetSession(f.ctx, "t1", "c1", sess.Hash)
		if err != nil {
			f.Fatalf("GetSession: %v", err)
		}
		f.eq("GetSession session", gotSess, sess)
		want := f.get("t1", "c1")
		f.eq("GetSession contact", gotC, want)
		if !want.LastLoginAt.Equal(now) || want.Login != nil || want.Link != nil {
			f.Errorf("contact after redeem: LastLoginAt %v, Login %v, Link %v; want %v and both slots cleared", want.LastLoginAt, want.Login, want.Link, now)
		}
		if want.Access != login.AccessInvited || want.PortalAccess() != login.AccessActive {
			f.Errorf("contact after redeem: Access %q, PortalAccess %q; want invited, active", want.Access, want.PortalAccess())
		}
		if m := match(f.find(key), "t1"); m == nil || m.Login != nil {
			f.Errorf("FindIdentity after redeem = %+v; want the match with its mirror cleared", m)
		}
	}},
	{"only once", func(f *fx) {
		c := f.contact("t1", "c1", "ana@example.com", "")
		sl := newSlot("a", t0.Add(10*time.Minute))
		f.setSlot(c, login.SlotLogin, sl, "")
		first, second := newSession("t1", "c1", "first"), newSession("t1", "c1", "second")
		f.redeem(login.Redemption{Now: t0, Slot: slotRef(c, login.SlotLogin, sl), Session: &first})
		err := f.s.Redeem(f.ctx, login.Redemption{Now: t0, Slot: slotRef(c, login.SlotLogin, sl), Session: &second})
		f.wantErr("second Redeem", err, login.ErrLinkInvalid)
		if !f.hasSession("t1", "c1", first.Hash) || f.hasSession("t1", "c1", second.Hash) {
			f.Errorf("sessions after two redeems: want the first only")
		}
	}},
	{"wrong hash", func(f *fx) {
		c := f.contact("t1", "c1", "ana@example.com", "")
		sl := newSlot("a", t0.Add(10*time.Minute))
		f.setSlot(c, login.SlotLogin, sl, "")
		sess := newSession("t1", "c1", "s")
		err := f.s.Redeem(f.ctx, login.Redemption{Now: t0, Slot: slotRef(c, login.SlotLogin, newSlot("b", t0)), Session: &sess})
		f.wantErr("Redeem(wrong hash)", err, login.ErrLinkInvalid)
		f.wantUnredeemed("wrong hash", c, sl, "s")
	}},
	{"expired", func(f *fx) {
		tests := []struct {
			name string
			exp  time.Time
		}{
			{"at now", t0},
			{"before now", t0.Add(-time.Second)},
		}
		for i, tt := range tests {
			c := f.contact([]string{"ta", "tb"}[i], "c1", "ana@example.com", "")
			sl := newSlot("a", tt.exp)
			f.setSlot(c, login.SlotLogin, sl, login.EmailKey("ana@example.com"))
			sess := newSession(c.TenantID, "c1", "s")
			ref := slotRef(c, login.SlotLogin, sl)
			ref.IdentKey = login.EmailKey("ana@example.com")
			err := f.s.Redeem(f.ctx, login.Redemption{Now: t0, Slot: ref, Session: &sess})
			f.wantErr(tt.name, err, login.ErrLinkExpired)
			f.wantUnredeemed(tt.name, c, sl, "s")
			if m := match(f.find(login.EmailKey("ana@example.com")), c.TenantID); m == nil || m.Login == nil {
				f.Errorf("%s: the mirror was consumed", tt.name)
			}
		}
	}},
	{"contact that cannot log in", func(f *fx) {
		for i, access := range []login.Access{login.AccessDisabled, login.AccessNone} {
			c := newContact([]string{"ta", "tb"}[i], "c1", "ana@example.com", "")
			c.Access = access
			sl := newSlot("a", t0.Add(10*time.Minute))
			c.Login = &sl
			f.create(c)
			sess := newSession(c.TenantID, "c1", "s")
			err := f.s.Redeem(f.ctx, login.Redemption{Now: t0, Slot: slotRef(c, login.SlotLogin, sl), Session: &sess})
			f.wantErr("Redeem for access "+string(access), err, login.ErrLinkInvalid)
			f.wantUnredeemed(string(access), c, sl, "s")
		}
	}},
	{"code path needs a try", func(f *fx) {
		c := f.contact("t1", "c1", "ana@example.com", "")
		sl := newSlot("a", t0.Add(10*time.Minute))
		sl.TriesLeft = 0
		f.setSlot(c, login.SlotLogin, sl, "")
		sess := newSession("t1", "c1", "s")
		ref := slotRef(c, login.SlotLogin, sl)
		ref.NeedTries = true
		err := f.s.Redeem(f.ctx, login.Redemption{Now: t0, Slot: ref, Session: &sess})
		f.wantErr("Redeem(NeedTries, no try left)", err, login.ErrLinkInvalid)
		f.wantUnredeemed("no try left", c, sl, "s")
		// The link path does not ask for tries.
		f.redeem(login.Redemption{Now: t0, Slot: slotRef(c, login.SlotLogin, sl), Session: &sess})
	}},
	{"slot kinds are separate", func(f *fx) {
		c := f.contact("t1", "c1", "ana@example.com", "")
		login1, link := newSlot("login", t0.Add(10*time.Minute)), newSlot("link", t0.Add(time.Hour))
		f.setSlot(c, login.SlotLogin, login1, "")
		f.setSlot(c, login.SlotLink, link, "")
		sess := newSession("t1", "c1", "s")
		err := f.s.Redeem(f.ctx, login.Redemption{Now: t0, Slot: slotRef(c, login.SlotLogin, link), Session: &sess})
		f.wantErr("Redeem of the link's hash as the login slot", err, login.ErrLinkInvalid)
		err = f.s.Redeem(f.ctx, login.Redemption{Now: t0, Slot: slotRef(c, login.SlotLink, login1), Session: &sess})
		f.wantErr("Redeem of the login's hash as the link slot", err, login.ErrLinkInvalid)
		f.redeem(login.Redemption{Now: t0, Slot: slotRef(c, login.SlotLink, link), Session: &sess})
		if got := f.get("t1", "c1"); got.Login != nil || got.Link != nil {
			f.Errorf("after redeeming the link: Login %v, Link %v; want both cleared", got.Login, got.Link)
		}
	}},
	{"tenant isolation", func(f *fx) {
		c := f.contact("t1", "c1", "ana@example.com", "")
		f.contact("t2", "c1", "ana@example.com", "")
		sl := newSlot("a", t0.Add(10*time.Minute))
		f.setSlot(c, login.SlotLogin, sl, "")
		sess := newSession("t2", "c1", "s")
		ref := slotRef(c, login.SlotLogin, sl)
		ref.TenantID = "t2"
		err := f.s.Redeem(f.ctx, login.Redemption{Now: t0, Slot: ref, Session: &sess})
		f.wantErr("Redeem of t1's slot in t2", err, login.ErrLinkInvalid)
		f.wantUnredeemed("t1 after the attempt in t2", c, sl, "s")
	}},
	{"ends the browser's session", func(f *fx) {
		c := f.contact("t1", "c1", "ana@example.com", "")
		b := f.contact("t2", "c2", "bo@example.com", "")
		old := f.session(b, "old", t0.Add(time.Hour))
		sl := newSlot("a", t0.Add(10*time.Minute))
		f.setSlot(c, login.SlotLogin, sl, "")
		sess := newSession("t1", "c1", "new")
		f.redeem(login.Redemption{Now: t0, Slot: slotRef(c, login.SlotLogin, sl), Session: &sess,
			EndSession: &login.SessionRef{TenantID: "t2", ContactID: "c2", Hash: old.Hash}})
		if f.hasSession("t2", "c2", old.Hash) {
			f.Errorf("the ended session is still there")
		}
		if !f.hasSession("t1", "c1", sess.Hash) {
			f.Errorf("the new session is missing")
		}
		// A browser's session that is already gone does not fail the login.
		sl2 := newSlot("b", t0.Add(10*time.Minute))
		f.setSlot(c, login.SlotLogin, sl2, "")
		sess2 := newSession("t1", "c1", "newer")
		f.redeem(login.Redemption{Now: t0, Slot: slotRef(c, login.SlotLogin, sl2), Session: &sess2,
			EndSession: &login.SessionRef{TenantID: "t2", ContactID: "c2", Hash: old.Hash}})
	}},
	{"concurrent redeems have one winner", func(f *fx) {
		c := f.contact("t1", "c1", "ana@example.com", "")
		sl := newSlot("a", t0.Add(10*time.Minute))
		f.setSlot(c, login.SlotLogin, sl, "")
		f.race(func(i int, name string) error {
			sess := newSession("t1", "c1", name)
			return f.s.Redeem(f.ctx, login.Redemption{Now: t0, Slot: slotRef(c, login.SlotLogin, sl), Session: &sess})
		}, func(name string) bool { return f.hasSession("t1", "c1", hash("session:"+name)) })
	}},
}

// raceN is how many goroutines race for one token.
const raceN = 50

// race runs redeem in raceN goroutines at once, each with its own name,
// and checks that exactly one succeeds, the others fail with
// ErrLinkInvalid, and exactly one session exists afterwards.
func (f *fx) race(redeem func(i int, name string) error, exists func(name string) bool) {
	f.Helper()
	if f.opts.skipConcurrent != "" {
		f.Skip(f.opts.skipConcurrent)
	}
	names := make([]string, raceN)
	errs := make([]error, raceN)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range raceN {
		names[i] = "racer-" + string(rune('A'+i%26)) + string(rune('a'+i/26))
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = redeem(i, names[i])
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
		if exists(names[i]) {
			sessions++
		}
	}
	if wins != 1 || sessions != 1 {
		f.Errorf("%d racers: %d won and %d created what they redeemed into; want 1 and 1", raceN, wins, sessions)
	}
}
