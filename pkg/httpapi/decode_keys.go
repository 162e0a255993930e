package httpapi

import (
	"bytes"
	"encoding"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"sync"
)

// keyScan walks a JSON text that encoding/json has accepted, alongside
// the Go type it decoded into, and finds what encoding/json lets through:
// a repeated key in any object, a key of a struct that is not exactly the
// name of one of its fields, and a \u escape of a lone surrogate. It
// allocates nothing for objects that decode into structs (every request
// body), so the hot login request pays one pass over its bytes.
type keyScan struct {
	b []byte
	i int
	// keys holds the keys read so far of the objects being scanned that
	// have no field list (maps, interfaces), outermost first.
	keys [][]byte
}

const notJSON = "the body is not valid JSON"

// value scans the value at s.i, which decodes into t (nil: unknown), and
// returns what is wrong with it or "".
func (s *keyScan) value(t reflect.Type) string {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	s.space()
	if s.i >= len(s.b) {
		return notJSON
	}
	switch s.b[s.i] {
	case '{':
		return s.object(t)
	case '[':
		var elem reflect.Type
		if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
			elem = t.Elem()
		}
		return s.array(elem)
	case '"':
		_, _, problem := s.str()
		return problem
	}
	// A number, true, false or null: encoding/json has checked it.
	start := s.i
	for s.i < len(s.b) && isLiteralByte(s.b[s.i]) {
		s.i++
	}
	if s.i == start {
		return notJSON
	}
	return ""
}

func isLiteralByte(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c == '-' || c == '+' || c == '.' || c == 'E'
}

func (s *keyScan) space() {
	for s.i < len(s.b) && (s.b[s.i] == ' ' || s.b[s.i] == '\t' || s.b[s.i] == '\n' || s.b[s.i] == '\r') {
		s.i++
	}
}

// next skips space and consumes c if it comes next.
func (s *keyScan) next(c byte) bool {
	s.space()
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

func (s *keyScan) array(elem reflect.Type) string {
	s.i++ // [
	if s.next(']') {
		return ""
	}
	for {
		if problem := s.value(elem); problem != "" {
			return problem
		}
		if s.next(']') {
			return ""
		}
		if !s.next(',') {
			return notJSON
		}
	}
}

// object scans an object that decodes into t: a struct's keys must each
// name one of its fields exactly, once; any other object's keys must
// differ.
func (s *keyScan) object(t reflect.Type) string {
	s.i++ // {
	ot := objectTypeOf(t)
	start := len(s.keys)
	defer func() { s.keys = s.keys[:start] }()
	var seen uint64          // the fields of a struct read so far, by index
	var many map[string]bool // keys of a large object without fields
	if s.next('}') {
		return ""
	}
	for {
		s.space()
		key, escaped, problem := s.str()
		if problem != "" {
			return problem
		}
		if escaped {
			// Rare: compare the key as encoding/json reads it.
			var k string
			if json.Unmarshal(s.b[s.i-len(key)-2:s.i], &k) != nil {
				return notJSON
			}
			key = []byte(k)
		}
		vt, bit := ot.elem, uint64(0)
		if ot.fields != nil {
			n, ok := ot.fields[string(key)]
			if !ok {
				return ot.misspelled(key)
			}
			vt, bit = ot.types[n], 1<<n // 0 from the 65th field on
			if seen&bit != 0 {
				return fmt.Sprintf("field %q is repeated", ot.names[n])
			}
			seen |= bit
		}
		if bit == 0 && s.repeated(start, key, &many) {
			return "the body repeats a key"
		}
		if !s.next(':') {
			return notJSON
		}
		if problem := s.value(vt); problem != "" {
			return problem
		}
		if s.next('}') {
			return ""
		}
		if !s.next(',') {
			return notJSON
		}
	}
}

// repeated reports whether key is among the keys read of the object
// whose keys start at s.keys[start], and adds it. Linear up to 16 keys;
// then a map, so that a 16 KiB body of keys costs no quadratic time.
func (s *keyScan) repeated(start int, key []byte, many *map[string]bool) bool {
	if *many == nil && len(s.keys)-start < 16 {
		for _, k := range s.keys[start:] {
			if bytes.Equal(k, key) {
				return true
			}
		}
		s.keys = append(s.keys, key)
		return false
	}
	if *many == nil {
		*many = make(map[string]bool, 32)
		for _, k := range s.keys[start:] {
			(*many)[string(k)] = true
		}
	}
	if (*many)[string(key)] {
		return true
	}
	(*many)[string(key)] = true
	return false
}

// str scans the string at s.i and returns its bytes between the quotes,
// whether it has escapes, and what is wrong with it or "". A surrogate
// may only be escaped as a high one followed by a low one: encoding/json
// would turn any other into U+FFFD.
func (s *keyScan) str() (raw []byte, escaped bool, problem string) {
	if s.i >= len(s.b) || s.b[s.i] != '"' {
		return nil, false, notJSON
	}
	s.i++
	start := s.i
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case '"':
			raw = s.b[start:s.i]
			s.i++
			return raw, escaped, ""
		case '\\':
			escaped = true
			if s.i+1 < len(s.b) && s.b[s.i+1] == 'u' {
				r, ok := hex4(s.b, s.i+2)
				if !ok {
					return nil, false, notJSON
				}
				s.i += 6
				if r >= 0xD800 && r < 0xE000 {
					if r >= 0xDC00 || s.i+1 >= len(s.b) || s.b[s.i] != '\\' || s.b[s.i+1] != 'u' {
						return nil, false, "the body escapes a lone UTF-16 surrogate"
					}
					if lo, ok := hex4(s.b, s.i+2); !ok || lo < 0xDC00 || lo >= 0xE000 {
						return nil, false, "the body escapes a lone UTF-16 surrogate"
					}
					s.i += 6
				}
				continue
			}
			s.i += 2
		default:
			s.i++
		}
	}
	return nil, false, notJSON
}

