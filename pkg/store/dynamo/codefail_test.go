package dynamo

import (
	"sync"
	"testing"
	"time"

	"github.com/portalpass/portalpass/pkg/awstest"
	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/login/logintest"
)

// TestCodeFailureCapRace: 40 wrong codes at once for one identifier with
// a live attempt, all read before any writes, leave its wrong-code
// counter at exactly the cap of 20 and answer invalid_code every time:
// the counter's condition holds the cap. The client sends one request at
// a time (see serialClient).
func TestCodeFailureCapRace(t *testing.T) {
	const n = 2 * login.CodeFailureLimit
	f := newFixture(t, true)
	ctx := awstest.Ctx(t)
	key := login.EmailKey(f.c.Email)
	f.setLogin(t, testSlot("a", t0.Add(10*time.Minute)), key) // its code is no 6 digits
	var read sync.WaitGroup
	read.Add(n)
	svc := login.New(login.Deps{Store: logintest.ReadTogether{Store: f.s, Read: &read}, Clock: logintest.NewClock(t0.Add(time.Minute)),
		Email: &logintest.Sender{}, SMS: &logintest.Sender{}})
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			_, errs[i] = svc.LoginWithCode(ctx, login.CodeLogin{Identifier: login.Identifier{Kind: login.IdentEmail, Value: f.c.Email}, Code: "000000"}, login.LoginOpts{})
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != login.ErrInvalidCode {
			t.Errorf("racer %d = %v; want ErrInvalidCode", i, err)
		}
	}
	rec, err := f.s.FindIdentity(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	if count := logintest.CountPrefix(rec, "codefail#"); count != login.CodeFailureLimit {
		t.Errorf("wrong-code counter after %d concurrent wrong codes = %d; want %d", n, count, login.CodeFailureLimit)
	}
	events, _, err := f.s.ListEvents(ctx, "t1", login.EventQuery{Type: login.EventCodeFailed, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != login.CodeFailureLimit {
		t.Errorf("code.failed events = %d; want %d (a failure past the cap writes nothing)", len(events), login.CodeFailureLimit)
	}
	c, err := f.s.GetContact(ctx, "t1", "c1")
	if err != nil || c.Login == nil || c.Login.TriesLeft != 0 {
		t.Errorf("slot after the burst = %+v, %v; want burned (0 tries left)", c.Login, err)
	}
}
