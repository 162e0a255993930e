package login

import (
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"testing"
)

// Fixed parts for the wire-format table and the fuzz seeds.
var (
	testSecret    = strings.Repeat("s", 43)
	testChallenge = strings.Repeat("C", 43)
	testContact   = "c" + strings.Repeat("a", 26)
	testActionID  = "a" + strings.Repeat("b", 26)
	testKeyID     = "k" + strings.Repeat("2", 10)
	testIdentHash = IdentHash("email:ana@example.com")
)

// TestTokenFormats pins every kind of token as it travels: links already
// sent, sessions in cookies and keys in portals' configuration hold these
// shapes, so a change here breaks them.
func TestTokenFormats(t *testing.T) {
	red := "/invoices/42?tab=1"
	redB64 := "L2ludm9pY2VzLzQyP3RhYj0x"
	tests := []struct {
		name string
		p    tokenParts
		want string
	}{
		{"login link", tokenParts{kind: kindLink, tenant: "acme", contact: testContact, purpose: PurposeLogin, redirect: red, secret: testSecret},
			"l.acme." + testContact + ".l." + redB64 + "." + testSecret},
		{"login link with PKCE", tokenParts{kind: kindLink, tenant: "acme", contact: testContact, purpose: PurposeLogin, challenge: testChallenge, secret: testSecret},
			"l.acme." + testContact + ".l.." + testChallenge + "." + testSecret},
		{"invite", tokenParts{kind: kindLink, tenant: "acme", contact: testContact, purpose: PurposeInvite, secret: testSecret},
			"l.acme." + testContact + ".i.." + testSecret},
		{"recovery", tokenParts{kind: kindLink, tenant: "acme", contact: testContact, purpose: PurposeRecovery, redirect: "/", secret: testSecret},
			"l.acme." + testContact + ".r.Lw." + testSecret},
		{"several tenants", tokenParts{kind: kindMulti, identHash: testIdentHash, redirect: red, secret: testSecret},
			"m." + testIdentHash + "." + redB64 + "." + testSecret},
		{"login link, short (SMS)", tokenParts{kind: kindShort, tenant: "acme", contact: testContact, secret: testSecret},
			"t.acme." + testContact + "." + testSecret},
		{"several tenants, short (SMS)", tokenParts{kind: kindShortMulti, identHash: testIdentHash, secret: testSecret},
			"n." + testIdentHash + "." + testSecret},
		{"action link", tokenParts{kind: kindAction, tenant: "acme", id: testActionID, secret: testSecret},
			"a.acme." + testActionID + "." + testSecret},
		{"hand-off code", tokenParts{kind: kindHandoff, tenant: "acme", secret: testSecret}, "h.acme." + testSecret},
		{"picker", tokenParts{kind: kindPicker, secret: testSecret}, "p." + testSecret},
		{"session", tokenParts{kind: kindSession, tenant: "acme", contact: testContact, secret: testSecret},
			"s.acme." + testContact + "." + testSecret},
		{"API key", tokenParts{kind: kindAPIKey, id: testKeyID, secret: testSecret}, "ppk_" + testKeyID + "_" + testSecret},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.String(); got != tt.want {
				t.Fatalf("String() = %q; want %q", got, tt.want)
			}
			if got, ok := parseToken(tt.want); !ok || got != tt.p {
				t.Errorf("parseToken(%q) = %+v, %v; want %+v", tt.want, got, ok, tt.p)
			}
		})
	}
}

func TestParseTokenRejects(t *testing.T) {
	ok := "s.acme." + testContact + "." + testSecret
	for _, s := range []string{
		"", ".", "s", "s.acme." + testContact, ok + ".", "S" + ok[1:], ok[:len(ok)-1], ok + "x",
		"s.Acme." + testContact + "." + testSecret, "s.-acme." + testContact + "." + testSecret,
		"l.acme." + testContact + ".x.." + testSecret,                     // unknown purpose
		"l.acme." + testContact + ".l.Lx." + testSecret,                   // redirect with stray bits
		"l.acme." + testContact + ".l.L\nw." + testSecret,                 // redirect with a newline
		"l.acme." + testContact + ".l..short." + testSecret,               // bad challenge
		"a.acme." + testContact + "." + testSecret,                        // a contact id is no action id
		"ppk_" + testKeyID + testSecret, "ppk_k222_" + testSecret, "ppk_", // API keys without their "_" or id
		"h.acme." + testSecret + "=", "p." + testSecret + "." + testSecret,
		"t.acme." + testContact + ".l." + testSecret, // a short link names no purpose
		"t.acme." + testSecret,                       // nor lacks its contact
		"n." + testIdentHash + ".Lw." + testSecret,   // nor holds a redirect
		"n.acme." + testSecret,                       // an identifier hash, not a tenant
		"l.acme." + testContact + ".l." + strings.Repeat("A", maxToken) + "." + testSecret,
	} {
		if p, ok := parseToken(s); ok {
			t.Errorf("parseToken(%q) = %+v; want it rejected", s, p)
		}
	}
}

