package login

import (
	"strings"
	"testing"
)

// FuzzParseLinkToken checks that a link token parses only in its own
// shape, with or without a PKCE challenge, and formats back to itself.
func FuzzParseLinkToken(f *testing.F) {
	secret, challenge := strings.Repeat("s", 43), strings.Repeat("c", 43)
	lt := linkToken{"acme", "c" + strings.Repeat("a", 26), PurposeLogin, "/x?y=1"}
	for _, s := range []string{
		formatLinkToken(lt, secret), formatLinkTokenWith(lt, challenge, secret), formatLinkTokenWith(lt, "", secret),
		"l.acme.c.l..x", "l.a.b.c.d.e.f.g", "s.acme.c." + secret, "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, ok := parseToken(s)
		if !ok || p.kind != kindLink {
			return
		}
		secret := s[strings.LastIndexByte(s, '.')+1:]
		if got := formatLinkTokenWith(p.link, p.challenge, secret); got != s && !decodesLoosely(s) {
			t.Fatalf("parseToken(%q) formats back as %q", s, got)
		}
		if p.challenge != "" && !ValidB64Secret(p.challenge) {
			t.Fatalf("parseToken(%q): challenge %q is not 43 base64url characters", s, p.challenge)
		}
	})
}

// decodesLoosely reports a token whose redirect field base64url-decodes
// although it is not the canonical encoding of what it decodes to (Go's
// decoder ignores some trailing bits): such a token parses, and its hash
// decides, as for any other token.
func decodesLoosely(s string) bool {
	f := strings.Split(s, ".")
	red, ok := decodeRedirect(f[4])
	return ok && encodeRedirect(red) != f[4]
}
