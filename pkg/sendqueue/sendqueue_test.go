package sendqueue

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/portalpass/portalpass/pkg/login"
)

func queued() login.QueuedSend {
	return login.QueuedSend{
		Message: login.Message{
			Channel: login.ChannelEmail, To: "ana@customer.example", Kind: login.KindLogin, TenantName: "Acme",
			SenderName: "Acme Login", Link: "https://api.example.com/v1/login/redeem?token=L1.acme.c1.secretpart", Code: "493817",
			TTL: 15 * time.Minute, TenantID: "acme", ContactID: "cqueuedcontactid", Locale: "es",
			Brand: login.Brand{Color: "#7a1f5c", LogoURL: "https://api.example.com/logos/acme/0123456789abcdef.png",
				SupportEmail: "help@acme.example", SupportURL: "https://acme.example/help"},
		},
		ExpiresAt: time.Date(2026, 12, 4, 12, 15, 0, 0, time.UTC),
		Targets:   []login.Target{{TenantID: "acme", ContactID: "cqueuedcontactid"}},
	}
}

func mustSealer(t *testing.T) *LocalSealer {
	t.Helper()
	s, err := NewLocalSealer()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestSealOpen: what rests in the queue names the tenant and nothing
// else readable; it opens to the same message.
func TestSealOpen(t *testing.T) {
	ctx := context.Background()
	s := mustSealer(t)
	q := queued()
	body, err := Seal(ctx, s, q)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{q.Message.To, q.Message.Code, "secretpart", "cqueuedcontactid", "Acme Login", "customer"} {
		if strings.Contains(body, secret) {
			t.Errorf("the queued body holds %q in clear: %s", secret, body)
		}
	}
	if !strings.Contains(body, `"tenant":"acme"`) {
		t.Errorf("body does not name its tenant: %s", body)
	}
	got, err := Open(ctx, s, body)
	if err != nil {
		t.Fatal(err)
	}
	if got.Message != q.Message || !got.ExpiresAt.Equal(q.ExpiresAt) || len(got.Targets) != 1 || got.Targets[0] != q.Targets[0] {
		t.Errorf("opened %+v; want %+v", got, q)
	}
}

// TestOpenSkipsNewerFields: a message a newer version sealed with a
// field this one does not know still opens (a canary deploy runs both).
func TestOpenSkipsNewerFields(t *testing.T) {
	ctx := context.Background()
	s := mustSealer(t)
	q := queued()
	plain, err := json.Marshal(struct {
		sealedMsg
		Future string `json:"someFutureField"`
	}{sealedOf(q), "x"})
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := s.Seal(ctx, plain, aad("acme"))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(envelope{V: version, Tenant: "acme", Sealed: base64.StdEncoding.EncodeToString(sealed)})
	got, err := Open(ctx, s, string(body))
	if err != nil || got.Message != q.Message {
		t.Errorf("Open = %+v, %v; want %+v", got.Message, err, q.Message)
	}
}

// TestOpenRefuses: a body that is not one of ours is ErrGarbled, never a
// panic: junk, another key's, another tenant's label, a flipped bit.
func TestOpenRefuses(t *testing.T) {
	ctx := context.Background()
	s := mustSealer(t)
	body, err := Seal(ctx, s, queued())
	if err != nil {
		t.Fatal(err)
	}
	var env envelope
	if err := json.Unmarshal([]byte(body), &env); err != nil {
		t.Fatal(err)
	}
	relabel := env
	relabel.Tenant = "globex"
	relabeled, _ := json.Marshal(relabel)
	flip := env
	raw, _ := base64.StdEncoding.DecodeString(env.Sealed)
	raw[len(raw)-1] ^= 1
	flip.Sealed = base64.StdEncoding.EncodeToString(raw)
	flipped, _ := json.Marshal(flip)
	short := env
	short.Sealed = base64.StdEncoding.EncodeToString([]byte("abc"))
	shorted, _ := json.Marshal(short)
	// A well-formed message sealed for the right tenant but incomplete.
	empty, _ := json.Marshal(sealedMsg{})
	blob, _ := s.Seal(ctx, empty, aad("acme"))
	incomplete, _ := json.Marshal(envelope{V: version, Tenant: "acme", Sealed: base64.StdEncoding.EncodeToString(blob)})

	for name, b := range map[string]string{
		"empty": "", "junk": "\x00\xff not json", "json array": "[1,2]", "no sealed": `{"v":1,"tenant":"acme"}`,
		"other version": strings.Replace(body, `"v":1`, `"v":2`, 1), "extra field": strings.Replace(body, `{"v":1`, `{"x":1,"v":1`, 1),
		"bad base64": `{"v":1,"tenant":"acme","sealed":"!!!"}`, "other tenant": string(relabeled),
		"flipped bit": string(flipped), "too short": string(shorted), "incomplete": string(incomplete),
		"huge": `{"v":1,"tenant":"acme","sealed":"` + strings.Repeat("A", maxBody) + `"}`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Open(ctx, s, b)
			if !errors.Is(err, ErrGarbled) {
				t.Errorf("Open = %v; want ErrGarbled", err)
			}
		})
	}
	t.Run("another process", func(t *testing.T) {
		if _, err := Open(ctx, mustSealer(t), body); !errors.Is(err, ErrGarbled) {
			t.Errorf("Open with another key = %v; want ErrGarbled", err)
		}
	})
}

