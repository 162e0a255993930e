package identifier_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/portalpass/portalpass/pkg/login"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want login.Identifier // zero: an error
	}{
		{"email", "ana@example.com", login.Identifier{Kind: login.IdentEmail, Value: "ana@example.com"}},
		{"email trimmed", "  Ana@Example.COM ", login.Identifier{Kind: login.IdentEmail, Value: "ana@example.com"}},
		{"email IDN", "ANA@Bücher.Example", login.Identifier{Kind: login.IdentEmail, Value: "ana@xn--bcher-kva.example"}},
		{"phone", "+14155550123", login.Identifier{Kind: login.IdentPhone, Value: "+14155550123"}},
		{"phone formatted", " +1 (415) 555-0123 ", login.Identifier{Kind: login.IdentPhone, Value: "+14155550123"}},
		{"fullwidth at is an email, rejected", "ana＠example.com", login.Identifier{}},
		{"small at is an email, rejected", "ana﹫example.com", login.Identifier{}},
		{"empty", "", login.Identifier{}},
		{"only spaces", "   ", login.Identifier{}},
		{"tab not trimmed", "\tana@example.com", login.Identifier{}},
		{"newline not trimmed", "ana@example.com\n", login.Identifier{}},
		{"word", "ana", login.Identifier{}},
		{"phone without plus", "4155550123", login.Identifier{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := strict.Parse(tt.in)
			if got != tt.want {
				t.Errorf("Parse(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
			}
			if tt.want == (login.Identifier{}) {
				checkInvalid(t, err, tt.in)
			} else if err != nil {
				t.Errorf("Parse(%q) error %v", tt.in, err)
			}
		})
	}
}

func TestParseMessages(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string // a word the message must hold
	}{
		{"empty", " ", "Enter an email address or phone number"},
		{"neither", "ana.example.com", "international format"},
		{"list", "a@example.com, b@example.com", "one email"},
		{"list without space", "a@example.com;b@example.com", "one email"},
		{"display name", "Ana <ana@example.com>", "without a name"},
		{"spaces", "ana lopez@example.com", "spaces"},
		{"zero-width joiner", "an\u200da@example.com", "invisible"},
		{"angle brackets", "<ana@example.com>", "without a name"},
		{"look-alike at", "ana＠example.com", "plain @"},
		{"no plus", "(415) 555-0123", "starting with +"},
		{"letters", "+1 415 CALL-ANA", "only digits"},
		{"invalid number", "+1 415 555 012", "not valid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := strict.Parse(tt.in)
			checkInvalid(t, err, tt.in)
			if got := login.ErrorMessage(err); !strings.Contains(got, tt.want) {
				t.Errorf("message for %q = %q; want it to hold %q", tt.in, got, tt.want)
			}
		})
	}
}

// checkInvalid fails t unless err is an invalid_identifier *login.Error
// with a message for people and a cause for logs that does not repeat in.
func checkInvalid(t *testing.T, err error, in string) {
	t.Helper()
	var e *login.Error
	if !errors.As(err, &e) || e.Code != login.CodeInvalidIdentifier {
		t.Fatalf("error = %v; want a *login.Error with code %q", err, login.CodeInvalidIdentifier)
	}
	if e.Msg == "" || e.Err == nil {
		t.Fatalf("error %q lacks a message or a cause", err)
	}
	if len(in) > 3 && strings.Contains(e.Err.Error(), in) {
		t.Errorf("cause %q repeats the input", e.Err)
	}
}

func BenchmarkParse(b *testing.B) {
	for _, bb := range []struct{ name, in string }{
		{"email", "Ana.Lopez@Example.com"},
		{"email-idn", "ana@bücher.example"},
		{"phone", "+1 (415) 555-0123"},
	} {
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := strict.Parse(bb.in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
