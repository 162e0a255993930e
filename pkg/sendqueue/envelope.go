package sendqueue

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/portalpass/portalpass/pkg/login"
)

// Purpose is the encryption context's "purpose": a sealed send-queue
// message opens only as one, never as another KMS ciphertext of the
// stack's.
const Purpose = "portalpass/send-queue"

// version is the envelope's format.
const version = 1

// maxBody bounds an envelope that Open reads (SQS's own limit is 256 KiB;
// a sealed login message is well under 8 KiB).
const maxBody = 64 << 10

// ErrGarbled is Open's error for a body that is not a sealed message of
// this stack: malformed, forged, sealed for another tenant or purpose,
// or with an unusable message inside. Retrying cannot fix it.
var ErrGarbled = errors.New("sendqueue: garbled or forged message")

// Sealer encrypts and decrypts a message, binding it to aad (the
// encryption context) so that it opens only with the same aad.
type Sealer interface {
	Seal(ctx context.Context, plain []byte, aad map[string]string) ([]byte, error)
	// Open returns the plaintext, or an error when the ciphertext or aad
	// is not what Seal made (ErrGarbled when that is certain) or the key
	// service failed.
	Open(ctx context.Context, sealed []byte, aad map[string]string) ([]byte, error)
}

// envelope is what rests in the queue. Only the tenant is readable: it
// says whose message it is (and so which encryption context opens it)
// without opening it.
type envelope struct {
	V      int    `json:"v"`
	Tenant string `json:"tenant"`
	Sealed string `json:"sealed"` // base64 (standard) of the ciphertext
}

// sealedMsg is the plaintext inside: a login.QueuedSend with stable
// names, so that a message sealed by one version opens in the next.
type sealedMsg struct {
	Channel    string      `json:"channel"`
	To         string      `json:"to"`
	Kind       string      `json:"kind"`
	TenantName string      `json:"tenantName,omitempty"`
	SenderName string      `json:"senderName,omitempty"`
	Link       string      `json:"link,omitempty"`
	Code       string      `json:"code,omitempty"`
	TTLSeconds int64       `json:"ttl"`
	TenantID   string      `json:"tenantId,omitempty"`
	ContactID  string      `json:"contactId,omitempty"`
	ExpiresAt  int64       `json:"expiresAt"` // Unix seconds
	Targets    [][2]string `json:"targets"`   // [tenant, contact]
	// Locale and the brand: a resend reads as the first try would have.
	Locale       string `json:"locale,omitempty"`
	BrandColor   string `json:"brandColor,omitempty"`
	LogoURL      string `json:"logoUrl,omitempty"`
	SupportEmail string `json:"supportEmail,omitempty"`
	SupportURL   string `json:"supportUrl,omitempty"`
}

// aad is the encryption context of a tenant's sealed messages.
func aad(tenant string) map[string]string {
	return map[string]string{"purpose": Purpose, "tenant": tenant}
}

// tenantLabel is the envelope's tenant: q's tenants, or "-" when it
// names none (KMS takes no empty context value).
func tenantLabel(q login.QueuedSend) string {
	if t := q.Tenants(); t != "" {
		return t
	}
	return "-"
}

// sealedOf is q as it is sealed.
func sealedOf(q login.QueuedSend) sealedMsg {
	m := q.Message
	in := sealedMsg{
		Channel: string(m.Channel), To: m.To, Kind: string(m.Kind), TenantName: m.TenantName,
		SenderName: m.SenderName, Link: m.Link, Code: m.Code, TTLSeconds: int64(m.TTL / time.Second),
		TenantID: m.TenantID, ContactID: m.ContactID, ExpiresAt: q.ExpiresAt.Unix(),
		Locale: m.Locale, BrandColor: m.Brand.Color, LogoURL: m.Brand.LogoURL,
		SupportEmail: m.Brand.SupportEmail, SupportURL: m.Brand.SupportURL,
	}
	for _, t := range q.Targets {
		in.Targets = append(in.Targets, [2]string{t.TenantID, t.ContactID})
	}
	return in
}

