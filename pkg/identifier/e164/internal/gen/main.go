// Command gen writes package e164's tables.go from the metadata embedded in
// github.com/nyaruka/phonenumbers (a port of Google's libphonenumber). It
// runs only at go generate time, so the phonenumbers package, and its
// start-up cost, never reach a binary that imports e164.
//
// For every country calling code it writes what phonenumbers.Parse and
// phonenumbers.IsValidNumber read when a number arrives in international
// format: the main region's national prefix for parsing, its transform rule
// and its local-only lengths; and for every region of the code, in the
// library's order, its leading digits, its general pattern and lengths, and
// the patterns and lengths of every number type IsValidNumber tries, each
// with the kinds of number it stands for (what GetNumberType tells apart).
//
// Usage (from package e164):
//
//	go run ./internal/gen [-o tables.go]
package main

import (
	"bytes"
	"flag"
	"fmt"
	"go/format"
	"log"
	"os"
	"regexp"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// maxLength is the longest length a uint32 bit mask can hold.
const maxLength = 31

func main() {
	log.SetFlags(0)
	log.SetPrefix("gen: ")
	out := flag.String("o", "tables.go", "file to write")
	flag.Parse()
	src, err := generate()
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, src, 0o644); err != nil {
		log.Fatal(err)
	}
}

// country is one calling code as written to tables.go.
type country struct {
	code      int
	local     uint32 // main region's local-only lengths
	prefix    string // main region's national prefix for parsing, anchored
	transform string
	regions   []region
}

// region is one region of a calling code as written to tables.go.
type region struct {
	id      string
	lead    string // leading digits, anchored; "" when not used
	lengths uint32
	general string // anchored
	types   []desc
}

// desc is a number type: its possible lengths and pattern, and the kinds
// of number it stands for (several when two types share one pattern).
type desc struct {
	lengths uint32
	pattern string // anchored
	kinds   []string
}

// typeDesc is one number type of a region's metadata, with the name of
// its kind constant in package e164.
type typeDesc struct {
	kinds []string
	desc  *phonenumbers.PhoneNumberDesc
}

func generate() ([]byte, error) {
	coll, err := phonenumbers.MetadataCollection()
	if err != nil {
		return nil, fmt.Errorf("gen: metadata: %w", err)
	}
	regionMeta := map[string]*phonenumbers.PhoneMetadata{}
	nonGeo := map[int]*phonenumbers.PhoneMetadata{}
	for _, m := range coll.GetMetadata() {
		if m.GetId() == "001" {
			nonGeo[int(m.GetCountryCode())] = m
		} else {
			regionMeta[m.GetId()] = m
		}
	}
	var codes []int
	for cc := range phonenumbers.GetSupportedCallingCodes() {
		codes = append(codes, cc)
	}
	slices.Sort(codes)

	var countries []country
	for _, cc := range codes {
		if cc < 1 || cc > 999 {
			return nil, fmt.Errorf("gen: calling code %d has not 1 to 3 digits", cc)
		}
		ids := phonenumbers.GetRegionCodesForCountryCode(cc)
		if len(ids) == 0 {
			return nil, fmt.Errorf("gen: calling code %d has no region", cc)
		}
		c := country{code: cc}
		for i, id := range ids {
			m := regionMeta[id]
			if id == "001" {
				m = nonGeo[cc]
			}
			if m == nil {
				return nil, fmt.Errorf("gen: no metadata for %s (+%d)", id, cc)
			}
			if int(m.GetCountryCode()) != cc {
				return nil, fmt.Errorf("gen: %s has code %d, listed under %d", id, m.GetCountryCode(), cc)
			}
			if i == 0 {
				// Parse strips national prefixes with the main region's data.
				c.local, err = mask(m.GetGeneralDesc().GetPossibleLengthLocalOnly(), 0)
				if err != nil {
					return nil, fmt.Errorf("gen: %s local lengths: %w", id, err)
				}
				if p := m.GetNationalPrefixForParsing(); p != "" {
					c.prefix = "^(?:" + p + ")"
					c.transform = m.GetNationalPrefixTransformRule()
				}
			}
			r, err := newRegion(id, m, len(ids) > 1)
			if err != nil {
				return nil, err
			}
			c.regions = append(c.regions, r)
		}
		countries = append(countries, c)
	}
	return write(countries)
}

