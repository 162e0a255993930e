package main

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/portalpass/portalpass/pkg/awstest"
	"github.com/portalpass/portalpass/pkg/functest"
	"github.com/portalpass/portalpass/pkg/identifier/e164"
	"github.com/portalpass/portalpass/pkg/login"
)

func TestMain(m *testing.M) { awstest.Main(m) }

type sessionAnswer struct {
	Session struct {
		Token string `json:"token"`
		Via   string `json:"via"`
	} `json:"session"`
	Redirect string `json:"redirect"`
	Next     string `json:"next"`
	Tenants  []struct {
		ID string `json:"id"`
	} `json:"tenants"`
}

func TestEvents(t *testing.T) {
	e := functest.Setup(t)
	e.Invite(t, e.Tenant(t, "acme", nil), e.Email)
	h := newHandler(e.Config, e.DynamoOption)
	enc := strings.Replace(e.Email, "@", "%40", 1)
	repl := func(token, code string) map[string]string {
		return map[string]string{"TOKEN": token, "CODE": code, "ana@example.com": e.Email, "ana%40example.com": enc}
	}

	token, _ := e.Request(t, e.Email, "")
	page := functest.Invoke(t, h, functest.Event(t, "redeem/redeem-page.json", repl(token, "")))
	if page.StatusCode != http.StatusOK || !strings.Contains(functest.Body(t, page), "Continue to Acme portal") {
		t.Fatalf("redeem page = %d %q", page.StatusCode, functest.Body(t, page))
	}
	e.Calls.Reset()
	resp := functest.Invoke(t, h, functest.Event(t, "redeem/redeem-json.json", repl(token, "")))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("redeem = %d %s", resp.StatusCode, functest.Body(t, resp))
	}
	if got := e.Calls.Total(); got != 1 {
		t.Errorf("redeem by link made %d DynamoDB calls (%v); want 1", got, e.Calls.Snapshot())
	}
	var a sessionAnswer
	functest.JSON(t, resp, &a)
	if a.Session.Via != "link" || a.Redirect != "https://portal.acme.example" || !strings.HasPrefix(a.Session.Token, "s.acme.") {
		t.Errorf("redeem answer = %+v", a)
	}
	if again := functest.Invoke(t, h, functest.Event(t, "redeem/redeem-json.json", repl(token, ""))); again.StatusCode != http.StatusGone {
		t.Errorf("second redeem = %d; want 410", again.StatusCode)
	}

	_, code := e.Request(t, e.Email, "acme")
	e.Calls.Reset()
	resp = functest.Invoke(t, h, functest.Event(t, "redeem/code.json", repl("", code)))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("code login = %d %s", resp.StatusCode, functest.Body(t, resp))
	}
	if got := e.Calls.Total(); got > 2 {
		t.Errorf("code login made %d DynamoDB calls (%v); want at most 2", got, e.Calls.Snapshot())
	}

	_, code = e.Request(t, e.Email, "")
	resp = functest.Invoke(t, h, functest.Event(t, "redeem/code-form.json", repl("", code)))
	if resp.StatusCode != http.StatusSeeOther || resp.Headers["Location"] != "https://portal.acme.example" {
		t.Errorf("code form = %d %v", resp.StatusCode, resp.Headers)
	}

	token, _ = e.Request(t, e.Email, "")
	resp = functest.Invoke(t, h, functest.Event(t, "redeem/redeem-form.json", repl(token, "")))
	if resp.StatusCode != http.StatusSeeOther || resp.Headers["Location"] != "https://portal.acme.example" {
		t.Errorf("redeem form = %d %v", resp.StatusCode, resp.Headers)
	}
	if !strings.Contains(strings.Join(resp.Cookies, ";"), "__Host-pp_session=s.acme.") {
		t.Errorf("redeem form cookies = %v", resp.Cookies)
	}
}

