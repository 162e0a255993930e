package login_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/portalpass/portalpass/pkg/jwtsign"
	"github.com/portalpass/portalpass/pkg/login"
)

var _ login.Signer = (*jwtsign.Keys)(nil)

// signingWorld is a world whose Service mints JWTs with a local key,
// with tenant acme and its contact ana.
func signingWorld(t *testing.T, signer login.Signer) (*world, login.Contact) {
	t.Helper()
	w := newWorld(t)
	w.svc = login.New(login.Deps{
		Store: w.store, Email: w.email, SMS: w.sms, Clock: w.clock, BaseURL: "https://api.example.com",
		Sleep: func(context.Context, time.Duration) {}, Signer: signer,
	})
	w.tenant(t, "acme", nil)
	return w, w.contact(t, "acme", "ana@example.com", "")
}

// login logs ana in by link and returns the new session.
func (w *world) login(t *testing.T) *login.NewSession {
	t.Helper()
	w.request(t, login.LoginRequest{Identifier: email("ana@example.com"), Tenant: "acme"})
	out, err := w.svc.RedeemLink(context.Background(), tokenOf(w.email.Last()), login.LoginOpts{})
	if err != nil || out.Session == nil {
		t.Fatalf("RedeemLink = %+v, %v; want a session", out, err)
	}
	return out.Session
}

func localKeys(t *testing.T) (*jwtsign.Keys, *ecdsa.PublicKey) {
	t.Helper()
	s, err := jwtsign.GenerateLocalSigner()
	if err != nil {
		t.Fatal(err)
	}
	keys, err := jwtsign.NewKeys(s)
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := s.PublicKey(context.Background())
	return keys, pub
}

// claimsOf verifies a JWT with crypto/ecdsa and returns its claims,
// decoded strictly, and its kid.
func claimsOf(t *testing.T, jwt string, pub *ecdsa.PublicKey) (login.SessionClaims, string) {
	t.Helper()
	p := strings.Split(jwt, ".")
	if len(p) != 3 {
		t.Fatalf("JWT has %d parts", len(p))
	}
	sig, _ := base64.RawURLEncoding.DecodeString(p[2])
	digest := sha256.Sum256([]byte(p[0] + "." + p[1]))
	if len(sig) != 64 || !ecdsa.Verify(pub, digest[:], new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])) {
		t.Fatal("JWT signature does not verify")
	}
	var h struct{ Alg, Typ, Kid string }
	hb, _ := base64.RawURLEncoding.DecodeString(p[0])
	if err := json.Unmarshal(hb, &h); err != nil || h.Alg != "ES256" || h.Typ != "JWT" {
		t.Fatalf("header %s: %v", hb, err)
	}
	var c login.SessionClaims
	pb, _ := base64.RawURLEncoding.DecodeString(p[1])
	dec := json.NewDecoder(strings.NewReader(string(pb)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		t.Fatalf("claims %s: %v", pb, err)
	}
	return c, h.Kid
}

func TestSessionToken(t *testing.T) {
	keys, pub := localKeys(t)
	w, ana := signingWorld(t, keys)
	ns := w.login(t)
	ctx := context.Background()

	w.clock.Advance(90 * time.Second)
	jwt, exp, err := w.svc.SessionToken(ctx, ns.Token)
	if err != nil {
		t.Fatal(err)
	}
	c, kid := claimsOf(t, jwt, pub)
	now := w.clock.Now()
	want := login.SessionClaims{
		Issuer: "https://api.example.com", Audience: "acme", Subject: ana.ID,
		SessionID: login.SessionID(login.HashToken(ns.Token)), Via: "link",
		IssuedAt: now.Unix(), ExpiresAt: now.Add(5 * time.Minute).Unix(),
	}
	if c != want {
		t.Errorf("claims = %+v; want %+v", c, want)
	}
	if wantKid, _ := keys.KeyID(ctx); kid != wantKid {
		t.Errorf("kid = %q; want %q", kid, wantKid)
	}
	if !exp.Equal(time.Unix(c.ExpiresAt, 0)) {
		t.Errorf("expiresAt = %v; want exp %v", exp, time.Unix(c.ExpiresAt, 0))
	}
	if len(c.SessionID) != 22 || strings.Contains(ns.Token, c.SessionID) || strings.Contains(jwt, ns.Token) {
		t.Errorf("sid %q: want 22 characters naming the session, not its token", c.SessionID)
	}

	// Near the session's end, the JWT ends with it.
	w.clock.Set(ns.Session.ExpiresAt.Add(-2 * time.Minute))
	jwt, exp, err = w.svc.SessionToken(ctx, ns.Token)
	if err != nil {
		t.Fatal(err)
	}
	c, _ = claimsOf(t, jwt, pub)
	if c.ExpiresAt > ns.Session.ExpiresAt.Unix() || exp.After(ns.Session.ExpiresAt) {
		t.Errorf("exp = %d (%v); want at most the session's end %v", c.ExpiresAt, exp, ns.Session.ExpiresAt)
	}
	if c.ExpiresAt-c.IssuedAt > 120 || c.ExpiresAt <= c.IssuedAt {
		t.Errorf("lifetime = %d s; want at most the 120 s left", c.ExpiresAt-c.IssuedAt)
	}
}

