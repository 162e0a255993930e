package logintest

import (
	"errors"
	"time"

	"github.com/portalpass/portalpass/pkg/login"
)

var contactCases = []storeCase{
	{"create and get", func(f *fx) {
		c := newContact("t1", "c1", "ana@example.com", "+14155550101")
		c.Access = login.AccessInvited
		c.LastLoginAt = t0.Add(-48 * time.Hour)
		c.SessionsNotBefore = t0.Add(-24 * time.Hour)
		login1, link1 := newSlot("login", t0.Add(10*time.Minute)), newSlot("link", t0.Add(7*24*time.Hour))
		link1.CodeHash, link1.CodeSalt = nil, nil
		c.Login, c.Link = &login1, &link1
		f.create(c)
		f.eq("GetContact", f.get("t1", "c1"), c)
	}},
	{"unknown is not found", func(f *fx) {
		f.contact("t1", "c1", "ana@example.com", "")
		_, err := f.s.GetContact(f.ctx, "t1", "c2")
		f.wantErr("GetContact(unknown)", err, login.ErrNotFound)
	}},
	{"duplicate id conflicts", func(f *fx) {
		want := f.contact("t1", "c1", "ana@example.com", "")
		dup := newContact("t1", "c1", "bo@example.com", "+14155550102")
		f.wantErr("CreateContact(same id)", f.s.CreateContact(f.ctx, dup, nil), login.ErrConflict)
		f.eq("GetContact after conflict", f.get("t1", "c1"), want)
		if m := match(f.find(login.EmailKey("bo@example.com")), "t1"); m != nil {
			f.Errorf("FindIdentity(bo) after conflict: found %s; want nothing written", m.ContactID)
		}
	}},
	{"email or phone taken in the tenant", func(f *fx) {
		tests := []struct {
			name         string
			email, phone string
			freeKey      string // the new contact's other identifier
		}{
			{"email", "ana@example.com", "+14155550199", login.PhoneKey("+14155550199")},
			{"phone", "zed@example.com", "+14155550101", login.EmailKey("zed@example.com")},
		}
		f.contact("t1", "c1", "ana@example.com", "+14155550101")
		for _, tt := range tests {
			err := f.s.CreateContact(f.ctx, newContact("t1", "c2", tt.email, tt.phone), nil)
			f.wantErr("CreateContact with a taken "+tt.name, err, login.ErrConflict)
			if _, err := f.s.GetContact(f.ctx, "t1", "c2"); !errors.Is(err, login.ErrNotFound) {
				f.Errorf("%s: GetContact(c2) after conflict: err = %v; want ErrNotFound", tt.name, err)
			}
			if rec := f.find(tt.freeKey); len(rec.Matches) != 0 {
				f.Errorf("%s: FindIdentity(%s) after conflict = %d matches; want 0", tt.name, tt.freeKey, len(rec.Matches))
			}
		}
	}},
	{"same email and phone in another tenant", func(f *fx) {
		f.contact("t1", "c1", "ana@example.com", "+14155550101")
		f.contact("t2", "c9", "ana@example.com", "+14155550101")
		for _, key := range []string{login.EmailKey("ana@example.com"), login.PhoneKey("+14155550101")} {
			rec := f.find(key)
			if m1, m2 := match(rec, "t1"), match(rec, "t2"); m1 == nil || m2 == nil || m1.ContactID != "c1" || m2.ContactID != "c9" {
				f.Errorf("FindIdentity(%s) = %+v; want c1 in t1 and c9 in t2", key, rec.Matches)
			}
		}
	}},
	{"tenant isolation", func(f *fx) {
		a := f.contact("t1", "c1", "ana@example.com", "")
		_, err := f.s.GetContact(f.ctx, "t2", "c1")
		f.wantErr("GetContact(t2, t1's contact id)", err, login.ErrNotFound)
		b := f.contact("t2", "c1", "bo@example.com", "")
		f.eq("GetContact(t1/c1)", f.get("t1", "c1"), a)
		f.eq("GetContact(t2/c1)", f.get("t2", "c1"), b)
	}},
	{"update", func(f *fx) {
		old := f.contact("t1", "c1", "ana@example.com", "+14155550101")
		c := old
		c.Name, c.Access, c.UpdatedAt, c.Version = "Ana B.", login.AccessDisabled, t0, old.Version+1
		if err := f.s.UpdateContact(f.ctx, old, c, nil); err != nil {
			f.Fatalf("UpdateContact: %v", err)
		}
		f.eq("GetContact after update", f.get("t1", "c1"), c)
	}},
	{"update with stale version", func(f *fx) {
		old := f.contact("t1", "c1", "ana@example.com", "")
		c := old
		c.Name, c.Version = "Second", 2
		if err := f.s.UpdateContact(f.ctx, old, c, nil); err != nil {
			f.Fatalf("UpdateContact: %v", err)
		}
		lost := old
		lost.Name, lost.Email, lost.Version = "Lost", "lost@example.com", 2
		f.wantErr("UpdateContact from version 1 again", f.s.UpdateContact(f.ctx, old, lost, nil), login.ErrStale)
		f.eq("GetContact after stale update", f.get("t1", "c1"), c)
		if m := match(f.find(login.EmailKey("lost@example.com")), "t1"); m != nil {
			f.Errorf("FindIdentity(lost) after stale update found %s; want nothing written", m.ContactID)
		}
	}},
	{"update unknown", func(f *fx) {
		old := newContact("t1", "c1", "ana@example.com", "")
		c := old
		c.Version = 2
		err := f.s.UpdateContact(f.ctx, old, c, nil)
		if !errors.Is(err, login.ErrStale) && !errors.Is(err, login.ErrNotFound) {
			f.Errorf("UpdateContact(unknown): err = %v; want ErrStale or ErrNotFound", err)
		}
		if len(f.find(login.EmailKey("ana@example.com")).Matches) != 0 {
			f.Errorf("UpdateContact(unknown) wrote an identifier item")
		}
	}},
	{"update moves identifiers", func(f *fx) {
		tests := []struct {
			name           string
			set            func(c *login.Contact)
			oldKey, newKey string
			reuse          login.Contact // takes the old identifier afterwards
		}{
			{"email", func(c *login.Contact) { c.Email = "ana.new@example.com" },
				login.EmailKey("ana@example.com"), login.EmailKey("ana.new@example.com"),
				newContact("t1", "c2", "ana@example.com", "")},
			{"phone", func(c *login.Contact) { c.Phone = "+14155550177" },
				login.PhoneKey("+14155550101"), login.PhoneKey("+14155550177"),
				newContact("t1", "c2", "", "+14155550101")},
			{"phone removed", func(c *login.Contact) { c.Phone = "" },
				login.PhoneKey("+14155550101"), "",
				newContact("t1", "c2", "", "+14155550101")},
		}
		for i, tt := range tests {
			tenant := []string{"ta", "tb", "tc"}[i]
			old := f.contact(tenant, "c1", "ana@example.com", "+14155550101")
			c := old
			tt.set(&c)
			c.Version = old.Version + 1
			if err := f.s.UpdateContact(f.ctx, old, c, nil); err != nil {
				f.Fatalf("%s: UpdateContact: %v", tt.name, err)
			}
			if m := match(f.find(tt.oldKey), tenant); m != nil {
				f.Errorf("%s: FindIdentity(old %s) still finds %s", tt.name, tt.oldKey, m.ContactID)
			}
			if tt.newKey != "" {
				m := match(f.find(tt.newKey), tenant)
				if m == nil || m.ContactID != "c1" || m.Email != c.Email || m.Phone != c.Phone {
					f.Errorf("%s: FindIdentity(new %s) = %+v; want c1 with its new fields", tt.name, tt.newKey, m)
				}
			}
			reuse := tt.reuse
			reuse.TenantID = tenant
			if err := f.s.CreateContact(f.ctx, reuse, nil); err != nil {
				f.Errorf("%s: CreateContact with the freed identifier: %v", tt.name, err)
			}
		}
	}},
	{"update to a taken identifier conflicts", func(f *fx) {
		f.contact("t1", "c1", "ana@example.com", "+14155550101")
		old := f.contact("t1", "c2", "bo@example.com", "+14155550102")
		for _, set := range []func(c *login.Contact){
			func(c *login.Contact) { c.Email = "ana@example.com" },
			func(c *login.Contact) { c.Phone = "+14155550101" },
		} {
			c := old
			set(&c)
			c.Version = old.Version + 1
			f.wantErr("UpdateContact to a taken identifier", f.s.UpdateContact(f.ctx, old, c, nil), login.ErrConflict)
		}
		f.eq("GetContact after conflicts", f.get("t1", "c2"), old)
		for key, want := range map[string]string{
			login.EmailKey("ana@example.com"): "c1", login.PhoneKey("+14155550101"): "c1",
			login.EmailKey("bo@example.com"): "c2", login.PhoneKey("+14155550102"): "c2",
		} {
			rec := f.find(key)
			if m := match(rec, "t1"); len(rec.Matches) != 1 || m == nil || m.ContactID != want {
				f.Errorf("FindIdentity(%s) after conflicts = %+v; want only %s", key, rec.Matches, want)
			}
		}
	}},
	{"update copies fields to the identifier", func(f *fx) {
		old := f.contact("t1", "c1", "ana@example.com", "+14155550101")
		c := old
		c.Name, c.Access, c.Version = "Ana Renamed", login.AccessInvited, old.Version+1
		if err := f.s.UpdateContact(f.ctx, old, c, nil); err != nil {
			f.Fatalf("UpdateContact: %v", err)
		}
		for _, key := range []string{login.EmailKey("ana@example.com"), login.PhoneKey("+14155550101")} {
			want := login.IdentityMatch{TenantID: "t1", ContactID: "c1", Access: login.AccessInvited,
				Email: "ana@example.com", Phone: "+14155550101", Name: "Ana Renamed"}
			f.eq("FindIdentity("+key+")", f.find(key).Matches, []login.IdentityMatch{want})
		}
	}},
	{"update clears the mirror when login is nil", func(f *fx) {
		c := f.contact("t1", "c1", "ana@example.com", "")
		key := login.EmailKey("ana@example.com")
		f.setSlot(c, login.SlotLogin, newSlot("a", t0.Add(10*time.Minute)), key)
		old := f.get("t1", "c1")
		c = old
		c.Login, c.Version = nil, old.Version+1
		if err := f.s.UpdateContact(f.ctx, old, c, nil); err != nil {
			f.Fatalf("UpdateContact: %v", err)
		}
		if m := match(f.find(key), "t1"); m == nil || m.Login != nil {
			f.Errorf("FindIdentity after clearing login = %+v; want the match without a mirror", m)
		}
		if got := f.get("t1", "c1"); got.Login != nil {
			f.Errorf("GetContact after clearing login: Login = %+v; want nil", got.Login)
		}
	}},
	{"store writes change the version", testVersionBumps},
	{"values are copied", func(f *fx) {
		sl := newSlot("a", t0.Add(10*time.Minute))
		c := newContact("t1", "c1", "ana@example.com", "")
		c.Login = &sl
		f.create(c)
		want := newContact("t1", "c1", "ana@example.com", "")
		wantSlot := newSlot("a", t0.Add(10*time.Minute))
		want.Login = &wantSlot
		c.Login.TokenHash[0] ^= 0xff
		c.Login.TriesLeft = 1
		f.eq("GetContact after changing what was passed", f.get("t1", "c1"), want)
		got := f.get("t1", "c1")
		got.Login.TokenHash[0] ^= 0xff
		got.Login.TriesLeft = 1
		f.eq("GetContact after changing what was returned", f.get("t1", "c1"), want)
	}},
}

