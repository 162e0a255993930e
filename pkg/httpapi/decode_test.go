package httpapi_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"
)

// strictRoute is a JSON route and a good body for it, written as one
// string field first (field, value) and the rest of the object after it.
type strictRoute struct {
	name, method, path string
	admin              bool
	field, value, rest string
}

var strictRoutes = []strictRoute{
	{"login request", "POST", "/v1/login/request", false, "identifier", "ana@example.com", `,"tenant":"acme"`},
	{"login code", "POST", "/v1/login/code", false, "identifier", "ana@example.com", `,"code":"000000"`},
	{"create contact", "POST", "/v1/admin/contacts", true, "name", "Bo", `,"email":"bo@example.com"`},
	{"settings", "PATCH", "/v1/admin/settings", true, "senderName", "Acme", `,"codeLength":6`},
	{"invite", "POST", "/v1/admin/invites", true, "email", "bo@example.com", `,"name":"Bo"`},
}

// escapeFirst spells the first letter of s as a \u escape.
func escapeFirst(s string) string { return fmt.Sprintf(`\u%04x`, s[0]) + s[1:] }

// foldVariant replaces an s or k of name with the non-ASCII letter that
// encoding/json folds to it (ſ, U+212A KELVIN SIGN), or returns "".
func foldVariant(name string) string {
	if i := strings.IndexAny(name, "sk"); i >= 0 {
		alt := "ſ"
		if name[i] == 'k' {
			alt = "\u212a"
		}
		return name[:i] + alt + name[i+1:]
	}
	return ""
}

// strictCases returns the bodies of rt that API.md refuses as
// invalid_request: invalid UTF-8, repeated keys, keys not spelled exactly.
func strictCases(rt strictRoute) map[string]string {
	f, v, rest := rt.field, rt.value, rt.rest
	obj := func(key, val string) string { return `{"` + key + `":` + val + rest + `}` }
	c := map[string]string{
		"invalid UTF-8 in a value":                  obj(f, `"`+v+"\xff"+`"`),
		"overlong UTF-8 in a value":                 obj(f, `"`+v+"\xc0\xaf"+`"`),
		"UTF-8 encoded surrogate in a value":        obj(f, `"`+v+"\xed\xa0\x80"+`"`),
		"truncated UTF-8 in a value":                obj(f, `"`+v+"\xe2\x82"+`"`),
		"lone high surrogate escape":                obj(f, `"`+v+`\ud800"`),
		"lone low surrogate escape":                 obj(f, `"`+v+`\udc00x"`),
		"reversed surrogate escapes":                obj(f, `"`+v+`\udc00\ud800"`),
		"invalid UTF-8 in a key":                    obj(f+"\xff", `"`+v+`"`),
		"invalid UTF-8 between tokens":              `{"` + f + `":"` + v + `"` + "\xff" + rest + `}`,
		"invalid UTF-8 after the body":              obj(f, `"`+v+`"`) + "\xff",
		"repeated key":                              `{"` + f + `":"` + v + `","` + f + `":"` + v + `"` + rest + `}`,
		"repeated key, null first":                  `{"` + f + `":null,"` + f + `":"` + v + `"` + rest + `}`,
		"repeated key, one escaped":                 `{"` + f + `":"` + v + `","` + escapeFirst(f) + `":"` + v + `"` + rest + `}`,
		"repeated key at the end":                   `{"` + f + `":"` + v + `"` + rest + `,"` + f + `":"` + v + `"}`,
		"repeated key in a nested object":           obj(f, `{"a":1,"a":1}`),
		"upper-case key":                            obj(strings.ToUpper(f), `"`+v+`"`),
		"title-case key":                            obj(strings.ToUpper(f[:1])+f[1:], `"`+v+`"`),
		"escaped upper-case key":                    obj(escapeFirst(strings.ToUpper(f[:1])+f[1:]), `"`+v+`"`),
		"key differing in case from a repeated one": `{"` + f + `":"` + v + `","` + strings.ToUpper(f) + `":"` + v + `"` + rest + `}`,
	}
	if fv := foldVariant(f); fv != "" {
		c["key with a Unicode fold of a letter"] = obj(fv, `"`+v+`"`)
	}
	return c
}

