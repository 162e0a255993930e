package login_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/portalpass/portalpass/pkg/login"
)

// verifier is a PKCE code verifier of 43 characters.
const verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"

func handoffSettings(st *login.Settings) { st.PortalIntegration = login.IntegrationHandoff }

// handoffWorld is a world with tenant acme handing sessions off by code,
// tenant beta keeping the cookie, and ana a contact of both.
func handoffWorld(t *testing.T) (*world, login.Contact) {
	t.Helper()
	w := newWorld(t)
	w.tenant(t, "acme", handoffSettings)
	w.tenant(t, "beta", nil)
	c := w.contact(t, "acme", "ana@example.com", "+14155550101")
	return w, c
}

// loginByLink requests a login for ana in acme and redeems its link.
func (w *world) loginByLink(t *testing.T, challenge string) login.Outcome {
	t.Helper()
	w.request(t, login.LoginRequest{Identifier: email("ana@example.com"), Tenant: "acme", Redirect: "/invoices/42", CodeChallenge: challenge})
	out, err := w.svc.RedeemLink(context.Background(), tokenOf(w.email.Last()), login.LoginOpts{})
	if err != nil {
		t.Fatalf("RedeemLink: %v", err)
	}
	return out
}

func (w *world) exchange(in login.Exchange) (login.Exchanged, error) {
	return w.svc.ExchangeHandoff(context.Background(), in)
}

func keyOf(w *world, tenant string) *login.APIKey {
	k := w.keys[tenant]
	return &k
}

// wantHandoffCode checks a login's hand-off code: h.<tenant>.<secret of
// 256 bits>, stored only as its SHA-256, live for 60 seconds, bound to the
// login's session.
func (w *world) wantHandoffCode(t *testing.T, out login.Outcome, challenge string) {
	t.Helper()
	code := out.HandoffCode
	f := strings.Split(code, ".")
	if len(f) != 3 || f[0] != "h" || f[1] != "acme" || !login.ValidB64Secret(f[2]) {
		t.Fatalf("hand-off code has the shape %d fields %q; want h.acme.<43 base64url characters>", len(f), f[:min(len(f), 2)])
	}
	h, err := w.store.GetHandoff(context.Background(), login.HashToken(code))
	if err != nil {
		t.Fatalf("GetHandoff: %v", err)
	}
	ss := out.Session.Session
	now := w.clock.Now()
	if h.TenantID != "acme" || h.ContactID != ss.ContactID || h.Via != ss.Via || h.CodeChallenge != challenge ||
		!h.SessionExpiresAt.Equal(ss.ExpiresAt) || !h.CreatedAt.Equal(now) || !h.ExpiresAt.Equal(now.Add(60*time.Second)) {
		t.Errorf("stored hand-off %+v; want acme/%s via %s, challenge %q, session expiry %v, made %v, 60 s", h, ss.ContactID, ss.Via, challenge, ss.ExpiresAt, now)
	}
}

