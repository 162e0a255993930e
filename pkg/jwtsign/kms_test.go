package jwtsign_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"math/big"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"

	"github.com/portalpass/portalpass/pkg/awstest"
	"github.com/portalpass/portalpass/pkg/jwtsign"
)

func TestMain(m *testing.M) { awstest.Main(m) }

// fakeKMS is KMS as documented: Sign with MessageType DIGEST signs the
// 32 bytes it is given as the digest, and returns DER.
type fakeKMS struct {
	keys    map[string]*ecdsa.PrivateKey
	spec    types.KeySpec
	signKey *ecdsa.PrivateKey // when set, Sign uses this key instead (a re-pointed alias)
	der     []byte            // when set, Sign returns this signature
	gets    atomic.Int32
	signs   atomic.Int32
}

func newFakeKMS(t testing.TB, ids ...string) *fakeKMS {
	f := &fakeKMS{keys: map[string]*ecdsa.PrivateKey{}, spec: types.KeySpecEccNistP256}
	for _, id := range ids {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		f.keys[id] = k
	}
	return f
}

func (f *fakeKMS) GetPublicKey(_ context.Context, in *kms.GetPublicKeyInput, _ ...func(*kms.Options)) (*kms.GetPublicKeyOutput, error) {
	f.gets.Add(1)
	k, ok := f.keys[aws.ToString(in.KeyId)]
	if !ok {
		return nil, &types.NotFoundException{Message: aws.String("no such key")}
	}
	spki, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
	if err != nil {
		return nil, err
	}
	return &kms.GetPublicKeyOutput{
		KeyId: in.KeyId, KeySpec: f.spec, KeyUsage: types.KeyUsageTypeSignVerify, PublicKey: spki,
		SigningAlgorithms: []types.SigningAlgorithmSpec{types.SigningAlgorithmSpecEcdsaSha256},
	}, nil
}

func (f *fakeKMS) Sign(_ context.Context, in *kms.SignInput, _ ...func(*kms.Options)) (*kms.SignOutput, error) {
	f.signs.Add(1)
	k, ok := f.keys[aws.ToString(in.KeyId)]
	if !ok {
		return nil, &types.NotFoundException{Message: aws.String("no such key")}
	}
	if in.MessageType != types.MessageTypeDigest || len(in.Message) != 32 || in.SigningAlgorithm != types.SigningAlgorithmSpecEcdsaSha256 {
		return nil, errors.New("fake kms: want a SHA-256 DIGEST for ECDSA_SHA_256")
	}
	if f.der != nil {
		return &kms.SignOutput{Signature: f.der}, nil
	}
	if f.signKey != nil {
		k = f.signKey
	}
	der, err := ecdsa.SignASN1(rand.Reader, k, in.Message)
	if err != nil {
		return nil, err
	}
	return &kms.SignOutput{KeyId: in.KeyId, Signature: der, SigningAlgorithm: in.SigningAlgorithm}, nil
}

