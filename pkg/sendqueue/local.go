package sendqueue

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/portalpass/portalpass/pkg/login"
)

// LocalSealer seals with an AES-256-GCM key made when it is created and
// never stored: what it sealed opens only in the same process.
type LocalSealer struct {
	aead cipher.AEAD
}

// NewLocalSealer makes a sealer with a fresh random key.
func NewLocalSealer() (*LocalSealer, error) {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("sendqueue: key: %w", err)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("sendqueue: key: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("sendqueue: key: %w", err)
	}
	return &LocalSealer{aead: aead}, nil
}

// additional is aad as GCM's additional data: its JSON, whose keys
// encoding/json sorts, so the same map always gives the same bytes.
func additional(aad map[string]string) []byte {
	b, _ := json.Marshal(aad)
	return b
}

// Seal encrypts plain, with a random nonce before the ciphertext.
func (l *LocalSealer) Seal(_ context.Context, plain []byte, aad map[string]string) ([]byte, error) {
	nonce := make([]byte, l.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return l.aead.Seal(nonce, nonce, plain, additional(aad)), nil
}

// Open decrypts what Seal made with the same aad; anything else is
// ErrGarbled.
func (l *LocalSealer) Open(_ context.Context, sealed []byte, aad map[string]string) ([]byte, error) {
	n := l.aead.NonceSize()
	if len(sealed) < n {
		return nil, fmt.Errorf("%w: too short", ErrGarbled)
	}
	plain, err := l.aead.Open(nil, sealed[:n], sealed[n:], additional(aad))
	if err != nil {
		return nil, fmt.Errorf("%w: does not open", ErrGarbled)
	}
	return plain, nil
}

// DefaultLocalDelays are the waits of the in-process queue before each
// try: the last try is about half a minute after the request, inside
// the minute a queued message goes out in or is audited.
var DefaultLocalDelays = []time.Duration{2 * time.Second, 5 * time.Second, 10 * time.Second, 15 * time.Second}

// Resender tries a queued send once; login.Service.Resend is one.
type Resender func(ctx context.Context, q login.QueuedSend, last bool) login.ResendOutcome

// Local is the in-process send queue: each message waits, sealed, in a
// goroutine, and is opened and tried after each of its delays until it
// is sent or dropped; the last try's failure ends it (audited by the
// Resender). Messages still waiting when the process stops are lost, as
// befits a dev server.
type Local struct {
	sealer Sealer
	delays []time.Duration
	log    *slog.Logger

	mu      sync.Mutex
	resend  Resender
	wg      sync.WaitGroup
	stop    chan struct{}
	stopped bool
}

// NewLocal returns an in-process queue with a fresh LocalSealer that
// waits delays (DefaultLocalDelays when empty) before its tries. Call
// SetResender before the first Enqueue.
func NewLocal(delays []time.Duration, log *slog.Logger) (*Local, error) {
	s, err := NewLocalSealer()
	if err != nil {
		return nil, err
	}
	if len(delays) == 0 {
		delays = DefaultLocalDelays
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Local{sealer: s, delays: delays, log: log, stop: make(chan struct{})}, nil
}

// SetResender sets what tries a message: the Service that was built with
// this queue in its Deps, hence after NewLocal.
func (l *Local) SetResender(r Resender) {
	l.mu.Lock()
	l.resend = r
	l.mu.Unlock()
}

// Enqueue seals q and starts its tries.
func (l *Local) Enqueue(ctx context.Context, q login.QueuedSend) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.resend == nil {
		return fmt.Errorf("sendqueue: local queue has no resender")
	}
	if l.stopped {
		return fmt.Errorf("sendqueue: local queue closed")
	}
	body, err := Seal(ctx, l.sealer, q)
	if err != nil {
		return err
	}
	l.wg.Add(1)
	go l.run(body, l.resend)
	return nil
}

// run tries one sealed message after each delay.
func (l *Local) run(body string, resend Resender) {
	defer l.wg.Done()
	for i, d := range l.delays {
		t := time.NewTimer(d)
		select {
		case <-l.stop:
			t.Stop()
			return
		case <-t.C:
		}
		ctx := context.Background()
		q, err := Open(ctx, l.sealer, body)
		if err != nil {
			// Sealed by this process: only a bug gets here.
			l.log.Error("send queue: message does not open", "err", err)
			return
		}
		switch resend(ctx, q, i == len(l.delays)-1) {
		case login.ResendRetry:
			continue
		default:
			return
		}
	}
}

// Close stops the waiting tries and waits for a running one to end.
func (l *Local) Close() {
	l.mu.Lock()
	if !l.stopped {
		l.stopped = true
		close(l.stop)
	}
	l.mu.Unlock()
	l.wg.Wait()
}

// Wait waits until every queued message is sent or dropped (tests).
func (l *Local) Wait() { l.wg.Wait() }
