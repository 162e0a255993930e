package login_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/login/logintest"
)

// otherCode returns a code of the same length as every one of codes and
// none of them.
func otherCode(codes ...string) string {
	for d := '0'; d <= '9'; d++ {
		c := strings.Repeat(string(d), len(codes[0]))
		if !strings.Contains(strings.Join(codes, " "), c) {
			return c
		}
	}
	panic("no other code")
}

// TestWrongCodeChargesEveryAttempt: one identifier with a live attempt in
// two tenants. A wrong code is compared with both, so it costs both a
// try: 5 wrong codes burn both attempts, not one of them.
func TestWrongCodeChargesEveryAttempt(t *testing.T) {
	w := newWorld(t)
	w.tenant(t, "acme", nil)
	w.tenant(t, "beta", nil)
	acme := w.contact(t, "acme", "ana@example.com", "")
	beta := w.contact(t, "beta", "ana@example.com", "")
	w.request(t, login.LoginRequest{Identifier: email("ana@example.com"), Tenant: "acme"})
	acmeCode := w.email.Last().Code
	w.request(t, login.LoginRequest{Identifier: email("ana@example.com"), Tenant: "beta"})
	betaCode := w.email.Last().Code
	wrong := otherCode(acmeCode, betaCode)
	ctx := context.Background()
	tries := func(c login.Contact) int {
		t.Helper()
		got, err := w.store.GetContact(ctx, c.TenantID, c.ID)
		if err != nil || got.Login == nil {
			t.Fatalf("GetContact(%s) = %+v, %v", c.TenantID, got.Login, err)
		}
		return got.Login.TriesLeft
	}
	for i := 1; i <= login.CodeTries; i++ {
		_, err := w.svc.LoginWithCode(ctx, login.CodeLogin{Identifier: email("ana@example.com"), Code: wrong}, login.LoginOpts{})
		if login.ErrorCode(err) != login.CodeInvalidCode {
			t.Fatalf("wrong code %d = %v; want invalid_code", i, err)
		}
		if a, b := tries(acme), tries(beta); a != login.CodeTries-i || b != login.CodeTries-i {
			t.Fatalf("after %d wrong codes: tries left acme %d, beta %d; want %d each", i, a, b, login.CodeTries-i)
		}
	}
	failed := map[string]int{}
	for _, ev := range w.store.Events() {
		if ev.Type == login.EventCodeFailed {
			failed[ev.TenantID]++
		}
	}
	if failed["acme"] != login.CodeTries || failed["beta"] != login.CodeTries {
		t.Errorf("code.failed events by tenant = %v; want %d in each", failed, login.CodeTries)
	}
	for _, code := range []string{acmeCode, betaCode} {
		if _, err := w.svc.LoginWithCode(ctx, login.CodeLogin{Identifier: email("ana@example.com"), Code: code}, login.LoginOpts{}); login.ErrorCode(err) != login.CodeInvalidCode {
			t.Errorf("a burned attempt's right code = %v; want invalid_code", err)
		}
	}
}

// TestCodeFailureCapRace: 40 wrong codes at once for one identifier with a
// live attempt leave its wrong-code counter at exactly the cap of 20, and
// every answer is the same invalid_code.
func TestCodeFailureCapRace(t *testing.T) {
	const n = 2 * login.CodeFailureLimit
	w := newWorld(t)
	w.tenant(t, "acme", nil)
	w.contact(t, "acme", "ana@example.com", "")
	w.request(t, login.LoginRequest{Identifier: email("ana@example.com")})
	wrong := otherCode(w.email.Last().Code)
	var read sync.WaitGroup
	read.Add(n)
	svc := login.New(login.Deps{Store: logintest.ReadTogether{Store: w.store, Read: &read}, Email: w.email, SMS: w.sms, Clock: w.clock,
		BaseURL: "https://api.example.com", Sleep: func(context.Context, time.Duration) {}})
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			_, errs[i] = svc.LoginWithCode(context.Background(), login.CodeLogin{Identifier: email("ana@example.com"), Code: wrong}, login.LoginOpts{})
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != login.ErrInvalidCode {
			t.Errorf("racer %d = %v; want ErrInvalidCode", i, err)
		}
	}
	rec, err := w.store.FindIdentity(context.Background(), login.EmailKey("ana@example.com"))
	if err != nil {
		t.Fatal(err)
	}
	if count := logintest.CountPrefix(rec, "codefail#"); count != login.CodeFailureLimit {
		t.Errorf("wrong-code counter after %d concurrent wrong codes = %d; want %d", n, count, login.CodeFailureLimit)
	}
	failed := 0
	for _, ev := range w.store.Events() {
		if ev.Type == login.EventCodeFailed {
			failed++
		}
	}
	if failed != login.CodeFailureLimit {
		t.Errorf("code.failed events = %d; want %d (a failure past the cap writes nothing)", failed, login.CodeFailureLimit)
	}
}
