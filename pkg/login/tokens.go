package login

import (
	"encoding/base64"
	"strings"
)

// Every token the service hands out is built by tokenParts.String and read
// back by parseToken, here and nowhere else. Their formats are on the wire
// (links in sent mail, cookies, portal integrations): never change one.
//
// The first field of a token says what it is, so a token of one kind is
// never accepted in another's place:
//
//	l.<tenant>.<contact>.<purpose>.<redirect>[.<challenge>].<secret>  a contact's one-time link
//	m.<identHash>.<redirect>.<secret>                                 a several-tenant login link
//	t.<tenant>.<contact>.<secret>                                     a login link's short form (SMS)
//	n.<identHash>.<secret>                                            a several-tenant link's short form (SMS)
//	a.<tenant>.<actionId>.<secret>                                    an action link (reusable)
//	h.<tenant>.<secret>                                               a hand-off code
//	p.<secret>                                                        a tenant picker session
//	s.<tenant>.<contact>.<secret>                                     a session
//	ppk_<keyId>_<secret>                                              an API key
//
// Redirects are base64url (so that a path's dots cannot split fields);
// every secret is 256 bits in base64url. A token names its tenant and
// contact beside its secret so that the store knows every key it must
// touch without a read; only the token's hash decides whether it is real.
//
// A short form (kinds t and n, for a link that must fit an SMS) holds the
// same secret as its login link and leaves out the redirect and PKCE
// challenge, which the stored attempt holds: it stands for the full token
// those rebuild (expandShort), whose hash the attempt keeps, so it has the
// full token's entropy and never a second stored hash.
const (
	kindLink       = "l"
	kindMulti      = "m"
	kindShort      = "t"
	kindShortMulti = "n"
	kindAction     = "a"
	kindHandoff    = "h"
	kindPicker     = "p"
	kindSession    = "s"
	kindAPIKey     = "ppk_"
)

// tokenKinds are the kinds of token, for tests that try every one.
var tokenKinds = []string{kindLink, kindMulti, kindShort, kindShortMulti, kindAction, kindHandoff, kindPicker, kindSession, kindAPIKey}

// maxToken bounds what parseToken reads: a link's redirect makes tokens
// of any length possible, and nothing we issue is anywhere near this.
const maxToken = 4096

// Purpose is why a one-time link was issued; it decides the slot, the
// lifetime and the session's "via".
type Purpose string

// Purposes of one-time links.
const (
	PurposeLogin    Purpose = "l"
	PurposeInvite   Purpose = "i"
	PurposeRecovery Purpose = "r"
)

func (p Purpose) slot() SlotKind {
	if p == PurposeLogin {
		return SlotLogin
	}
	return SlotLink
}

func (p Purpose) via() string {
	switch p {
	case PurposeInvite:
		return "invite"
	case PurposeRecovery:
		return "recovery"
	}
	return "link"
}

func (p Purpose) valid() bool {
	return p == PurposeLogin || p == PurposeInvite || p == PurposeRecovery
}

// tokenParts are the fields of a token. kind says which fields it has;
// the others are "".
type tokenParts struct {
	kind      string
	tenant    string  // link, short, action, hand-off, session
	contact   string  // link, short, session
	purpose   Purpose // link
	redirect  string  // link, multi: a checked portal path or ""
	challenge string  // link: the attempt's PKCE challenge, "" when none
	identHash string  // multi, short multi: IdentHash of the identifier
	id        string  // action: the link's id; API key: the key's id
	secret    string  // every kind
}

// String formats the token. Its fields must be well formed (parseToken
// would accept the result): callers build tokens from their own ids and a
// fresh secret.
func (t tokenParts) String() string {
	switch t.kind {
	case kindLink:
		f := []string{kindLink, t.tenant, t.contact, string(t.purpose), encodeRedirect(t.redirect)}
		if t.challenge != "" {
			f = append(f, t.challenge)
		}
		return strings.Join(append(f, t.secret), ".")
	case kindMulti:
		return strings.Join([]string{kindMulti, t.identHash, encodeRedirect(t.redirect), t.secret}, ".")
	case kindShort:
		return strings.Join([]string{kindShort, t.tenant, t.contact, t.secret}, ".")
	case kindShortMulti:
		return strings.Join([]string{kindShortMulti, t.identHash, t.secret}, ".")
	case kindAction:
		return strings.Join([]string{kindAction, t.tenant, t.id, t.secret}, ".")
	case kindHandoff:
		return strings.Join([]string{kindHandoff, t.tenant, t.secret}, ".")
	case kindPicker:
		return kindPicker + "." + t.secret
	case kindSession:
		return strings.Join([]string{kindSession, t.tenant, t.contact, t.secret}, ".")
	case kindAPIKey:
		return kindAPIKey + t.id + "_" + t.secret
	}
	panic("login: format of unknown token kind " + t.kind)
}

