package main

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/portalpass/portalpass/infra/devserver/server"
	"github.com/portalpass/portalpass/pkg/awstest"
)

type listed struct {
	ID, Email, Name string
}

// contactPaging lists a tenant's contacts through GET /v1/admin/contacts
// in pages smaller than the listing (by id, by name prefix, by email
// prefix), following nextCursor to the end: each contact once, in order;
// and a cursor the API did not give is 400 invalid_request.
func contactPaging(t *testing.T, base, tag string) {
	c := newClient(t, base)
	var made []listed
	add := func(name, email string) {
		var out listed
		if s := c.do("POST", "/v1/admin/contacts", testKey, map[string]string{"name": name, "email": email}, &out); s != 201 || out.ID == "" {
			t.Fatalf("create %s = %d %+v", email, s, out)
		}
		made = append(made, out)
	}
	for i := range 6 {
		add(fmt.Sprintf("Lee %d", 5-i), fmt.Sprintf("q%d.%s@example.com", i, tag))
	}
	for i := range 4 {
		add(fmt.Sprintf("Max %d", i), fmt.Sprintf("lee.max%d.%s@example.com", 3-i, tag))
	}
	add("Leela A", "lee.la."+tag+"@example.com") // matches by name and email: once, by name
	add("LEELA B", "lee.lb."+tag+"@example.com")
	add("Ora", "ora."+tag+"@example.com")

	order := func(keep func(listed) bool, key func(listed) string) []string {
		var cs []listed
		for _, x := range made {
			if keep(x) {
				cs = append(cs, x)
			}
		}
		slices.SortFunc(cs, func(a, b listed) int { return strings.Compare(key(a), key(b)) })
		var ids []string
		for _, x := range cs {
			ids = append(ids, x.ID)
		}
		return ids
	}
	nameKey := func(x listed) string { return strings.ToLower(x.Name) + "#" + x.ID }
	named := func(x listed) bool { return strings.HasPrefix(strings.ToLower(x.Name), "lee") }
	byEmail := order(func(x listed) bool { return !named(x) && strings.HasPrefix(x.Email, "lee.") }, func(x listed) string { return x.Email })
	all := order(func(listed) bool { return true }, func(x listed) string { return x.ID })

	for _, tc := range []struct {
		q    string
		want []string
	}{
		{"", all},
		{"Lee", append(order(named, nameKey), byEmail...)},
		{"lee.max", byEmail},
	} {
		for _, limit := range []int{1, 3, 5, 100} {
			var got []string
			cursor := ""
			for page := 0; ; page++ {
				var out struct {
					Contacts   []listed
					NextCursor *string
				}
				path := fmt.Sprintf("/v1/admin/contacts?q=%s&limit=%d&cursor=%s", url.QueryEscape(tc.q), limit, url.QueryEscape(cursor))
				if s := c.do("GET", path, testKey, nil, &out); s != 200 || len(out.Contacts) > limit {
					t.Fatalf("q %q, limit %d, page %d: %d, %d contacts", tc.q, limit, page, s, len(out.Contacts))
				}
				for _, x := range out.Contacts {
					got = append(got, x.ID)
				}
				if out.NextCursor == nil {
					break
				}
				if page > len(tc.want)+1 {
					t.Fatalf("q %q, limit %d: still a nextCursor after %d pages", tc.q, limit, page)
				}
				cursor = *out.NextCursor
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("q %q in pages of %d:\n got %v\nwant %v", tc.q, limit, got, tc.want)
			}
		}
	}

	var first struct{ NextCursor *string }
	if s := c.do("GET", "/v1/admin/contacts?limit=2", testKey, nil, &first); s != 200 || first.NextCursor == nil {
		t.Fatalf("first page = %d, nextCursor %v", s, first.NextCursor)
	}
	b64 := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	for _, bad := range []string{"?q=&cursor=!!!", "?cursor=" + b64("{"), "?q=lee&cursor=" + url.QueryEscape(*first.NextCursor), "?q=lee&cursor=" + b64(`{"b":"id"}`)} {
		var e struct {
			Error struct{ Code string } `json:"error"`
		}
		if s := c.do("GET", "/v1/admin/contacts"+bad, testKey, nil, &e); s != 400 || e.Error.Code != "invalid_request" {
			t.Errorf("GET /v1/admin/contacts%s = %d %q; want 400 invalid_request", bad, s, e.Error.Code)
		}
	}
}

func TestContactPagingEmbedded(t *testing.T) {
	srv, err := server.Start(context.Background(), server.Options{APIKey: testKey, EmailFrom: "login@example.com", Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	contactPaging(t, srv.URL, "e")
}

// TestContactPagingMoto pages through the same listings on DynamoDB
// (moto), where the store's pages end where DynamoDB's queries do.
func TestContactPagingMoto(t *testing.T) {
	ep := awstest.Endpoint(t)
	n := os.Getpid()
	srv, err := server.Start(context.Background(), server.Options{
		APIKey: testKey, EmailFrom: "login@example.com", Region: "us-east-1", Logger: quiet,
		DynamoDBEndpoint: ep, Table: fmt.Sprintf("devserver-paging-%d", n),
	})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	contactPaging(t, srv.URL, fmt.Sprint(n))
}
