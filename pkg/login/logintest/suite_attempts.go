package logintest

import (
	"time"

	"github.com/portalpass/portalpass/pkg/login"
)

var attemptCases = []storeCase{
	{"hosted counters", func(f *fx) {
		f.contact("t1", "c1", "ana@example.com", "")
		key := login.EmailKey("ana@example.com")
		exp := t0.Add(15 * time.Minute)
		hosted := func(k string, seen int) login.Counter {
			return login.Counter{Subject: key, Key: k, Limit: 5, ExpiresAt: exp, Host: "t1", Seen: seen}
		}
		withSlot := func(c login.Counter, n string) login.AttemptWrite {
			return login.AttemptWrite{Now: t0, Counters: []login.Counter{c}, Slots: []login.SlotWrite{
				{TenantID: "t1", ContactID: "c1", Which: login.SlotLogin, Slot: newSlot(n, exp), IdentKey: key},
			}}
		}
		hostCounts := func(what string, want map[string]int) {
			f.Helper()
			rec := f.find(key)
			if len(rec.Matches) != 1 {
				f.Fatalf("%s: %d matches; want 1", what, len(rec.Matches))
			}
			f.eq(what+": host's counters", rec.Matches[0].Counters, want)
			f.eq(what+": own counters", len(rec.Counters), 0)
		}
		f.save(withSlot(hosted("send#1", 0), "a"))
		hostCounts("after a write with the slot", map[string]int{"send#1": 1})
		f.wantErr("a write that saw an older count", f.s.SaveAttempt(f.ctx, withSlot(hosted("send#1", 0), "b")), login.ErrStale)
		f.save(login.AttemptWrite{Now: t0, Counters: []login.Counter{hosted("send#1", 1)}})
		hostCounts("after a write without a slot", map[string]int{"send#1": 2})
		if got := f.find(key).Count("send#1"); got != 2 {
			f.Errorf("Count = %d; want 2", got)
		}
		f.save(withSlot(hosted("send#2", 0), "c"))
		hostCounts("a new window drops the old one", map[string]int{"send#2": 1})
		f.eq("the slot beside it", f.find(key).Matches[0].Login.TokenHash, newSlot("c", exp).TokenHash)
		other := hosted("send#2", 0)
		other.Host = "t9"
		f.wantErr("a host that is not there", f.s.SaveAttempt(f.ctx, login.AttemptWrite{Now: t0, Counters: []login.Counter{other}}), login.ErrStale)
		hostCounts("after the failed writes", map[string]int{"send#2": 1})
	}},
	{"sets slots", func(f *fx) {
		f.contact("t1", "c1", "ana@example.com", "")
		f.contact("t2", "c2", "bo@example.com", "")
		sa, sb := newSlot("a", t0.Add(10*time.Minute)), newSlot("b", t0.Add(7*24*time.Hour))
		f.save(login.AttemptWrite{Now: t0, Slots: []login.SlotWrite{
			{TenantID: "t1", ContactID: "c1", Which: login.SlotLogin, Slot: sa, IdentKey: login.EmailKey("ana@example.com")},
			{TenantID: "t2", ContactID: "c2", Which: login.SlotLink, Slot: sb},
		}})
		got := f.get("t1", "c1")
		f.eq("t1/c1 Login", got.Login, &sa)
		f.eq("t1/c1 Link", got.Link, (*login.Slot)(nil))
		got = f.get("t2", "c2")
		f.eq("t2/c2 Link", got.Link, &sb)
		f.eq("t2/c2 Login", got.Login, (*login.Slot)(nil))
	}},
	{"a new attempt replaces the slot", func(f *fx) {
		c := f.contact("t1", "c1", "ana@example.com", "")
		link := newSlot("invite", t0.Add(7*24*time.Hour))
		f.setSlot(c, login.SlotLink, link, "")
		first, second := newSlot("first", t0.Add(10*time.Minute)), newSlot("second", t0.Add(12*time.Minute))
		f.setSlot(c, login.SlotLogin, first, "")
		f.setSlot(c, login.SlotLogin, second, "")
		got := f.get("t1", "c1")
		f.eq("Login", got.Login, &second)
		f.eq("Link (untouched)", got.Link, &link)
		sess := newSession("t1", "c1", "s")
		err := f.s.Redeem(f.ctx, login.Redemption{Now: t0, Session: &sess,
			Slot: &login.SlotRef{TenantID: "t1", ContactID: "c1", Which: login.SlotLogin, TokenHash: first.TokenHash}})
		f.wantErr("Redeem of the replaced attempt", err, login.ErrLinkInvalid)
	}},
	{"counters count and limit", func(f *fx) {
		f.contact("t1", "c1", "ana@example.com", "")
		key := login.EmailKey("ana@example.com")
		exp := t0.Add(15 * time.Minute)
		counters := []login.Counter{
			{Subject: key, Key: "send#1", Limit: 3, ExpiresAt: exp},
			{Subject: key, Key: "other#1", ExpiresAt: exp},
		}
		write := func(n string, now time.Time) login.AttemptWrite {
			return login.AttemptWrite{Now: now, Counters: counters, Slots: []login.SlotWrite{
				{TenantID: "t1", ContactID: "c1", Which: login.SlotLogin, Slot: newSlot(n, exp), IdentKey: key},
			}}
		}
		for _, n := range []string{"1", "2", "3"} {
			f.save(write(n, t0))
		}
		want := map[string]int{"send#1": 3, "other#1": 3}
		f.eq("Counters after 3 writes", f.find(key).Counters, want)
		now := t0.Add(5 * time.Minute)
		f.wantRateLimited("4th write", f.s.SaveAttempt(f.ctx, write("4", now)), exp.Sub(now))
		f.eq("Counters after the limited write", f.find(key).Counters, want)
		third := newSlot("3", exp)
		f.eq("Login after the limited write", f.get("t1", "c1").Login, &third)
		if m := match(f.find(key), "t1"); m == nil {
			f.Errorf("FindIdentity lost the match")
		} else {
			f.eq("mirror after the limited write", m.Login, &third)
		}
		for i := 0; i < 10; i++ { // Limit 0 counts only
			f.save(login.AttemptWrite{Now: now, Counters: counters[1:]})
		}
		f.eq("count-only counter", f.find(key).Counters["other#1"], 13)
	}},
	{"stale tenant version", func(f *fx) {
		t := f.tenant("t1")
		f.contact("t1", "c1", "ana@example.com", "")
		key := login.EmailKey("ana@example.com")
		exp := t0.Add(10 * time.Minute)
		f.save(login.AttemptWrite{Now: t0, Versions: map[string]int64{"t1": 1},
			Slots: []login.SlotWrite{{TenantID: "t1", ContactID: "c1", Which: login.SlotLogin, Slot: newSlot("ok", exp), IdentKey: key}}})
		t2 := t
		t2.Version = 2
		if err := f.s.UpdateTenant(f.ctx, t2, 1); err != nil {
			f.Fatalf("UpdateTenant: %v", err)
		}
		multi := newMulti("m", key, exp, login.Target{TenantID: "t1", ContactID: "c1"})
		err := f.s.SaveAttempt(f.ctx, login.AttemptWrite{Now: t0, Versions: map[string]int64{"t1": 1},
			Counters: []login.Counter{{Subject: key, Key: "send#1", Limit: 5, ExpiresAt: exp}},
			Slots:    []login.SlotWrite{{TenantID: "t1", ContactID: "c1", Which: login.SlotLogin, Slot: newSlot("stale", exp), IdentKey: key}},
			Multi:    &multi,
		})
		f.wantErr("SaveAttempt on version 1", err, login.ErrStale)
		ok := newSlot("ok", exp)
		f.eq("Login after the stale write", f.get("t1", "c1").Login, &ok)
		rec := f.find(key)
		if len(rec.Counters) != 0 || rec.Multi != nil {
			f.Errorf("FindIdentity after the stale write = %+v; want no counter and no multi", rec)
		}
		if _, err := f.s.GetMulti(f.ctx, login.IdentHash(key)); err == nil {
			f.Errorf("GetMulti after the stale write found the attempt")
		}
	}},
	{"slot on a contact that cannot log in", func(f *fx) {
		tests := []struct {
			name              string
			tenant, contactID string
			access            login.Access // of the contact created first; "" creates none
		}{
			{"missing", "t1", "c9", ""},
			{"disabled", "t2", "c9", login.AccessDisabled},
			{"no access", "t3", "c9", login.AccessNone},
			{"another tenant's id", "t4", "c1", ""},
		}
		exp := t0.Add(10 * time.Minute)
		f.contact("t0", "c1", "good@example.com", "")
		for _, tt := range tests {
			if tt.access != "" {
				bad := newContact(tt.tenant, tt.contactID, tt.name+"@example.com", "")
				bad.Access = tt.access
				f.create(bad)
			}
			good := newSlot("good-"+tt.name, exp)
			err := f.s.SaveAttempt(f.ctx, login.AttemptWrite{Now: t0,
				Counters: []login.Counter{{Subject: login.EmailKey("good@example.com"), Key: "send#1", Limit: 5, ExpiresAt: exp}},
				Slots: []login.SlotWrite{
					{TenantID: "t0", ContactID: "c1", Which: login.SlotLogin, Slot: good},
					{TenantID: tt.tenant, ContactID: tt.contactID, Which: login.SlotLogin, Slot: newSlot("bad-"+tt.name, exp)},
				}})
			f.wantErr(tt.name, err, login.ErrStale)
			if got := f.get("t0", "c1"); got.Login != nil {
				f.Errorf("%s: the other slot of the failed write was stored", tt.name)
			}
			if got := f.find(login.EmailKey("good@example.com")).Counters; len(got) != 0 {
				f.Errorf("%s: the failed write bumped counters: %v", tt.name, got)
			}
			if tt.access != "" {
				if got := f.get(tt.tenant, tt.contactID); got.Login != nil {
					f.Errorf("%s: the slot was stored", tt.name)
				}
			}
		}
		invited := newContact("t5", "c1", "invited@example.com", "")
		invited.Access = login.AccessInvited
		f.create(invited)
		sl := newSlot("invited", exp)
		f.setSlot(invited, login.SlotLogin, sl, "")
		f.eq("invited contact's slot", f.get("t5", "c1").Login, &sl)
	}},
	{"multi set, replaced and dropped", func(f *fx) {
		f.contact("t1", "c1", "ana@example.com", "")
		f.contact("t2", "c2", "ana@example.com", "")
		key := login.EmailKey("ana@example.com")
		ih := login.IdentHash(key)
		targets := []login.Target{{TenantID: "t1", ContactID: "c1"}, {TenantID: "t2", ContactID: "c2"}}
		if _, err := f.s.GetMulti(f.ctx, ih); err == nil {
			f.Errorf("GetMulti before any attempt found one")
		} else {
			f.wantErr("GetMulti(unknown)", err, login.ErrNotFound)
		}
		first := newMulti("first", key, t0.Add(10*time.Minute), targets...)
		f.save(login.AttemptWrite{Now: t0, Multi: &first})
		got, err := f.s.GetMulti(f.ctx, ih)
		if err != nil {
			f.Fatalf("GetMulti: %v", err)
		}
		f.eq("GetMulti", got, first)
		f.eq("FindIdentity.Multi", f.find(key).Multi, &first)
		second := newMulti("second", key, t0.Add(11*time.Minute), targets[0])
		f.save(login.AttemptWrite{Now: t0, Multi: &second})
		got, err = f.s.GetMulti(f.ctx, ih)
		if err != nil {
			f.Fatalf("GetMulti: %v", err)
		}
		f.eq("GetMulti after a new attempt", got, second)
		f.save(login.AttemptWrite{Now: t0, DropMulti: key})
		_, err = f.s.GetMulti(f.ctx, ih)
		f.wantErr("GetMulti after DropMulti", err, login.ErrNotFound)
		if m := f.find(key).Multi; m != nil {
			f.Errorf("FindIdentity.Multi after DropMulti = %+v; want nil", m)
		}
		f.save(login.AttemptWrite{Now: t0, DropMulti: login.EmailKey("nobody@example.com")}) // nothing to drop is fine
	}},
}
