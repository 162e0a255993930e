package identifier_test

import (
	"testing"

	"github.com/portalpass/portalpass/pkg/identifier"
	"github.com/portalpass/portalpass/pkg/login"
)

// TestParsersAgree compares the zero Parser with the validating one on
// what people type. They agree on a number typed without a national
// (trunk) prefix; with one, only the validating parser knows whether the
// country drops it, so the zero Parser's answer is not the stored form
// and no function may look numbers up with it (pkg/wire/httpwire gives
// every function the validating one).
func TestParsersAgree(t *testing.T) {
	tests := []struct {
		in          string
		zero, valid string // "": refused
	}{
		{"+14155550123", "+14155550123", "+14155550123"},
		{"+1 (415) 555-0123", "+14155550123", "+14155550123"},
		{"+1.415.555.0123", "+14155550123", "+14155550123"},
		{"(+1) 415 555 0123", "+14155550123", "+14155550123"},
		{"+44 7911 123456", "+447911123456", "+447911123456"},
		{"+33 6 12 34 56 78", "+33612345678", "+33612345678"},
		{"+39 06 1234 5678", "+390612345678", "+390612345678"},
		{"+39 (0)6 1234 5678", "+390612345678", "+390612345678"}, // Italy keeps its zero
		{"+7 800 123 4567", "+78001234567", "+78001234567"},      // 8 here is no trunk prefix
		{"0044 7911 123456", "", ""},
		{"+1-800-FLOWERS", "", ""},

		// A national prefix: the parsers differ.
		{"+44 (0)7911 123456", "+4407911123456", "+447911123456"},
		{"+44 07911 123456", "+4407911123456", "+447911123456"},
		{"+1 1 415 555 0123", "+114155550123", "+14155550123"},
		{"+49 (0)30 1234 5678", "+4903012345678", "+493012345678"},
		{"+7 8 495 123 4567", "+784951234567", "+74951234567"},

		// The zero Parser does not validate.
		{"+999 1234567", "+9991234567", ""},
		{"+1 415 555 012", "+1415555012", ""},
	}
	for _, tt := range tests {
		zero, zerr := identifier.ParsePhone(tt.in)
		valid, verr := strict.ParsePhone(tt.in)
		if zero != tt.zero || (zerr == nil) != (tt.zero != "") {
			t.Errorf("zero ParsePhone(%q) = %q, %v; want %q", tt.in, zero, zerr, tt.zero)
		}
		if valid != tt.valid || (verr == nil) != (tt.valid != "") {
			t.Errorf("e164 ParsePhone(%q) = %q, %v; want %q", tt.in, valid, verr, tt.valid)
		}
	}
}

// FuzzParsersAgreeOnStored: the zero Parser accepts whatever the
// validating one does, gives the same email address, and on the stored
// form of a phone number gives that number back. That is all it promises:
// it does not reproduce the stored form from what people type (see
// TestParsersAgree).
func FuzzParsersAgreeOnStored(f *testing.F) {
	for _, s := range []string{
		"+14155550123", "+1 (415) 555-0123", "+44 (0)7911 123456", "+44 07911 123456", "+39 (0)6 1234 5678",
		"+7 8 495 123 4567", "+540111512345678", "+80012345678", "ana@example.com", "ANA@Bücher.Example",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		stored, err := strict.Parse(s)
		if err != nil {
			return
		}
		if got, err := identifier.Parse(stored.Value); got != stored || err != nil {
			t.Fatalf("zero Parse(%q) = %+v, %v; want %+v, the stored form of %q", stored.Value, got, err, stored, s)
		}
		got, err := identifier.Parse(s)
		if err != nil {
			t.Fatalf("zero Parse(%q) = %v; the validating parser accepts it", s, err)
		}
		if got.Kind != stored.Kind || got.Kind == login.IdentEmail && got != stored {
			t.Fatalf("zero Parse(%q) = %+v; the validating parser gives %+v", s, got, stored)
		}
	})
}
