package e164

// These tests hold Validate to the library its tables come from: for every
// number tried, Validate must agree with phonenumbers.IsValidNumber after
// phonenumbers.Parse(num, "ZZ"), return phonenumbers.Format(E164) and name
// the region phonenumbers.GetRegionCodeForNumber names.

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/nyaruka/phonenumbers"
)

// knownDisagreements lists numbers on which Validate and the library may
// differ, with the reason. None are known: keep it so.
var knownDisagreements = map[string]string{}

// numberTypes are the types getNumberTypeHelper can return for a valid
// number (FIXED_LINE_OR_MOBILE is reported for a fixed-line example).
var numberTypes = []phonenumbers.PhoneNumberType{
	phonenumbers.FIXED_LINE, phonenumbers.MOBILE, phonenumbers.TOLL_FREE,
	phonenumbers.PREMIUM_RATE, phonenumbers.SHARED_COST, phonenumbers.VOIP,
	phonenumbers.PERSONAL_NUMBER, phonenumbers.PAGER, phonenumbers.UAN,
	phonenumbers.VOICEMAIL,
}

// oracle is what e164.Validate did when it called the library.
func oracle(num string) (e164, region string, ok bool) {
	n, err := phonenumbers.Parse(num, "ZZ")
	if err != nil || n.GetExtension() != "" || !phonenumbers.IsValidNumber(n) {
		return "", "", false
	}
	return phonenumbers.Format(n, phonenumbers.E164), phonenumbers.GetRegionCodeForNumber(n), true
}

// oracleType is phonenumbers.GetNumberType of a number, as a NumberType.
func oracleType(num string) NumberType {
	n, err := phonenumbers.Parse(num, "ZZ")
	if err != nil {
		return Unknown
	}
	switch phonenumbers.GetNumberType(n) {
	case phonenumbers.FIXED_LINE:
		return FixedLine
	case phonenumbers.MOBILE:
		return Mobile
	case phonenumbers.FIXED_LINE_OR_MOBILE:
		return FixedLineOrMobile
	case phonenumbers.TOLL_FREE:
		return TollFree
	case phonenumbers.PREMIUM_RATE:
		return PremiumRate
	case phonenumbers.SHARED_COST:
		return SharedCost
	case phonenumbers.VOIP:
		return VoIP
	case phonenumbers.PERSONAL_NUMBER:
		return PersonalNumber
	case phonenumbers.PAGER:
		return Pager
	case phonenumbers.UAN:
		return UAN
	case phonenumbers.VOICEMAIL:
		return Voicemail
	}
	return Unknown
}

// tally counts agreement over a set of numbers.
type tally struct {
	name                string
	tried, valid, agree int
	known               int
}

// check compares Validate with the oracle on num.
func (tl *tally) check(t *testing.T, num string) {
	t.Helper()
	tl.tried++
	want, wantRegion, wantOK := oracle(num)
	got, gotRegion, err := validate(num)
	if wantOK {
		tl.valid++
	}
	if (err == nil) == wantOK && got == want && (!wantOK || gotRegion == wantRegion) {
		if wantOK {
			if wt, gt := oracleType(num), Type(num); wt != gt {
				t.Errorf("Type(%q) = %v; library says %v", num, gt, wt)
				return
			}
		}
		tl.agree++
		return
	}
	if why, ok := knownDisagreements[num]; ok {
		tl.known++
		t.Logf("known disagreement on %s (%s)", num, why)
		return
	}
	t.Errorf("validate(%q) = %q, %q, %v; library says %q, %q, valid %v", num, got, gotRegion, err, want, wantRegion, wantOK)
}

func (tl *tally) report(t *testing.T) {
	t.Helper()
	if tl.tried == 0 {
		t.Fatalf("%s: no numbers tried", tl.name)
	}
	t.Logf("%s: %d of %d agree (%.2f%%), %d known disagreements; %d valid",
		tl.name, tl.agree, tl.tried, 100*float64(tl.agree)/float64(tl.tried), tl.known, tl.valid)
}

// example is a library example number, with its region and prefix.
type example struct {
	region string // "001" for a non-geographic code
	code   string // calling code
	nsn    string
	prefix string // national prefix ("" for none)
}

