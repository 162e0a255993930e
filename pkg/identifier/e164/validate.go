package e164

import (
	"math/bits"
	"regexp"
	"strconv"
	"sync"

	"github.com/portalpass/portalpass/pkg/identifier"
)

// Limits from libphonenumber.
const (
	minNSN        = 2  // MIN_LENGTH_FOR_NSN
	maxNSN        = 17 // MAX_LENGTH_FOR_NSN
	maxCodeDigits = 3  // MAX_LENGTH_COUNTRY_CODE
)

// anyLength is the length mask of a pattern without possible lengths.
//
//lint:ignore U1000 internal/gen writes it into tables.go for such a pattern; today's data has none.
const anyLength = ^uint32(0)

// country is a country calling code. A number in international format is
// parsed with its main region's data (regions[0]): local, prefix and
// transform.
type country struct {
	code      int
	local     uint32  // lengths the main region dials only locally
	prefix    pattern // national prefix for parsing, anchored at the start
	transform string  // replaces prefix's match when it captured; "" drops it
	regions   []region
}

// region is one region of a calling code, in libphonenumber's order.
type region struct {
	id      string  // ISO 3166 code, or "001" for a non-geographic code
	lead    pattern // leading digits claiming a number for this region
	lengths uint32  // possible lengths of any number; bit n: length n
	general pattern // any number
	types   []desc  // the number types, likeliest first
}

// desc is a number type: its possible lengths and pattern, and the kinds
// of number it stands for (types with equal patterns share one desc).
type desc struct {
	lengths uint32
	pattern pattern
	kinds   kind
}

// pattern is an anchored regular expression, compiled on first use into
// compiled[slot] (equal expressions share a slot). The zero pattern is none.
type pattern struct {
	slot int
	expr string
}

// lazyRegexp is a regular expression compiled on first use.
type lazyRegexp struct {
	once sync.Once
	re   *regexp.Regexp
}

// compiled caches the expressions of countries, compiled once each.
var compiled [slotCount]lazyRegexp

// re returns p compiled. tables.go comes from expressions the generator
// compiled, and a test compiles every slot, so MustCompile cannot panic.
func (p pattern) re() *regexp.Regexp {
	c := &compiled[p.slot]
	c.once.Do(func() { c.re = regexp.MustCompile(p.expr) })
	return c.re
}

// validate does Validate's work and also names the number's region.
func validate(num string) (e164, regionID string, err error) {
	e, r, _, err := parse(num)
	if err != nil {
		return "", "", err
	}
	return e, r.id, nil
}

// parse does validate's work and returns the number's region and its
// national significant number.
func parse(num string) (e164 string, r *region, nsn string, err error) {
	if len(num) < 2 || num[0] != '+' {
		return "", nil, "", identifier.Invalid("not normalised")
	}
	digits := num[1:]
	for i := range len(digits) {
		if digits[i] < '0' || digits[i] > '9' {
			return "", nil, "", identifier.Invalid("not normalised")
		}
	}
	if len(digits) <= minNSN {
		return "", nil, "", identifier.Invalid("too short")
	}
	c, cc := lookup(digits)
	if c == nil {
		return "", nil, "", identifier.Invalid("invalid country code")
	}
	nsn = digits[len(cc):]
	if len(nsn) < minNSN {
		return "", nil, "", identifier.Invalid("too short")
	}
	if s, ok := c.stripNationalPrefix(nsn); ok {
		nsn = s
	}
	switch {
	case len(nsn) < minNSN:
		return "", nil, "", identifier.Invalid("too short")
	case len(nsn) > maxNSN:
		return "", nil, "", identifier.Invalid("too long")
	}
	r = c.regionFor(nsn)
	if r == nil {
		return "", nil, "", identifier.Invalid("not a valid number")
	}
	if len(cc)+len(nsn) == len(digits) {
		return num, r, nsn, nil // nothing stripped: num is E.164 already
	}
	return "+" + cc + nsn, r, nsn, nil
}

// lookup finds the country calling code digits start with, the way
// libphonenumber does: the shortest prefix (1 to 3 digits) that is a code.
func lookup(digits string) (*country, string) {
	if digits == "" || digits[0] == '0' {
		return nil, ""
	}
	for n := 1; n <= maxCodeDigits && n <= len(digits); n++ {
		code, _ := strconv.Atoi(digits[:n])
		lo, hi := 0, len(countries)
		for lo < hi {
			m := int(uint(lo+hi) >> 1)
			if countries[m].code < code {
				lo = m + 1
			} else {
				hi = m
			}
		}
		if lo < len(countries) && countries[lo].code == code {
			return &countries[lo], digits[:n]
		}
	}
	return nil, ""
}

// stripNationalPrefix removes a national (trunk) prefix from nsn, as
// libphonenumber's parser does (maybeStripNationalPrefixAndCarrierCode
// followed by its length check): it drops or transforms what the national
// prefix for parsing matches, unless nsn fit the general pattern and the
// result does not, or the result's length is not possible.
func (c *country) stripNationalPrefix(nsn string) (string, bool) {
	if c.prefix.expr == "" {
		return "", false
	}
	pre := c.prefix.re()
	m := pre.FindStringSubmatchIndex(nsn)
	if m == nil {
		return "", false
	}
	general := c.regions[0].general.re()
	viable := general.MatchString(nsn)
	var out string
	if last := len(m)/2 - 1; c.transform == "" || m[2*last] < 0 {
		out = nsn[m[1]:]
	} else {
		out = pre.ReplaceAllString(nsn, c.transform)
	}
	if viable && !general.MatchString(out) {
		return "", false
	}
	return out, c.possibleOrTooLong(len(out))
}

// possibleOrTooLong reports whether libphonenumber's testNumberLength, for
// the main region and any type, says IS_POSSIBLE or TOO_LONG: the results
// for which the parser keeps a number it stripped.
func (c *country) possibleOrTooLong(n int) bool {
	lengths := c.regions[0].lengths
	switch {
	case lengths == 0, c.local&(1<<n) != 0:
		return false // INVALID_LENGTH, IS_POSSIBLE_LOCAL_ONLY
	case lengths&(1<<n) != 0:
		return true // IS_POSSIBLE
	}
	return n >= bits.Len32(lengths) // TOO_LONG
}

// regionFor returns the region whose number nsn is when valid, else nil.
// Like libphonenumber's getRegionCodeForNumber, a region with leading
// digits claims the numbers they match whether they are valid or not.
func (c *country) regionFor(nsn string) *region {
	if len(c.regions) == 1 {
		return c.regions[0].valid(nsn)
	}
	for i := range c.regions {
		r := &c.regions[i]
		if r.lead.expr != "" {
			if r.lead.re().MatchString(nsn) {
				return r.valid(nsn)
			}
		} else if r.valid(nsn) != nil {
			return r
		}
	}
	return nil
}

// valid returns r when nsn is a valid number of r, else nil: it has a
// possible length and matches the general pattern and a type's pattern.
func (r *region) valid(nsn string) *region {
	bit := uint32(1) << len(nsn)
	if r.lengths&bit == 0 || !r.general.re().MatchString(nsn) {
		return nil
	}
	for _, d := range r.types {
		if d.lengths&bit != 0 && d.pattern.re().MatchString(nsn) {
			return r
		}
	}
	return nil
}
