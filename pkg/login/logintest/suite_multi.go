package logintest

import (
	"time"

	"github.com/portalpass/portalpass/pkg/login"
)

// twoTenants makes ana a contact of t1 and t2 and returns her key and targets.
func (f *fx) twoTenants() (string, []login.Target) {
	f.Helper()
	f.contact("t1", "c1", "ana@example.com", "")
	f.contact("t2", "c2", "ana@example.com", "")
	return login.EmailKey("ana@example.com"), []login.Target{{TenantID: "t1", ContactID: "c1"}, {TenantID: "t2", ContactID: "c2"}}
}

func multiRef(m login.MultiAttempt) *login.MultiRef {
	return &login.MultiRef{IdentHash: login.IdentHash(m.IdentKey), TokenHash: m.TokenHash}
}

func newPicker(name string, exp time.Time, targets []login.Target, identKey string) login.Picker {
	return login.Picker{
		Hash:          hash("picker:" + name),
		Targets:       targets,
		Via:           "link",
		Redirect:      "/p/" + name,
		CreatedAt:     t0,
		ExpiresAt:     exp,
		Attempt:       login.IdentHash(identKey),
		CodeChallenge: "challenge-" + name,
	}
}

// picker stores a picker by redeeming a fresh several-tenant attempt.
func (f *fx) picker(name string, exp time.Time, targets []login.Target, identKey string) login.Picker {
	f.Helper()
	m := newMulti("for-picker:"+name, identKey, t0.Add(10*time.Minute), targets...)
	f.save(login.AttemptWrite{Now: t0, Multi: &m})
	p := newPicker(name, exp, targets, identKey)
	f.redeem(login.Redemption{Now: t0, Multi: multiRef(m), NewPicker: &p})
	return p
}

// wantMulti fails unless GetMulti finds m.
func (f *fx) wantMulti(what string, m login.MultiAttempt) {
	f.Helper()
	got, err := f.s.GetMulti(f.ctx, login.IdentHash(m.IdentKey))
	if err != nil {
		f.Errorf("%s: GetMulti: %v", what, err)
		return
	}
	f.eq(what+": GetMulti", got, m)
}

// wantNoPicker fails unless GetPicker finds nothing with that hash.
func (f *fx) wantNoPicker(what string, h []byte) {
	f.Helper()
	_, err := f.s.GetPicker(f.ctx, h)
	f.wantErr(what+": GetPicker", err, login.ErrNotFound)
}

