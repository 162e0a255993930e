package httpapi

import (
	"net/url"
	"strings"
	"testing"

	"github.com/portalpass/portalpass/pkg/redirect"
)

const testCode = "h.acme.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"

func TestWithHandoffCode(t *testing.T) {
	tests := []struct {
		name, target, want string
	}{
		{"portal URL", "https://p.example", "https://p.example?pp_code=" + testCode},
		{"path", "https://p.example/app/x", "https://p.example/app/x?pp_code=" + testCode},
		{"query", "https://p.example/x?a=1&b=2", "https://p.example/x?a=1&b=2&pp_code=" + testCode},
		{"empty query", "https://p.example/x?", "https://p.example/x?pp_code=" + testCode},
		{"query ending in &", "https://p.example/x?a=1&", "https://p.example/x?a=1&pp_code=" + testCode},
		{"fragment", "https://p.example/x#top", "https://p.example/x?pp_code=" + testCode + "#top"},
		{"query and fragment", "https://p.example/x?a=1#t?b=2", "https://p.example/x?a=1&pp_code=" + testCode + "#t?b=2"},
		{"a planted pp_code", "https://p.example/x?pp_code=evil&a=1", "https://p.example/x?a=1&pp_code=" + testCode},
		{"an encoded planted pp_code", "https://p.example/x?pp%5Fcode=evil&pp_code&a=1", "https://p.example/x?a=1&pp_code=" + testCode},
		{"a lookalike kept", "https://p.example/x?pp_codes=1", "https://p.example/x?pp_codes=1&pp_code=" + testCode},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := withHandoffCode(tt.target, testCode); got != tt.want {
				t.Errorf("withHandoffCode(%q) = %q; want %q", tt.target, got, tt.want)
			}
		})
	}
}

// FuzzWithHandoffCode joins fuzzed redirects to a portal and checks that
// the result carries exactly the one code, on the same portal path, with
// the redirect's fragment.
func FuzzWithHandoffCode(f *testing.F) {
	for _, s := range []string{"", "/", "/x?a=1#f", "/x?pp_code=1", "/x?%70p_code=1&&b#c#d", "/x?a=%zz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		target, err := redirect.Join("https://p.example/app", p)
		if err != nil {
			return
		}
		got := withHandoffCode(target, testCode)
		u, err := url.Parse(got)
		if err != nil {
			t.Fatalf("withHandoffCode(%q) = %q: %v", target, got, err)
		}
		base, _, _ := strings.Cut(target, "#")
		path, _, _ := strings.Cut(base, "?")
		if !strings.HasPrefix(got, path+"?") || u.Host != "p.example" {
			t.Fatalf("withHandoffCode(%q) = %q: left the path", target, got)
		}
		if _, frag, ok := strings.Cut(target, "#"); ok && !strings.HasSuffix(got, "#"+frag) {
			t.Fatalf("withHandoffCode(%q) = %q: lost the fragment", target, got)
		}
		var codes []string
		for _, kv := range strings.Split(u.RawQuery, "&") {
			k, v, _ := strings.Cut(kv, "=")
			if uk, err := url.QueryUnescape(k); (err == nil && uk == "pp_code") || k == "pp_code" {
				codes = append(codes, v)
			}
		}
		if len(codes) != 1 || codes[0] != testCode {
			t.Fatalf("withHandoffCode(%q) = %q: pp_code values %q; want only the code", target, got, codes)
		}
	})
}

func TestIsOrigin(t *testing.T) {
	tests := []struct {
		o    string
		want bool
	}{
		{"https://shop.example", true},
		{"https://shop.example:8443", true},
		{"http://localhost:3000", true},
		{"http://shop.example", false},
		{"https://shop.example/", false},
		{"https://shop.example/app", false},
		{"https://Shop.example", false},
		{"null", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := isOrigin(tt.o); got != tt.want {
			t.Errorf("isOrigin(%q) = %v; want %v", tt.o, got, tt.want)
		}
	}
}
