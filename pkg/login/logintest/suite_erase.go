package logintest

import (
	"strings"
	"time"

	"github.com/portalpass/portalpass/pkg/login"
)

// eventOf returns an audit event of a contact with an address, a user
// agent and a detail that names addr.
func eventOf(tenantID, contactID, id, addr string, at time.Time) login.AuditEvent {
	return login.AuditEvent{
		ID: id, TenantID: tenantID, At: at, Type: login.EventDeliveryBounced, ContactID: contactID,
		Actor: "customer", Channel: "email", IP: "192.0.2.7", UserAgent: "Mozilla/5.0 test",
		Detail: map[string]string{"address": addr, "reason": "mailbox full"},
	}
}

// contactEvents lists a tenant's events of a contact, newest first.
func (f *fx) contactEvents(tenantID, contactID string) []login.AuditEvent {
	f.Helper()
	es, _, err := f.s.ListEvents(f.ctx, tenantID, login.EventQuery{ContactID: contactID, Limit: 100})
	if err != nil {
		f.Fatalf("ListEvents(%s/%s): %v", tenantID, contactID, err)
	}
	return es
}

var eraseCases = []storeCase{
	{"erase", func(f *fx) {
		const email, phone = "ana@example.com", "+14155550100"
		c := f.contact("t1", "c1", email, phone)
		other := f.contact("t1", "c2", "bo@example.com", "")
		twin := f.contact("t2", "c1", email, phone) // the same person at another tenant
		sessions := []login.Session{f.session(c, "a", t0.Add(time.Hour)), f.session(c, "b", t0.Add(24*time.Hour))}
		kept := f.session(other, "other", t0.Add(time.Hour))
		action := newAction("t1", "a1", "c1", "", t0.Add(24*time.Hour))
		f.putAction(action)
		if err := f.s.RecordEvents(f.ctx, []login.AuditEvent{
			eventOf("t1", "c1", "e1", email, t0),
			eventOf("t1", "c1", "e2", phone, t0.Add(time.Second)),
			eventOf("t1", "c2", "e3", "bo@example.com", t0),
			eventOf("t2", "c1", "e4", email, t0),
		}); err != nil {
			f.Fatalf("RecordEvents: %v", err)
		}

		now := t0.Add(time.Minute)
		erased := login.AuditEvent{ID: "e9", TenantID: "t1", At: now, Type: login.EventContactErased, ContactID: "c1", Actor: "apikey:k1"}
		if err := f.s.EraseContact(f.ctx, "t1", "c1", now, []login.AuditEvent{erased}); err != nil {
			f.Fatalf("EraseContact: %v", err)
		}

		_, err := f.s.GetContact(f.ctx, "t1", "c1")
		f.wantErr("GetContact after erase", err, login.ErrNotFound)
		for _, key := range []string{login.EmailKey(email), login.PhoneKey(phone)} {
			for _, m := range f.find(key).Matches {
				if m.TenantID == "t1" {
					f.Errorf("FindIdentity(%s) still finds t1/%s", key, m.ContactID)
				}
			}
		}
		if ms := f.find(login.EmailKey(email)).Matches; len(ms) != 1 || ms[0].TenantID != "t2" {
			f.Errorf("FindIdentity(email) = %+v; want only t2's contact", ms)
		}
		for _, s := range sessions {
			if f.hasSession("t1", "c1", s.Hash) {
				f.Errorf("a session of the erased contact is still there")
			}
		}
		if !f.hasSession("t1", "c2", kept.Hash) {
			f.Errorf("EraseContact deleted another contact's session")
		}
		err = f.s.Redeem(f.ctx, useAction(action, "by action", now.Add(time.Second), time.Time{}, true))
		f.wantErr("Redeem(action link of the erased contact)", err, login.ErrLinkInvalid)

		es := f.contactEvents("t1", "c1")
		var ids []string
		for _, e := range es {
			ids = append(ids, e.ID)
			if e.IP != "" || e.UserAgent != "" {
				f.Errorf("event %s of the erased contact keeps IP %q, user agent %q", e.ID, e.IP, e.UserAgent)
			}
			for k, v := range e.Detail {
				if strings.Contains(v, email) || strings.Contains(v, phone) {
					f.Errorf("event %s of the erased contact keeps detail %s = %q", e.ID, k, v)
				}
			}
			if e.Type == login.EventDeliveryBounced && e.Detail["reason"] != "mailbox full" {
				f.Errorf("event %s: detail reason = %q; want it kept", e.ID, e.Detail["reason"])
			}
		}
		f.eq("events of the erased contact", ids, []string{"e9", "e2", "e1"})
		for _, tc := range []struct{ tenant, contact, addr string }{{"t1", "c2", "bo@example.com"}, {"t2", "c1", email}} {
			es := f.contactEvents(tc.tenant, tc.contact)
			if len(es) != 1 || es[0].IP == "" || es[0].UserAgent == "" || es[0].Detail["address"] != tc.addr {
				f.Errorf("events of %s/%s = %+v; want theirs kept whole", tc.tenant, tc.contact, es)
			}
		}
		f.get("t2", twin.ID)

		err = f.s.EraseContact(f.ctx, "t1", "c1", now, nil)
		f.wantErr("EraseContact again", err, login.ErrNotFound)
	}},
	{"erase is scoped by tenant", func(f *fx) {
		f.contact("t1", "c1", "ana@example.com", "")
		err := f.s.EraseContact(f.ctx, "t2", "c1", t0, nil)
		f.wantErr("EraseContact(t2/c1)", err, login.ErrNotFound)
		f.get("t1", "c1")
		if ms := f.find(login.EmailKey("ana@example.com")).Matches; len(ms) != 1 {
			f.Errorf("FindIdentity after another tenant's erase = %+v; want t1's contact", ms)
		}
	}},
	{"erase of many sessions", func(f *fx) {
		c := f.contact("t1", "c1", "ana@example.com", "")
		var sessions []login.Session
		for i := range 105 { // more than one DynamoDB transaction holds
			sessions = append(sessions, f.session(c, "s"+strings.Repeat("x", i), t0.Add(time.Hour)))
		}
		if err := f.s.EraseContact(f.ctx, "t1", "c1", t0, nil); err != nil {
			f.Fatalf("EraseContact: %v", err)
		}
		for _, s := range sessions {
			if f.hasSession("t1", "c1", s.Hash) {
				f.Fatalf("a session of the erased contact is still there")
			}
		}
	}},
}
