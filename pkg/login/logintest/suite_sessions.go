package logintest

import (
	"errors"
	"time"

	"github.com/portalpass/portalpass/pkg/login"
)

var sessionCases = []storeCase{
	{"get is scoped by tenant and contact", func(f *fx) {
		c := f.contact("t1", "c1", "ana@example.com", "")
		f.contact("t1", "c2", "bo@example.com", "")
		f.contact("t2", "c1", "ana@example.com", "")
		s := f.session(c, "s", t0.Add(time.Hour))
		for _, tt := range []struct{ tenant, contact string }{{"t2", "c1"}, {"t1", "c2"}, {"t9", "c1"}} {
			_, _, err := f.s.GetSession(f.ctx, tt.tenant, tt.contact, s.Hash)
			f.wantErr("GetSession("+tt.tenant+"/"+tt.contact+")", err, login.ErrNotFound)
		}
		_, _, err := f.s.GetSession(f.ctx, "t1", "c1", hash("unknown"))
		f.wantErr("GetSession(unknown hash)", err, login.ErrNotFound)
		if !f.hasSession("t1", "c1", s.Hash) {
			f.Errorf("GetSession(t1/c1) lost the session")
		}
	}},
	{"delete", func(f *fx) {
		c := f.contact("t1", "c1", "ana@example.com", "")
		f.contact("t2", "c1", "ana@example.com", "")
		s := f.session(c, "s", t0.Add(time.Hour))
		// Another tenant's or contact's pair does not name this session.
		for _, tt := range []struct{ tenant, contact string }{{"t2", "c1"}, {"t1", "c2"}} {
			err := f.s.DeleteSession(f.ctx, tt.tenant, tt.contact, s.Hash, t0, nil)
			if err != nil && !errors.Is(err, login.ErrNotFound) {
				f.Errorf("DeleteSession(%s/%s): %v", tt.tenant, tt.contact, err)
			}
			if !f.hasSession("t1", "c1", s.Hash) {
				f.Fatalf("DeleteSession(%s/%s) deleted t1/c1's session", tt.tenant, tt.contact)
			}
		}
		ev := []login.AuditEvent{{ID: "e1", TenantID: "t1", At: t0, Type: login.EventLogout, ContactID: "c1", Actor: "customer"}}
		if err := f.s.DeleteSession(f.ctx, "t1", "c1", s.Hash, t0, ev); err != nil {
			f.Fatalf("DeleteSession: %v", err)
		}
		if f.hasSession("t1", "c1", s.Hash) {
			f.Errorf("GetSession after DeleteSession found the session")
		}
		if err := f.s.DeleteSession(f.ctx, "t1", "c1", s.Hash, t0, nil); err != nil {
			f.Errorf("DeleteSession again: %v; want no error", err)
		}
	}},
	{"delete records only a live session's end", func(f *fx) {
		c := f.contact("t1", "c1", "ana@example.com", "")
		f.contact("t2", "c1", "ana@example.com", "")
		live := f.session(c, "live", t0.Add(time.Hour))
		expired := f.session(c, "expired", t0.Add(time.Minute))
		now := t0.Add(time.Minute) // expired's end: no longer live
		logout := func(id, tenant string) []login.AuditEvent {
			return []login.AuditEvent{{ID: id, TenantID: tenant, At: now, Type: login.EventLogout, ContactID: "c1", Actor: "customer",
				ExpiresAt: now.Add(24 * time.Hour)}}
		}
		// A token may name any tenant, contact and hash: none of these
		// ended a session, so none may write its event.
		for _, tt := range []struct {
			name, tenant string
			hash         []byte
		}{
			{"unknown hash", "t1", hash("session:unknown")},
			{"another tenant's pair", "t2", live.Hash},
			{"expired", "t1", expired.Hash},
		} {
			if err := f.s.DeleteSession(f.ctx, tt.tenant, "c1", tt.hash, now, logout("e-"+tt.tenant, tt.tenant)); err != nil {
				f.Errorf("DeleteSession(%s): %v; want no error", tt.name, err)
			}
		}
		for _, tenant := range []string{"t1", "t2"} {
			if got := f.eventPages(tenant, login.EventQuery{Limit: 10}); len(got) != 0 {
				f.Errorf("events of %s after deletes that ended nothing = %v; want none", tenant, got)
			}
		}
		if !f.hasSession("t1", "c1", live.Hash) {
			f.Fatalf("a delete under another tenant's pair ended the live session")
		}
		if err := f.s.DeleteSession(f.ctx, "t1", "c1", live.Hash, now, logout("e-live", "t1")); err != nil {
			f.Fatalf("DeleteSession(live): %v", err)
		}
		if f.hasSession("t1", "c1", live.Hash) {
			f.Errorf("the live session is still there after DeleteSession")
		}
		f.eq("events of t1 after ending the live session", f.eventPages("t1", login.EventQuery{Limit: 10}), []string{"e-live"})
		if err := f.s.DeleteSession(f.ctx, "t1", "c1", live.Hash, now, logout("e-again", "t1")); err != nil {
			f.Errorf("DeleteSession(live) again: %v; want no error", err)
		}
		f.eq("events of t1 after a second logout", f.eventPages("t1", login.EventQuery{Limit: 10}), []string{"e-live"})
	}},
	{"revoke", func(f *fx) {
		c := f.contact("t1", "c1", "ana@example.com", "")
		other := f.contact("t1", "c2", "bo@example.com", "")
		now := t0.Add(5 * time.Minute)
		sessions := []login.Session{
			f.session(c, "long", t0.Add(30*24*time.Hour)),
			f.session(c, "short", t0.Add(time.Hour)),
			f.session(c, "expired", t0.Add(time.Minute)),
			f.session(c, "at now", now), // not live at now
		}
		kept := f.session(other, "other", t0.Add(time.Hour))
		ev := []login.AuditEvent{{ID: "e1", TenantID: "t1", At: now, Type: login.EventSessionRevoked, ContactID: "c1", Actor: "apikey:k1"}}
		n, err := f.s.RevokeSessions(f.ctx, "t1", "c1", now, ev)
		if err != nil {
			f.Fatalf("RevokeSessions: %v", err)
		}
		if n != 2 {
			f.Errorf("RevokeSessions = %d; want 2 (the live ones)", n)
		}
		if got := f.get("t1", "c1").SessionsNotBefore; !got.Equal(now) {
			f.Errorf("SessionsNotBefore = %v; want %v", got, now)
		}
		for _, s := range sessions {
			if f.hasSession("t1", "c1", s.Hash) {
				f.Errorf("a session of the revoked contact is still there")
			}
		}
		if !f.hasSession("t1", "c2", kept.Hash) {
			f.Errorf("RevokeSessions deleted another contact's session")
		}
		n, err = f.s.RevokeSessions(f.ctx, "t1", "c1", now.Add(time.Second), nil)
		if err != nil || n != 0 {
			f.Errorf("RevokeSessions again = %d, %v; want 0, nil", n, err)
		}
	}},
	{"revoke is scoped by tenant", func(f *fx) {
		c := f.contact("t1", "c1", "ana@example.com", "")
		s := f.session(c, "s", t0.Add(time.Hour))
		n, err := f.s.RevokeSessions(f.ctx, "t2", "c1", t0, nil)
		if err == nil && n != 0 {
			f.Errorf("RevokeSessions(t2/c1) = %d; want 0 or an error", n)
		}
		if !f.hasSession("t1", "c1", s.Hash) {
			f.Errorf("RevokeSessions(t2/c1) deleted t1/c1's session")
		}
		if got := f.get("t1", "c1").SessionsNotBefore; !got.IsZero() {
			f.Errorf("RevokeSessions(t2/c1) set t1/c1's SessionsNotBefore to %v", got)
		}
	}},
}