func TestHandoffCodeOfEveryLoginPath(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name    string
		via     string
		pkce    bool
		login   func(t *testing.T, w *world, c login.Contact) (login.Outcome, error)
		noCode  bool // a tenant keeping the cookie gets no code
		contact func(t *testing.T, w *world) login.Contact
	}{
		{name: "link", via: "link", pkce: true, login: func(t *testing.T, w *world, c login.Contact) (login.Outcome, error) {
			w.request(t, login.LoginRequest{Identifier: email("ana@example.com"), Tenant: "acme", CodeChallenge: login.CodeChallengeS256(verifier)})
			return w.svc.RedeemLink(ctx, tokenOf(w.email.Last()), login.LoginOpts{})
		}},
		{name: "code", via: "code", pkce: true, login: func(t *testing.T, w *world, c login.Contact) (login.Outcome, error) {
			w.request(t, login.LoginRequest{Identifier: email("ana@example.com"), Tenant: "acme", CodeChallenge: login.CodeChallengeS256(verifier)})
			return w.svc.LoginWithCode(ctx, login.CodeLogin{Identifier: email("ana@example.com"), Code: w.email.Last().Code}, login.LoginOpts{})
		}},
		{name: "picker by link", via: "link", pkce: true, login: func(t *testing.T, w *world, c login.Contact) (login.Outcome, error) {
			w.contact(t, "beta", "ana@example.com", "")
			w.request(t, login.LoginRequest{Identifier: email("ana@example.com"), CodeChallenge: login.CodeChallengeS256(verifier)})
			out, err := w.svc.RedeemLink(ctx, tokenOf(w.email.Last()), login.LoginOpts{})
			if err != nil || out.Picker == nil || out.HandoffCode != "" {
				t.Fatalf("RedeemLink = %+v, %v; want a picker without a hand-off code", out, err)
			}
			return w.svc.PickTenant(ctx, out.Picker.Token, "acme", login.LoginOpts{})
		}},
		{name: "picker by code", via: "code", pkce: true, login: func(t *testing.T, w *world, c login.Contact) (login.Outcome, error) {
			w.contact(t, "beta", "ana@example.com", "")
			w.request(t, login.LoginRequest{Identifier: email("ana@example.com"), CodeChallenge: login.CodeChallengeS256(verifier)})
			out, err := w.svc.LoginWithCode(ctx, login.CodeLogin{Identifier: email("ana@example.com"), Code: w.email.Last().Code}, login.LoginOpts{})
			if err != nil || out.Picker == nil {
				t.Fatalf("LoginWithCode = %+v, %v; want a picker", out, err)
			}
			return w.svc.PickTenant(ctx, out.Picker.Token, "acme", login.LoginOpts{})
		}},
		{name: "several tenants, code for one", via: "code", pkce: true, login: func(t *testing.T, w *world, c login.Contact) (login.Outcome, error) {
			w.contact(t, "beta", "ana@example.com", "")
			w.request(t, login.LoginRequest{Identifier: email("ana@example.com"), CodeChallenge: login.CodeChallengeS256(verifier)})
			return w.svc.LoginWithCode(ctx, login.CodeLogin{Identifier: email("ana@example.com"), Code: w.email.Last().Code, Tenant: "acme"}, login.LoginOpts{})
		}},
		{name: "invite", via: "invite", login: func(t *testing.T, w *world, c login.Contact) (login.Outcome, error) {
			if _, _, err := w.svc.Invite(ctx, w.keys["acme"], login.InviteInput{ContactID: c.ID}, login.Meta{}); err != nil {
				t.Fatal(err)
			}
			return w.svc.RedeemLink(ctx, tokenOf(w.email.Last()), login.LoginOpts{})
		}},
		{name: "recovery", via: "recovery", login: func(t *testing.T, w *world, c login.Contact) (login.Outcome, error) {
			res, err := w.svc.GenerateLink(ctx, w.keys["acme"], login.LinkInput{ContactID: c.ID, Send: "none", Purpose: login.PurposeRecovery}, login.Meta{})
			if err != nil {
				t.Fatal(err)
			}
			return w.svc.RedeemLink(ctx, tokenOf(login.Message{Link: res.URL}), login.LoginOpts{})
		}},
		{name: "action link", via: "action_link", login: func(t *testing.T, w *world, c login.Contact) (login.Outcome, error) {
			_, url, err := w.svc.CreateActionLink(ctx, w.keys["acme"], login.ActionLinkInput{ContactID: c.ID, Redirect: "/invoices/42"}, login.Meta{})
			if err != nil {
				t.Fatal(err)
			}
			_, tok, _ := strings.Cut(url, "token=")
			first, err := w.svc.UseActionLink(ctx, tok, login.LoginOpts{})
			if err != nil {
				t.Fatal(err)
			}
			// The browser holds a session for ana: a hand-off portal still
			// gets a new session and a new code.
			return w.svc.UseActionLink(ctx, tok, login.LoginOpts{PrevSession: first.Session.Token})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, c := handoffWorld(t)
			out, err := tt.login(t, w, c)
			if err != nil || out.Session == nil {
				t.Fatalf("login = %+v, %v; want a session", out, err)
			}
			if out.Session.Token == "" {
				t.Fatalf("the login kept the browser's session; want a new one")
			}
			challenge := ""
			if tt.pkce {
				challenge = login.CodeChallengeS256(verifier)
			}
			w.wantHandoffCode(t, out, challenge)
			in := login.Exchange{Code: out.HandoffCode, Key: keyOf(w, "acme")}
			if tt.pkce {
				in = login.Exchange{Code: out.HandoffCode, CodeVerifier: verifier}
			}
			x, err := w.exchange(in)
			if err != nil {
				t.Fatalf("ExchangeHandoff: %v", err)
			}
			if x.Session.Via != tt.via || !x.Session.ExpiresAt.Equal(out.Session.Session.ExpiresAt) || x.Token == out.Session.Token {
				t.Errorf("exchanged session via %q until %v; want via %q until %v, with a token of its own", x.Session.Via, x.Session.ExpiresAt, tt.via, out.Session.Session.ExpiresAt)
			}
			v, err := w.svc.Session(ctx, x.Token)
			if err != nil || v.Contact.ID != c.ID || v.Tenant.ID != "acme" || v.Session.Via != tt.via {
				t.Errorf("Session(exchanged token) = %+v, %v; want ana's session in acme via %s", v.Session, err, tt.via)
			}
			if x.Contact.ID != c.ID || x.Contact.Email != "ana@example.com" || x.Tenant.ID != "acme" {
				t.Errorf("exchange answer: contact %s %q, tenant %s; want ana in acme", x.Contact.ID, x.Contact.Email, x.Tenant.ID)
			}
		})
	}
}

