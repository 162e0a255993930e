package httpapi_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"math/big"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/portalpass/portalpass/pkg/httpapi"
	"github.com/portalpass/portalpass/pkg/jwtsign"
	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/login/logintest"
	"github.com/portalpass/portalpass/pkg/store/memstore"
)

// newSigningEnv is newEnv whose Service mints session JWTs with a local
// key, as the dev server does.
func newSigningEnv(t *testing.T) *env {
	t.Helper()
	e := &env{
		t: t, clock: logintest.NewClock(time.Now().UTC().Truncate(time.Second)),
		email: &logintest.Sender{}, sms: &logintest.Sender{}, logs: &syncBuffer{},
	}
	signer, err := jwtsign.GenerateLocalSigner()
	if err != nil {
		t.Fatal(err)
	}
	keys, err := jwtsign.NewKeys(signer)
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewJSONHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	e.svc = login.New(login.Deps{
		Store: memstore.New(), Email: e.email, SMS: e.sms, Clock: e.clock, BaseURL: baseURL,
		Logger: logger, Sleep: func(context.Context, time.Duration) {}, Signer: keys,
	})
	e.key = e.tenant("acme", "Acme", portalURL)
	e.h = httpapi.All(httpapi.Config{Service: e.svc, BaseURL: baseURL, Logger: logger})
	return e
}

// jwksKey fetches the JWKS and returns its one key.
func (e *env) jwksKey() jwtsign.JWK {
	e.t.Helper()
	w := e.do(req(http.MethodGet, "/.well-known/jwks.json", ""))
	if w.Code != http.StatusOK {
		e.t.Fatalf("GET /.well-known/jwks.json = %d %s", w.Code, w.Body)
	}
	var set jwtsign.JWKS
	decode(e.t, w.Body.Bytes(), &set)
	if len(set.Keys) != 1 {
		e.t.Fatalf("JWKS lists %d keys; want 1", len(set.Keys))
	}
	return set.Keys[0]
}

// verifyJWT checks a JWT's signature with a JWKS key (crypto/ecdsa) and
// returns its header and claims.
func verifyJWT(t *testing.T, jwt string, k jwtsign.JWK) (jwtsign.Header, login.SessionClaims) {
	t.Helper()
	pub, err := k.PublicKey()
	if err != nil {
		t.Fatal(err)
	}
	p := strings.Split(jwt, ".")
	if len(p) != 3 {
		t.Fatalf("JWT has %d parts", len(p))
	}
	sig, _ := base64.RawURLEncoding.DecodeString(p[2])
	digest := sha256.Sum256([]byte(p[0] + "." + p[1]))
	if len(sig) != 64 || !ecdsa.Verify(pub, digest[:], new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])) {
		t.Fatal("JWT does not verify with the JWKS key")
	}
	var h jwtsign.Header
	var c login.SessionClaims
	hb, _ := base64.RawURLEncoding.DecodeString(p[0])
	cb, _ := base64.RawURLEncoding.DecodeString(p[1])
	decode(t, hb, &h)
	decode(t, cb, &c)
	return h, c
}

func TestSessionJWT(t *testing.T) {
	e := newSigningEnv(t)
	contact := e.invite("ana@example.com")
	session := e.login("ana@example.com")
	key := e.jwksKey()
	tests := []struct {
		name string
		r    func() *http.Request
	}{
		{"bearer, no body", func() *http.Request {
			return req(http.MethodPost, "/v1/session/token", "", "Authorization", "Bearer "+session)
		}},
		{"cookie, empty JSON object", func() *http.Request {
			return jsonReq(http.MethodPost, "/v1/session/token", `{}`, "Cookie", sessionCookie+"="+session)
		}},
		{"JSON type, no body", func() *http.Request {
			return req(http.MethodPost, "/v1/session/token", "", "Content-Type", "application/json", "Authorization", "Bearer "+session)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := e.do(tt.r())
			if w.Code != http.StatusOK {
				t.Fatalf("status = %d %s; want 200", w.Code, w.Body)
			}
			if got := w.Header().Get("Cache-Control"); got != "no-store" {
				t.Errorf("Cache-Control = %q; want no-store", got)
			}
			var out map[string]string
			decode(t, w.Body.Bytes(), &out)
			if len(out) != 2 || out["token"] == "" || out["expiresAt"] == "" {
				t.Fatalf("body = %s; want exactly token and expiresAt", w.Body)
			}
			h, c := verifyJWT(t, out["token"], key)
			if h.Alg != "ES256" || h.Typ != "JWT" || h.Kid != key.Kid {
				t.Errorf("header = %+v; want ES256, JWT, kid %q", h, key.Kid)
			}
			now := e.clock.Now().Unix()
			if c.Issuer != baseURL || c.Audience != "acme" || c.Subject != contact || c.Via != "link" ||
				c.SessionID == "" || c.IssuedAt != now || c.ExpiresAt != now+300 {
				t.Errorf("claims = %+v; want iss %s, aud acme, sub %s, via link, a sid, 5 minutes from now", c, baseURL, contact)
			}
			if want := time.Unix(c.ExpiresAt, 0).UTC().Format(time.RFC3339); out["expiresAt"] != want {
				t.Errorf("expiresAt = %s; want exp %s", out["expiresAt"], want)
			}
			if strings.Contains(e.logs.String(), session) || strings.Contains(e.logs.String(), out["token"]) {
				t.Error("a log line holds the session token or the JWT")
			}
		})
	}
}