func TestSessionTokenNoSession(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		end  func(w *world, ana login.Contact, ns *login.NewSession) string // returns the token to use
	}{
		{"revoked", func(w *world, ana login.Contact, ns *login.NewSession) string {
			w.clock.Advance(time.Second)
			if _, err := w.svc.RevokeSessions(ctx, w.keys["acme"], ana.ID, login.Meta{}); err != nil {
				t.Fatal(err)
			}
			return ns.Token
		}},
		{"logged out", func(w *world, _ login.Contact, ns *login.NewSession) string {
			if err := w.svc.Logout(ctx, ns.Token, login.Meta{}); err != nil {
				t.Fatal(err)
			}
			return ns.Token
		}},
		{"expired", func(w *world, _ login.Contact, ns *login.NewSession) string {
			w.clock.Set(ns.Session.ExpiresAt)
			return ns.Token
		}},
		{"disabled contact", func(w *world, ana login.Contact, ns *login.NewSession) string {
			d := login.AccessDisabled
			if _, err := w.svc.UpdateContact(ctx, w.keys["acme"], ana.ID, login.ContactInput{Access: &d}, login.Meta{}); err != nil {
				t.Fatal(err)
			}
			return ns.Token
		}},
		{"a token changed", func(_ *world, _ login.Contact, ns *login.NewSession) string { return ns.Token + "x" }},
		{"no token", func(*world, login.Contact, *login.NewSession) string { return "" }},
		{"not a session token", func(*world, login.Contact, *login.NewSession) string { return "l.acme.abc" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			keys, _ := localKeys(t)
			w, ana := signingWorld(t, keys)
			tok := tt.end(w, ana, w.login(t))
			jwt, _, err := w.svc.SessionToken(ctx, tok)
			if login.ErrorCode(err) != login.CodeNoSession || jwt != "" {
				t.Errorf("SessionToken = %q, %v; want no_session", jwt, err)
			}
		})
	}
}

// failingSigner is a Signer whose key store is down.
type failingSigner struct{}

func (failingSigner) SignJWT(context.Context, any) (string, error) { return "", errors.New("kms down") }
func (failingSigner) JWKS(context.Context) ([]byte, error)         { return nil, errors.New("kms down") }

func TestSessionTokenSignerErrors(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name   string
		signer login.Signer
	}{
		{"no signer", nil},
		{"signer fails", failingSigner{}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w, _ := signingWorld(t, tt.signer)
			ns := w.login(t)
			_, _, err := w.svc.SessionToken(ctx, ns.Token)
			if login.ErrorCode(err) != login.CodeInternal || strings.Contains(err.Error(), ns.Token) {
				t.Errorf("SessionToken error = %v; want internal, without the token", err)
			}
			doc, err := w.svc.JWKS(ctx)
			switch {
			case tt.signer == nil && (err != nil || string(doc) != `{"keys":[]}`):
				t.Errorf("JWKS = %s, %v; want an empty set", doc, err)
			case tt.signer != nil && login.ErrorCode(err) != login.CodeInternal:
				t.Errorf("JWKS error = %v; want internal", err)
			}
		})
	}
}

func TestJWKSListsTheSigningKey(t *testing.T) {
	keys, pub := localKeys(t)
	w, _ := signingWorld(t, keys)
	doc, err := w.svc.JWKS(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var set jwtsign.JWKS
	if err := json.Unmarshal(doc, &set); err != nil || len(set.Keys) != 1 {
		t.Fatalf("JWKS = %s, %v; want one key", doc, err)
	}
	got, err := set.Keys[0].PublicKey()
	if err != nil || !got.Equal(pub) {
		t.Errorf("JWKS key = %v, %v; want the signing key", got, err)
	}
}

func TestSessionID(t *testing.T) {
	h := login.HashToken("s.acme.c1.secret")
	if got, want := login.SessionID(h), base64.RawURLEncoding.EncodeToString(h[:16]); got != want {
		t.Errorf("SessionID = %q; want %q", got, want)
	}
	if got := login.SessionID([]byte{1, 2}); got != "AQI" {
		t.Errorf("SessionID(2 bytes) = %q; want %q", got, "AQI")
	}
}
