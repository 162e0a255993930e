package message

import (
	"strings"
	"testing"
)

// FuzzHref checks that whatever a link holds, its href can neither leave
// the double-quoted attribute nor name a scheme other than http(s).
func FuzzHref(f *testing.F) {
	f.Add("https://portal.acme.example/login?t=x&r=%2F")
	f.Add(`https://a.example/"><img src=x onerror=alert(1)>`)
	f.Add("javascript:alert(1)")
	f.Add(" JAVASCRIPT:x")
	f.Add("https://a.example/%zz%4é\x00")
	f.Fuzz(func(t *testing.T, link string) {
		got := href(link)
		if got == unsafeHref {
			return
		}
		if strings.ContainsAny(got, "\"'<> \t\r\n\x00\\`") {
			t.Errorf("href(%q) = %q: holds a byte that ends or breaks an attribute", link, got)
		}
		for i := 0; i < len(got); i++ {
			if got[i] >= 0x80 {
				t.Fatalf("href(%q) = %q: holds a non-ASCII byte", link, got)
			}
		}
		if l := strings.ToLower(got); !strings.HasPrefix(l, "https:") && !strings.HasPrefix(l, "http:") {
			t.Errorf("href(%q) = %q: not http(s)", link, got)
		}
	})
}

func BenchmarkHref(b *testing.B) {
	const link = "https://portal.acme.example/login?t=acme.c1.0123456789abcdefghijklmnopqrstuvwxyzABCDEFG&r=%2Finvoices"
	b.ReportAllocs()
	for b.Loop() {
		href(link)
	}
}
