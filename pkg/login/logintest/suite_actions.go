package logintest

import (
	"time"

	"github.com/portalpass/portalpass/pkg/login"
)

// newAction returns an action link made an hour before t0.
func newAction(tenantID, id, contactID, ref string, exp time.Time) login.ActionLink {
	return login.ActionLink{ID: id, TenantID: tenantID, ContactID: contactID, Hash: hash("action:" + tenantID + "/" + id),
		Redirect: "/invoices/" + id, Ref: ref, CreatedAt: t0.Add(-time.Hour), ExpiresAt: exp}
}

func (f *fx) putAction(a login.ActionLink, events ...login.AuditEvent) {
	f.Helper()
	if err := f.admin().PutActionLink(f.ctx, a, events); err != nil {
		f.Fatalf("PutActionLink(%s/%s): %v", a.TenantID, a.ID, err)
	}
}

func (f *fx) getAction(tenantID, id string) login.ActionLink {
	f.Helper()
	a, err := f.admin().GetActionLink(f.ctx, tenantID, id)
	if err != nil {
		f.Fatalf("GetActionLink(%s/%s): %v", tenantID, id, err)
	}
	return a
}

func (f *fx) revokeActions(what, tenantID, id, ref string, want int) {
	f.Helper()
	got, err := f.admin().RevokeActionLinks(f.ctx, tenantID, id, ref, t0, []login.AuditEvent{
		{ID: "revoke:" + what, TenantID: tenantID, At: t0, Type: login.EventActionLinkRevoked, Actor: "apikey:k1"}})
	if err != nil || got != want {
		f.Errorf("%s: RevokeActionLinks = %d, %v; want %d", what, got, err, want)
	}
}

// wantEvents fails unless tenantID's events of type typ have the ids want.
func (f *fx) wantEvents(what, tenantID string, typ login.EventType, want ...string) {
	f.Helper()
	es, _, err := f.admin().ListEvents(f.ctx, tenantID, login.EventQuery{Type: typ, Limit: 100})
	if err != nil {
		f.Fatalf("%s: ListEvents: %v", what, err)
	}
	var got []string
	for _, e := range es {
		got = append(got, e.ID)
	}
	f.eq(what+": events "+string(typ), got, want)
}

// useAction redeems a into a new session named name at now.
func useAction(a login.ActionLink, name string, now, notBefore time.Time, keepSlots bool) login.Redemption {
	sess := newSession(a.TenantID, a.ContactID, name)
	sess.Via, sess.CreatedAt, sess.ExpiresAt = "action_link", now, now.Add(24*time.Hour)
	return login.Redemption{Now: now, Action: &login.ActionRef{TenantID: a.TenantID, ID: a.ID, Hash: a.Hash},
		Session: &sess, KeepSlots: keepSlots, NotBefore: notBefore,
		Events: []login.AuditEvent{{ID: "used:" + name, TenantID: a.TenantID, At: now, Type: login.EventActionLinkUsed, ContactID: a.ContactID}}}
}