// TestStrictJSON: every JSON route refuses invalid UTF-8 anywhere, a
// repeated key at any depth and a key not spelled exactly as API.md's
// with 400 invalid_request, and still takes the same body written well.
func TestStrictJSON(t *testing.T) {
	for _, rt := range strictRoutes {
		do := func(e *env, body string) (int, string) {
			var r *http.Request
			if rt.admin {
				r = jsonReq(rt.method, rt.path, body, "Authorization", "Bearer "+e.key)
			} else {
				r = jsonReq(rt.method, rt.path, body)
			}
			w := e.do(r)
			if w.Code >= 500 {
				t.Fatalf("%s %q: status %d", rt.name, body, w.Code)
			}
			if w.Code < 300 {
				return w.Code, ""
			}
			code, problem := parseError(w.Body.Bytes())
			if problem != "" {
				t.Fatalf("%s %q: status %d, bad error body %q: %s", rt.name, body, w.Code, w.Body, problem)
			}
			return w.Code, code
		}
		t.Run(rt.name, func(t *testing.T) {
			good := map[string]string{
				"good body":        `{"` + rt.field + `":"` + rt.value + `"` + rt.rest + `}`,
				"good escaped key": `{"` + escapeFirst(rt.field) + `":"` + rt.value + `"` + rt.rest + `}`,
			}
			if rt.field == "name" || rt.field == "senderName" {
				good["good surrogate pair"] = `{"` + rt.field + `":"` + rt.value + ` \ud83d\ude00"` + rt.rest + `}`
				good["good non-ASCII"] = `{"` + rt.field + `":"` + rt.value + ` ſ\u212a"` + rt.rest + `}`
			}
			for name, body := range good {
				e := newEnv(t)
				e.invite("ana@example.com")
				if _, code := do(e, body); code == "invalid_request" {
					t.Errorf("%s %q: invalid_request; want it taken", name, body)
				}
			}
			for name, body := range strictCases(rt) {
				e := newEnv(t)
				e.invite("ana@example.com")
				if status, code := do(e, body); status != http.StatusBadRequest || code != "invalid_request" {
					t.Errorf("%s %q: %d %q; want 400 invalid_request", name, body, status, code)
				}
			}
		})
	}
}

// TestStrictJSONStoresNoReplacement: a name with invalid UTF-8 is not
// stored with U+FFFD in its place.
func TestStrictJSONStoresNoReplacement(t *testing.T) {
	e := newEnv(t)
	w := e.admin("POST", "/v1/admin/contacts", "{\"email\":\"bo@example.com\",\"name\":\"B\xffo\"}")
	checkError(t, w, http.StatusBadRequest, "invalid_request")
	w = e.admin("GET", "/v1/admin/contacts?email=bo@example.com", "")
	if strings.Contains(w.Body.String(), "\ufffd") {
		t.Fatalf("a contact was stored with U+FFFD: %s", w.Body)
	}
}

// strictProblem returns why body is not valid UTF-8 with keys that are
// all distinct and each in known, or "". It reads the body with
// encoding/json's tokenizer, independently of the server's check. A
// U+FFFD in a string that the body does not spell is a lone surrogate
// escape that encoding/json replaced.
func strictProblem(body []byte, known ...string) string {
	if !utf8.Valid(body) {
		return "invalid UTF-8"
	}
	spellsFFFD := strings.Contains(strings.ToLower(string(body)), `\ufffd`) || strings.Contains(string(body), "\ufffd")
	dec := json.NewDecoder(strings.NewReader(string(body)))
	type frame struct {
		object bool
		keys   map[string]bool
		key    bool // the next token is a key
	}
	var stack []frame
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return ""
		}
		if err != nil {
			return "not JSON: " + err.Error()
		}
		if str, ok := tok.(string); ok && !spellsFFFD && strings.Contains(str, "\ufffd") {
			return "a lone surrogate escape"
		}
		if n := len(stack); n > 0 && stack[n-1].object && stack[n-1].key {
			if d, ok := tok.(json.Delim); !ok || d != '}' {
				k := tok.(string)
				if stack[n-1].keys[k] {
					return fmt.Sprintf("repeated key %q", k)
				}
				stack[n-1].keys[k] = true
				if n == 1 && !contains(known, k) {
					return fmt.Sprintf("unknown key %q", k)
				}
				stack[n-1].key = false
				continue
			}
		}
		if n := len(stack); n > 0 && stack[n-1].object {
			stack[n-1].key = true
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, frame{object: true, keys: map[string]bool{}, key: true})
		case json.Delim('['):
			stack = append(stack, frame{})
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestStrictProblem checks the fuzz oracle itself.
func TestStrictProblem(t *testing.T) {
	for _, tc := range []struct {
		body string
		bad  bool
	}{
		{`{"a":1,"b":[{"a":1},{"a":2}]}`, false},
		{`{"a":1,"b":{"a":1,"b":2}}`, false},
		{`{"a":1,"a":2}`, true},
		{`{"a":1,"b":{"c":1,"c":2}}`, true},
		{`{"a":[{"c":1,"c":2}]}`, true},
		{`{"A":1}`, true},
		{"{\"a\":\"\xff\"}", true},
		{`{"a":"\ud800"}`, true},
		{`{"a":"\ud83d\ude00"}`, false},
		{`{"a":"\uFFFD"}`, false},
		{"{\"a\":\"\ufffd\"}", false},
	} {
		if got := strictProblem([]byte(tc.body), "a", "b"); (got != "") != tc.bad {
			t.Errorf("strictProblem(%q) = %q; want bad %v", tc.body, got, tc.bad)
		}
	}
}