func TestNoHandoffCodeForCookiePortals(t *testing.T) {
	w := newWorld(t)
	w.tenant(t, "beta", nil)
	w.contact(t, "beta", "ana@example.com", "")
	w.request(t, login.LoginRequest{Identifier: email("ana@example.com"), CodeChallenge: login.CodeChallengeS256(verifier)})
	out, err := w.svc.RedeemLink(context.Background(), tokenOf(w.email.Last()), login.LoginOpts{})
	if err != nil || out.Session == nil || out.HandoffCode != "" {
		t.Fatalf("RedeemLink = code %q, %v; want a session and no hand-off code", out.HandoffCode, err)
	}
}

func TestExchangeFailures(t *testing.T) {
	challenge := login.CodeChallengeS256(verifier)
	other := strings.Repeat("x", 43) // a well-formed verifier of another login
	revoke := func(w *world, c login.Contact) {
		w.clock.Advance(time.Second)
		if _, err := w.svc.RevokeSessions(context.Background(), w.keys["acme"], c.ID, login.Meta{}); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name      string
		challenge string                             // of the login
		edit      func(w *world, in *login.Exchange) // the exchange
		after     func(w *world, c login.Contact)    // between login and exchange
		want      login.Code                         // of the exchange
		reason    string                             // of handoff.failed, "" for none
		replay    bool                               // exchange twice
	}{
		{name: "neither key nor verifier", challenge: challenge, edit: func(w *world, in *login.Exchange) { in.Key, in.CodeVerifier = nil, "" },
			want: login.CodeUnauthorized},
		{name: "malformed verifier", challenge: challenge, edit: func(w *world, in *login.Exchange) { in.CodeVerifier = "short" },
			want: login.CodeInvalidRequest},
		{name: "wrong verifier", challenge: challenge, edit: func(w *world, in *login.Exchange) { in.CodeVerifier = other },
			want: login.CodeLinkInvalid, reason: "verifier"},
		{name: "wrong verifier with the key", challenge: challenge, edit: func(w *world, in *login.Exchange) { in.CodeVerifier, in.Key = other, keyOf(w, "acme") },
			want: login.CodeLinkInvalid, reason: "verifier"},
		{name: "key without the verifier of a challenged code", challenge: challenge, edit: func(w *world, in *login.Exchange) { in.CodeVerifier, in.Key = "", keyOf(w, "acme") },
			want: login.CodeLinkInvalid, reason: "verifier_required"},
		{name: "verifier without a challenge", edit: func(w *world, in *login.Exchange) { in.CodeVerifier, in.Key = verifier, nil },
			want: login.CodeLinkInvalid, reason: "verifier"},
		{name: "verifier and key without a challenge", edit: func(w *world, in *login.Exchange) { in.CodeVerifier, in.Key = verifier, keyOf(w, "acme") },
			want: login.CodeLinkInvalid, reason: "verifier"},
		{name: "other tenant's key", edit: func(w *world, in *login.Exchange) { in.Key = keyOf(w, "beta") },
			want: login.CodeLinkInvalid, reason: "tenant"},
		{name: "other tenant's key with the verifier", challenge: challenge, edit: func(w *world, in *login.Exchange) { in.Key = keyOf(w, "beta") },
			want: login.CodeLinkInvalid, reason: "tenant"},
		{name: "expired", after: func(w *world, _ login.Contact) { w.clock.Advance(61 * time.Second) },
			want: login.CodeLinkInvalid, reason: "expired"},
		{name: "at the 60th second", after: func(w *world, _ login.Contact) { w.clock.Advance(60 * time.Second) },
			want: login.CodeLinkInvalid, reason: "expired"},
		{name: "unknown code", edit: func(w *world, in *login.Exchange) { in.Code = "h.acme." + strings.Repeat("A", 43) },
			want: login.CodeLinkInvalid, reason: "invalid"},
		{name: "malformed code", edit: func(w *world, in *login.Exchange) { in.Code = "h.acme.x" },
			want: login.CodeLinkInvalid},
		{name: "revoked after the login", after: revoke, want: login.CodeLinkInvalid, reason: "invalid"},
		{name: "replay", replay: true, want: login.CodeLinkInvalid, reason: "invalid"},
		{name: "replay with the verifier", challenge: challenge, replay: true, want: login.CodeLinkInvalid, reason: "invalid"},
	}
	_, bogus := newWorld(t).exchange(login.Exchange{Code: "bogus", CodeVerifier: verifier})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, c := handoffWorld(t)
			out := w.loginByLink(t, tt.challenge)
			in := login.Exchange{Code: out.HandoffCode, Key: keyOf(w, "acme")}
			if tt.challenge != "" {
				in = login.Exchange{Code: out.HandoffCode, CodeVerifier: verifier}
			}
			if tt.edit != nil {
				tt.edit(w, &in)
			}
			if tt.after != nil {
				tt.after(w, c)
			}
			if tt.replay {
				if _, err := w.exchange(in); err != nil {
					t.Fatalf("first ExchangeHandoff: %v", err)
				}
			}
			_, err := w.exchange(in)
			if got := login.ErrorCode(err); got != tt.want {
				t.Fatalf("ExchangeHandoff: code %q (%v); want %q", got, err, tt.want)
			}
			if tt.want == login.CodeLinkInvalid && login.ErrorMessage(err) != login.ErrorMessage(bogus) {
				t.Errorf("message %q; want the same as every failure: %q", login.ErrorMessage(err), login.ErrorMessage(bogus))
			}
			w.wantFailed(t, tt.reason, out.HandoffCode)
		})
	}
}

