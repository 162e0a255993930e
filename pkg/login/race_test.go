package login_test

import (
	"context"
	"crypto/sha256"
	"sync"
	"testing"
	"time"

	"github.com/portalpass/portalpass/pkg/login"
)

// TestConcurrentRedeem: many redeems of one link by browsers without the
// login-request cookie give exactly one session (strict single use).
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

// redeemRace redeems tok from n browsers at once, with request cookie
// hash rh (nil: none), and returns the winners' outcomes; every loser
// must get link_invalid.
func redeemRace(t *testing.T, w *world, tok string, rh []byte, n int) []login.Outcome {
	t.Helper()
	var wg sync.WaitGroup
	var mu sync.Mutex
	var wins []login.Outcome
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, err := w.svc.RedeemLink(context.Background(), tok, login.LoginOpts{RequestHash: rh})
			if err != nil {
				if login.ErrorCode(err) != login.CodeLinkInvalid {
					t.Errorf("loser got %v; want link_invalid", err)
				}
				return
			}
			mu.Lock()
			wins = append(wins, out)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return wins
}

// TestScannerException is the single-use rule with its one exception
// (DESIGN.md): N concurrent redeems of one link by browsers without the
// request cookie give exactly one winner; the browser holding the
// request cookie, after that scanner press, wins once (however many
// times it presses at once) and the scanner's session is ended; a second
// use of the exception, the code and every other browser are refused.
func TestScannerException(t *testing.T) {
	w := newWorld(t)
	w.tenant(t, "acme", nil)
	w.contact(t, "acme", "ana@example.com", "")
	cookie := sha256.Sum256([]byte("browser A's login-request cookie"))
	rh := cookie[:]
	w.request(t, login.LoginRequest{Identifier: email("ana@example.com"), RequestHash: rh})
	m := w.email.Last()
	tok := tokenOf(m)
	ctx := context.Background()

	scanners := redeemRace(t, w, tok, nil, 50)
	if len(scanners) != 1 {
		t.Fatalf("%d scanner redeems won; want exactly 1", len(scanners))
	}
	scanner := scanners[0].Session.Token
	other := sha256.Sum256([]byte("another browser's cookie"))
	if _, err := w.svc.RedeemLink(ctx, tok, login.LoginOpts{RequestHash: other[:]}); login.ErrorCode(err) != login.CodeLinkInvalid {
		t.Errorf("another browser's cookie after the scanner = %v; want link_invalid", err)
	}
	if _, err := w.svc.PeekLink(ctx, tok, nil); login.ErrorCode(err) != login.CodeLinkInvalid {
		t.Errorf("the continue page without the cookie after the scanner = %v; want link_invalid", err)
	}
	if info, err := w.svc.PeekLink(ctx, tok, rh); err != nil || !info.SameBrowser {
		t.Errorf("the continue page in browser A = %+v, %v; want it to continue by itself", info, err)
	}
	if _, err := w.svc.LoginWithCode(ctx, login.CodeLogin{Identifier: email("ana@example.com"), Code: m.Code}, login.LoginOpts{}); login.ErrorCode(err) != login.CodeInvalidCode {
		t.Errorf("the code after the scanner = %v; want invalid_code", err)
	}

	w.clock.Advance(time.Second) // the audit log lists newest first
	browsers := redeemRace(t, w, tok, rh, 20)
	if len(browsers) != 1 {
		t.Fatalf("%d redeems by browser A won; want exactly 1", len(browsers))
	}
	if _, err := w.svc.Session(ctx, browsers[0].Session.Token); err != nil {
		t.Errorf("browser A's session: %v", err)
	}
	if _, err := w.svc.Session(ctx, scanner); login.ErrorCode(err) != login.CodeNoSession {
		t.Errorf("the scanner's session after the exception = %v; want no_session", err)
	}
	if _, err := w.svc.RedeemLink(ctx, tok, login.LoginOpts{RequestHash: rh}); login.ErrorCode(err) != login.CodeLinkInvalid {
		t.Errorf("a second use of the exception = %v; want link_invalid", err)
	}
	if _, err := w.svc.PeekLink(ctx, tok, rh); login.ErrorCode(err) != login.CodeLinkInvalid {
		t.Errorf("the continue page after the exception = %v; want link_invalid", err)
	}
	es, _, err := w.store.ListEvents(ctx, "acme", login.EventQuery{Type: login.EventLoginRedeemed, Limit: 10})
	if err != nil || len(es) != 2 || es[0].Detail["scanner"] != "exception" || es[1].Detail["scanner"] != "" {
		t.Errorf("login.redeemed events = %+v, %v; want the scanner's, then browser A's with scanner=exception", es, err)
	}
}

