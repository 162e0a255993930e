package main

import (
	"regexp"
	"testing"
)

// TestCodeChallenge checks RFC 7636 appendix B's example.
func TestCodeChallenge(t *testing.T) {
	const verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
	if got, want := CodeChallenge(verifier), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"; got != want {
		t.Errorf("CodeChallenge(%q) = %q; want %q", verifier, got, want)
	}
}

func TestNewCodeVerifier(t *testing.T) {
	unreserved := regexp.MustCompile(`^[A-Za-z0-9._~-]{43,128}$`)
	seen := map[string]bool{}
	for range 100 {
		v := NewCodeVerifier()
		if !unreserved.MatchString(v) {
			t.Fatalf("NewCodeVerifier() = %q; want 43-128 unreserved characters", v)
		}
		if seen[v] {
			t.Fatalf("NewCodeVerifier() repeated %q", v)
		}
		seen[v] = true
	}
}
