package dynamo

import (
	"errors"
	"testing"
	"time"

	"github.com/portalpass/portalpass/pkg/awstest"
	"github.com/portalpass/portalpass/pkg/login"
)

// TestScannerCalls holds the scanner exception to its calls: a link's
// first redeem, kept for the exception, is one TransactWriteItems; the
// exception is two (the refused first, then its own); its second use is
// refused in one.
func TestScannerCalls(t *testing.T) {
	f := newFixture(t, false)
	ctx := awstest.Ctx(t)
	sl := testSlot("a", t0.Add(10*time.Minute))
	sl.RequestHash = login.HashToken("request cookie of browser A")
	f.setLogin(t, sl, login.EmailKey(f.c.Email))
	redeem := func(name string, rh []byte) error {
		f.calls.Reset()
		ev := []login.AuditEvent{{ID: name, TenantID: "t1", At: t0, Type: login.EventLoginRedeemed, ContactID: "c1"}}
		return f.s.Redeem(ctx, login.Redemption{Now: t0, Session: session(name, t0), Events: ev, ExceptionEvents: ev,
			Slot: &login.SlotRef{TenantID: "t1", ContactID: "c1", Which: login.SlotLogin, TokenHash: sl.TokenHash, NeedTries: true, Keep: true, RequestHash: rh}})
	}
	steps := []struct {
		name  string
		rh    []byte
		err   error
		calls int64
	}{
		{"scanner", nil, nil, 1},
		{"other browser", login.HashToken("another cookie"), login.ErrLinkInvalid, 1},
		{"browser A", sl.RequestHash, nil, 2},
		{"browser A again", sl.RequestHash, login.ErrLinkInvalid, 1},
	}
	for _, st := range steps {
		err := redeem(st.name, st.rh)
		if !errors.Is(err, st.err) || (st.err == nil && err != nil) {
			t.Errorf("%s: Redeem = %v; want %v", st.name, err, st.err)
		}
		if got := f.calls.Count("TransactWriteItems"); got != st.calls {
			t.Errorf("%s: TransactWriteItems calls = %d; want %d", st.name, got, st.calls)
		}
	}
	if _, _, err := f.s.GetSession(ctx, "t1", "c1", session("scanner", t0).Hash); !errors.Is(err, login.ErrNotFound) {
		t.Errorf("the scanner's session after the exception: GetSession = %v; want ErrNotFound", err)
	}
}