// TestLocalQueue: the in-process queue tries after each delay until the
// message is sent or dropped, says which try is the last, and hands the
// resender the message it was given.
func TestLocalQueue(t *testing.T) {
	delays := []time.Duration{time.Millisecond, time.Millisecond, time.Millisecond}
	for _, tt := range []struct {
		name     string
		outcomes []login.ResendOutcome
		tries    int
	}{
		{"sent at once", []login.ResendOutcome{login.ResendSent}, 1},
		{"sent on the third", []login.ResendOutcome{login.ResendRetry, login.ResendRetry, login.ResendSent}, 3},
		{"dropped", []login.ResendOutcome{login.ResendRetry, login.ResendDropped}, 2},
		{"gave up", []login.ResendOutcome{login.ResendRetry, login.ResendRetry, login.ResendGaveUp}, 3},
	} {
		t.Run(tt.name, func(t *testing.T) {
			l, err := NewLocal(delays, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer l.Close()
			var mu sync.Mutex
			var lasts []bool
			l.SetResender(func(_ context.Context, q login.QueuedSend, last bool) login.ResendOutcome {
				mu.Lock()
				defer mu.Unlock()
				if q.Message != queued().Message {
					t.Errorf("resender got %+v", q.Message)
				}
				lasts = append(lasts, last)
				return tt.outcomes[len(lasts)-1]
			})
			if err := l.Enqueue(context.Background(), queued()); err != nil {
				t.Fatal(err)
			}
			l.Wait()
			mu.Lock()
			defer mu.Unlock()
			if len(lasts) != tt.tries {
				t.Fatalf("%d tries; want %d", len(lasts), tt.tries)
			}
			for i, last := range lasts {
				if last != (i == len(delays)-1) {
					t.Errorf("try %d: last = %v", i+1, last)
				}
			}
		})
	}
}

// TestLocalQueueClose: Close stops waiting messages; a closed queue or
// one without a resender refuses, so the core audits the failure.
func TestLocalQueueClose(t *testing.T) {
	l, err := NewLocal([]time.Duration{time.Hour}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Enqueue(context.Background(), queued()); err == nil {
		t.Error("Enqueue without a resender succeeded")
	}
	l.SetResender(func(context.Context, login.QueuedSend, bool) login.ResendOutcome {
		t.Error("tried after Close")
		return login.ResendSent
	})
	if err := l.Enqueue(context.Background(), queued()); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { l.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not stop the waiting message")
	}
	if err := l.Enqueue(context.Background(), queued()); err == nil {
		t.Error("Enqueue after Close succeeded")
	}
}