var multiCases = []storeCase{
	{"multi into a picker", func(f *fx) {
		key, targets := f.twoTenants()
		m := newMulti("m", key, t0.Add(10*time.Minute), targets...)
		f.save(login.AttemptWrite{Now: t0, Multi: &m})
		p := newPicker("p", t0.Add(5*time.Minute), targets, key)
		f.redeem(login.Redemption{Now: t0, Multi: multiRef(m), NewPicker: &p})
		got, err := f.s.GetPicker(f.ctx, p.Hash)
		if err != nil {
			f.Fatalf("GetPicker: %v", err)
		}
		f.eq("GetPicker", got, p)
		_, err = f.s.GetMulti(f.ctx, login.IdentHash(key))
		f.wantErr("GetMulti after redeem", err, login.ErrNotFound)
		p2 := newPicker("p2", t0.Add(5*time.Minute), targets, key)
		err = f.s.Redeem(f.ctx, login.Redemption{Now: t0, Multi: multiRef(m), NewPicker: &p2})
		f.wantErr("second Redeem", err, login.ErrLinkInvalid)
		f.wantNoPicker("after the second redeem", p2.Hash)
	}},
	{"multi into a session", func(f *fx) {
		key, targets := f.twoTenants()
		m := newMulti("m", key, t0.Add(10*time.Minute), targets...)
		f.save(login.AttemptWrite{Now: t0, Multi: &m})
		sess := newSession("t2", "c2", "s")
		f.redeem(login.Redemption{Now: t0, Multi: multiRef(m), Session: &sess})
		_, c, err := f.s.GetSession(f.ctx, "t2", "c2", sess.Hash)
		if err != nil {
			f.Fatalf("GetSession: %v", err)
		}
		if !c.LastLoginAt.Equal(t0) {
			f.Errorf("contact's LastLoginAt = %v; want %v", c.LastLoginAt, t0)
		}
		_, err = f.s.GetMulti(f.ctx, login.IdentHash(key))
		f.wantErr("GetMulti after redeem", err, login.ErrNotFound)
	}},
	{"multi with a wrong hash or identifier", func(f *fx) {
		key, targets := f.twoTenants()
		m := newMulti("m", key, t0.Add(10*time.Minute), targets...)
		f.save(login.AttemptWrite{Now: t0, Multi: &m})
		p := newPicker("p", t0.Add(5*time.Minute), targets, key)
		for name, ref := range map[string]*login.MultiRef{
			"wrong hash":       {IdentHash: login.IdentHash(key), TokenHash: hash("other")},
			"wrong identifier": {IdentHash: login.IdentHash(login.EmailKey("bo@example.com")), TokenHash: m.TokenHash},
		} {
			err := f.s.Redeem(f.ctx, login.Redemption{Now: t0, Multi: ref, NewPicker: &p})
			f.wantErr(name, err, login.ErrLinkInvalid)
		}
		f.wantMulti("after failed redeems", m)
		f.wantNoPicker("after failed redeems", p.Hash)
	}},
	{"multi expired", func(f *fx) {
		key, targets := f.twoTenants()
		m := newMulti("m", key, t0, targets...)
		f.save(login.AttemptWrite{Now: t0.Add(-time.Minute), Multi: &m})
		p := newPicker("p", t0.Add(5*time.Minute), targets, key)
		err := f.s.Redeem(f.ctx, login.Redemption{Now: t0, Multi: multiRef(m), NewPicker: &p})
		f.wantErr("Redeem(expired multi)", err, login.ErrLinkExpired)
		f.wantMulti("after the expired redeem", m)
		f.wantNoPicker("after the expired redeem", p.Hash)
	}},
	{"multi code path needs a try", func(f *fx) {
		key, targets := f.twoTenants()
		m := newMulti("m", key, t0.Add(10*time.Minute), targets...)
		m.TriesLeft = 0
		f.save(login.AttemptWrite{Now: t0, Multi: &m})
		p := newPicker("p", t0.Add(5*time.Minute), targets, key)
		ref := multiRef(m)
		ref.NeedTries = true
		err := f.s.Redeem(f.ctx, login.Redemption{Now: t0, Multi: ref, NewPicker: &p})
		f.wantErr("Redeem(NeedTries, no try left)", err, login.ErrLinkInvalid)
		f.wantMulti("after the failed redeem", m)
	}},
	{"picker into a session", func(f *fx) {
		key, targets := f.twoTenants()
		p := f.picker("p", t0.Add(5*time.Minute), targets, key)
		now := t0.Add(time.Minute)
		sess := newSession("t2", "c2", "s")
		f.redeem(login.Redemption{Now: now, Picker: p.Hash, Session: &sess})
		_, c, err := f.s.GetSession(f.ctx, "t2", "c2", sess.Hash)
		if err != nil {
			f.Fatalf("GetSession: %v", err)
		}
		if !c.LastLoginAt.Equal(now) {
			f.Errorf("contact's LastLoginAt = %v; want %v", c.LastLoginAt, now)
		}
		f.wantNoPicker("after redeem", p.Hash)
		sess2 := newSession("t1", "c1", "s2")
		err = f.s.Redeem(f.ctx, login.Redemption{Now: now, Picker: p.Hash, Session: &sess2})
		f.wantErr("second Redeem of the picker", err, login.ErrLinkInvalid)
		if f.hasSession("t1", "c1", sess2.Hash) {
			f.Errorf("the second redeem created a session")
		}
	}},
	{"picker expired or unknown", func(f *fx) {
		key, targets := f.twoTenants()
		p := f.picker("p", t0.Add(5*time.Minute), targets, key)
		sess := newSession("t1", "c1", "s")
		err := f.s.Redeem(f.ctx, login.Redemption{Now: t0.Add(5 * time.Minute), Picker: p.Hash, Session: &sess})
		f.wantErr("Redeem(expired picker)", err, login.ErrLinkExpired)
		if _, err := f.s.GetPicker(f.ctx, p.Hash); err != nil {
			f.Errorf("GetPicker after the expired redeem: %v; want it kept", err)
		}
		err = f.s.Redeem(f.ctx, login.Redemption{Now: t0, Picker: hash("unknown"), Session: &sess})
		f.wantErr("Redeem(unknown picker)", err, login.ErrLinkInvalid)
		if f.hasSession("t1", "c1", sess.Hash) {
			f.Errorf("a failed redeem created a session")
		}
	}},
	{"picker for a contact that cannot log in", func(f *fx) {
		key, targets := f.twoTenants()
		old := f.get("t2", "c2")
		c := old
		c.Access, c.Version = login.AccessDisabled, old.Version+1
		if err := f.s.UpdateContact(f.ctx, old, c, nil); err != nil {
			f.Fatalf("UpdateContact: %v", err)
		}
		p := f.picker("p", t0.Add(5*time.Minute), targets, key)
		sess := newSession("t2", "c2", "s")
		err := f.s.Redeem(f.ctx, login.Redemption{Now: t0, Picker: p.Hash, Session: &sess})
		f.wantErr("Redeem into a disabled contact", err, login.ErrLinkInvalid)
		if _, err := f.s.GetPicker(f.ctx, p.Hash); err != nil {
			f.Errorf("GetPicker after the failed redeem: %v; want it kept", err)
		}
	}},
	{"concurrent picker redeems have one winner", func(f *fx) {
		key, targets := f.twoTenants()
		p := f.picker("p", t0.Add(5*time.Minute), targets, key)
		f.race(func(i int, name string) error {
			sess := newSession("t1", "c1", name)
			return f.s.Redeem(f.ctx, login.Redemption{Now: t0, Picker: p.Hash, Session: &sess})
		}, func(name string) bool { return f.hasSession("t1", "c1", hash("session:"+name)) })
	}},
	{"concurrent multi redeems have one winner", func(f *fx) {
		key, targets := f.twoTenants()
		m := newMulti("m", key, t0.Add(10*time.Minute), targets...)
		f.save(login.AttemptWrite{Now: t0, Multi: &m})
		f.race(func(i int, name string) error {
			p := newPicker(name, t0.Add(5*time.Minute), targets, key)
			return f.s.Redeem(f.ctx, login.Redemption{Now: t0, Multi: multiRef(m), NewPicker: &p})
		}, func(name string) bool {
			_, err := f.s.GetPicker(f.ctx, hash("picker:"+name))
			return err == nil
		})
	}},
}
