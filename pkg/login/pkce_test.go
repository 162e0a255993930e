package login_test

import (
	"context"
	"strings"
	"testing"

	"github.com/portalpass/portalpass/pkg/login"
)

func TestCodeChallengeS256(t *testing.T) {
	// RFC 7636 appendix B.
	if got, want := login.CodeChallengeS256(verifier), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"; got != want {
		t.Errorf("CodeChallengeS256(%q) = %q; want %q", verifier, got, want)
	}
	tests := []struct {
		name string
		v    string
		want bool
	}{
		{"rfc example", verifier, true},
		{"43 unreserved", strings.Repeat("aZ0-._~", 7)[:43], true},
		{"128", strings.Repeat("a", 128), true},
		{"42", strings.Repeat("a", 42), false},
		{"129", strings.Repeat("a", 129), false},
		{"plus", strings.Repeat("a", 42) + "+", false},
		{"slash", strings.Repeat("a", 42) + "/", false},
		{"space", strings.Repeat("a", 42) + " ", false},
		{"non-ascii", strings.Repeat("a", 41) + "é", false},
		{"empty", "", false},
	}
	for _, tt := range tests {
		if got := login.ValidCodeVerifier(tt.v); got != tt.want {
			t.Errorf("%s: ValidCodeVerifier(%q) = %v; want %v", tt.name, tt.v, got, tt.want)
		}
	}
}

func TestLinkChallengeIsBoundToTheToken(t *testing.T) {
	w, _ := handoffWorld(t)
	w.request(t, login.LoginRequest{Identifier: email("ana@example.com"), Tenant: "acme", CodeChallenge: login.CodeChallengeS256(verifier)})
	tok := tokenOf(w.email.Last())
	f := strings.Split(tok, ".")
	if len(f) != 7 || f[5] != login.CodeChallengeS256(verifier) {
		t.Fatalf("link token has %d fields; want 7 with the challenge before the secret", len(f))
	}
	// Another challenge, or none, is another token: its hash is unknown.
	f[5] = login.CodeChallengeS256(strings.Repeat("x", 43))
	for _, forged := range []string{strings.Join(f, "."), strings.Join(append(f[:5:5], f[6]), ".")} {
		if _, err := w.svc.RedeemLink(context.Background(), forged, login.LoginOpts{}); login.ErrorCode(err) != login.CodeLinkInvalid {
			t.Errorf("RedeemLink(forged challenge) = %v; want link_invalid", err)
		}
	}
	if _, err := w.svc.RedeemLink(context.Background(), tok, login.LoginOpts{}); err != nil {
		t.Errorf("RedeemLink(the real token) after the forgeries: %v", err)
	}
}

func TestConcurrentExchangeHasOneWinner(t *testing.T) {
	w, _ := handoffWorld(t)
	out := w.loginByLink(t, login.CodeChallengeS256(verifier))
	const n = 20
	errs := make(chan error, n)
	start := make(chan struct{})
	for range n {
		go func() {
			<-start
			_, err := w.exchange(login.Exchange{Code: out.HandoffCode, CodeVerifier: verifier})
			errs <- err
		}()
	}
	close(start)
	wins := 0
	for range n {
		switch err := <-errs; login.ErrorCode(err) {
		case "":
			wins++
		case login.CodeLinkInvalid:
		default:
			t.Errorf("exchange: %v; want nil or link_invalid", err)
		}
	}
	if wins != 1 {
		t.Errorf("%d of %d concurrent exchanges won; want 1", wins, n)
	}
}

func FuzzHandoffTenant(f *testing.F) {
	for _, s := range []string{"h.acme." + strings.Repeat("A", 43), "h.acme.x", "h..", "l.acme.c.l..x", "h.-a." + strings.Repeat("A", 43), ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, code string) {
		tenant, ok := login.HandoffTenant(code)
		if !ok {
			if tenant != "" {
				t.Fatalf("HandoffTenant(%q) = %q, false; want no tenant", code, tenant)
			}
			return
		}
		if !login.ValidTenantID(tenant) || code != "h."+tenant+"."+code[len(tenant)+3:] || !login.ValidB64Secret(code[len(tenant)+3:]) {
			t.Fatalf("HandoffTenant(%q) = %q, true for a code of another shape", code, tenant)
		}
	})
}
