package login_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/portalpass/portalpass/pkg/identifier/e164"
	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/login/logintest"
	"github.com/portalpass/portalpass/pkg/message"
	"github.com/portalpass/portalpass/pkg/store/memstore"
)

// shortOf is the token of an SMS's /l/ link, "" when it has none.
func shortOf(t *testing.T, m login.Message) string {
	t.Helper()
	_, tok, ok := strings.Cut(m.Link, "/l/")
	if !ok {
		return ""
	}
	return tok
}

// TestShortLinkKeepsRedirectAndPKCE: an SMS's link names only tenant,
// contact and secret, and redeems with the redirect and PKCE challenge
// of its attempt, from the continue page (which posts the full link) and
// posted as it is; it is single use with the attempt.
func TestShortLinkKeepsRedirectAndPKCE(t *testing.T) {
	ctx := context.Background()
	challenge := login.CodeChallengeS256(verifier)
	for _, via := range []string{"page", "post"} {
		t.Run(via, func(t *testing.T) {
			w, c := handoffWorld(t)
			w.request(t, login.LoginRequest{Identifier: phone(c.Phone), Tenant: "acme", Redirect: "/invoices/42", CodeChallenge: challenge})
			sms := w.sms.Last()
			short := shortOf(t, sms)
			f := strings.Split(short, ".")
			if len(f) != 4 || f[0] != "t" || f[1] != "acme" || f[2] != c.ID || !login.ValidB64Secret(f[3]) {
				t.Fatalf("SMS link %q; want /l/t.acme.<contact>.<256-bit secret>", sms.Link)
			}
			if !strings.HasPrefix(sms.Link, "https://api.example.com/l/") {
				t.Errorf("SMS link = %q; want it on the API's origin", sms.Link)
			}
			tok := short
			if via == "page" {
				info, err := w.svc.PeekLink(ctx, short, nil)
				if err != nil {
					t.Fatalf("PeekLink(short): %v", err)
				}
				if info.TenantName != "ACME" || !strings.Contains(info.Token, challenge) || !strings.HasSuffix(info.Token, f[3]) {
					t.Fatalf("PeekLink(short) = %+v; want the full link with its challenge", info)
				}
				tok = info.Token
			}
			out, err := w.svc.RedeemLink(ctx, tok, login.LoginOpts{})
			if err != nil {
				t.Fatalf("RedeemLink: %v", err)
			}
			if out.Redirect != "/invoices/42" {
				t.Errorf("redirect = %q; want the attempt's /invoices/42", out.Redirect)
			}
			if _, err := w.exchange(login.Exchange{Code: out.HandoffCode, CodeVerifier: verifier}); err != nil {
				t.Errorf("exchange with the attempt's verifier: %v", err)
			}
			for _, again := range []string{short, tok} {
				if _, err := w.svc.RedeemLink(ctx, again, login.LoginOpts{}); login.ErrorCode(err) != login.CodeLinkInvalid {
					t.Errorf("RedeemLink again = %v; want link_invalid", err)
				}
			}
			if _, err := w.svc.PeekLink(ctx, short, nil); login.ErrorCode(err) != login.CodeLinkInvalid {
				t.Errorf("PeekLink(short) after redeem = %v; want link_invalid", err)
			}
		})
	}
}

// TestShortLinkForgedIsInvalid: a short form with another contact or a
// changed secret matches no attempt.
func TestShortLinkForgedIsInvalid(t *testing.T) {
	ctx := context.Background()
	w, c := handoffWorld(t)
	w.request(t, login.LoginRequest{Identifier: phone(c.Phone), Tenant: "acme"})
	short := shortOf(t, w.sms.Last())
	f := strings.Split(short, ".")
	other := w.contact(t, "acme", "bo@example.com", "")
	sec := []byte(f[3])
	sec[0] ^= 1
	for _, forged := range []string{
		strings.Join([]string{"t", "acme", other.ID, f[3]}, "."),
		strings.Join([]string{"t", "acme", c.ID, string(sec)}, "."),
		strings.Join([]string{"t", "beta", c.ID, f[3]}, "."),
	} {
		if _, err := w.svc.PeekLink(ctx, forged, nil); login.ErrorCode(err) != login.CodeLinkInvalid {
			t.Errorf("PeekLink(forged) = %v; want link_invalid", err)
		}
		if _, err := w.svc.RedeemLink(ctx, forged, login.LoginOpts{}); login.ErrorCode(err) != login.CodeLinkInvalid {
			t.Errorf("RedeemLink(forged) = %v; want link_invalid", err)
		}
	}
	if _, err := w.svc.RedeemLink(ctx, short, login.LoginOpts{}); err != nil {
		t.Errorf("RedeemLink(the real short link) after the forgeries: %v", err)
	}
}