// newRegion collects what IsValidNumber reads for one region: the number
// types getNumberTypeHelper tries, with mobile only when its pattern is not
// declared the same as fixed line's.
func newRegion(id string, m *phonenumbers.PhoneMetadata, shared bool) (region, error) {
	g := m.GetGeneralDesc()
	lengths, err := mask(g.GetPossibleLength(), ^uint32(0))
	if err != nil {
		return region{}, fmt.Errorf("gen: %s general lengths: %w", id, err)
	}
	r := region{id: id, lengths: lengths, general: "^(?:" + g.GetNationalNumberPattern() + ")$"}
	if shared && m.GetLeadingDigits() != "" {
		r.lead = "^(?:" + m.GetLeadingDigits() + ")"
	}
	// Any type matching makes a number valid, so the order is free: the
	// likeliest first, as each expression is compiled when first tried.
	// Type reads the kinds: a region whose mobile numbers look like its
	// fixed-line ones has only the fixed-line pattern, standing for both.
	var types []typeDesc
	if !m.GetSameMobileAndFixedLinePattern() {
		types = append(types,
			typeDesc{[]string{"kindMobile"}, m.GetMobile()},
			typeDesc{[]string{"kindFixedLine"}, m.GetFixedLine()})
	} else {
		types = append(types, typeDesc{[]string{"kindFixedLine", "kindMobile"}, m.GetFixedLine()})
	}
	types = append(types,
		typeDesc{[]string{"kindTollFree"}, m.GetTollFree()},
		typeDesc{[]string{"kindPremiumRate"}, m.GetPremiumRate()},
		typeDesc{[]string{"kindSharedCost"}, m.GetSharedCost()},
		typeDesc{[]string{"kindVoIP"}, m.GetVoip()},
		typeDesc{[]string{"kindPersonalNumber"}, m.GetPersonalNumber()},
		typeDesc{[]string{"kindPager"}, m.GetPager()},
		typeDesc{[]string{"kindUAN"}, m.GetUan()},
		typeDesc{[]string{"kindVoicemail"}, m.GetVoicemail()},
	)
	for _, td := range types {
		d := td.desc
		p := d.GetNationalNumberPattern()
		if p == "" || p == "NA" {
			continue // matches no number
		}
		// A type without lengths of its own has the general ones, which
		// IsValidNumber has checked before it tries the types.
		l, err := mask(d.GetPossibleLength(), lengths)
		if err != nil {
			return region{}, fmt.Errorf("gen: %s lengths: %w", id, err)
		}
		if l == 0 {
			continue // no number of this type exists
		}
		t := desc{lengths: l, pattern: "^(?:" + p + ")$"}
		// Equal types share one entry, which stands for all their kinds.
		i := slices.IndexFunc(r.types, func(o desc) bool { return o.lengths == t.lengths && o.pattern == t.pattern })
		if i < 0 {
			r.types = append(r.types, t)
			i = len(r.types) - 1
		}
		for _, k := range td.kinds {
			if !slices.Contains(r.types[i].kinds, k) {
				r.types[i].kinds = append(r.types[i].kinds, k)
			}
		}
	}
	for _, p := range append([]string{r.lead, r.general}, typePatterns(r.types)...) {
		if _, err := regexp.Compile(p); err != nil {
			return region{}, fmt.Errorf("gen: %s: %w", id, err)
		}
	}
	return r, nil
}

func typePatterns(ds []desc) []string {
	var ps []string
	for _, d := range ds {
		ps = append(ps, d.pattern)
	}
	return ps
}

// mask turns possible lengths into a bit mask (bit n: length n). No
// lengths means def; a lone -1 means no number has this type.
func mask(lengths []int32, def uint32) (uint32, error) {
	if len(lengths) == 0 {
		return def, nil
	}
	var m uint32
	for _, l := range lengths {
		switch {
		case l == -1:
			continue
		case l < 1 || l > maxLength:
			return 0, fmt.Errorf("length %d out of range", l)
		}
		m |= 1 << l
	}
	return m, nil
}

// write renders the tables, giving every distinct expression its own slot
// in e164's cache of compiled expressions.
func write(countries []country) ([]byte, error) {
	slots := map[string]int{}
	pat := func(expr string) string {
		if expr == "" {
			return "pattern{}"
		}
		s, ok := slots[expr]
		if !ok {
			s = len(slots)
			slots[expr] = s
		}
		return fmt.Sprintf("pattern{%d, %s}", s, quote(expr))
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "// Code generated by go run ./internal/gen; DO NOT EDIT.\n\n")
	fmt.Fprintf(&b, "// Made from the metadata of %s.\n\n", source())
	fmt.Fprintf(&b, "package e164\n\n")
	fmt.Fprintf(&b, "// countries holds every country calling code, sorted by code.\n")
	fmt.Fprintf(&b, "var countries = [...]country{\n")
	for _, c := range countries {
		var ids []string
		for _, r := range c.regions {
			ids = append(ids, r.id)
		}
		fmt.Fprintf(&b, "\t// +%d: %s\n", c.code, strings.Join(ids, " "))
		fmt.Fprintf(&b, "\t{code: %d, local: %s, prefix: %s, transform: %s, regions: []region{\n",
			c.code, lengths(c.local), pat(c.prefix), strconv.Quote(c.transform))
		for _, r := range c.regions {
			fmt.Fprintf(&b, "\t\t{id: %q, lead: %s, lengths: %s, general: %s, types: []desc{\n",
				r.id, pat(r.lead), lengths(r.lengths), pat(r.general))
			for _, d := range r.types {
				fmt.Fprintf(&b, "\t\t\t{%s, %s, %s},\n", lengths(d.lengths), pat(d.pattern), strings.Join(d.kinds, " | "))
			}
			fmt.Fprintf(&b, "\t\t}},\n")
		}
		fmt.Fprintf(&b, "\t}},\n")
	}
	fmt.Fprintf(&b, "}\n\n")
	fmt.Fprintf(&b, "// slotCount is the number of distinct expressions in countries.\n")
	fmt.Fprintf(&b, "const slotCount = %d\n", len(slots))
	src, err := format.Source(b.Bytes())
	if err != nil {
		return nil, fmt.Errorf("gen: format: %w", err)
	}
	return src, nil
}

// lengths writes a length mask as a constant expression.
func lengths(m uint32) string {
	if m == ^uint32(0) {
		return "anyLength"
	}
	var terms []string
	for l := range maxLength + 1 {
		if m&(1<<l) != 0 {
			terms = append(terms, fmt.Sprintf("1<<%d", l))
		}
	}
	if len(terms) == 0 {
		return "0"
	}
	return strings.Join(terms, " | ")
}

// quote writes s as a raw string literal when it can, for readable
// regular expressions.
func quote(s string) string {
	if strings.ContainsAny(s, "`\r\n") {
		return strconv.Quote(s)
	}
	return "`" + s + "`"
}

// source names the phonenumbers module version the tables come from.
func source() string {
	const path = "github.com/nyaruka/phonenumbers"
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == path {
				return path + " " + d.Version
			}
		}
	}
	return path
}
