package identifier_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/portalpass/portalpass/pkg/identifier"
)

func TestParseEmail(t *testing.T) {
	long := strings.Repeat("a", 63)
	domain252 := long + "." + long + "." + long + "." + strings.Repeat("a", 56) + ".com"
	tests := []struct {
		name string
		in   string
		want string // "": an error
	}{
		{"plain", "ana@example.com", "ana@example.com"},
		{"lower-cased", "Ana.Lopez@EXAMPLE.Com", "ana.lopez@example.com"},
		{"atext", "a!#$%&'*+-/=?^_`{|}~z@example.com", "a!#$%&'*+-/=?^_`{|}~z@example.com"},
		{"subdomain", "ana@mail.eu.example.com", "ana@mail.eu.example.com"},
		{"IDN domain", "ANA@Bücher.Example", "ana@xn--bcher-kva.example"},
		{"IDN domain decomposed", "ana@Bu\u0308cher.example", "ana@xn--bcher-kva.example"},
		{"punycode domain", "ana@xn--bcher-kva.example", "ana@xn--bcher-kva.example"},
		{"eszett kept", "ana@faß.de", "ana@xn--fa-hia.de"},
		{"ideographic dot", "ana@例え。テスト", "ana@xn--r8jz45g.xn--zckzah"},
		{"unicode local NFC", "Jose\u0301@example.com", "josé@example.com"},
		{"unicode local", "Ünal@example.com", "ünal@example.com"},
		{"local 64 bytes", strings.Repeat("a", 64) + "@example.com", strings.Repeat("a", 64) + "@example.com"},
		{"254 bytes", "a@" + domain252, "a@" + domain252},

		{"empty", "", ""},
		{"no at", "ana.example.com", ""},
		{"two ats", "ana@b@example.com", ""},
		{"empty local", "@example.com", ""},
		{"empty domain", "ana@", ""},
		{"comma list", "a@example.com,b@example.com", ""},
		{"semicolon list", "a@example.com;b@example.com", ""},
		{"CRLF injection", "ana@example.com\r\nBcc: eve@evil.example", ""},
		{"LF", "ana@example.com\n", ""},
		{"NUL", "ana\x00@example.com", ""},
		{"DEL", "ana\x7f@example.com", ""},
		{"tab", "ana\t@example.com", ""},
		{"space inside", "ana lopez@example.com", ""},
		{"leading space", " ana@example.com", ""},
		{"no-break space", "ana\u00a0@example.com", ""},
		{"display name", "Ana <ana@example.com>", ""},
		{"angle brackets", "<ana@example.com>", ""},
		{"quoted local", `"ana"@example.com`, ""},
		{"comment", "ana(work)@example.com", ""},
		{"colon", "group:ana@example.com", ""},
		{"backslash", `ana\@example.com`, ""},
		{"fullwidth at", "ana＠example.com", ""},
		{"small at", "ana﹫example.com", ""},
		{"tag at", "ana\U000E0040example.com", ""},
		{"fullwidth at and at", "ana＠x@example.com", ""},
		{"fullwidth comma", "a@example.com，b@example.com", ""},
		{"zero-width joiner", "an\u200da@example.com", ""},
		{"zero-width space", "an\u200ba@example.com", ""},
		{"bidi override", "\u202eana@example.com", ""},
		{"soft hyphen", "an\u00ada@example.com", ""},
		{"variation selector", "ana\ufe0f@example.com", ""},
		{"hangul filler", "ana\u3164@example.com", ""},
		{"private use", "ana\ue000@example.com", ""},
		{"line separator", "ana\u2028@example.com", ""},
		{"C1 control", "ana\u0085@example.com", ""},
		{"invalid UTF-8", "an\xffa@example.com", ""},
		{"local 65 bytes", strings.Repeat("a", 65) + "@example.com", ""},
		{"local leading dot", ".ana@example.com", ""},
		{"local trailing dot", "ana.@example.com", ""},
		{"local double dot", "a..na@example.com", ""},
		{"255 bytes", "ab@" + domain252, ""},
		{"domain 254 bytes", "a@" + long + "." + long + "." + long + "." + strings.Repeat("a", 58) + ".com", ""},
		{"domain without dot", "ana@localhost", ""},
		{"domain trailing dot", "ana@example.com.", ""},
		{"domain leading dot", "ana@.example.com", ""},
		{"domain double dot", "ana@example..com", ""},
		{"label leading hyphen", "ana@-example.com", ""},
		{"label trailing hyphen", "ana@example-.com", ""},
		{"label too long", "ana@" + strings.Repeat("a", 64) + ".com", ""},
		{"underscore", "ana@ex_ample.com", ""},
		{"IP literal", "ana@[192.0.2.1]", ""},
		{"IPv6 literal", "ana@[IPv6:2001:db8::1]", ""},
		{"IP address", "ana@192.0.2.1", ""},
		{"bad punycode", "ana@xn--zz.example", ""},
		{"bidi only in ASCII form", "ana@xℵ.example", ""},
		{"mixed-direction label", "ana@xא.example", ""},
		{"too long input", strings.Repeat("a", 2000) + "@example.com", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := identifier.ParseEmail(tt.in)
			if got != tt.want {
				t.Errorf("ParseEmail(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
			if tt.want == "" {
				checkInvalid(t, err, tt.in)
				return
			}
			if err != nil {
				t.Fatalf("ParseEmail(%q) error %v", tt.in, err)
			}
			if again, err := identifier.ParseEmail(got); again != got || err != nil {
				t.Errorf("ParseEmail(%q) = %q, %v; want it unchanged", got, again, err)
			}
		})
	}
}

// TestParseEmailEveryRune puts every non-ASCII rune in the local part and in
// the domain: whatever ParseEmail accepts must parse again to itself and
// keep one @. Under -short or -race it samples every 17th rune.
func TestParseEmailEveryRune(t *testing.T) {
	step := rune(1)
	if testing.Short() || raceEnabled {
		step = 17
	}
	for r := rune(utf8.RuneSelf); r <= utf8.MaxRune; r += step {
		if !utf8.ValidRune(r) {
			continue
		}
		c := string(r)
		for _, in := range []string{"a" + c + "@example.com", "a@x" + c + ".example"} {
			got, err := identifier.ParseEmail(in)
			if err != nil {
				continue
			}
			if strings.Count(got, "@") != 1 {
				t.Errorf("%U: ParseEmail(%q) = %q; want one @", r, in, got)
			}
			if again, err := identifier.ParseEmail(got); again != got || err != nil {
				t.Errorf("%U: ParseEmail(%q) = %q, but ParseEmail(%q) = %q, %v", r, in, got, got, again, err)
			}
		}
	}
}
