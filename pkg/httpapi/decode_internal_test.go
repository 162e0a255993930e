package httpapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/portalpass/portalpass/pkg/login"
)

type strictInner struct {
	Code string `json:"code"`
}

type StrictEmbedded struct {
	Ref string `json:"ref"`
}

// strictBody has every shape of field a body could have, so that the
// key checks are seen to follow the Go type at any depth.
type strictBody struct {
	StrictEmbedded
	Name     *string                 `json:"name"`
	Inner    *strictInner            `json:"inner"`
	List     []strictInner           `json:"list"`
	Labels   map[string]string       `json:"labels"`
	Any      any                     `json:"any"`
	Raw      json.RawMessage         `json:"raw"`
	At       time.Time               `json:"at"`
	Untagged int                     // named by its Go name
	Kind     string                  `json:"kind"`
	Skip     string                  `json:"-"`
	Deep     map[string][]any        `json:"deep"`
	ByInner  map[string]*strictInner `json:"byInner"`
}

// TestUnmarshalStrict: invalid UTF-8, lone surrogates, repeated keys at
// any depth and keys of a struct not spelled exactly are invalid_request;
// the rest decodes as encoding/json decodes it.
func TestUnmarshalStrict(t *testing.T) {
	manyKeys := func(n int, last string) string {
		var b strings.Builder
		b.WriteString(`{"labels":{`)
		for i := range n {
			fmt.Fprintf(&b, `"k%d":"v",`, i)
		}
		b.WriteString(`"` + last + `":"v"}}`)
		return b.String()
	}
	for _, tc := range []struct {
		name, body string
		ok         bool
	}{
		{"empty object", `{}`, true},
		{"every field", `{"ref":"r","name":"n","inner":{"code":"c"},"list":[{"code":"a"},{"code":"b"}],` +
			`"labels":{"a":"1","A":"2"},"any":{"x":[1,{"x":2}],"X":null},"raw":{"a":1,"b":[{"a":1}]},` +
			`"at":"2026-01-02T03:04:05Z","Untagged":1,"deep":{"a":[{"a":1},{"a":2}]},"byInner":{"a":{"code":"c"}}}`, true},
		{"whitespace everywhere", " \t\r\n{ \"name\" : \"n\" , \"list\" : [ { \"code\" : \"c\" } ] } \n", true},
		{"escaped exact key", `{"n\u0061me":"n"}`, true},
		{"escapes in values", `{"name":"\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00\uD83D\uDE00"}`, true},
		{"numbers", `{"Untagged":-12,"any":[1.5e+3,2E-2,0,-0.0,true,false,null]}`, true},
		{"17 distinct map keys", manyKeys(16, "k16"), true},
		{"many distinct map keys", manyKeys(500, "k500"), true},

		{"invalid UTF-8 in a value", "{\"name\":\"\xff\"}", false},
		{"invalid UTF-8 in a nested key", "{\"labels\":{\"\xff\":\"v\"}}", false},
		{"invalid UTF-8 in a raw message", "{\"raw\":\"\xc3\"}", false},
		{"lone high surrogate", `{"name":"\ud83d"}`, false},
		{"lone high surrogate at the end", `{"name":"\ud83d`, false},
		{"high surrogate then a letter", `{"name":"\ud83dx"}`, false},
		{"high surrogate then another escape", `{"name":"\ud83d\n"}`, false},
		{"two high surrogates", `{"name":"\ud83d\ud83d"}`, false},
		{"lone low surrogate", `{"name":"\ude00"}`, false},
		{"lone surrogate in a key", `{"labels":{"\ud800":"v"}}`, false},
		{"lone surrogate deep in any", `{"any":[[{"x":"\udfff"}]]}`, false},

		{"repeated field", `{"name":"a","name":"b"}`, false},
		{"repeated embedded field", `{"ref":"a","ref":"b"}`, false},
		{"repeated untagged field", `{"Untagged":1,"Untagged":2}`, false},
		{"repeated nested struct field", `{"inner":{"code":"a","code":"b"}}`, false},
		{"repeated field in a list", `{"list":[{"code":"a"},{"code":"a","code":"b"}]}`, false},
		{"repeated map key", `{"labels":{"a":"1","a":"2"}}`, false},
		{"repeated map key, escaped", `{"labels":{"a":"1","\u0061":"2"}}`, false},
		{"repeated key in any", `{"any":{"x":{"y":1,"y":1}}}`, false},
		{"repeated key in a raw message", `{"raw":[{"a":1,"a":1}]}`, false},
		{"repeated key in a map of lists", `{"deep":{"a":[{"b":1,"b":2}]}}`, false},
		{"repeated key of a map of structs", `{"byInner":{"a":{"code":"c"},"a":{"code":"c"}}}`, false},
		{"repeated field in a map of structs", `{"byInner":{"a":{"code":"c","code":"c"}}}`, false},
		{"repeated key among 17", manyKeys(16, "k3"), false},
		{"repeated key among many", manyKeys(500, "k499"), false},

		{"field in upper case", `{"NAME":"n"}`, false},
		{"nested field in upper case", `{"inner":{"Code":"c"}}`, false},
		{"field in a list in upper case", `{"list":[{"CODE":"c"}]}`, false},
		{"embedded field in upper case", `{"Ref":"r"}`, false},
		{"untagged field in lower case", `{"untaged":1}`, false},
		{"field with a Kelvin sign", "{\"name\":\"n\",\"\u212aind\":\"k\"}", false},
		{"field with a long s", "{\"name\":\"n\",\"labelſ\":{}}", false},
		{"skipped field", `{"Skip":"s"}`, false},
		{"skipped field by its tag", `{"-":"s"}`, false},
	} {
		var v strictBody
		err := unmarshalStrict([]byte(tc.body), &v)
		if tc.ok {
			if err != nil {
				t.Errorf("%s: unmarshalStrict(%q) = %v; want nil", tc.name, tc.body, err)
			}
			continue
		}
		if login.ErrorCode(err) != login.CodeInvalidRequest {
			t.Errorf("%s: unmarshalStrict(%q) = %v; want invalid_request", tc.name, tc.body, err)
		}
	}
}