// FuzzTokens checks every kind of token: parsing never panics, what parses
// is exactly what its parts format to, a token built from any well-formed
// parts parses back to those parts, and a token of one kind never parses
// as another kind.
func FuzzTokens(f *testing.F) {
	for _, s := range []string{
		"l.acme." + testContact + ".l.Lw." + testSecret,
		"l.acme." + testContact + ".l.Lw." + testChallenge + "." + testSecret,
		"m." + testIdentHash + ".Lw." + testSecret,
		"t.acme." + testContact + "." + testSecret,
		"n." + testIdentHash + "." + testSecret,
		"a.acme." + testActionID + "." + testSecret,
		"h.acme." + testSecret, "p." + testSecret,
		"s.acme." + testContact + "." + testSecret,
		"ppk_" + testKeyID + "_" + testSecret,
		"l.acme.c.l..x", "l.a.b.c.d.e.f.g", "ppk__", "", ".",
	} {
		f.Add(s, uint8(len(s)), "acme", "/x?y=1", []byte(s))
	}
	f.Fuzz(func(t *testing.T, s string, sel uint8, tenant, redirect string, seed []byte) {
		if p, ok := parseToken(s); ok {
			if got := p.String(); got != s {
				t.Fatalf("parseToken(%q) = %+v, which formats as %q", s, p, got)
			}
			onlyKind(t, s, p.kind)
		}
		want := partsFrom(sel, tenant, redirect, seed)
		tok := want.String()
		if got, ok := parseToken(tok); !ok || got != want {
			t.Fatalf("parseToken(%q) = %+v, %v; want %+v", tok, got, ok, want)
		}
		onlyKind(t, tok, want.kind)
	})
}

// onlyKind fails t if s parses as any kind but kind.
func onlyKind(t *testing.T, s, kind string) {
	t.Helper()
	for _, k := range tokenKinds {
		if _, ok := parseTokenOf(s, k); ok != (k == kind) {
			t.Fatalf("parseTokenOf(%q, %q) = %v; the token is of kind %q", s, k, ok, kind)
		}
	}
}

// partsFrom makes well-formed parts of the kind sel picks from fuzzed
// input: the tenant when it is a valid id, any redirect, ids and secrets
// derived from seed.
func partsFrom(sel uint8, tenant, redirect string, seed []byte) tokenParts {
	if !ValidTenantID(tenant) {
		tenant = "acme"
	}
	if len(redirect) > 1000 {
		redirect = redirect[:1000]
	}
	b64 := func(salt string) string {
		h := sha256.Sum256(append([]byte(salt), seed...))
		return base64.RawURLEncoding.EncodeToString(h[:])
	}
	id := func(prefix byte, n int) string {
		h := sha256.Sum256(append([]byte{prefix}, seed...))
		out := []byte{prefix}
		for _, c := range h[:n-1] {
			out = append(out, idAlphabet[c%32])
		}
		return string(out)
	}
	p := tokenParts{kind: tokenKinds[int(sel)%len(tokenKinds)], secret: b64("secret")}
	switch p.kind {
	case kindLink:
		p.tenant, p.contact, p.redirect = tenant, id('c', 27), redirect
		p.purpose = []Purpose{PurposeLogin, PurposeInvite, PurposeRecovery}[int(sel/8)%3]
		if sel&0x80 != 0 {
			p.challenge = b64("challenge")
		}
	case kindMulti:
		p.identHash, p.redirect = IdentHash(string(seed)), redirect
	case kindShort:
		p.tenant, p.contact = tenant, id('c', 27)
	case kindShortMulti:
		p.identHash = IdentHash(string(seed))
	case kindAction:
		p.tenant, p.id = tenant, id('a', 27)
	case kindHandoff:
		p.tenant = tenant
	case kindSession:
		p.tenant, p.contact = tenant, id('c', 27)
	case kindAPIKey:
		p.id = id('k', apiKeyIDLen)
	}
	return p
}