var eventCases = []storeCase{
	{"record events", func(f *fx) {
		if err := f.s.RecordEvents(f.ctx, nil); err != nil {
			f.Errorf("RecordEvents(nil): %v", err)
		}
		events := []login.AuditEvent{
			{ID: "e1", TenantID: "t1", At: t0, Type: login.EventDeliveryFailed, ContactID: "c1", Actor: "system",
				Channel: "email", Detail: map[string]string{"reason": "bounced"}, ExpiresAt: t0.Add(90 * 24 * time.Hour)},
			{ID: "e2", TenantID: "t2", At: t0, Type: login.EventLoginFailed, Actor: "customer", IP: "192.0.2.1", UserAgent: "test"},
		}
		if err := f.s.RecordEvents(f.ctx, events); err != nil {
			f.Errorf("RecordEvents: %v", err)
		}
	}},
	{"writes take events", func(f *fx) {
		ev := func(id string, typ login.EventType) []login.AuditEvent {
			return []login.AuditEvent{{ID: id, TenantID: "t1", At: t0, Type: typ, ContactID: "c1", Actor: "system",
				Detail: map[string]string{"k": "v"}, ExpiresAt: t0.Add(90 * 24 * time.Hour)}}
		}
		c := newContact("t1", "c1", "ana@example.com", "")
		if err := f.s.CreateContact(f.ctx, c, ev("e1", login.EventContactCreated)); err != nil {
			f.Fatalf("CreateContact: %v", err)
		}
		c2 := c
		c2.Name, c2.Version = "Renamed", 2
		if err := f.s.UpdateContact(f.ctx, c, c2, ev("e2", login.EventContactUpdated)); err != nil {
			f.Fatalf("UpdateContact: %v", err)
		}
		sl := newSlot("a", t0.Add(10*time.Minute))
		f.save(login.AttemptWrite{Now: t0, Events: ev("e3", login.EventLoginRequested),
			Slots: []login.SlotWrite{{TenantID: "t1", ContactID: "c1", Which: login.SlotLogin, Slot: sl}}})
		ref := slotRef(c, login.SlotLogin, sl)
		ref.NeedTries = true
		if err := f.s.RecordCodeFailure(f.ctx, login.CodeFailure{Now: t0, Slots: []login.SlotRef{*ref}, Events: ev("e4", login.EventCodeFailed)}); err != nil {
			f.Fatalf("RecordCodeFailure: %v", err)
		}
		sess := newSession("t1", "c1", "s")
		f.redeem(login.Redemption{Now: t0, Slot: ref, Session: &sess, Events: ev("e5", login.EventLoginRedeemed)})
		if _, err := f.s.RevokeSessions(f.ctx, "t1", "c1", t0, ev("e6", login.EventSessionRevoked)); err != nil {
			f.Fatalf("RevokeSessions: %v", err)
		}
	}},
}