func TestSessionJWTErrors(t *testing.T) {
	e := newSigningEnv(t)
	e.invite("ana@example.com")
	session := e.login("ana@example.com")
	bearer := []string{"Authorization", "Bearer " + session}
	tests := []struct {
		name   string
		r      *http.Request
		status int
		code   string
	}{
		{"no session", req(http.MethodPost, "/v1/session/token", ""), 401, "no_session"},
		{"unknown session", req(http.MethodPost, "/v1/session/token", "", "Authorization", "Bearer s.acme.c1.nope"), 401, "no_session"},
		{"a body that is not JSON", req(http.MethodPost, "/v1/session/token", "x=1", append([]string{"Content-Type", "application/x-www-form-urlencoded"}, bearer...)...), 415, "unsupported_media_type"},
		{"a body without a type", req(http.MethodPost, "/v1/session/token", "{}", bearer...), 415, "unsupported_media_type"},
		{"a text type without a body", req(http.MethodPost, "/v1/session/token", "", append([]string{"Content-Type", "text/plain"}, bearer...)...), 415, "unsupported_media_type"},
		{"a field", jsonReq(http.MethodPost, "/v1/session/token", `{"aud":"beta"}`, bearer...), 400, "invalid_request"},
		{"malformed JSON", jsonReq(http.MethodPost, "/v1/session/token", `{`, bearer...), 400, "invalid_request"},
		{"a body over 16 KiB", jsonReq(http.MethodPost, "/v1/session/token", `{"x":"`+strings.Repeat("a", 17<<10)+`"}`, bearer...), 413, "body_too_large"},
		{"GET", req(http.MethodGet, "/v1/session/token", "", bearer...), 404, "not_found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkError(t, e.do(tt.r), tt.status, tt.code)
		})
	}
}

func TestSessionJWTEndedSession(t *testing.T) {
	e := newSigningEnv(t)
	e.invite("ana@example.com")
	session := e.login("ana@example.com")
	if w := e.do(jsonReq(http.MethodPost, "/v1/logout", "", "Authorization", "Bearer "+session)); w.Code != http.StatusNoContent {
		t.Fatalf("logout = %d %s", w.Code, w.Body)
	}
	checkError(t, e.do(req(http.MethodPost, "/v1/session/token", "", "Authorization", "Bearer "+session)), 401, "no_session")
}

func TestJWKSEndpoint(t *testing.T) {
	e := newSigningEnv(t)
	w := e.do(req(http.MethodGet, "/.well-known/jwks.json", ""))
	if w.Code != http.StatusOK {
		t.Fatalf("status = %d %s", w.Code, w.Body)
	}
	if got := w.Header().Get("Cache-Control"); got != "public, max-age=300" {
		t.Errorf("Cache-Control = %q; want public, max-age=300", got)
	}
	if got := w.Header().Get("Content-Type"); !strings.HasPrefix(got, "application/json") {
		t.Errorf("Content-Type = %q; want application/json", got)
	}
	var set struct {
		Keys []map[string]string `json:"keys"`
	}
	decode(t, w.Body.Bytes(), &set)
	if len(set.Keys) != 1 {
		t.Fatalf("keys = %d; want 1", len(set.Keys))
	}
	k := set.Keys[0]
	for name, want := range map[string]string{"kty": "EC", "crv": "P-256", "alg": "ES256", "use": "sig"} {
		if k[name] != want {
			t.Errorf("%s = %q; want %q", name, k[name], want)
		}
	}
	if len(k) != 7 || len(k["x"]) != 43 || len(k["y"]) != 43 || len(k["kid"]) != 43 {
		t.Errorf("key = %v; want kty, crv, x, y, kid, alg, use with 32-byte coordinates and a thumbprint kid", k)
	}
}

func TestTokenWithoutSigner(t *testing.T) {
	e := newEnv(t) // no signing key configured
	e.invite("ana@example.com")
	session := e.login("ana@example.com")
	checkError(t, e.do(req(http.MethodPost, "/v1/session/token", "", "Authorization", "Bearer "+session)), 500, "internal")
	w := e.do(req(http.MethodGet, "/.well-known/jwks.json", ""))
	var set json.RawMessage
	decode(t, w.Body.Bytes(), &set)
	if w.Code != http.StatusOK || string(set) != `{"keys":[]}` {
		t.Errorf("JWKS = %d %s; want 200 with no keys", w.Code, w.Body)
	}
}
