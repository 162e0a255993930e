package identifier_test

import (
	"strings"
	"testing"
	"unicode"

	"github.com/portalpass/portalpass/pkg/login"
)

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"ana@example.com", " Ana@Example.COM ", "ANA@Bücher.Example", "ana@xn--bcher-kva.example",
		"Jose\u0301@example.com", "İstanbul@example.com", "ǅ@example.com", "a..b@example.com",
		"a@b@example.com", "a@example.com,b@example.com", "ana@example.com\r\nBcc: x@y.z",
		"ana＠example.com", "ana﹫example.com", "an\u200da@example.com", "ana@[192.0.2.1]",
		"ana@例え。テスト", "ana@ｅｘａｍｐｌｅ.com", "ana@faß.de", "\"a b\"@example.com",
		"+14155550123", "+1 (415) 555-0123", "+44 (0)20 7946 0000", "4155550123", "+1-800-FLOWERS",
		"+14155550123;ext=1", "＋14155550123", "", " ", "@", "+",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := strict.Parse(s)
		if err != nil {
			if got := login.ErrorCode(err); got != login.CodeInvalidIdentifier {
				t.Fatalf("Parse(%q) code = %q; want %q (%v)", s, got, login.CodeInvalidIdentifier, err)
			}
			if id != (login.Identifier{}) {
				t.Fatalf("Parse(%q) = %+v with error %v; want the zero Identifier", s, id, err)
			}
			return
		}
		again, err := strict.Parse(id.Value)
		if err != nil || again != id {
			t.Fatalf("Parse(%q) = %+v, but Parse(%q) = %+v, %v", s, id, id.Value, again, err)
		}
		switch id.Kind {
		case login.IdentEmail:
			if n := strings.Count(id.Value, "@"); n != 1 {
				t.Fatalf("Parse(%q) = %q with %d @; want 1", s, id.Value, n)
			}
			if len(id.Value) > 254 {
				t.Fatalf("Parse(%q) = %q, %d bytes; want at most 254", s, id.Value, len(id.Value))
			}
			for _, r := range id.Value {
				if unicode.IsControl(r) || unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) {
					t.Fatalf("Parse(%q) = %q holding %U", s, id.Value, r)
				}
			}
			if id.Value != strings.ToLower(id.Value) {
				t.Fatalf("Parse(%q) = %q; want it lower-cased", s, id.Value)
			}
		case login.IdentPhone:
			if len(id.Value) < 3 || len(id.Value) > 16 || id.Value[0] != '+' || strings.Trim(id.Value[1:], "0123456789") != "" {
				t.Fatalf("Parse(%q) = %q; want E.164", s, id.Value)
			}
		default:
			t.Fatalf("Parse(%q) kind = %q", s, id.Kind)
		}
	})
}