// Seal returns the queue body of q: its envelope as JSON, ASCII only.
func Seal(ctx context.Context, s Sealer, q login.QueuedSend) (string, error) {
	plain, err := json.Marshal(sealedOf(q))
	if err != nil {
		return "", fmt.Errorf("sendqueue: encode: %w", err)
	}
	tenant := tenantLabel(q)
	sealed, err := s.Seal(ctx, plain, aad(tenant))
	clear(plain)
	if err != nil {
		return "", fmt.Errorf("sendqueue: seal: %w", err)
	}
	b, err := json.Marshal(envelope{V: version, Tenant: tenant, Sealed: base64.StdEncoding.EncodeToString(sealed)})
	if err != nil {
		return "", fmt.Errorf("sendqueue: encode: %w", err)
	}
	return string(b), nil
}

// Open returns the queued send in body. A body that is not a sealed
// message of this stack for the tenant it names is ErrGarbled (wrapped);
// any other error is the key service's, and a later try may succeed.
// Errors never quote the body.
func Open(ctx context.Context, s Sealer, body string) (login.QueuedSend, error) {
	if len(body) > maxBody {
		return login.QueuedSend{}, fmt.Errorf("%w: body of %d bytes", ErrGarbled, len(body))
	}
	var env envelope
	dec := json.NewDecoder(strings.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&env); err != nil || env.V != version || env.Tenant == "" || env.Sealed == "" {
		return login.QueuedSend{}, fmt.Errorf("%w: not an envelope", ErrGarbled)
	}
	sealed, err := base64.StdEncoding.DecodeString(env.Sealed)
	if err != nil {
		return login.QueuedSend{}, fmt.Errorf("%w: bad base64", ErrGarbled)
	}
	plain, err := s.Open(ctx, sealed, aad(env.Tenant))
	if err != nil {
		return login.QueuedSend{}, err
	}
	defer clear(plain)
	// Fields this version does not know are skipped, not refused: what
	// opens under our key was sealed by this stack, and during a deploy a
	// newer request-login's message may reach this older send-retry
	// (canary), which must still send what it understands.
	var in sealedMsg
	if err := json.Unmarshal(plain, &in); err != nil {
		return login.QueuedSend{}, fmt.Errorf("%w: bad message", ErrGarbled)
	}
	q := login.QueuedSend{
		Message: login.Message{
			Channel: login.Channel(in.Channel), To: in.To, Kind: login.MessageKind(in.Kind),
			TenantName: in.TenantName, SenderName: in.SenderName, Link: in.Link, Code: in.Code,
			TTL: time.Duration(in.TTLSeconds) * time.Second, TenantID: in.TenantID, ContactID: in.ContactID,
			Locale: in.Locale,
			Brand:  login.Brand{Color: in.BrandColor, LogoURL: in.LogoURL, SupportEmail: in.SupportEmail, SupportURL: in.SupportURL},
		},
		ExpiresAt: time.Unix(in.ExpiresAt, 0).UTC(),
	}
	for _, t := range in.Targets {
		q.Targets = append(q.Targets, login.Target{TenantID: t[0], ContactID: t[1]})
	}
	ch := q.Message.Channel
	switch {
	case ch != login.ChannelEmail && ch != login.ChannelSMS, q.Message.To == "", q.Message.Kind != login.KindLogin,
		in.ExpiresAt <= 0, len(q.Targets) == 0:
		return login.QueuedSend{}, fmt.Errorf("%w: incomplete message", ErrGarbled)
	case tenantLabel(q) != env.Tenant:
		// Sealed under this label, so not forged, but inconsistent: a bug.
		return login.QueuedSend{}, fmt.Errorf("%w: tenant mismatch", ErrGarbled)
	}
	return q, nil
}