// testVersionBumps checks that every store write that changes a contact
// (slot, redeem, code failure, revocation) makes an earlier snapshot
// stale, so that UpdateContact from that snapshot cannot bring back a
// consumed slot, a spent try or a revoked session.
func testVersionBumps(f *fx) {
	tests := []struct {
		name  string
		write func(c login.Contact, sl login.Slot)
	}{
		{"slot written", func(c login.Contact, _ login.Slot) {
			f.setSlot(c, login.SlotLink, newSlot("other", t0.Add(time.Hour)), "")
		}},
		{"redeemed", func(c login.Contact, sl login.Slot) {
			sess := newSession(c.TenantID, c.ID, "s")
			f.redeem(login.Redemption{Now: t0, Session: &sess,
				Slot: &login.SlotRef{TenantID: c.TenantID, ContactID: c.ID, Which: login.SlotLogin, TokenHash: sl.TokenHash}})
		}},
		{"code failed", func(c login.Contact, sl login.Slot) {
			err := f.s.RecordCodeFailure(f.ctx, login.CodeFailure{Now: t0,
				Slots: []login.SlotRef{{TenantID: c.TenantID, ContactID: c.ID, Which: login.SlotLogin, TokenHash: sl.TokenHash, NeedTries: true}}})
			if err != nil {
				f.Fatalf("RecordCodeFailure: %v", err)
			}
		}},
		{"sessions revoked", func(c login.Contact, _ login.Slot) {
			if _, err := f.s.RevokeSessions(f.ctx, c.TenantID, c.ID, t0, nil); err != nil {
				f.Fatalf("RevokeSessions: %v", err)
			}
		}},
	}
	for i, tt := range tests {
		tenant := []string{"ta", "tb", "tc", "td"}[i]
		c := f.contact(tenant, "c1", "ana@example.com", "")
		sl := newSlot("a", t0.Add(10*time.Minute))
		f.setSlot(c, login.SlotLogin, sl, "")
		snap := f.get(tenant, "c1")
		tt.write(snap, sl)
		after := f.get(tenant, "c1")
		c = snap
		c.Name, c.Version = "Renamed", snap.Version+1
		f.wantErr(tt.name+": UpdateContact from the snapshot before", f.s.UpdateContact(f.ctx, snap, c, nil), login.ErrStale)
		f.eq(tt.name+": GetContact after the stale update", f.get(tenant, "c1"), after)
		c = after
		c.Name, c.Version = "Renamed", after.Version+1
		if err := f.s.UpdateContact(f.ctx, after, c, nil); err != nil {
			f.Errorf("%s: UpdateContact from a fresh read: %v", tt.name, err)
		}
	}
}