// TestPicker logs a customer of two tenants in through the picker.
func TestPicker(t *testing.T) {
	e := functest.Setup(t)
	e.Invite(t, e.Tenant(t, "acme", nil), e.Email)
	e.Invite(t, e.Tenant(t, "beta", nil), e.Email)
	h := newHandler(e.Config, e.DynamoOption)
	token, _ := e.Request(t, e.Email, "")
	resp := functest.Invoke(t, h, functest.Event(t, "redeem/redeem-json.json", map[string]string{"TOKEN": token}))
	var a sessionAnswer
	functest.JSON(t, resp, &a)
	if a.Next != "select_tenant" || len(a.Tenants) != 2 {
		t.Fatalf("multi-tenant redeem = %d %+v", resp.StatusCode, a)
	}
	var picker string
	for _, c := range resp.Cookies {
		if v, ok := strings.CutPrefix(c, "__Host-pp_pick="); ok {
			picker = strings.SplitN(v, ";", 2)[0]
		}
	}
	list := functest.Invoke(t, h, functest.Event(t, "redeem/tenants-get.json", map[string]string{"PICKER": picker}))
	if list.StatusCode != http.StatusOK || !strings.Contains(functest.Body(t, list), `"beta"`) {
		t.Fatalf("tenants = %d %s", list.StatusCode, functest.Body(t, list))
	}
	e.Calls.Reset()
	pick := functest.Invoke(t, h, functest.Event(t, "redeem/tenants-post.json", map[string]string{"PICKER": picker}))
	functest.JSON(t, pick, &a)
	if pick.StatusCode != http.StatusOK || !strings.HasPrefix(a.Session.Token, "s.acme.") {
		t.Fatalf("pick = %d %+v", pick.StatusCode, a)
	}
	if got := e.Calls.Total(); got > 2 {
		t.Errorf("picking a tenant made %d DynamoDB calls; want at most 2", got)
	}
	if again := functest.Invoke(t, h, functest.Event(t, "redeem/tenants-post.json", map[string]string{"PICKER": picker})); again.StatusCode != http.StatusGone {
		t.Errorf("second pick = %d; want 410", again.StatusCode)
	}
}

