package ses

import (
	"net/mail"
	"strings"
	"testing"
)

func TestFromHeader(t *testing.T) {
	const addr = "login@example.com"
	tests := []struct {
		name, display, addr string
		want                string // "": an error
	}{
		{"plain", "Acme", addr, `"Acme" <login@example.com>`},
		{"spaces", "  Acme   Portal ", addr, `"Acme Portal" <login@example.com>`},
		{"specials quoted", `Acme, Inc. <x@y> "Best" \o/`, addr, `"Acme, Inc. <x@y> \"Best\" \\o/" <login@example.com>`},
		{"CR LF", "Acme\r\nBcc: victim@example.com", addr, `"Acme Bcc: victim@example.com" <login@example.com>`},
		{"other controls", "Ac\x00me\x7f\u0085x", addr, `"Ac me x" <login@example.com>`},
		{"bidi override dropped", "Ac\u202eme", addr, `"Acme" <login@example.com>`},
		{"non-ASCII", "Äcme", addr, "=?utf-8?q?=C3=84cme?= <login@example.com>"},
		{"non-ASCII with specials", "Äcme, Inc", addr, "=?utf-8?b?w4RjbWUsIEluYw==?= <login@example.com>"},
		{"non-ASCII with backslash", "Äcme\\", addr, "=?utf-8?b?w4RjbWVc?= <login@example.com>"},
		{"invalid UTF-8 dropped", "\xe5Acme", addr, `"Acme" <login@example.com>`},
		{"empty", "", addr, "<login@example.com>"},
		{"only controls", "\r\n\t", addr, "<login@example.com>"},
		{"long cut", strings.Repeat("a", 100), addr, `"` + strings.Repeat("a", 64) + `" <login@example.com>`},
		{"bad address", "Acme", "not an address", ""},
		{"address with a name", "Acme", `"Evil" <login@example.com>`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := fromHeader(tt.display, tt.addr)
			if tt.want == "" {
				if err == nil {
					t.Errorf("fromHeader(%q, %q) = %q; want an error", tt.display, tt.addr, got)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("fromHeader(%q, %q) = %q, %v; want %q", tt.display, tt.addr, got, err, tt.want)
			}
		})
	}
}

func FuzzFromHeader(f *testing.F) {
	for _, s := range []string{"Acme", "Äcme, Inc", "a\r\nb", `"\`, "=?utf-8?q?x?=", "日本語の会社名"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		const addr = "login@example.com"
		h, err := fromHeader(name, addr)
		if err != nil {
			t.Fatalf("fromHeader(%q): %v", name, err)
		}
		if strings.ContainsAny(h, "\r\n") {
			t.Fatalf("fromHeader(%q) = %q holds CR or LF", name, h)
		}
		a, err := mail.ParseAddress(h)
		if err != nil {
			t.Fatalf("fromHeader(%q) = %q does not parse: %v", name, h, err)
		}
		if a.Name != cleanName(name) {
			t.Errorf("name = %q; want %q", a.Name, cleanName(name))
		}
		if a.Address != addr {
			t.Errorf("address = %q; want %q", a.Address, addr)
		}
	})
}
