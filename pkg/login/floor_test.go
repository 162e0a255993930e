package login_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/login/logintest"
	"github.com/portalpass/portalpass/pkg/store/memstore"
)

// clockedSender is a Sender whose send takes d on the fake clock.
type clockedSender struct {
	logintest.Sender
	clock *logintest.Clock
	d     time.Duration
}

func (s *clockedSender) Send(ctx context.Context, m login.Message) error {
	s.clock.Advance(s.d)
	return s.Sender.Send(ctx, m)
}

// floorWorld is a Service on a fake clock whose Sleep moves that clock
// and remembers each wait.
type floorWorld struct {
	*world
	mu     sync.Mutex
	waits  []time.Duration
	logs   bytes.Buffer
	sender *clockedSender
}

func newFloorWorld(t *testing.T, floor, send time.Duration) *floorWorld {
	t.Helper()
	clock := logintest.NewClock(start)
	fw := &floorWorld{sender: &clockedSender{clock: clock, d: send}}
	fw.world = &world{store: memstore.New(), clock: clock, keys: map[string]login.APIKey{}}
	fw.svc = login.New(login.Deps{
		Store: fw.store, Email: fw.sender, SMS: fw.sender, Clock: clock, BaseURL: "https://api.example.com",
		RequestFloor: floor, Logger: slog.New(slog.NewJSONHandler(&fw.logs, nil)),
		Sleep: func(_ context.Context, d time.Duration) {
			fw.mu.Lock()
			fw.waits = append(fw.waits, d)
			fw.mu.Unlock()
			clock.Advance(d)
		},
	})
	fw.tenant(t, "acme", nil)
	fw.contact(t, "acme", "ana@example.com", "")
	c := fw.contact(t, "acme", "bo@example.com", "")
	off := login.AccessDisabled
	if _, err := fw.svc.UpdateContact(context.Background(), fw.keys["acme"], c.ID, login.ContactInput{Access: &off}, login.Meta{}); err != nil {
		t.Fatal(err)
	}
	fw.waits = nil
	return fw
}

// took runs one login request on a new Service and returns how long it
// took on the fake clock, what it waited and how many messages it sent.
func tookFor(t *testing.T, floor, send time.Duration, identifier string) (took time.Duration, waits []time.Duration, sent int, logs string) {
	t.Helper()
	fw := newFloorWorld(t, floor, send)
	sentBefore := len(fw.sender.Messages())
	t0 := fw.clock.Now()
	if err := fw.svc.RequestLogin(context.Background(), login.LoginRequest{Identifier: email(identifier), Meta: login.Meta{IP: "192.0.2.1"}}); err != nil {
		t.Fatalf("request login for %s: %v", identifier, err)
	}
	return fw.clock.Now().Sub(t0), fw.waits, len(fw.sender.Messages()) - sentBefore, fw.logs.String()
}

// TestRequestFloorFromFirstRequest: the very first login request of a
// new Service, for a known, an unknown and a disabled identifier alike,
// ends exactly at the floor; only the known one sends, and it waits the
// rest of the floor after its send.
func TestRequestFloorFromFirstRequest(t *testing.T) {
	const send = 120 * time.Millisecond
	for _, floor := range []time.Duration{0, 250 * time.Millisecond} {
		want := floor
		if floor == 0 {
			want = login.DefaultRequestFloor
		}
		for _, tc := range []struct {
			kind, identifier string
			sends            int
		}{
			{"known", "ana@example.com", 1},
			{"unknown", "nobody@example.com", 0},
			{"disabled", "bo@example.com", 0},
		} {
			took, waits, sent, _ := tookFor(t, floor, send, tc.identifier)
			if took != want {
				t.Errorf("floor %v, %s: first request took %v; want %v", floor, tc.kind, took, want)
			}
			if sent != tc.sends {
				t.Errorf("floor %v, %s: sent %d messages; want %d", floor, tc.kind, sent, tc.sends)
			}
			wantWait := want - time.Duration(tc.sends)*send
			if len(waits) != 1 || waits[0] != wantWait {
				t.Errorf("floor %v, %s: waits %v; want one of %v", floor, tc.kind, waits, wantWait)
			}
		}
	}
}

// TestRequestFloorEveryRequest: later requests on the same Service wait
// for the floor too, whatever came before.
func TestRequestFloorEveryRequest(t *testing.T) {
	const floor = 300 * time.Millisecond
	fw := newFloorWorld(t, floor, 40*time.Millisecond)
	for i, id := range []string{"nobody@example.com", "ana@example.com", "bo@example.com", "ana@example.com", "nobody2@example.com"} {
		t0 := fw.clock.Now()
		if err := fw.svc.RequestLogin(context.Background(), login.LoginRequest{Identifier: email(id)}); err != nil {
			t.Fatal(err)
		}
		if took := fw.clock.Now().Sub(t0); took != floor {
			t.Errorf("request %d (%s) took %v; want %v", i+1, id, took, floor)
		}
	}
}

// TestRequestFloorSlowSend: a send slower than the floor makes that
// request slower, with no extra wait, and is logged without the address.
func TestRequestFloorSlowSend(t *testing.T) {
	const floor, send = 100 * time.Millisecond, 700 * time.Millisecond
	took, waits, _, logs := tookFor(t, floor, send, "ana@example.com")
	if took != send || len(waits) != 0 {
		t.Errorf("took %v with waits %v; want %v and none", took, waits, send)
	}
	if !strings.Contains(logs, "longer than its response-time floor") || !strings.Contains(logs, `"took_ms":700`) {
		t.Errorf("no log line for the slow request: %s", logs)
	}
	if strings.Contains(logs, "ana@") || strings.Contains(logs, "example.com") {
		t.Errorf("the log names the address: %s", logs)
	}
}

// TestRequestFloorOff: a negative floor waits for nothing.
func TestRequestFloorOff(t *testing.T) {
	took, waits, _, _ := tookFor(t, -1, 10*time.Millisecond, "nobody@example.com")
	if took != 0 || len(waits) != 0 {
		t.Errorf("took %v with waits %v; want no wait", took, waits)
	}
}

// TestRequestFloorNotOnRateLimited: a rate_limited answer comes at once
// (floor.go says why).
func TestRequestFloorNotOnRateLimited(t *testing.T) {
	fw := newFloorWorld(t, time.Second, 0)
	for i := range login.SendLimit {
		if err := fw.svc.RequestLogin(context.Background(), login.LoginRequest{Identifier: email("nobody@example.com")}); err != nil {
			t.Fatalf("request %d: %v", i+1, err)
		}
	}
	t0 := fw.clock.Now()
	err := fw.svc.RequestLogin(context.Background(), login.LoginRequest{Identifier: email("nobody@example.com")})
	if login.ErrorCode(err) != login.CodeRateLimited {
		t.Fatalf("request over the limit: %v; want rate_limited", err)
	}
	if took := fw.clock.Now().Sub(t0); took != 0 {
		t.Errorf("rate-limited request took %v; want no wait", took)
	}
}