// hex4 reads the four hex digits at b[i:].
func hex4(b []byte, i int) (rune, bool) {
	if i+4 > len(b) {
		return 0, false
	}
	var r rune
	for _, c := range b[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// objectType is what keyScan needs of a Go type that a JSON object
// decodes into.
type objectType struct {
	// fields maps a struct's JSON names to indexes in names and types;
	// nil for anything else (a map, an interface, a type that decodes
	// itself), whose keys are only checked for repeats.
	fields map[string]int
	names  []string
	types  []reflect.Type
	elem   reflect.Type // a map's values
}

// objectTypes caches objectType by reflect.Type: request bodies are a
// handful of structs.
var objectTypes sync.Map

var (
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

var anyObject = &objectType{}

func objectTypeOf(t reflect.Type) *objectType {
	if t == nil {
		return anyObject
	}
	if ot, ok := objectTypes.Load(t); ok {
		return ot.(*objectType)
	}
	ot := &objectType{}
	switch pt := reflect.PointerTo(t); {
	case pt.Implements(jsonUnmarshaler) || pt.Implements(textUnmarshaler):
	case t.Kind() == reflect.Map:
		ot.elem = t.Elem()
	case t.Kind() == reflect.Struct:
		ot.fields = map[string]int{}
		ot.addFields(t, 0)
	}
	got, _ := objectTypes.LoadOrStore(t, ot)
	return got.(*objectType)
}

// addFields adds the fields of struct t as encoding/json names them,
// promoting those of untagged embedded structs. (encoding/json drops
// names that two embedded structs share at one depth; here the first
// wins. No body embeds structs.)
func (ot *objectType) addFields(t reflect.Type, depth int) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				if depth < 8 {
					ot.addFields(ft, depth+1)
				}
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if _, dup := ot.fields[name]; dup {
			continue
		}
		ot.fields[name] = len(ot.names)
		ot.names = append(ot.names, name)
		ot.types = append(ot.types, f.Type)
	}
}

// misspelled explains a key that encoding/json matched to a field only
// by folding case, naming the field rather than echoing the key.
func (ot *objectType) misspelled(key []byte) string {
	for _, name := range ot.names {
		if bytes.EqualFold(key, []byte(name)) {
			return fmt.Sprintf("field names are case-sensitive: write %q", name)
		}
	}
	return "the body has an unknown field"
}