// TestShortLinkSeveralTenants: a login for several tenants sends
// n.<identHash>.<secret>, which leads to the picker and keeps the redirect.
func TestShortLinkSeveralTenants(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	w.tenant(t, "acme", nil)
	w.tenant(t, "beta", nil)
	w.contact(t, "acme", "", "+14155550101")
	w.contact(t, "beta", "", "+14155550101")
	w.request(t, login.LoginRequest{Identifier: phone("+14155550101"), Redirect: "/x"})
	short := shortOf(t, w.sms.Last())
	f := strings.Split(short, ".")
	if len(f) != 3 || f[0] != "n" || f[1] != login.IdentHash(phone("+14155550101").Key()) || !login.ValidB64Secret(f[2]) {
		t.Fatalf("SMS link token %q; want n.<identifier hash>.<secret>", short)
	}
	if ok, several := login.LinkShape(short); !ok || !several {
		t.Errorf("LinkShape(short) = %v, %v; want a link for several tenants", ok, several)
	}
	info, err := w.svc.PeekLink(ctx, short, nil)
	if err != nil || info.Token == short || !strings.HasPrefix(info.Token, "m.") {
		t.Fatalf("PeekLink(short) = %+v, %v; want the full several-tenant link", info, err)
	}
	out, err := w.svc.RedeemLink(ctx, short, login.LoginOpts{})
	if err != nil || out.Picker == nil {
		t.Fatalf("RedeemLink(short) = %+v, %v; want the picker", out, err)
	}
	picked, err := w.svc.PickTenant(ctx, out.Picker.Token, "beta", login.LoginOpts{})
	if err != nil || picked.Redirect != "/x" {
		t.Errorf("PickTenant = %+v, %v; want the attempt's redirect /x", picked.Redirect, err)
	}
}

