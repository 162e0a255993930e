package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/base64"
	"math/big"
	"strings"
	"testing"

	"github.com/portalpass/portalpass/infra/devserver/server"
	"github.com/portalpass/portalpass/pkg/jwtsign"
)

// TestSessionJWT mints a session JWT on the dev server and verifies it
// with the key its JWKS lists (the key made at start).
func TestSessionJWT(t *testing.T) {
	srv, err := server.Start(context.Background(), server.Options{APIKey: testKey, EmailFrom: "login@example.com", Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	c := newClient(t, srv.URL)
	var set jwtsign.JWKS
	if s := c.do("GET", "/.well-known/jwks.json", "", nil, &set); s != 200 || len(set.Keys) != 1 {
		t.Fatalf("jwks = %d %+v; want one key", s, set)
	}
	if s := c.do("POST", "/v1/admin/invites", testKey, map[string]string{"email": "ana@example.com"}, nil); s != 201 {
		t.Fatalf("invite = %d", s)
	}
	if s := c.do("POST", "/v1/login/request", "", map[string]string{"identifier": "ana@example.com"}, nil); s != 202 {
		t.Fatalf("request = %d", s)
	}
	msgs := srv.Inbox.Messages()
	token := tokenRe.FindStringSubmatch(msgs[0].Text)[1]
	var a loginAnswer
	if s := c.do("POST", "/v1/login/redeem", "", map[string]string{"token": token}, &a); s != 200 {
		t.Fatalf("redeem = %d", s)
	}
	var out struct{ Token, ExpiresAt string }
	if s := c.do("POST", "/v1/session/token", a.Session.Token, struct{}{}, &out); s != 200 || out.Token == "" {
		t.Fatalf("token = %d %+v", s, out)
	}
	pub, err := set.Keys[0].PublicKey()
	if err != nil {
		t.Fatal(err)
	}
	if kid, _ := jwtsign.Thumbprint(pub); kid != set.Keys[0].Kid {
		t.Errorf("JWKS kid %q is not the key's thumbprint %q", set.Keys[0].Kid, kid)
	}
	p := strings.Split(out.Token, ".")
	if len(p) != 3 {
		t.Fatalf("token %q is not a compact JWT", out.Token)
	}
	sig, _ := base64.RawURLEncoding.DecodeString(p[2])
	digest := sha256.Sum256([]byte(p[0] + "." + p[1]))
	if len(sig) != 64 || !ecdsa.Verify(pub, digest[:], new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])) {
		t.Error("the JWT does not verify with the JWKS key")
	}
}