// TestUnmarshalStrictMessages: the messages say what is wrong without
// echoing what was sent.
func TestUnmarshalStrictMessages(t *testing.T) {
	for _, tc := range []struct{ body, want string }{
		{"{\"name\":\"\xff\"}", "the body is not valid UTF-8"},
		{`{"name":"\ud800"}`, "the body escapes a lone UTF-16 surrogate"},
		{`{"name":"a","name":"b"}`, `field "name" is repeated`},
		{`{"n\u0061me":"a","name":"b"}`, `field "name" is repeated`},
		{`{"labels":{"secret":"1","secret":"2"}}`, "the body repeats a key"},
		{`{"NAME":"n"}`, `field names are case-sensitive: write "name"`},
		{`{"inner":{"cODE":"n"}}`, `field names are case-sensitive: write "code"`},
	} {
		err := unmarshalStrict([]byte(tc.body), &strictBody{})
		var le *login.Error
		if !asError(err, &le) || le.Msg != tc.want {
			t.Errorf("unmarshalStrict(%q) = %v; want message %q", tc.body, err, tc.want)
		}
	}
}

// TestUnmarshalStrictEmptyStruct: the session token route's body, an
// empty struct, takes only {}.
func TestUnmarshalStrictEmptyStruct(t *testing.T) {
	for body, ok := range map[string]bool{`{}`: true, ` { } `: true, `{"a":1}`: false, "{}\xff": false, `{`: false, `[]`: false} {
		if err := unmarshalStrict([]byte(body), &struct{}{}); (err == nil) != ok {
			t.Errorf("unmarshalStrict(%q) = %v; want ok %v", body, err, ok)
		}
	}
}

// BenchmarkUnmarshalStrict measures the hot login request body, against
// encoding/json's decoding alone (what decodeJSON did before the UTF-8
// and key checks).
func BenchmarkUnmarshalStrict(b *testing.B) {
	body := []byte(`{"identifier":"ana@example.com","tenant":"acme","redirect":"/invoices/42","channel":"email",` +
		`"codeChallenge":"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"}`)
	b.Run("strict", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var v loginRequestBody
			if err := unmarshalStrict(body, &v); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding/json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var v loginRequestBody
			dec := json.NewDecoder(bytes.NewReader(body))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&v); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("keys only", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			s := keyScan{b: body}
			if problem := s.value(typeOfLoginRequest); problem != "" {
				b.Fatal(problem)
			}
		}
	})
}

var typeOfLoginRequest = reflect.TypeFor[*loginRequestBody]()