// examples lists every example number of every type of every region and
// non-geographic calling code.
func examples(t *testing.T) []example {
	t.Helper()
	regions := slices.Sorted(func(yield func(string) bool) {
		for r := range phonenumbers.GetSupportedRegions() {
			if !yield(r) {
				return
			}
		}
	})
	var exs []example
	for _, r := range regions {
		np := phonenumbers.GetNddPrefixForRegion(r, true)
		for _, typ := range numberTypes {
			n := phonenumbers.GetExampleNumberForType(r, typ)
			if n == nil {
				continue
			}
			exs = append(exs, example{r, strconv.Itoa(int(n.GetCountryCode())), phonenumbers.GetNationalSignificantNumber(n), np})
		}
	}
	coll, err := phonenumbers.MetadataCollection()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range coll.GetMetadata() {
		if m.GetId() != "001" {
			continue
		}
		for _, d := range []*phonenumbers.PhoneNumberDesc{
			m.GetFixedLine(), m.GetMobile(), m.GetTollFree(), m.GetPremiumRate(), m.GetSharedCost(),
			m.GetVoip(), m.GetPersonalNumber(), m.GetPager(), m.GetUan(), m.GetVoicemail(),
		} {
			if e := d.GetExampleNumber(); e != "" {
				exs = append(exs, example{"001", strconv.Itoa(int(m.GetCountryCode())), e, ""})
			}
		}
	}
	if len(exs) < 1000 {
		t.Fatalf("only %d example numbers", len(exs))
	}
	return exs
}

func TestExampleNumbers(t *testing.T) {
	plain := tally{name: "example numbers"}
	prefixed := tally{name: "example numbers with national prefix"}
	edited := tally{name: "example numbers one digit shorter or longer"}
	for _, ex := range examples(t) {
		num := "+" + ex.code + ex.nsn
		if _, _, ok := oracle(num); !ok {
			t.Errorf("library rejects its own example %s (%s)", num, ex.region)
		}
		plain.check(t, num)
		if ex.prefix != "" {
			prefixed.check(t, "+"+ex.code+ex.prefix+ex.nsn)
		}
		edited.check(t, num[:len(num)-1])
		edited.check(t, num+"5")
	}
	plain.report(t)
	prefixed.report(t)
	edited.report(t)
}

func TestRandomNumbers(t *testing.T) {
	rng := rand.New(rand.NewPCG(164, 44))
	n := 6000
	if testing.Short() || raceEnabled {
		n = 2000
	}
	digits := func(k int) string {
		var b strings.Builder
		for range k {
			b.WriteByte(byte('0' + rng.IntN(10)))
		}
		return b.String()
	}

	// Random digits after a random calling code.
	random := tally{name: "random numbers"}
	for range n {
		cc := strconv.Itoa(countries[rng.IntN(len(countries))].code)
		random.check(t, "+"+cc+digits(1+rng.IntN(15-len(cc))))
	}
	random.report(t)

	// Random digits after a random start of an example number, to reach
	// deep into the patterns; a quarter with the national prefix.
	exs := examples(t)
	near := tally{name: "random numbers near examples"}
	for range n {
		ex := exs[rng.IntN(len(exs))]
		keep := rng.IntN(len(ex.nsn) + 1)
		length := max(1, len(ex.nsn)+rng.IntN(3)-1)
		nsn := ex.nsn[:min(keep, length)]
		nsn += digits(length - len(nsn))
		if ex.prefix != "" && rng.IntN(4) == 0 {
			nsn = ex.prefix + nsn
		}
		near.check(t, "+"+ex.code+nsn)
	}
	near.report(t)
	if near.valid < n/10 {
		t.Errorf("only %d of %d numbers near examples are valid: the sweep misses the patterns", near.valid, n)
	}

	// Every number of up to 4 digits, where lengths and codes meet.
	short := tally{name: "all numbers of 1 to 4 digits"}
	for k := 1; k <= 4; k++ {
		for i := range pow10(k) {
			num := strconv.Itoa(pow10(k) + i) // a 1, then k digits
			short.check(t, "+"+num[1:])
		}
	}
	short.report(t)
}

func pow10(k int) int {
	p := 1
	for range k {
		p *= 10
	}
	return p
}

func FuzzValidate(f *testing.F) {
	for _, s := range []string{
		"+14155550123", "+4402079460000", "+442079460000", "+4915112345678", "+49030123456",
		"+390612345678", "+5491112345678", "+540111512345678", "+5502111234567890", "+80012345678",
		"+7", "+0", "+", "", "+12", "+1-415", "14155550123", "+999123", "+44", "+441481256789",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := Validate(s)
		if err != nil && got != "" {
			t.Fatalf("Validate(%q) = %q with error %v", s, got, err)
		}
		// Compare with the library on s's digits, as ParsePhone would pass them.
		var b strings.Builder
		b.WriteByte('+')
		for _, r := range s {
			if '0' <= r && r <= '9' && b.Len() <= 15 {
				b.WriteRune(r)
			}
		}
		(&tally{}).check(t, b.String())
	})
}
