package logintest

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/portalpass/portalpass/pkg/login"
)

// admin returns the store for the listings of the admin API.
func (f *fx) admin() login.Store { return f.s }

// contactKey is a contact's sort key in the order by (ContactQuery.By).
func contactKey(by string, c login.Contact) string {
	switch by {
	case "name":
		return login.SortKeyName(c)
	case "email":
		return c.Email
	}
	return c.ID
}

// wantContactPages walks q's listing of tenantID with every page size
// from 1 to len(want)+1 and checks that it yields the contacts with the
// ids want, in order: every page but the last full and followed by
// more, the last one not.
func (f *fx) wantContactPages(what, tenantID string, q login.ContactQuery, want []string) {
	f.Helper()
	for limit := 1; limit <= len(want)+1; limit++ {
		var got []string
		q := q
		q.After, q.Limit = "", limit
		for page := 0; ; page++ {
			cs, more, err := f.admin().ListContacts(f.ctx, tenantID, q)
			if err != nil {
				f.Fatalf("%s: ListContacts(limit %d, after %q): %v", what, limit, q.After, err)
			}
			for _, c := range cs {
				got = append(got, c.ID)
			}
			if len(cs) > limit || (more && len(cs) < limit) {
				f.Errorf("%s: limit %d, page %d: %d contacts, more %v; want full pages before the last", what, limit, page, len(cs), more)
			}
			if !more || len(cs) == 0 || page > len(want) {
				break
			}
			q.After = contactKey(q.By, cs[len(cs)-1])
		}
		f.eq(fmt.Sprintf("%s: ids in pages of %d", what, limit), got, want)
	}
}

// wantEventPages is wantContactPages for q's listing of events.
func (f *fx) wantEventPages(what, tenantID string, q login.EventQuery, want []string) {
	f.Helper()
	for limit := 1; limit <= len(want)+1; limit++ {
		var got []string
		q := q
		q.Before, q.Limit = "", limit
		for page := 0; ; page++ {
			es, more, err := f.admin().ListEvents(f.ctx, tenantID, q)
			if err != nil {
				f.Fatalf("%s: ListEvents(limit %d, before %q): %v", what, limit, q.Before, err)
			}
			for _, e := range es {
				got = append(got, e.ID)
			}
			if len(es) > limit || (more && len(es) < limit) {
				f.Errorf("%s: limit %d, page %d: %d events, more %v; want full pages before the last", what, limit, page, len(es), more)
			}
			if !more || len(es) == 0 || page > len(want) {
				break
			}
			q.Before = login.EventSortKey(es[len(es)-1])
		}
		f.eq(fmt.Sprintf("%s: ids in pages of %d", what, limit), got, want)
	}
}

// eventPages follows q's pages to the end and returns the event ids.
func (f *fx) eventPages(tenantID string, q login.EventQuery) []string {
	f.Helper()
	var got []string
	for page := 0; page < 200; page++ {
		es, more, err := f.admin().ListEvents(f.ctx, tenantID, q)
		if err != nil {
			f.Fatalf("ListEvents(%+v): %v", q, err)
		}
		for _, e := range es {
			got = append(got, e.ID)
		}
		if len(es) > q.Limit || (more && len(es) < q.Limit) {
			f.Errorf("ListEvents(%+v) = %d events, more %v; want full pages before the last", q, len(es), more)
		}
		if !more || len(es) == 0 {
			break
		}
		q.Before = login.EventSortKey(es[len(es)-1])
	}
	return got
}

// listFixture creates contacts in t1, and in t2 and t10 contacts that
// share names, emails and ids with them (t10 also shares t1's prefix).
func (f *fx) listFixture() {
	f.Helper()
	for _, c := range []struct{ tenant, id, name, email, phone string }{
		{"t1", "c3", "ANDREW", "andrew@example.net", ""},
		{"t1", "c1", "Ana Alpha", "ana@example.com", ""},
		{"t1", "c5", "", "", "+14155550105"},
		{"t1", "c2", "anabel", "anna@example.org", ""},
		{"t1", "c6", "Ana Alpha", "", "+14155550106"},
		{"t1", "c4", "Bo", "bo@example.com", ""},
		{"t2", "c1", "Ana Other", "ana@example.com", ""},
		{"t2", "c25", "Anastasia", "anastasia@example.com", ""},
		{"t10", "c0", "Ana Zero", "an@example.com", ""},
	} {
		nc := newContact(c.tenant, c.id, c.email, c.phone)
		nc.Name = c.name
		f.create(nc)
	}
}

