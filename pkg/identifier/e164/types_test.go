package e164

import "testing"

func TestType(t *testing.T) {
	for _, tc := range []struct {
		num  string
		want NumberType
	}{
		{"+14155550123", FixedLineOrMobile},
		{"+19005550123", PremiumRate},
		{"+18005550123", TollFree},
		{"+447400123456", Mobile},
		{"+442079460000", FixedLine},
		{"+449098790000", PremiumRate},
		{"+448431234567", PremiumRate}, // UK 084x numbers charge the caller
		{"+33810123456", SharedCost},
		{"+4915112345678", Mobile},
		{"+493012345678", FixedLine},
		{"+12345", Unknown},
		{"not a number", Unknown},
	} {
		if got := Type(tc.num); got != tc.want {
			t.Errorf("Type(%q) = %v, want %v", tc.num, got, tc.want)
		}
	}
}

func TestTextable(t *testing.T) {
	for typ, want := range map[NumberType]bool{
		Mobile: true, FixedLineOrMobile: true, FixedLine: false, PremiumRate: false,
		SharedCost: false, TollFree: false, VoIP: true, PersonalNumber: true, UAN: false,
		Pager: false, Voicemail: false, Unknown: false,
	} {
		if got := typ.Textable(); got != want {
			t.Errorf("%v.Textable() = %v, want %v", typ, got, want)
		}
	}
}

func TestRegion(t *testing.T) {
	for num, want := range map[string]string{
		"+14155550123":  "US",
		"+16135550123":  "CA",
		"+12684641234":  "AG",
		"+447400123456": "GB",
		"+447911123456": "GG", // the library places 7911 in Guernsey
		"+33612345678":  "FR",
		"+80012345678":  "001",
		"+1":            "",
		"+999999999":    "",
	} {
		if got := Region(num); got != want {
			t.Errorf("Region(%q) = %q, want %q", num, got, want)
		}
	}
}

func TestStorable(t *testing.T) {
	for num, ok := range map[string]bool{
		"+14155550123":  true,
		"+442079460000": true, // fixed line: stored, never texted
		"+18005550123":  true,
		"+19005550123":  false,
		"+449098790000": false,
		"+33810123456":  false,
	} {
		err := Storable(num)
		if (err == nil) != ok {
			t.Errorf("Storable(%q) = %v; want ok %v", num, err, ok)
		}
	}
	if _, err := Parser.ParseStoredPhone("+1 900 555 0123"); err == nil {
		t.Error("ParseStoredPhone took a premium-rate number")
	}
	if got, err := Parser.ParseStoredPhone("+44 (0)20 7946 0000"); err != nil || got != "+442079460000" {
		t.Errorf("ParseStoredPhone(UK landline) = %q, %v", got, err)
	}
}

func TestSMSInfo(t *testing.T) {
	for num, want := range map[string]struct {
		region   string
		textable bool
	}{
		"+14155550123":  {"US", true},
		"+447400123456": {"GB", true},
		"+442079460000": {"GB", false},
		"+18005550123":  {"US", false},
		"+1":            {"", false},
	} {
		r, ok := SMSInfo(num)
		if r != want.region || ok != want.textable {
			t.Errorf("SMSInfo(%q) = %q, %v; want %q, %v", num, r, ok, want.region, want.textable)
		}
	}
}
