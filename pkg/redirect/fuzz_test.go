package redirect_test

import (
	"net/url"
	"path"
	"strings"
	"testing"

	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/redirect"
)

var redirectSeeds = []string{
	"", "/", "/invoices/42?x=1#frag", "//evil.example", "/\\evil.example", "/%2f%2fevil.example",
	"/%252f", "/a/../b", "/../x", "/%2e%2e/x", "/..;x/y", "/a%0d%0aSet-Cookie:x", "/café?q=ü#é",
	"/a\"<b>", "/a%zz", "/a\xff", "https://evil.example", "/?next=//evil", "/#/../..", "/a//../..",
}

func FuzzCheck(f *testing.F) {
	for _, s := range redirectSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		if err := redirect.Check(p); err != nil {
			if code := login.ErrorCode(err); code != login.CodeInvalidRequest {
				t.Fatalf("Check(%q) code = %q; want %q", p, code, login.CodeInvalidRequest)
			}
			return
		}
		checkJoin(t, "https://portal.example/base", p)
	})
}

func FuzzJoin(f *testing.F) {
	portals := []string{
		"https://portal.example/base", "https://portal.example", "https://portal.example/", "http://localhost:8080/p/",
		"https://[2001:db8::1]:8443/a%20b", "https://portal.example//x", "http://evil.example", "https://u@portal.example",
	}
	for i, s := range redirectSeeds {
		f.Add(portals[i%len(portals)], s)
	}
	f.Fuzz(func(t *testing.T, portal, p string) {
		if redirect.CheckPortalURL(portal) != nil {
			if _, err := redirect.Join(portal, p); login.ErrorCode(err) != login.CodeInternal {
				t.Fatalf("Join(%q, %q) error = %v; want an internal error for the portal URL", portal, p, err)
			}
			return
		}
		if redirect.Check(p) != nil {
			if got, err := redirect.Join(portal, p); err == nil {
				t.Fatalf("Join(%q, %q) = %q; want an error as Check refuses the redirect", portal, p, got)
			}
			return
		}
		checkJoin(t, portal, p)
	})
}

// checkJoin fails t unless Join(portal, p) succeeds with an ASCII URL on the
// portal's scheme and host whose path, dot segments resolved, stays inside
// the portal's path, and whose redirect part passes Check again (but for its
// length).
func checkJoin(t *testing.T, portal, p string) {
	t.Helper()
	got, err := redirect.Join(portal, p)
	if err != nil {
		t.Fatalf("Check(%q) = nil but Join(%q, %q) = %v", p, portal, p, err)
	}
	for i := 0; i < len(got); i++ {
		if got[i] <= ' ' || got[i] >= 0x7f {
			t.Fatalf("Join(%q, %q) = %q; want printable ASCII", portal, p, got)
		}
	}
	base, _ := url.Parse(portal)
	u, err := url.Parse(got)
	if err != nil {
		t.Fatalf("Join(%q, %q) = %q, which does not parse: %v", portal, p, got, err)
	}
	if u.Scheme != base.Scheme || u.Host != base.Host || u.User != nil {
		t.Fatalf("Join(%q, %q) = %q; want scheme %q and host %q", portal, p, got, base.Scheme, base.Host)
	}
	// Resolve as a browser would: against the portal, dot segments removed.
	resolved := base.ResolveReference(u)
	root := path.Clean("/" + base.Path)
	clean := path.Clean("/" + resolved.Path)
	if root != "/" && clean != root && !strings.HasPrefix(clean, root+"/") {
		t.Fatalf("Join(%q, %q) = %q, path %q; want it inside %q", portal, p, got, clean, root)
	}
	if p == "" {
		return
	}
	// Escaping may lengthen the redirect past MaxLen; its characters must
	// still pass.
	rest := strings.TrimPrefix(got, strings.TrimSuffix(portal, "/"))
	if err := redirect.Check(rest); err != nil && (len(rest) <= redirect.MaxLen || login.ErrorMessage(err) != login.ErrorMessage(redirect.Check("/"+strings.Repeat("a", redirect.MaxLen)))) {
		t.Fatalf("Join(%q, %q) = %q, but its redirect %q fails Check: %v", portal, p, got, rest, err)
	}
}