// parseToken splits a token of any kind. It checks shape only; the stored
// hash decides whether the token is real. Every well-formed token is
// exactly what String makes of its parts.
func parseToken(s string) (tokenParts, bool) {
	if len(s) > maxToken {
		return tokenParts{}, false
	}
	if rest, ok := strings.CutPrefix(s, kindAPIKey); ok {
		return parseAPIKey(rest)
	}
	f := strings.Split(s, ".")
	switch {
	case (len(f) == 6 || len(f) == 7) && f[0] == kindLink:
		red, ok := decodeRedirect(f[4])
		t := tokenParts{kind: kindLink, tenant: f[1], contact: f[2], purpose: Purpose(f[3]), redirect: red, secret: f[len(f)-1]}
		if len(f) == 7 {
			t.challenge = f[5]
			ok = ok && ValidB64Secret(t.challenge)
		}
		return t, ok && ValidTenantID(t.tenant) && ValidContactID(t.contact) && t.purpose.valid() && ValidB64Secret(t.secret)
	case len(f) == 4 && f[0] == kindMulti:
		red, ok := decodeRedirect(f[2])
		t := tokenParts{kind: kindMulti, identHash: f[1], redirect: red, secret: f[3]}
		return t, ok && ValidB64Secret(t.identHash) && ValidB64Secret(t.secret)
	case len(f) == 4 && f[0] == kindShort:
		t := tokenParts{kind: kindShort, tenant: f[1], contact: f[2], secret: f[3]}
		return t, ValidTenantID(t.tenant) && ValidContactID(t.contact) && ValidB64Secret(t.secret)
	case len(f) == 3 && f[0] == kindShortMulti:
		t := tokenParts{kind: kindShortMulti, identHash: f[1], secret: f[2]}
		return t, ValidB64Secret(t.identHash) && ValidB64Secret(t.secret)
	case len(f) == 4 && f[0] == kindAction:
		t := tokenParts{kind: kindAction, tenant: f[1], id: f[2], secret: f[3]}
		return t, ValidTenantID(t.tenant) && validID(t.id, 'a') && ValidB64Secret(t.secret)
	case len(f) == 3 && f[0] == kindHandoff:
		t := tokenParts{kind: kindHandoff, tenant: f[1], secret: f[2]}
		return t, ValidTenantID(t.tenant) && ValidB64Secret(t.secret)
	case len(f) == 2 && f[0] == kindPicker:
		t := tokenParts{kind: kindPicker, secret: f[1]}
		return t, ValidB64Secret(t.secret)
	case len(f) == 4 && f[0] == kindSession:
		t := tokenParts{kind: kindSession, tenant: f[1], contact: f[2], secret: f[3]}
		return t, ValidTenantID(t.tenant) && ValidContactID(t.contact) && ValidB64Secret(t.secret)
	}
	return tokenParts{}, false
}

// parseAPIKey parses what follows an API key's prefix: the key's id, "_"
// and the secret (which may itself hold "_").
func parseAPIKey(rest string) (tokenParts, bool) {
	const idLen = apiKeyIDLen
	if len(rest) <= idLen || rest[idLen] != '_' {
		return tokenParts{}, false
	}
	t := tokenParts{kind: kindAPIKey, id: rest[:idLen], secret: rest[idLen+1:]}
	return t, validIDLen(t.id, 'k', idLen) && ValidB64Secret(t.secret)
}

// parseTokenOf parses a token that must be of one kind.
func parseTokenOf(s, kind string) (tokenParts, bool) {
	t, ok := parseToken(s)
	if !ok || t.kind != kind {
		return tokenParts{}, false
	}
	return t, true
}

// shortOf is the short form of a login link's token (l with purpose
// login, or m): the same tenant and contact, or identifier, and secret.
func shortOf(t tokenParts) tokenParts {
	if t.kind == kindMulti {
		return tokenParts{kind: kindShortMulti, identHash: t.identHash, secret: t.secret}
	}
	return tokenParts{kind: kindShort, tenant: t.tenant, contact: t.contact, secret: t.secret}
}

// expandShort rebuilds the login link a short form stands for from the
// redirect and PKCE challenge its attempt stored. The result is only a
// candidate: the attempt's token hash decides whether it is that link
// (a stored value that is not well formed rebuilds a token no hash
// matches).
func expandShort(t tokenParts, redirect, challenge string) tokenParts {
	if t.kind == kindShortMulti {
		return tokenParts{kind: kindMulti, identHash: t.identHash, redirect: redirect, secret: t.secret}
	}
	return tokenParts{kind: kindLink, tenant: t.tenant, contact: t.contact, purpose: PurposeLogin,
		redirect: redirect, challenge: challenge, secret: t.secret}
}

// encodeRedirect and decodeRedirect carry a redirect in a token field.
// Decoding is strict: only the one encoding that encodeRedirect makes is
// accepted, so a token has a single spelling.
func encodeRedirect(p string) string { return base64.RawURLEncoding.EncodeToString([]byte(p)) }

func decodeRedirect(s string) (string, bool) {
	if strings.ContainsAny(s, "\r\n") { // the decoder skips them
		return "", false
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(s)
	return string(b), err == nil
}

// HandoffTenant returns the tenant a well-formed hand-off code names,
// without any read: the HTTP layer answers CORS for that tenant's portal.
// The stored hash, not this, decides whether the code is real.
func HandoffTenant(code string) (string, bool) {
	t, ok := parseTokenOf(code, kindHandoff)
	return t.tenant, ok
}

// SessionTenant returns the tenant a session token names (not whether
// the session is live).
func SessionTenant(token string) (string, bool) {
	t, ok := parseTokenOf(token, kindSession)
	return t.tenant, ok
}