func TestSMSLinkOffSendsCodeOnly(t *testing.T) {
	w := newWorld(t)
	w.tenant(t, "acme", func(s *login.Settings) { s.SMSLink = false })
	c := w.contact(t, "acme", "", "+14155550101")
	w.request(t, login.LoginRequest{Identifier: phone(c.Phone)})
	if m := w.sms.Last(); m.Link != "" || m.Code == "" {
		t.Errorf("SMS link %q, code %q; want the code only", m.Link, m.Code)
	}
	res, err := w.svc.GenerateLink(context.Background(), w.keys["acme"], login.LinkInput{ContactID: c.ID, Send: "sms", Purpose: login.PurposeLogin}, login.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	if m := w.sms.Last(); m.Link != "" || m.Code == "" || res.URL == "" {
		t.Errorf("admin SMS link %q, code %q; want the code only (the admin still gets the URL)", m.Link, m.Code)
	}
}

// Tenant names the budget must hold for, up to 20 characters, and
// longer ones it cuts.
var smsTenantNames = []string{
	"Acme",
	"Abcdefghij Klmnopqrs",  // 20
	"Ñandú Café Çedilla Öl", // accented, 21
	"Crème brûlée & Façade", // letters GSM-7 lacks
	"東京ポータル",                // no Latin at all
	"Pizza 🍕 Palace 🎉",      // emoji
	"€uro [Brackets] {x}",   // extension characters count two
	"Ωmega ΣΔ Λtd",          // Greek capitals GSM-7 has
	strings.Repeat("W", 40), // over 20: cut to fit
	"Anführungszeichen „Ä“", // German quotes
}

// smsWorld is a world whose API host is 50 characters and whose tenant
// ids are 40, the longest, so that the short link is as long as it gets.
func smsWorld(t *testing.T) (*world, string) {
	t.Helper()
	host := strings.Repeat("a", 10) + ".execute-api.ap-southeast-2.amazonaws.com" // 51 - 1
	host = host[1:]
	if len(host) != 50 {
		t.Fatalf("host is %d characters", len(host))
	}
	w := &world{store: memstore.New(), clock: logintest.NewClock(start), email: &logintest.Sender{}, sms: &logintest.Sender{}, keys: map[string]login.APIKey{}}
	w.svc = login.New(login.Deps{
		Store: w.store, Email: w.email, SMS: w.sms, Clock: w.clock, BaseURL: "https://" + host,
		Sleep: func(context.Context, time.Duration) {}, Phones: e164.SMSInfo,
		RateLimits: login.RateLimits{Send: 1 << 20, IP: 1 << 20},
	})
	return w, host
}

// TestEverySMSFitsItsBudget renders every SMS the service sends (a phone
// login, the code of an email login, an admin's SMS, a login for several
// tenants) over tenant names, the four locales, redirects, both smsLink
// values and code lengths 4-8: each is GSM-7 only, fits one segment
// without a link and two with one, carries the code (and the link when
// the name is at most 20 characters), and ends with the origin-bound line.
func TestEverySMSFitsItsBudget(t *testing.T) {
	ctx := context.Background()
	redirects := []string{"", "/" + strings.Repeat("invoices/", 200) + "42?tab=1"}
	for i, name := range smsTenantNames {
		for _, smsLink := range []bool{true, false} {
			for length := 4; length <= 8; length++ {
				w, host := smsWorld(t)
				id := fmt.Sprintf("t%d-", i) + strings.Repeat("x", 40)
				id, other := id[:40], "z"+id[1:40]
				for _, tid := range []string{id, other} {
					st := login.DefaultSettings("https://portal.example")
					st.SMSLink, st.CodeLength = smsLink, length
					if _, err := w.svc.CreateTenant(ctx, tid, name, st); err != nil {
						t.Fatal(err)
					}
					key, _, err := w.svc.NewAPIKey(ctx, tid, "test")
					if err != nil {
						t.Fatal(err)
					}
					w.keys[tid], _ = w.svc.Authenticate(ctx, key)
				}
				c := w.contact(t, id, "ana@example.com", "+14155550101")
				w.contact(t, other, "", "+14155550102")
				w.contact(t, id, "", "+14155550102")
				for _, red := range redirects {
					// A quarter of an hour apart: each number takes 5 SMS in 15 minutes.
					w.request(t, login.LoginRequest{Identifier: phone(c.Phone), Tenant: id, Redirect: red, CodeChallenge: login.CodeChallengeS256(verifier)})
					w.clock.Advance(login.SMSNumberWindow)
					w.request(t, login.LoginRequest{Identifier: email(c.Email), Tenant: id, Redirect: red})
					w.clock.Advance(login.SMSNumberWindow)
					w.request(t, login.LoginRequest{Identifier: phone("+14155550102"), Redirect: red})
					w.clock.Advance(login.SMSNumberWindow)
					if _, err := w.svc.GenerateLink(ctx, w.keys[id], login.LinkInput{ContactID: c.ID, Send: "sms", Redirect: red, Purpose: login.PurposeLogin}, login.Meta{}); err != nil {
						t.Fatal(err)
					}
					w.clock.Advance(login.SMSNumberWindow)
				}
				if n := len(w.sms.Messages()); n != 4*len(redirects) {
					t.Fatalf("%d SMS sent; want %d", n, 4*len(redirects))
				}
				for _, m := range w.sms.Messages() {
					for _, loc := range message.SMSLocales {
						m.Locale = loc
						s := message.SMS(m)
						budget := 1
						if m.Link != "" {
							budget = 2
						}
						segs, gsm := message.SMSSegments(s)
						switch {
						case !gsm:
							t.Errorf("%s %q: not GSM-7: %q", loc, name, s)
						case segs > budget:
							t.Errorf("%s %q smsLink %v code %d: %d segments (%d characters); want at most %d:\n%s", loc, name, smsLink, length, segs, utf8.RuneCountInString(s), budget, s)
						case !strings.HasSuffix(s, "\n@"+host+" #"+m.Code) || len(m.Code) != length:
							t.Errorf("%s %q: does not end with the origin-bound line of a %d-digit code:\n%s", loc, name, length, s)
						case utf8.RuneCountInString(name) <= 20 && m.Link != "" && !strings.Contains(s, m.Link):
							t.Errorf("%s %q: the link was left out:\n%s", loc, name, s)
						}
					}
				}
			}
		}
	}
}
