package jwtsign

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
)

// KMSAPI is the part of the KMS client that KMSSigner uses
// (*kms.Client implements it).
type KMSAPI interface {
	Sign(ctx context.Context, in *kms.SignInput, optFns ...func(*kms.Options)) (*kms.SignOutput, error)
	GetPublicKey(ctx context.Context, in *kms.GetPublicKeyInput, optFns ...func(*kms.Options)) (*kms.GetPublicKeyOutput, error)
}

// KMSSigner signs with an AWS KMS asymmetric key of spec ECC_NIST_P256
// and usage SIGN_VERIFY: it sends KMS the SHA-256 digest of the signing
// input (MessageType DIGEST, SigningAlgorithm ECDSA_SHA_256) and turns
// the DER signature KMS returns into a JWS's raw r||s. The public key is
// fetched with GetPublicKey at first use, never when the signer is built,
// and kept; every signature is checked against it before it is used, so
// a key id or alias that came to name another key fails instead of
// minting tokens that no published key verifies.
type KMSSigner struct {
	client KMSAPI
	keyID  string

	mu  sync.Mutex
	pub *ecdsa.PublicKey
}

var _ Signer = (*KMSSigner)(nil)

// NewKMSSigner returns a signer for a KMS key id, ARN or alias. It makes
// no network call.
func NewKMSSigner(client KMSAPI, keyID string) *KMSSigner {
	return &KMSSigner{client: client, keyID: keyID}
}

// NewKMSKeys returns Keys over KMS keys (ids from ParseKeyIDs): the first
// signs, all are published. It makes no network call.
func NewKMSKeys(client KMSAPI, keyIDs []string) (*Keys, error) {
	if client == nil {
		return nil, errors.New("jwtsign: nil KMS client")
	}
	signers := make([]Signer, 0, len(keyIDs))
	for _, id := range keyIDs {
		signers = append(signers, NewKMSSigner(client, id))
	}
	return NewKeys(signers...)
}

// PublicKey returns the key's public half: GetPublicKey at the first
// call (a failure is not kept), the kept key after.
func (k *KMSSigner) PublicKey(ctx context.Context) (*ecdsa.PublicKey, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.pub != nil {
		return k.pub, nil
	}
	out, err := k.client.GetPublicKey(ctx, &kms.GetPublicKeyInput{KeyId: aws.String(k.keyID)})
	if err != nil {
		return nil, fmt.Errorf("jwtsign: kms get public key: %w", err)
	}
	pub, err := parseKMSPublicKey(out)
	if err != nil {
		return nil, err
	}
	k.pub = pub
	return pub, nil
}

// parseKMSPublicKey checks that GetPublicKey describes a P-256 signing
// key for ECDSA_SHA_256 and parses its DER SubjectPublicKeyInfo. Fields
// KMS left empty are not held against it; the parsed curve is checked.
func parseKMSPublicKey(out *kms.GetPublicKeyOutput) (*ecdsa.PublicKey, error) {
	if out.KeySpec != "" && out.KeySpec != types.KeySpecEccNistP256 {
		return nil, fmt.Errorf("jwtsign: kms key spec is %s, want %s", out.KeySpec, types.KeySpecEccNistP256)
	}
	if out.KeyUsage != "" && out.KeyUsage != types.KeyUsageTypeSignVerify {
		return nil, fmt.Errorf("jwtsign: kms key usage is %s, want %s", out.KeyUsage, types.KeyUsageTypeSignVerify)
	}
	if len(out.SigningAlgorithms) > 0 && !slices.Contains(out.SigningAlgorithms, types.SigningAlgorithmSpecEcdsaSha256) {
		return nil, errors.New("jwtsign: kms key does not sign with ECDSA_SHA_256")
	}
	key, err := x509.ParsePKIXPublicKey(out.PublicKey)
	if err != nil {
		return nil, fmt.Errorf("jwtsign: kms public key: %w", err)
	}
	pub, ok := key.(*ecdsa.PublicKey)
	if !ok || pub.Curve != elliptic.P256() {
		return nil, errors.New("jwtsign: kms public key is not on P-256")
	}
	return pub, nil
}

// Sign asks KMS for the ES256 signature of signingInput and returns it
// raw (r||s) once it verifies with the key's public half.
func (k *KMSSigner) Sign(ctx context.Context, signingInput []byte) ([]byte, error) {
	pub, err := k.PublicKey(ctx)
	if err != nil {
		return nil, err
	}
	digest := sha256.Sum256(signingInput)
	out, err := k.client.Sign(ctx, &kms.SignInput{
		KeyId:            aws.String(k.keyID),
		Message:          digest[:],
		MessageType:      types.MessageTypeDigest,
		SigningAlgorithm: types.SigningAlgorithmSpecEcdsaSha256,
	})
	if err != nil {
		return nil, fmt.Errorf("jwtsign: kms sign: %w", err)
	}
	raw, err := DERToRaw(out.Signature)
	if err != nil {
		return nil, fmt.Errorf("jwtsign: kms sign: %w", err)
	}
	if !ecdsa.VerifyASN1(pub, digest[:], out.Signature) {
		return nil, errors.New("jwtsign: kms sign: the signature does not verify with the key's public key")
	}
	return raw, nil
}
