package login_test

import (
	"context"
	"sync"
	"testing"

	"github.com/portalpass/portalpass/pkg/login"
)

// TestConcurrentRedeem: many redeems of one link give exactly one session.
func TestConcurrentRedeem(t *testing.T) {
	w := newWorld(t)
	w.tenant(t, "acme", nil)
	w.contact(t, "acme", "ana@example.com", "")
	w.request(t, login.LoginRequest{Identifier: email("ana@example.com")})
	tok := tokenOf(w.email.Last())
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins := 0
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := w.svc.RedeemLink(context.Background(), tok, login.LoginOpts{})
			if err == nil {
				mu.Lock()
				wins++
				mu.Unlock()
			} else if login.ErrorCode(err) != login.CodeLinkInvalid {
				t.Errorf("loser got %v; want link_invalid", err)
			}
		}()
	}
	wg.Wait()
	if wins != 1 {
		t.Errorf("%d redeems won; want exactly 1", wins)
	}
}

// TestStaleSettingsAreRefreshed: a settings change that the container's
// cache has not seen fails the version condition, and the flow re-reads.
func TestStaleSettingsAreRefreshed(t *testing.T) {
	w := newWorld(t)
	w.tenant(t, "acme", nil)
	w.contact(t, "acme", "ana@example.com", "")
	w.request(t, login.LoginRequest{Identifier: email("ana@example.com")}) // caches acme
	ctx := context.Background()
	tn, _ := w.store.GetTenant(ctx, "acme")
	prev := tn.Version
	tn.Settings.CodeLength, tn.Version = 8, prev+1
	if err := w.store.UpdateTenant(ctx, tn, prev); err != nil {
		t.Fatal(err)
	}
	w.request(t, login.LoginRequest{Identifier: email("ana@example.com")})
	if got := len(w.email.Last().Code); got != 8 {
		t.Errorf("code length after a settings change = %d; want 8", got)
	}
}