// contactListCases are ContactStore.ListContacts.
var contactListCases = []storeCase{
	{"list contacts by id", func(f *fx) {
		f.listFixture()
		all := []string{"c1", "c2", "c3", "c4", "c5", "c6"}
		f.wantContactPages("by id", "t1", login.ContactQuery{}, all)
		cs, more, err := f.admin().ListContacts(f.ctx, "t1", login.ContactQuery{Limit: 100})
		if err != nil || more {
			f.Fatalf("ListContacts(t1) = more %v, %v; want all", more, err)
		}
		want := make([]login.Contact, len(all))
		for i, id := range all {
			want[i] = f.get("t1", id)
		}
		f.eq("ListContacts(t1)", cs, want)
		cs, more, err = f.admin().ListContacts(f.ctx, "t1", login.ContactQuery{After: "c25", Limit: 2})
		if err != nil || !more || len(cs) != 2 || cs[0].ID != "c3" || cs[1].ID != "c4" {
			f.Errorf("ListContacts(after c25, limit 2) = %d contacts, more %v, %v; want c3, c4 and more", len(cs), more, err)
		}
		f.wantContactPages("by id in t2", "t2", login.ContactQuery{}, []string{"c1", "c25"})
		f.wantContactPages("by id in t9", "t9", login.ContactQuery{}, nil)
	}},
	{"list contacts by name", func(f *fx) {
		f.listFixture()
		tests := []struct {
			name, tenant, prefix string
			want                 []string
		}{
			{"an", "t1", "an", []string{"c1", "c6", "c2", "c3"}},
			{"any case", "t1", "aN", []string{"c1", "c6", "c2", "c3"}},
			{"with a space", "t1", "ana ", []string{"c1", "c6"}},
			{"whole name", "t1", "bo", []string{"c4"}},
			{"none", "t1", "zz", nil},
			{"other tenant", "t2", "an", []string{"c1", "c25"}},
			{"prefix tenant", "t10", "an", []string{"c0"}},
		}
		for _, tt := range tests {
			f.wantContactPages(tt.name, tt.tenant, login.ContactQuery{By: "name", Prefix: tt.prefix}, tt.want)
		}
		for _, after := range []string{"a", "ana alpha#c6"} {
			cs, more, err := f.admin().ListContacts(f.ctx, "t1", login.ContactQuery{By: "name", Prefix: "an", After: after, Limit: 1})
			if err != nil || len(cs) != 1 || !more {
				f.Errorf("ListContacts(name an, after %q) = %d contacts, more %v, %v; want 1 and more", after, len(cs), more, err)
			}
		}
		cs, more, err := f.admin().ListContacts(f.ctx, "t1", login.ContactQuery{By: "name", Prefix: "an", After: "andrew#c3", Limit: 1})
		if err != nil || len(cs) != 0 || more {
			f.Errorf("ListContacts(name an, after the last) = %d contacts, more %v, %v; want none", len(cs), more, err)
		}
	}},
	{"list contacts by email", func(f *fx) {
		f.listFixture()
		tests := []struct {
			name, tenant, prefix string
			want                 []string
		}{
			{"an", "t1", "an", []string{"c1", "c3", "c2"}},
			{"whole address", "t1", "ana@example.com", []string{"c1"}},
			{"every email", "t1", "", []string{"c1", "c3", "c2", "c4"}},
			{"none", "t1", "zz", nil},
			{"other tenant", "t2", "ana", []string{"c1", "c25"}},
			{"prefix tenant", "t10", "an", []string{"c0"}},
		}
		for _, tt := range tests {
			f.wantContactPages(tt.name, tt.tenant, login.ContactQuery{By: "email", Prefix: tt.prefix}, tt.want)
		}
	}},
}