// TestScannerExceptionStrictElsewhere: a link no login request of this
// browser made (an admin send) keeps strict single use, and so does one
// the requesting browser redeemed first.
func TestScannerExceptionStrictElsewhere(t *testing.T) {
	w := newWorld(t)
	w.tenant(t, "acme", nil)
	w.contact(t, "acme", "ana@example.com", "")
	ctx := context.Background()
	cookie := sha256.Sum256([]byte("browser A's login-request cookie"))
	rh := cookie[:]

	// Browser A first: its second press is refused like anyone's.
	w.request(t, login.LoginRequest{Identifier: email("ana@example.com"), RequestHash: rh})
	tok := tokenOf(w.email.Last())
	if _, err := w.svc.RedeemLink(ctx, tok, login.LoginOpts{RequestHash: rh}); err != nil {
		t.Fatalf("browser A: %v", err)
	}
	for _, o := range []login.LoginOpts{{RequestHash: rh}, {}} {
		if _, err := w.svc.RedeemLink(ctx, tok, o); login.ErrorCode(err) != login.CodeLinkInvalid {
			t.Errorf("a second redeem after browser A = %v; want link_invalid", err)
		}
	}

	// No request cookie on the attempt: no browser has the exception.
	w.request(t, login.LoginRequest{Identifier: email("ana@example.com")})
	tok = tokenOf(w.email.Last())
	if _, err := w.svc.RedeemLink(ctx, tok, login.LoginOpts{}); err != nil {
		t.Fatalf("first redeem: %v", err)
	}
	if _, err := w.svc.RedeemLink(ctx, tok, login.LoginOpts{RequestHash: rh}); login.ErrorCode(err) != login.CodeLinkInvalid {
		t.Errorf("a browser with some cookie = %v; want link_invalid", err)
	}
}

// TestScannerExceptionSeveralTenants: a several-tenant attempt is kept
// the same way; the exception ends the scanner's picker.
func TestScannerExceptionSeveralTenants(t *testing.T) {
	w := newWorld(t)
	w.tenant(t, "acme", nil)
	w.tenant(t, "beta", nil)
	w.contact(t, "acme", "ana@example.com", "")
	w.contact(t, "beta", "ana@example.com", "")
	cookie := sha256.Sum256([]byte("browser A's login-request cookie"))
	rh := cookie[:]
	w.request(t, login.LoginRequest{Identifier: email("ana@example.com"), RequestHash: rh})
	m := w.email.Last()
	tok := tokenOf(m)
	ctx := context.Background()
	scanners := redeemRace(t, w, tok, nil, 20)
	if len(scanners) != 1 || scanners[0].Picker == nil {
		t.Fatalf("scanner redeems = %+v; want exactly one picker", scanners)
	}
	if _, err := w.svc.LoginWithCode(ctx, login.CodeLogin{Identifier: email("ana@example.com"), Code: m.Code}, login.LoginOpts{}); login.ErrorCode(err) != login.CodeInvalidCode {
		t.Errorf("the code after the scanner = %v; want invalid_code", err)
	}
	out, err := w.svc.RedeemLink(ctx, tok, login.LoginOpts{RequestHash: rh})
	if err != nil || out.Picker == nil {
		t.Fatalf("browser A = %+v, %v; want a picker", out, err)
	}
	if _, err := w.svc.PickTenant(ctx, scanners[0].Picker.Token, "acme", login.LoginOpts{}); login.ErrorCode(err) != login.CodeLinkInvalid {
		t.Errorf("the scanner's picker after the exception = %v; want link_invalid", err)
	}
	if _, err := w.svc.PickTenant(ctx, out.Picker.Token, "beta", login.LoginOpts{}); err != nil {
		t.Errorf("browser A's pick: %v", err)
	}
	if _, err := w.svc.RedeemLink(ctx, tok, login.LoginOpts{RequestHash: rh}); login.ErrorCode(err) != login.CodeLinkInvalid {
		t.Errorf("a second use of the exception = %v; want link_invalid", err)
	}
}
