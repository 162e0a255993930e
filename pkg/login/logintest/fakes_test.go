package logintest

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/portalpass/portalpass/pkg/login"
)

func TestClock(t *testing.T) {
	c := NewClock(t0)
	if got := c.Now(); !got.Equal(t0) {
		t.Fatalf("Now() = %v; want %v", got, t0)
	}
	c.Advance(90 * time.Second)
	if got, want := c.Now(), t0.Add(90*time.Second); !got.Equal(want) {
		t.Errorf("after Advance: Now() = %v; want %v", got, want)
	}
	c.Set(t0.Add(-time.Hour))
	if got, want := c.Now(), t0.Add(-time.Hour); !got.Equal(want) {
		t.Errorf("after Set: Now() = %v; want %v", got, want)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			c.Advance(time.Second)
			_ = c.Now()
		})
	}
	wg.Wait()
	if got, want := c.Now(), t0.Add(-time.Hour+8*time.Second); !got.Equal(want) {
		t.Errorf("after concurrent Advance: Now() = %v; want %v", got, want)
	}
}

func TestSender(t *testing.T) {
	ctx := context.Background()
	var s Sender
	if got := s.Last(); got != (login.Message{}) {
		t.Errorf("Last() of a new Sender = %+v; want the zero Message", got)
	}
	m1 := login.Message{Channel: login.ChannelEmail, To: "ana@example.com", Kind: login.KindLogin, Code: "123456"}
	m2 := login.Message{Channel: login.ChannelSMS, To: "+14155550101", Kind: login.KindLogin, Code: "123456"}
	for _, m := range []login.Message{m1, m2} {
		if err := s.Send(ctx, m); err != nil {
			t.Fatalf("Send: %v", err)
		}
	}
	if got := s.Messages(); len(got) != 2 || got[0] != m1 || got[1] != m2 {
		t.Errorf("Messages() = %+v; want m1, m2", got)
	}
	if got := s.Last(); got != m2 {
		t.Errorf("Last() = %+v; want m2", got)
	}
	boom := errors.New("provider refused")
	s.Fail = boom
	if err := s.Send(ctx, m1); !errors.Is(err, boom) {
		t.Errorf("Send with Fail set: err = %v; want %v", err, boom)
	}
	if got := len(s.Messages()); got != 2 {
		t.Errorf("a failed Send was recorded: %d messages; want 2", got)
	}
	s.SetFail(nil)
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := s.Send(cctx, m1); !errors.Is(err, context.Canceled) {
		t.Errorf("Send with a cancelled context: err = %v; want context.Canceled", err)
	}
	s.Reset()
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() { _ = s.Send(ctx, m1) })
	}
	wg.Wait()
	if got := len(s.Messages()); got != 8 {
		t.Errorf("after 8 concurrent sends: %d messages; want 8", got)
	}
}

func TestDiff(t *testing.T) {
	sl := newSlot("a", t0)
	tests := []struct {
		name      string
		got, want any
		same      bool
	}{
		{"equal slots", newSlot("a", t0), newSlot("a", t0), true},
		{"time in another location", t0.In(time.FixedZone("X", 3600)), t0, true},
		{"nil and empty slice", login.Slot{}, login.Slot{TokenHash: []byte{}}, true},
		{"nil and empty map", login.IdentityRecord{}, login.IdentityRecord{Counters: map[string]int{}}, true},
		{"other hash", newSlot("a", t0), newSlot("b", t0), false},
		{"other time", newSlot("a", t0), newSlot("a", t0.Add(time.Second)), false},
		{"nil pointer", login.Contact{}, login.Contact{Login: &sl}, false},
		{"other map value", map[string]int{"a": 1}, map[string]int{"a": 2}, false},
		{"other length", []login.Target{{TenantID: "t"}}, []login.Target{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := diff(tt.got, tt.want)
			if (d == "") != tt.same {
				t.Errorf("diff = %q; want same = %v", d, tt.same)
			}
		})
	}
}
