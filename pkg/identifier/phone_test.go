package identifier_test

import (
	"testing"
)

func TestParsePhone(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string // "": an error
	}{
		{"E.164", "+14155550123", "+14155550123"},
		{"formatted", "+1 (415) 555-0123", "+14155550123"},
		{"dots", "+1.415.555.0123", "+14155550123"},
		{"bracketed plus", "(+1) 415 555 0123", "+14155550123"},
		{"UK", "+44 20 7946 0000", "+442079460000"},
		{"UK national prefix in brackets", "+44 (0)20 7946 0000", "+442079460000"},
		{"Italy leading zero", "+39 06 1234 5678", "+390612345678"},
		{"France mobile", "+33 6 12 34 56 78", "+33612345678"},

		{"empty", "", ""},
		{"no plus", "4155550123", ""},
		{"national format", "(415) 555-0123", ""},
		{"00 prefix", "0014155550123", ""},
		{"plus only", "+", ""},
		{"two pluses", "++14155550123", ""},
		{"plus inside", "+1415+5550123", ""},
		{"too short", "+1415555012", ""},
		{"too long", "+1415555012345678", ""},
		{"unknown country", "+999 1234567", ""},
		{"zero country", "+0 4155550123", ""},
		{"letters", "+1 415 CALL ANA", ""},
		{"vanity", "+1-800-FLOWERS", ""},
		{"extension x", "+14155550123 x12", ""},
		{"extension ext", "+14155550123 ext. 12", ""},
		{"extension semicolon", "+14155550123;ext=12", ""},
		{"tel URI", "tel:+14155550123", ""},
		{"slash", "+1 415/555-0123", ""},
		{"square brackets", "+1 [415] 555-0123", ""},
		{"tab", "+1\t4155550123", ""},
		{"newline", "+14155550123\n", ""},
		{"fullwidth plus", "＋14155550123", ""},
		{"fullwidth digits", "+１４１５５５５０１２３", ""},
		{"arabic-indic digits", "+١٤١٥٥٥٥٠١٢٣", ""},
		{"no-break space", "+1\u00a04155550123", ""},
		{"hash", "+14155550123#", ""},
		{"star", "*14155550123", ""},
		{"input too long", "+1 415 555 0123" + "                                                    ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := strict.ParsePhone(tt.in)
			if got != tt.want {
				t.Errorf("ParsePhone(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
			if tt.want == "" {
				checkInvalid(t, err, tt.in)
				return
			}
			if err != nil {
				t.Fatalf("ParsePhone(%q) error %v", tt.in, err)
			}
			if again, err := strict.ParsePhone(got); again != got || err != nil {
				t.Errorf("ParsePhone(%q) = %q, %v; want it unchanged", got, again, err)
			}
		})
	}
}