// wantFailed checks the audit log: one handoff.failed with reason (none
// when reason is ""), and the code in no event.
func (w *world) wantFailed(t *testing.T, reason, code string) {
	t.Helper()
	var reasons []string
	for _, e := range w.store.Events() {
		if e.Type == login.EventHandoffFailed {
			reasons = append(reasons, e.Detail["reason"])
			if e.TenantID != "acme" {
				t.Errorf("handoff.failed in tenant %q; want acme", e.TenantID)
			}
		}
		if s := fmt.Sprintf("%+v", e); strings.Contains(s, code) || strings.Contains(s, verifier) {
			t.Errorf("audit event %s holds the hand-off code or the verifier", e.Type)
		}
	}
	want := []string{reason}
	if reason == "" {
		want = nil
	}
	if strings.Join(reasons, ",") != strings.Join(want, ",") {
		t.Errorf("handoff.failed reasons %q; want %q", reasons, want)
	}
}

func TestExchangeOnce(t *testing.T) {
	w, c := handoffWorld(t)
	out := w.loginByLink(t, "")
	w.clock.Advance(59 * time.Second)
	x, err := w.exchange(login.Exchange{Code: out.HandoffCode, Key: keyOf(w, "acme"), Meta: login.Meta{IP: "203.0.113.5"}})
	if err != nil {
		t.Fatalf("ExchangeHandoff at 59 s: %v", err)
	}
	if x.Session.ContactID != c.ID || x.Session.Via != "link" || !x.Session.CreatedAt.Equal(w.clock.Now()) {
		t.Errorf("exchanged session %+v; want ana's, via link, made now", x.Session)
	}
	var types []string
	for _, e := range w.store.Events() {
		if e.Type == login.EventHandoffExchanged {
			if e.Actor != w.keys["acme"].Actor() || e.IP != "203.0.113.5" || e.Detail["auth"] != "apikey" || e.Detail["via"] != "link" {
				t.Errorf("handoff.exchanged %+v; want by acme's key, with the IP, auth apikey, via link", e)
			}
		}
		types = append(types, string(e.Type))
	}
	if got := strings.Join(types, " "); !strings.HasSuffix(got, "handoff.exchanged session.created") {
		t.Errorf("audit types %q; want handoff.exchanged and session.created last", got)
	}
	// The login's own session stays.
	if _, err := w.svc.Session(context.Background(), out.Session.Token); err != nil {
		t.Errorf("the login's session after the exchange: %v", err)
	}
}
