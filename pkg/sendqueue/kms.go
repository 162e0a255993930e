package sendqueue

import (
	"context"
	"errors"
	"fmt"

	"github.com/portalpass/portalpass/pkg/config"
	"github.com/portalpass/portalpass/pkg/sendqueue/awsjson"
)

// Caller calls an AWS JSON-protocol operation: an *awsjson.Client.
type Caller interface {
	Call(ctx context.Context, op string, in, out any) error
}

// KMSSealer seals with the stack's symmetric KMS key. A login message is
// far below KMS's 4 KiB plaintext limit, so it is encrypted directly,
// with no data key to manage.
type KMSSealer struct {
	kms   Caller
	keyID string
}

// NewKMSSealer returns a sealer over key keyID (key id, ARN or alias)
// that calls KMS through kms.
func NewKMSSealer(kms Caller, keyID string) *KMSSealer {
	return &KMSSealer{kms: kms, keyID: keyID}
}

// KMSFromConfig returns the sealer over cfg's send-queue key
// (SEND_QUEUE_KEY_ID). It makes no network call.
func KMSFromConfig(cfg config.Config) *KMSSealer {
	return NewKMSSealer(awsjson.KMS(cfg.AWS()), cfg.SendQueueKeyID)
}

// Seal encrypts plain under the key with aad as encryption context.
func (k *KMSSealer) Seal(ctx context.Context, plain []byte, aad map[string]string) ([]byte, error) {
	in := struct {
		KeyId             string
		Plaintext         []byte
		EncryptionContext map[string]string
	}{k.keyID, plain, aad}
	var out struct{ CiphertextBlob []byte }
	if err := k.kms.Call(ctx, "Encrypt", in, &out); err != nil {
		return nil, fmt.Errorf("kms encrypt: %w", err)
	}
	if len(out.CiphertextBlob) == 0 {
		return nil, errors.New("kms encrypt: no ciphertext")
	}
	return out.CiphertextBlob, nil
}

// Open decrypts with the same key only (KeyId pins it: a ciphertext of
// another key is refused) and the same encryption context. KMS refusing
// the ciphertext or context is ErrGarbled; a throttled or failing KMS is
// not, so that the message is tried again.
func (k *KMSSealer) Open(ctx context.Context, sealed []byte, aad map[string]string) ([]byte, error) {
	in := struct {
		KeyId             string
		CiphertextBlob    []byte
		EncryptionContext map[string]string
	}{k.keyID, sealed, aad}
	var out struct{ Plaintext []byte }
	if err := k.kms.Call(ctx, "Decrypt", in, &out); err != nil {
		var ae *awsjson.Error
		if errors.As(err, &ae) && (ae.Code == "InvalidCiphertextException" || ae.Code == "IncorrectKeyException") {
			return nil, fmt.Errorf("%w: kms refused it", ErrGarbled)
		}
		return nil, fmt.Errorf("kms decrypt: %w", err)
	}
	return out.Plaintext, nil
}