// eventListCases are AuditStore.ListEvents.
var eventListCases = []storeCase{
	{"list events in pages across a busy log", func(f *fx) {
		// More events than one page of any partition a store may spread a
		// tenant's log over, some written together in one call.
		var want []string
		for i := range 48 {
			at := t0.Add(time.Duration(i) * time.Second)
			id := fmt.Sprintf("s%02d", i)
			e := login.AuditEvent{ID: id, TenantID: "t1", At: at, Type: "login.requested", ContactID: []string{"c1", "c2"}[i%2],
				Actor: "customer", IP: "192.0.2.1", ExpiresAt: t0.Add(24 * time.Hour)}
			batch := []login.AuditEvent{e}
			want = append(want, id)
			if i%8 == 3 { // a login's pair, written together at one time
				pair := e
				pair.ID, pair.Type = id+"b", "session.created"
				batch = append(batch, pair)
				want = append(want, pair.ID)
			}
			if err := f.s.RecordEvents(f.ctx, batch); err != nil {
				f.Fatal(err)
			}
		}
		slices.Reverse(want)
		byContact := func(c string) []string {
			var out []string
			for _, id := range want {
				var n int
				fmt.Sscanf(id[1:3], "%d", &n)
				if []string{"c1", "c2"}[n%2] == c {
					out = append(out, id)
				}
			}
			return out
		}
		for _, limit := range []int{1, 5, 17, 100} {
			f.eq(fmt.Sprintf("all, pages of %d", limit), f.eventPages("t1", login.EventQuery{Limit: limit}), want)
			f.eq(fmt.Sprintf("c2, pages of %d", limit), f.eventPages("t1", login.EventQuery{ContactID: "c2", Limit: limit}), byContact("c2"))
		}
		var created []string
		for _, id := range want {
			if strings.HasSuffix(id, "b") {
				created = append(created, id)
			}
		}
		f.eq("type, pages of 2", f.eventPages("t1", login.EventQuery{Type: "session.created", Limit: 2}), created)
	}},
	{"list events", func(f *fx) {
		ev := func(id, tenant string, at int, typ login.EventType, contact string) login.AuditEvent {
			return login.AuditEvent{ID: id, TenantID: tenant, At: t0.Add(time.Duration(at) * time.Second), Type: typ,
				ContactID: contact, Actor: "system", Channel: "email", IP: "192.0.2.1", UserAgent: "test",
				Detail: map[string]string{"n": id}, ExpiresAt: t0.Add(90 * 24 * time.Hour)}
		}
		var events []login.AuditEvent
		for i := 1; i <= 12; i++ {
			typ, contact := login.EventLoginRequested, []string{"c1", "c2", ""}[i%3]
			if i%4 == 1 {
				typ = login.EventLoginRedeemed
			}
			events = append(events, ev(fmt.Sprintf("e%02d", i), "t1", i, typ, contact))
		}
		events = append(events, ev("e13", "t1", 12, login.EventLogout, "c1")) // e12's time: after it by id
		for i, tenant := range []string{"t2", "t10"} {
			events = append(events, ev("x"+tenant, tenant, 5, login.EventLoginRedeemed, "c1"), ev("y"+tenant, tenant, 20+i, login.EventLogout, ""))
		}
		if err := f.s.RecordEvents(f.ctx, events); err != nil {
			f.Fatalf("RecordEvents: %v", err)
		}
		got, more, err := f.admin().ListEvents(f.ctx, "t1", login.EventQuery{Limit: 100})
		if err != nil || more {
			f.Fatalf("ListEvents(t1) = more %v, %v; want all", more, err)
		}
		var want []login.AuditEvent
		for i := len(events) - 1; i >= 0; i-- {
			if events[i].TenantID == "t1" {
				want = append(want, events[i])
			}
		}
		f.eq("ListEvents(t1)", got, want)
		tests := []struct {
			name, tenant string
			q            login.EventQuery
			want         string
		}{
			{"all", "t1", login.EventQuery{}, "e13 e12 e11 e10 e09 e08 e07 e06 e05 e04 e03 e02 e01"},
			{"contact", "t1", login.EventQuery{ContactID: "c1"}, "e13 e12 e09 e06 e03"},
			{"type", "t1", login.EventQuery{Type: login.EventLoginRedeemed}, "e09 e05 e01"},
			{"contact and type", "t1", login.EventQuery{ContactID: "c2", Type: login.EventLoginRedeemed}, "e01"},
			{"unknown type", "t1", login.EventQuery{Type: "nope"}, ""},
			{"other tenant", "t2", login.EventQuery{}, "yt2 xt2"},
			{"other tenant by contact", "t2", login.EventQuery{ContactID: "c1"}, "xt2"},
			{"prefix tenant", "t10", login.EventQuery{Type: login.EventLogout}, "yt10"},
			{"no events", "t9", login.EventQuery{}, ""},
		}
		for _, tt := range tests {
			f.wantEventPages(tt.name, tt.tenant, tt.q, strings.Fields(tt.want))
		}
		es, more, err := f.admin().ListEvents(f.ctx, "t1", login.EventQuery{Before: login.EventSortKey(events[4]), Type: login.EventLoginRedeemed, Limit: 1})
		if err != nil || len(es) != 1 || es[0].ID != "e01" || more {
			f.Errorf("ListEvents(before e05, type) = %d events, more %v, %v; want e01 alone", len(es), more, err)
		}
	}},
}

