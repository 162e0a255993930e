package logintest

import (
	"slices"
	"strings"
	"time"

	"github.com/portalpass/portalpass/pkg/login"
)

var identityCases = []storeCase{
	{"unknown identifier is an empty record", func(f *fx) {
		f.contact("t1", "c1", "ana@example.com", "")
		rec := f.find(login.EmailKey("nobody@example.com"))
		if len(rec.Matches) != 0 || rec.Multi != nil || len(rec.Counters) != 0 {
			f.Errorf("FindIdentity(unknown) = %+v; want an empty record", rec)
		}
	}},
	{"finds the contact in every tenant", func(f *fx) {
		f.contact("t1", "c1", "ana@example.com", "+14155550101")
		b := newContact("t2", "c7", "ana@example.com", "")
		b.Access, b.Name = login.AccessInvited, "Ana at t2"
		f.create(b)
		f.contact("t3", "c1", "bo@example.com", "+14155550102")
		key := login.EmailKey("ana@example.com")
		rec := f.find(key)
		if rec.Key != key {
			f.Errorf("FindIdentity(%s).Key = %q", key, rec.Key)
		}
		got := slices.Clone(rec.Matches)
		slices.SortFunc(got, func(x, y login.IdentityMatch) int { return strings.Compare(x.TenantID, y.TenantID) })
		f.eq("FindIdentity(email).Matches", got, []login.IdentityMatch{
			{TenantID: "t1", ContactID: "c1", Access: login.AccessActive, Email: "ana@example.com", Phone: "+14155550101", Name: "Name of c1"},
			{TenantID: "t2", ContactID: "c7", Access: login.AccessInvited, Email: "ana@example.com", Name: "Ana at t2"},
		})
		f.eq("FindIdentity(phone).Matches", f.find(login.PhoneKey("+14155550101")).Matches, []login.IdentityMatch{
			{TenantID: "t1", ContactID: "c1", Access: login.AccessActive, Email: "ana@example.com", Phone: "+14155550101", Name: "Name of c1"},
		})
	}},
	{"mirror of the login slot", func(f *fx) {
		a := f.contact("t1", "c1", "ana@example.com", "+14155550101")
		f.contact("t2", "c7", "ana@example.com", "")
		key := login.EmailKey("ana@example.com")
		first, second := newSlot("first", t0.Add(10*time.Minute)), newSlot("second", t0.Add(11*time.Minute))
		f.setSlot(a, login.SlotLogin, first, key)
		rec := f.find(key)
		if m := match(rec, "t1"); m == nil {
			f.Errorf("FindIdentity lost t1's match")
		} else {
			f.eq("t1 mirror", m.Login, &first)
		}
		if m := match(rec, "t2"); m == nil || m.Login != nil {
			f.Errorf("t2 match = %+v; want one without a mirror", m)
		}
		if m := match(f.find(login.PhoneKey("+14155550101")), "t1"); m == nil || m.Login != nil {
			f.Errorf("phone match = %+v; want one without a mirror (only the identifier used holds it)", m)
		}
		f.setSlot(a, login.SlotLogin, second, key)
		if m := match(f.find(key), "t1"); m == nil {
			f.Errorf("FindIdentity lost t1's match")
		} else {
			f.eq("t1 mirror after a new attempt", m.Login, &second)
		}
	}},
	{"counters of the identifier", func(f *fx) {
		f.contact("t1", "c1", "ana@example.com", "")
		ana, bo := login.EmailKey("ana@example.com"), login.EmailKey("bo@example.com") // bo has no contact
		exp := t0.Add(15 * time.Minute)
		w := login.AttemptWrite{Now: t0, Counters: []login.Counter{
			{Subject: ana, Key: "send#1", Limit: 5, ExpiresAt: exp},
			{Subject: ana, Key: "codefail#1", ExpiresAt: exp},
			{Subject: "ip:192.0.2.1", Key: "send#1", Limit: 60, ExpiresAt: exp},
			{Subject: bo, Key: "send#1", Limit: 5, ExpiresAt: exp},
		}}
		f.save(w)
		f.save(login.AttemptWrite{Now: t0.Add(time.Second), Counters: w.Counters[:1]})
		f.eq("FindIdentity(ana).Counters", f.find(ana).Counters, map[string]int{"send#1": 2, "codefail#1": 1})
		rec := f.find(bo)
		f.eq("FindIdentity(bo).Counters", rec.Counters, map[string]int{"send#1": 1})
		if len(rec.Matches) != 0 {
			f.Errorf("FindIdentity(bo).Matches = %+v; want none", rec.Matches)
		}
	}},
}
