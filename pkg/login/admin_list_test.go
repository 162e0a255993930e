package login_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/portalpass/portalpass/pkg/login"
)

// listFixture makes contacts in tenant acme for every listing: names
// starting "Ann", emails starting "ann." whose names do not, both (listed
// once, by name), neither, and one with a phone only. It returns the ids
// a listing of all of them, of q "ann", of q "ann.bob" and of q "carl"
// must yield, in order.
func listFixture(t *testing.T, w *world) (all, ann, annBob, carl []string) {
	t.Helper()
	ctx := context.Background()
	add := func(name, email, phone string) login.Contact {
		in := login.ContactInput{}
		if name != "" {
			in.Name = &name
		}
		if email != "" {
			in.Email = &email
		}
		if phone != "" {
			in.Phone = &phone
		}
		c, err := w.svc.CreateContact(ctx, w.keys["acme"], in, login.Meta{})
		if err != nil {
			t.Fatalf("create %q %q %q: %v", name, email, phone, err)
		}
		all = append(all, c.ID)
		return c
	}
	var byName, byEmail, carls []login.Contact
	for i := range 9 {
		byName = append(byName, add(fmt.Sprintf("Ann %02d", 9-i), fmt.Sprintf("z%d@example.com", i), ""))
	}
	for i := range 5 {
		byEmail = append(byEmail, add(fmt.Sprintf("Bob %d", i), fmt.Sprintf("ann.bob%d@example.com", 4-i), ""))
	}
	byName = append(byName, add("Anna X", "ann.x@example.com", ""), add("ANNA Y", "ann.y@example.com", ""))
	for i := range 6 {
		carls = append(carls, add(fmt.Sprintf("Carl %d", i), fmt.Sprintf("carl%d@example.com", i), ""))
	}
	add("", "", "+14155550100")

	slices.Sort(all)
	ids := func(cs []login.Contact, key func(login.Contact) string) []string {
		cs = slices.Clone(cs)
		slices.SortFunc(cs, func(a, b login.Contact) int { return strings.Compare(key(a), key(b)) })
		var out []string
		for _, c := range cs {
			out = append(out, c.ID)
		}
		return out
	}
	email := func(c login.Contact) string { return c.Email }
	annBob = ids(byEmail, email)
	ann = append(ids(byName, login.SortKeyName), annBob...)
	carl = ids(carls, login.SortKeyName)
	return all, ann, annBob, carl
}

// walk lists q's contacts page by page, following nextCursor to the end,
// and returns their ids. Every page holds at most limit contacts.
func walk(t *testing.T, w *world, q string, limit, most int) []string {
	t.Helper()
	var got []string
	cursor := ""
	for page := 0; ; page++ {
		cs, next, err := w.svc.ListContacts(context.Background(), w.keys["acme"], q, limit, cursor)
		if err != nil {
			t.Fatalf("q %q, limit %d, page %d: %v", q, limit, page, err)
		}
		if len(cs) > limit {
			t.Errorf("q %q, limit %d, page %d: %d contacts", q, limit, page, len(cs))
		}
		for _, c := range cs {
			got = append(got, c.ID)
		}
		if next == "" {
			return got
		}
		if page > most {
			t.Fatalf("q %q, limit %d: still a nextCursor after %d pages", q, limit, page)
		}
		cursor = next
	}
}

// TestListContactsPaging follows the cursors of Service.ListContacts
// through listings longer than a page (by id, and q by name, then email
// prefix), for every page size: each contact once, none left out, in
// order, and the same listing in one page of MaxPage.
func TestListContactsPaging(t *testing.T) {
	w := newWorld(t)
	w.tenant(t, "acme", nil)
	w.tenant(t, "other", nil)
	w.contact(t, "other", "ann.other@example.com", "") // another tenant's: never listed
	all, ann, annBob, carl := listFixture(t, w)

	for _, tc := range []struct {
		q    string
		want []string
	}{
		{"", all},
		{"ann", ann},        // names first, then emails not listed by name
		{"ANN", ann},        // case-insensitive
		{"ann.bob", annBob}, // by email only
		{"carl", carl},      // name and email both match: once, by name
		{"nobody", nil},
	} {
		for limit := 1; limit <= len(tc.want)+1; limit++ {
			got := walk(t, w, tc.q, limit, len(tc.want)+2)
			if !slices.Equal(got, tc.want) {
				t.Errorf("q %q in pages of %d:\n got %v\nwant %v", tc.q, limit, got, tc.want)
			}
		}
		if got := walk(t, w, tc.q, login.MaxPage, 1); !slices.Equal(got, tc.want) {
			t.Errorf("q %q in one page:\n got %v\nwant %v", tc.q, got, tc.want)
		}
	}
}

// TestListContactsBadCursor: a cursor this API did not return for this
// listing is invalid_request (400), never an internal error.
func TestListContactsBadCursor(t *testing.T) {
	w := newWorld(t)
	w.tenant(t, "acme", nil)
	listFixture(t, w)
	_, byID, err := w.svc.ListContacts(context.Background(), w.keys["acme"], "", 2, "")
	if err != nil || byID == "" {
		t.Fatalf("first page: cursor %q, %v", byID, err)
	}
	_, byName, err := w.svc.ListContacts(context.Background(), w.keys["acme"], "ann", 2, "")
	if err != nil || byName == "" {
		t.Fatalf("first page of q: cursor %q, %v", byName, err)
	}
	b64 := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	for _, tc := range []struct{ what, q, cursor string }{
		{"not base64", "", "!!!"},
		{"padded base64", "", base64.URLEncoding.EncodeToString([]byte(`{"a":""}`))},
		{"not JSON", "", b64("garbage")},
		{"JSON of another shape", "", b64(`[1,2]`)},
		{"cut short", "", byID[:len(byID)-3]},
		{"an id cursor with q", "ann", byID},
		{"a q cursor without q", "", byName},
		{"an unknown order", "ann", b64(`{"b":"phone","a":""}`)},
	} {
		_, next, err := w.svc.ListContacts(context.Background(), w.keys["acme"], tc.q, 2, tc.cursor)
		if login.ErrorCode(err) != login.CodeInvalidRequest {
			t.Errorf("%s (%q): next %q, err %v; want invalid_request", tc.what, tc.cursor, next, err)
		}
	}
}
