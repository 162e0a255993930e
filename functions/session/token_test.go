package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/base64"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"

	"github.com/portalpass/portalpass/pkg/awstest"
	"github.com/portalpass/portalpass/pkg/config"
	"github.com/portalpass/portalpass/pkg/functest"
	"github.com/portalpass/portalpass/pkg/jwtsign"
	"github.com/portalpass/portalpass/pkg/login"
)

func TestTokenEvents(t *testing.T) {
	e := functest.Setup(t)
	e.Invite(t, e.Tenant(t, "acme", nil), e.Email)
	token, _ := e.Request(t, e.Email, "")
	out, err := e.Seed.RedeemLink(context.Background(), token, login.LoginOpts{})
	if err != nil {
		t.Fatal(err)
	}
	session := map[string]string{"SESSION": out.Session.Token}
	local, err := jwtsign.GenerateLocalSigner()
	if err != nil {
		t.Fatal(err)
	}
	keys, _ := jwtsign.NewKeys(local)
	h := newHandlerWith(e.Config, keys, e.DynamoOption)
	functest.Invoke(t, h, functest.Event(t, "session/session.json", session)) // warm the tenant cache

	resp := functest.Invoke(t, h, functest.Event(t, "session/jwks.json", nil))
	if resp.StatusCode != http.StatusOK || resp.Headers["Cache-Control"] != "public, max-age=300" {
		t.Fatalf("jwks = %d %v %s", resp.StatusCode, resp.Headers, functest.Body(t, resp))
	}
	var set jwtsign.JWKS
	functest.JSON(t, resp, &set)
	if len(set.Keys) != 1 {
		t.Fatalf("jwks lists %d keys; want 1", len(set.Keys))
	}
	pub, err := set.Keys[0].PublicKey()
	if err != nil {
		t.Fatal(err)
	}

	e.Calls.Reset()
	resp = functest.Invoke(t, h, functest.Event(t, "session/token.json", session))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("token = %d %s", resp.StatusCode, functest.Body(t, resp))
	}
	if got := e.Calls.Snapshot(); e.Calls.Total() != 1 || got["BatchGetItem"] != 1 {
		t.Errorf("token made DynamoDB calls %v; want one BatchGetItem", got)
	}
	var body struct{ Token, ExpiresAt string }
	functest.JSON(t, resp, &body)
	p := strings.Split(body.Token, ".")
	if len(p) != 3 {
		t.Fatalf("token %q is not a compact JWT", body.Token)
	}
	sig, _ := base64.RawURLEncoding.DecodeString(p[2])
	digest := sha256.Sum256([]byte(p[0] + "." + p[1]))
	if len(sig) != 64 || !ecdsa.Verify(pub, digest[:], new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])) {
		t.Error("the JWT does not verify with the JWKS key")
	}

	resp = functest.Invoke(t, h, functest.Event(t, "session/token.json", map[string]string{"SESSION": "s.acme.c1.nope"}))
	functest.Check(t, "token without a live session", resp, http.StatusUnauthorized, "no_session")
}

// awsCounter is a reverse proxy to moto that counts requests by their
// X-Amz-Target (service and operation).
type awsCounter struct {
	mu    sync.Mutex
	calls []string
}

func (c *awsCounter) snapshot() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.calls...)
}

func countingProxy(t *testing.T, target string) (*awsCounter, string) {
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	c := &awsCounter{}
	proxy := httputil.NewSingleHostReverseProxy(u)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.mu.Lock()
		c.calls = append(c.calls, r.Header.Get("X-Amz-Target"))
		c.mu.Unlock()
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return c, srv.URL
}

// TestColdStartMakesNoCall builds the function as Lambda does, with KMS
// keys configured, and checks that no AWS call is made until a request
// needs one: the KMS public key is fetched at the first JWKS and kept.
func TestColdStartMakesNoCall(t *testing.T) {
	e := functest.Setup(t)
	ctx := awstest.Ctx(t)
	client := kms.NewFromConfig(awstest.Config(e.Endpoint))
	var ids []string
	for range 2 {
		k, err := client.CreateKey(ctx, &kms.CreateKeyInput{KeySpec: types.KeySpecEccNistP256, KeyUsage: types.KeyUsageTypeSignVerify})
		if err != nil {
			t.Fatalf("CreateKey: %v", err)
		}
		ids = append(ids, aws.ToString(k.KeyMetadata.KeyId))
	}
	counter, proxyURL := countingProxy(t, e.Endpoint)
	t.Setenv("AWS_ENDPOINT_URL", proxyURL)
	t.Setenv("JWT_KEY_IDS", ids[0]+", "+ids[1])
	cfg, err := config.FromEnv()
	if err != nil {
		t.Fatal(err)
	}

	if len(cfg.JWTKeyIDs) != 2 {
		t.Fatalf("JWTKeyIDs = %q; want both keys", cfg.JWTKeyIDs)
	}
	h := mustHandler(t, cfg)
	if got := counter.snapshot(); len(got) != 0 {
		t.Fatalf("cold start made AWS calls %q; want none", got)
	}
	functest.Invoke(t, h, functest.Event(t, "session/coldstart.json", nil))
	if got := counter.snapshot(); len(got) != 0 {
		t.Fatalf("a request for no route made AWS calls %q; want none", got)
	}
	for range 2 {
		resp := functest.Invoke(t, h, functest.Event(t, "session/jwks.json", nil))
		var set jwtsign.JWKS
		functest.JSON(t, resp, &set)
		if resp.StatusCode != http.StatusOK || len(set.Keys) != 2 {
			t.Fatalf("jwks = %d %s; want both keys", resp.StatusCode, functest.Body(t, resp))
		}
	}
	want := []string{"TrentService.GetPublicKey", "TrentService.GetPublicKey"}
	if got := counter.snapshot(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("AWS calls = %q; want %q (each key fetched once)", got, want)
	}
}
