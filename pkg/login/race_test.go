package login_test

import (
	"context"
	"sync"
	"testing"
	"time"

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

// TestLoginsTrustTheSettingsCache: a login request trusts the container's
// cached settings (no condition on the settings item, which every login
// would otherwise touch): a change shows once the cache is a minute old.
func TestLoginsTrustTheSettingsCache(t *testing.T) {
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
	w.clock.Advance(time.Second)
	w.request(t, login.LoginRequest{Identifier: email("ana@example.com")})
	if got := len(w.email.Last().Code); got != 6 {
		t.Errorf("code length within the cache's minute = %d; want the cached 6", got)
	}
	w.clock.Advance(time.Minute)
	w.request(t, login.LoginRequest{Identifier: email("ana@example.com")})
	if got := len(w.email.Last().Code); got != 8 {
		t.Errorf("code length after the cache's minute = %d; want 8", got)
	}
}