func TestKMSSigner(t *testing.T) {
	ctx := context.Background()
	f := newFakeKMS(t, "new", "old")
	keys, err := jwtsign.NewKMSKeys(f, jwtsign.ParseKeyIDs("new,old"))
	if err != nil {
		t.Fatal(err)
	}
	if f.gets.Load()+f.signs.Load() != 0 {
		t.Fatal("NewKMSKeys called KMS; want no call before first use")
	}
	for range 3 {
		token, err := keys.SignJWT(ctx, claims)
		if err != nil {
			t.Fatal(err)
		}
		h, _ := verify(t, token, &f.keys["new"].PublicKey)
		if kid, _ := jwtsign.Thumbprint(&f.keys["new"].PublicKey); h.Kid != kid {
			t.Errorf("kid = %q; want the thumbprint of the first key %q", h.Kid, kid)
		}
	}
	if got := f.gets.Load(); got != 1 {
		t.Errorf("GetPublicKey called %d times for three tokens; want 1", got)
	}
	if got := f.signs.Load(); got != 3 {
		t.Errorf("Sign called %d times; want 3", got)
	}
	if _, err := keys.JWKS(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := keys.JWKS(ctx); err != nil {
		t.Fatal(err)
	}
	if got := f.gets.Load(); got != 2 {
		t.Errorf("GetPublicKey called %d times in all; want 2 (one per key)", got)
	}
}

func TestKMSSignerRejects(t *testing.T) {
	ctx := context.Background()
	other, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	highDER := der(t, new(big.Int).Lsh(big.NewInt(1), 255), big.NewInt(7))
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	tests := []struct {
		name string
		edit func(f *fakeKMS)
	}{
		{"another key signs", func(f *fakeKMS) { f.signKey = other }},
		{"a signature that does not verify", func(f *fakeKMS) { f.der = highDER }},
		{"not DER", func(f *fakeKMS) { f.der = []byte{1, 2, 3} }},
		{"wrong key spec", func(f *fakeKMS) { f.spec = types.KeySpecRsa2048 }},
		{"a P-384 key", func(f *fakeKMS) { f.keys["k"] = p384; f.spec = "" }},
		{"unknown key", func(f *fakeKMS) { delete(f.keys, "k") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeKMS(t, "k")
			tt.edit(f)
			if got, err := jwtsign.NewKMSSigner(f, "k").Sign(ctx, []byte("a.b")); err == nil {
				t.Errorf("Sign = %x; want an error", got)
			}
		})
	}
}

// TestKMSOnMoto runs KMSSigner against moto: CreateKey with KeySpec
// ECC_NIST_P256, GetPublicKey (DER SubjectPublicKeyInfo) and Sign (DER).
// moto (5.2) ignores MessageType DIGEST and signs the SHA-256 of the
// digest it is sent, unlike KMS; so a signature from moto verifies over
// SHA-256(SHA-256(input)), KMSSigner's own check refuses it, and the
// DIGEST path is tested on the fake above.
func TestKMSOnMoto(t *testing.T) {
	ep := awstest.Endpoint(t)
	ctx := awstest.Ctx(t)
	client := kms.NewFromConfig(awstest.Config(ep))
	var ids []string
	for range 2 {
		out, err := client.CreateKey(ctx, &kms.CreateKeyInput{
			KeySpec: types.KeySpecEccNistP256, KeyUsage: types.KeyUsageTypeSignVerify,
			Description: aws.String("jwtsign test"),
		})
		if err != nil {
			t.Fatalf("CreateKey: %v", err)
		}
		ids = append(ids, aws.ToString(out.KeyMetadata.KeyId))
	}
	keys, err := jwtsign.NewKMSKeys(client, ids)
	if err != nil {
		t.Fatal(err)
	}
	jwks, err := keys.PublicKeys(ctx)
	if err != nil {
		t.Fatalf("PublicKeys: %v", err)
	}
	if len(jwks) != 2 || jwks[0].Kid == jwks[1].Kid {
		t.Fatalf("PublicKeys = %+v; want two distinct keys", jwks)
	}
	pubs := make([]*ecdsa.PublicKey, 2)
	for i, id := range ids {
		s := jwtsign.NewKMSSigner(client, id)
		if pubs[i], err = s.PublicKey(ctx); err != nil {
			t.Fatal(err)
		}
		if kid, _ := jwtsign.Thumbprint(pubs[i]); kid != jwks[i].Kid {
			t.Errorf("key %d: JWKS kid %q; want %q", i, jwks[i].Kid, kid)
		}
	}

	// moto's Sign: a DER signature that DERToRaw converts and crypto/ecdsa
	// verifies, over what moto signed.
	input := []byte("header.payload")
	digest := sha256.Sum256(input)
	out, err := client.Sign(ctx, &kms.SignInput{
		KeyId: aws.String(ids[0]), Message: digest[:],
		MessageType: types.MessageTypeDigest, SigningAlgorithm: types.SigningAlgorithmSpecEcdsaSha256,
	})
	if err != nil {
		t.Fatalf("Sign: %v", err)
	}
	raw, err := jwtsign.DERToRaw(out.Signature)
	if err != nil {
		t.Fatalf("DERToRaw(moto signature): %v", err)
	}
	r, s := new(big.Int).SetBytes(raw[:32]), new(big.Int).SetBytes(raw[32:])
	twice := sha256.Sum256(digest[:])
	switch {
	case ecdsa.Verify(pubs[0], digest[:], r, s):
		// moto signs digests as KMS does: the whole path works.
		if _, err := keys.SignJWT(ctx, claims); err != nil {
			t.Errorf("SignJWT on moto: %v", err)
		}
	case ecdsa.Verify(pubs[0], twice[:], r, s):
		if _, err := keys.SignJWT(ctx, claims); err == nil {
			t.Error("SignJWT accepted moto's signature of the wrong message")
		}
	default:
		t.Fatal("moto's signature verifies over neither the digest nor its hash")
	}
}

func BenchmarkKMSSignerFake(b *testing.B) {
	ctx := context.Background()
	keys, err := jwtsign.NewKMSKeys(newFakeKMS(b, "k"), []string{"k"})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := keys.SignJWT(ctx, claims); err != nil {
			b.Fatal(err)
		}
	}
}