// TestActionLink follows a deep link twice, then after its revocation.
func TestActionLink(t *testing.T) {
	e := functest.Setup(t)
	key := e.Tenant(t, "acme", nil)
	e.Invite(t, key, e.Email)
	ctx := context.Background()
	k, _ := e.Seed.Authenticate(ctx, key)
	al, url, err := e.Seed.CreateActionLink(ctx, k, login.ActionLinkInput{
		ContactID: e.ContactID(t, key, e.Email), Redirect: "/invoices/42", Ref: "invoice-42",
	}, login.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	token := url[strings.Index(url, "token=")+6:]
	h := newHandler(e.Config, e.DynamoOption)
	for i := 0; i < 2; i++ {
		resp := functest.Invoke(t, h, functest.Event(t, "redeem/action.json", map[string]string{"TOKEN": token}))
		if resp.StatusCode != http.StatusSeeOther || resp.Headers["Location"] != "https://portal.acme.example/invoices/42" {
			t.Fatalf("use %d = %d %v", i+1, resp.StatusCode, resp.Headers)
		}
		if !strings.Contains(strings.Join(resp.Cookies, ";"), "__Host-pp_session=s.acme.") {
			t.Errorf("use %d set no session cookie: %v", i+1, resp.Cookies)
		}
	}
	if _, err := e.Seed.RevokeActionLinks(ctx, k, al.ID, "", login.Meta{}); err != nil {
		t.Fatal(err)
	}
	resp := functest.Invoke(t, h, functest.Event(t, "redeem/action.json", map[string]string{"TOKEN": token}))
	functest.Check(t, "revoked action link", resp, http.StatusGone, "no longer valid")
	// A login token is never accepted as an action token, nor the reverse.
	resp = functest.Invoke(t, h, functest.Event(t, "redeem/redeem-json.json", map[string]string{"TOKEN": token}))
	functest.Check(t, "action token as a login token", resp, http.StatusGone, "link_invalid")
}

// TestCodeLoginPhoneFormats logs customers in by code with their phone
// number typed the way they typed it when it was stored: a contact made
// with request-login's parser (the one that stores numbers) logs in
// through this function with the same input. Both ends must normalise
// alike, national (trunk) prefixes included: "+44 (0)7911…" is stored as
// +447911…, and looking it up as +4407911… would find no one.
func TestCodeLoginPhoneFormats(t *testing.T) {
	e := functest.Setup(t)
	key := e.Tenant(t, "acme", nil)
	ctx := context.Background()
	k, err := e.Seed.Authenticate(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	h := newHandler(e.Config, e.DynamoOption)
	storing := e164.Parser // the parser that stores numbers: request-login's and invite's
	active := login.AccessActive
	for _, tt := range []struct{ typed, stored string }{
		{"+44 (0)7911 123451", "+447911123451"},
		{"+44 7911 123452", "+447911123452"},
		{"+44 07911 123453", "+447911123453"},
		{"+44 (0) 7911-123454", "+447911123454"},
		{"(+44) 7911 123455", "+447911123455"},
		{"+447911123456", "+447911123456"},
		{"+1 (415) 555-0101", "+14155550101"},
		{"+1.415.555.0102", "+14155550102"},
		{"+1 415 555 0103", "+14155550103"},
		{"+1-415-555-0104", "+14155550104"},
		{"+1 1 415 555 0105", "+14155550105"},
		{"+33 (0)6 12 34 56 01", "+33612345601"},
		{"+49 (0)30 1234 5602", "+493012345602"},
		{"+39 06 1234 5603", "+390612345603"},   // Italy keeps its zero
		{"+39 (0)6 1234 5604", "+390612345604"}, // even in brackets
		{"+81 (0)3 1234 5605", "+81312345605"},
		{"+7 8 495 123 4506", "+74951234506"},
		{"+7 800 123 4507", "+78001234507"}, // 8 here is no trunk prefix
	} {
		t.Run(tt.typed, func(t *testing.T) {
			stored, err := storing.ParsePhone(tt.typed)
			if err != nil || stored != tt.stored {
				t.Fatalf("stored as %q, %v; want %q", stored, err, tt.stored)
			}
			if _, err := e.Seed.CreateContact(ctx, k, login.ContactInput{Phone: &stored, Access: &active}, login.Meta{}); err != nil {
				t.Fatal(err)
			}
			if err := e.Seed.RequestLogin(ctx, login.LoginRequest{Identifier: login.Identifier{Kind: login.IdentPhone, Value: stored}, Tenant: "acme"}); err != nil {
				t.Fatal(err)
			}
			_, code := e.LastLogin(t, stored)
			resp := functest.Invoke(t, h, functest.Event(t, "redeem/code.json", map[string]string{"ana@example.com": tt.typed, "CODE": code}))
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("code login typed %q = %d %s", tt.typed, resp.StatusCode, functest.Body(t, resp))
			}
			var a sessionAnswer
			functest.JSON(t, resp, &a)
			if a.Session.Via != "code" || !strings.HasPrefix(a.Session.Token, "s.acme.") {
				t.Errorf("code login answer = %+v", a)
			}
		})
	}
	// A number neither end accepts is refused as such, not looked up.
	for _, typed := range []string{"0044 7911 123456", "+44 7911 12345x", "+999 1234567"} {
		if _, err := storing.ParsePhone(typed); err == nil {
			t.Errorf("request-login's parser accepts %q", typed)
		}
		resp := functest.Invoke(t, h, functest.Event(t, "redeem/code.json", map[string]string{"ana@example.com": typed, "CODE": "123456"}))
		functest.Check(t, "code login typed "+typed, resp, http.StatusBadRequest, "invalid_identifier")
	}
}
