package sendqueue

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"

	"github.com/portalpass/portalpass/pkg/config"
)

// KMSAPI is the part of the KMS client a KMSSealer calls.
type KMSAPI interface {
	Encrypt(ctx context.Context, in *kms.EncryptInput, opts ...func(*kms.Options)) (*kms.EncryptOutput, error)
	Decrypt(ctx context.Context, in *kms.DecryptInput, opts ...func(*kms.Options)) (*kms.DecryptOutput, error)
}

// KMSSealer seals with the stack's symmetric KMS key. A login message is
// far below KMS's 4 KiB plaintext limit, so it is encrypted directly,
// with no data key to manage.
type KMSSealer struct {
	client func() KMSAPI // built on first use, off the cold start
	keyID  string
}

// NewKMSSealer returns a sealer over key keyID (key id, ARN or alias)
// whose client client returns; client is called once, on first use.
func NewKMSSealer(client func() KMSAPI, keyID string) *KMSSealer {
	return &KMSSealer{client: client, keyID: keyID}
}

// Seal encrypts plain under the key with aad as encryption context.
func (k *KMSSealer) Seal(ctx context.Context, plain []byte, aad map[string]string) ([]byte, error) {
	out, err := k.client().Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String(k.keyID), Plaintext: plain, EncryptionContext: aad})
	if err != nil {
		return nil, fmt.Errorf("kms encrypt: %w", err)
	}
	return out.CiphertextBlob, nil
}

// Open decrypts with the same key only (KeyId pins it: a ciphertext of
// another key is refused) and the same encryption context. KMS refusing
// the ciphertext or context is ErrGarbled; a throttled or failing KMS is
// not, so that the message is tried again.
func (k *KMSSealer) Open(ctx context.Context, sealed []byte, aad map[string]string) ([]byte, error) {
	out, err := k.client().Decrypt(ctx, &kms.DecryptInput{KeyId: aws.String(k.keyID), CiphertextBlob: sealed, EncryptionContext: aad})
	if err != nil {
		var invalid *types.InvalidCiphertextException
		var incorrect *types.IncorrectKeyException
		if errors.As(err, &invalid) || errors.As(err, &incorrect) {
			return nil, fmt.Errorf("%w: kms refused it", ErrGarbled)
		}
		return nil, fmt.Errorf("kms decrypt: %w", err)
	}
	return out.Plaintext, nil
}

// KMSFromConfig returns the sealer over cfg's send-queue key
// (SEND_QUEUE_KEY_ID); its client is built on first use, so that a cold
// start makes none.
func KMSFromConfig(cfg config.Config) *KMSSealer {
	return NewKMSSealer(sync.OnceValue(func() KMSAPI {
		return kms.NewFromConfig(cfg.AWS())
	}), cfg.SendQueueKeyID)
}