var actionCases = []storeCase{
	{"put and get action links", func(f *fx) {
		a := newAction("t1", "a1", "c1", "invoice-42", t0.Add(24*time.Hour))
		f.putAction(a, login.AuditEvent{ID: "e1", TenantID: "t1", At: t0, Type: login.EventActionLinkCreated, ContactID: "c1"})
		noRef := newAction("t1", "a2", "c1", "", t0.Add(time.Hour))
		f.putAction(noRef)
		f.eq("GetActionLink(a1)", f.getAction("t1", "a1"), a)
		f.eq("GetActionLink(a2)", f.getAction("t1", "a2"), noRef)
		for _, tt := range []struct{ tenant, id string }{{"t2", "a1"}, {"t10", "a1"}, {"t1", "a9"}} {
			_, err := f.admin().GetActionLink(f.ctx, tt.tenant, tt.id)
			f.wantErr("GetActionLink("+tt.tenant+"/"+tt.id+")", err, login.ErrNotFound)
		}
		f.wantEvents("PutActionLink", "t1", login.EventActionLinkCreated, "e1")
	}},
	{"revoke an action link by id", func(f *fx) {
		live := newAction("t1", "a1", "c1", "r", t0.Add(time.Hour))
		expired := newAction("t1", "a2", "c1", "", t0)
		other := newAction("t2", "a1", "c1", "r", t0.Add(time.Hour))
		for _, a := range []login.ActionLink{live, expired, other} {
			f.putAction(a)
		}
		f.revokeActions("live", "t1", "a1", "", 1)
		f.revokeActions("again", "t1", "a1", "", 0)
		f.revokeActions("expired", "t1", "a2", "", 0)
		_, err := f.admin().RevokeActionLinks(f.ctx, "t1", "a9", "", t0, nil)
		f.wantErr("RevokeActionLinks(unknown id)", err, login.ErrNotFound)
		if !f.getAction("t1", "a1").Revoked || !f.getAction("t1", "a2").Revoked {
			f.Errorf("links revoked by id do not show Revoked")
		}
		f.eq("t2's link with the same id", f.getAction("t2", "a1"), other)
		f.wantEvents("revoke by id", "t1", login.EventActionLinkRevoked, "revoke:live", "revoke:expired", "revoke:again")
	}},
	{"revoke action links by ref", func(f *fx) {
		links := []login.ActionLink{
			newAction("t1", "a1", "c1", "r", t0.Add(time.Hour)),
			newAction("t1", "a2", "c2", "r", t0.Add(24*time.Hour)),
			newAction("t1", "a3", "c1", "r", t0), // expired
			newAction("t1", "a4", "c1", "r", t0.Add(time.Hour)),
			newAction("t1", "a5", "c1", "r2", t0.Add(time.Hour)),
			newAction("t2", "a1", "c1", "r", t0.Add(time.Hour)),
			newAction("t10", "a1", "c1", "r", t0.Add(time.Hour)),
		}
		for _, a := range links {
			f.putAction(a)
		}
		f.revokeActions("a4 by id", "t1", "a4", "", 1)
		f.revokeActions("by ref", "t1", "", "r", 2)
		f.revokeActions("by ref again", "t1", "", "r", 0)
		f.revokeActions("unknown ref", "t1", "", "r9", 0)
		for _, id := range []string{"a1", "a2", "a4"} {
			if !f.getAction("t1", id).Revoked {
				f.Errorf("t1/%s is not revoked", id)
			}
		}
		f.eq("t1/a5 of another ref", f.getAction("t1", "a5"), links[4])
		f.eq("t2/a1", f.getAction("t2", "a1"), links[5])
		f.eq("t10/a1", f.getAction("t10", "a1"), links[6])
	}},
	{"redeem with an action link", func(f *fx) {
		c := f.contact("t1", "c1", "ana@example.com", "")
		f.session(c, "first", t0.Add(time.Hour)) // LastLoginAt = t0
		f.setSlot(c, login.SlotLogin, newSlot("login", t0.Add(10*time.Minute)), login.EmailKey("ana@example.com"))
		f.setSlot(c, login.SlotLink, newSlot("invite", t0.Add(24*time.Hour)), "")
		before := f.get("t1", "c1")
		a := newAction("t1", "a1", "c1", "r", t0.Add(24*time.Hour))
		f.putAction(a)
		now := t0.Add(time.Minute)
		for _, name := range []string{"use1", "use2", "use3"} {
			r := useAction(a, name, now, a.CreatedAt, true)
			f.redeem(r)
			got, _, err := f.s.GetSession(f.ctx, "t1", "c1", r.Session.Hash)
			if err != nil {
				f.Fatalf("GetSession(%s): %v", name, err)
			}
			f.eq("session "+name, got, *r.Session)
		}
		after := f.get("t1", "c1")
		f.eq("Login slot after KeepSlots", after.Login, before.Login)
		f.eq("Link slot after KeepSlots", after.Link, before.Link)
		f.eq("LastLoginAt after KeepSlots", after.LastLoginAt, before.LastLoginAt)
		if m := match(f.find(login.EmailKey("ana@example.com")), "t1"); m == nil || m.Login == nil {
			f.Errorf("the login mirror was cleared by an action link's session")
		}
		f.eq("the link after its uses", f.getAction("t1", "a1"), a)
		f.wantEvents("uses", "t1", login.EventActionLinkUsed, "used:use3", "used:use2", "used:use1")
		// Without KeepSlots the session is a login.
		f.redeem(useAction(a, "login", now, time.Time{}, false))
		if got := f.get("t1", "c1"); !got.LastLoginAt.Equal(now) || got.Login != nil || got.Link != nil {
			f.Errorf("after a login by action link: LastLoginAt %v, Login %v, Link %v; want %v and no slots", got.LastLoginAt, got.Login, got.Link, now)
		}
	}},
	{"action links that cannot be used", func(f *fx) {
		f.contact("t1", "c1", "ana@example.com", "")
		off := newContact("t1", "c2", "bo@example.com", "")
		off.Access = login.AccessDisabled
		f.create(off)
		f.contact("t2", "c1", "ana@example.com", "")
		valid := newAction("t1", "ok", "c1", "", t0.Add(time.Hour))
		revoked := newAction("t1", "revoked", "c1", "", t0.Add(time.Hour))
		both := newAction("t1", "both", "c1", "", t0)
		for _, a := range []login.ActionLink{valid, revoked, both, newAction("t2", "other", "c1", "", t0.Add(time.Hour)),
			newAction("t1", "now", "c1", "", t0), newAction("t1", "past", "c1", "", t0.Add(-time.Second)),
			newAction("t1", "off", "c2", "", t0.Add(time.Hour)), newAction("t1", "gone", "c9", "", t0.Add(time.Hour))} {
			f.putAction(a)
		}
		f.revokeActions("revoked", "t1", "revoked", "", 1)
		f.revokeActions("both", "t1", "both", "", 0)
		wrongHash := valid
		wrongHash.Hash = hash("another token")
		inT1 := newAction("t2", "other", "c1", "", t0.Add(time.Hour))
		inT1.TenantID = "t1"
		tests := []struct {
			name string
			a    login.ActionLink
			want error
		}{
			{"revoked", revoked, login.ErrLinkInvalid},
			{"revoked and expired", both, login.ErrLinkInvalid},
			{"expired at now", newAction("t1", "now", "c1", "", t0), login.ErrLinkExpired},
			{"expired before now", newAction("t1", "past", "c1", "", t0), login.ErrLinkExpired},
			{"wrong hash", wrongHash, login.ErrLinkInvalid},
			{"unknown id", newAction("t1", "nope", "c1", "", t0.Add(time.Hour)), login.ErrLinkInvalid},
			{"another tenant's link", inT1, login.ErrLinkInvalid},
			{"disabled contact", newAction("t1", "off", "c2", "", t0.Add(time.Hour)), login.ErrLinkInvalid},
			{"missing contact", newAction("t1", "gone", "c9", "", t0.Add(time.Hour)), login.ErrLinkInvalid},
		}
		for _, tt := range tests {
			r := useAction(tt.a, tt.name, t0, tt.a.CreatedAt, true)
			f.wantErr(tt.name, f.s.Redeem(f.ctx, r), tt.want)
			if f.hasSession(r.Session.TenantID, r.Session.ContactID, r.Session.Hash) {
				f.Errorf("%s: the session was created", tt.name)
			}
		}
		f.wantEvents("failed uses", "t1", login.EventActionLinkUsed)
		f.redeem(useAction(valid, "valid", t0, valid.CreatedAt, true))
	}},
	{"not before", func(f *fx) {
		c := f.contact("t1", "c1", "ana@example.com", "")
		old := f.session(c, "old", t0.Add(time.Hour))
		if _, err := f.s.RevokeSessions(f.ctx, "t1", "c1", t0, nil); err != nil {
			f.Fatalf("RevokeSessions: %v", err)
		}
		a := newAction("t1", "a1", "c1", "", t0.Add(time.Hour)) // made before the revocation
		f.putAction(a)
		sl := newSlot("a", t0.Add(10*time.Minute))
		f.setSlot(c, login.SlotLogin, sl, "")
		before := f.get("t1", "c1")
		now := t0.Add(time.Minute)
		for _, keep := range []bool{true, false} {
			r := useAction(a, "stale", now, a.CreatedAt, keep)
			f.wantErr("action link made before the revocation", f.s.Redeem(f.ctx, r), login.ErrLinkInvalid)
		}
		slotSess := newSession("t1", "c1", "slot")
		err := f.s.Redeem(f.ctx, login.Redemption{Now: now, Slot: slotRef(c, login.SlotLogin, sl), Session: &slotSess, NotBefore: t0.Add(-time.Second)})
		f.wantErr("slot with NotBefore before the revocation", err, login.ErrLinkInvalid)
		f.wantUnredeemed("slot with NotBefore before the revocation", before, sl, "slot")
		if f.hasSession("t1", "c1", hash("session:stale")) || f.hasSession("t1", "c1", old.Hash) {
			f.Errorf("a session exists after the failed redeems")
		}
		f.eq("contact after the failed redeems", f.get("t1", "c1"), before)
		f.wantEvents("failed redeems", "t1", login.EventActionLinkUsed)
		for i, nb := range []time.Time{t0, t0.Add(time.Second)} {
			name := []string{"at", "after"}[i]
			f.redeem(useAction(a, name, now, nb, true))
		}
		// NotBefore unset checks nothing.
		f.redeem(useAction(a, "unset", now, time.Time{}, true))
	}},
}