// apiKeyAdminCases are the APIKeyStore methods the admin tooling uses.
var apiKeyAdminCases = []storeCase{
	{"list, revoke and touch api keys", func(f *fx) {
		keys := []login.APIKey{
			{Hash: hash("key:2"), ID: "k2", TenantID: "t1", Name: "second", CreatedAt: t0.Add(time.Second)},
			{Hash: hash("key:1"), ID: "k1", TenantID: "t1", Name: "first", CreatedAt: t0},
			{Hash: hash("key:3"), ID: "k3", TenantID: "t2", Name: "other", CreatedAt: t0},
			{Hash: hash("key:4"), ID: "k4", TenantID: "t10", Name: "prefix", CreatedAt: t0},
		}
		for _, k := range keys {
			if err := f.s.PutAPIKey(f.ctx, k); err != nil {
				f.Fatalf("PutAPIKey(%s): %v", k.ID, err)
			}
		}
		list := func(tenant string) []login.APIKey {
			got, err := f.admin().ListAPIKeys(f.ctx, tenant)
			if err != nil {
				f.Fatalf("ListAPIKeys(%s): %v", tenant, err)
			}
			slices.SortFunc(got, func(a, b login.APIKey) int { return strings.Compare(a.ID, b.ID) })
			return got
		}
		f.eq("ListAPIKeys(t1)", list("t1"), []login.APIKey{keys[1], keys[0]})
		f.eq("ListAPIKeys(t2)", list("t2"), []login.APIKey{keys[2]})
		f.eq("ListAPIKeys(t9)", list("t9"), []login.APIKey(nil))

		if err := f.admin().RevokeAPIKey(f.ctx, "t1", "k2"); err != nil {
			f.Fatalf("RevokeAPIKey(t1, k2): %v", err)
		}
		f.wantErr("RevokeAPIKey(t1, t2's k3)", f.admin().RevokeAPIKey(f.ctx, "t1", "k3"), login.ErrNotFound)
		f.wantErr("RevokeAPIKey(t1, unknown)", f.admin().RevokeAPIKey(f.ctx, "t1", "k9"), login.ErrNotFound)
		at := t0.Add(time.Hour)
		if err := f.admin().TouchAPIKey(f.ctx, hash("key:1"), at); err != nil {
			f.Fatalf("TouchAPIKey(k1): %v", err)
		}
		wantKeys := slices.Clone(keys)
		wantKeys[0].Revoked = true
		wantKeys[1].LastUsedAt = at
		for _, k := range wantKeys {
			got, err := f.s.GetAPIKey(f.ctx, k.Hash)
			if err != nil {
				f.Fatalf("GetAPIKey(%s): %v", k.ID, err)
			}
			f.eq("GetAPIKey("+k.ID+")", got, k)
		}
		f.eq("ListAPIKeys(t1) after revoke and touch", list("t1"), []login.APIKey{wantKeys[1], wantKeys[0]})
	}},
}
