package main

import (
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
)

func TestSessionToken(t *testing.T) {
	tests := []struct {
		name    string
		headers map[string]string
		cookies []string
		want    string // "" for none
	}{
		{"bearer", map[string]string{"authorization": "Bearer tok"}, nil, "tok"},
		{"bearer in any case", map[string]string{"Authorization": "bEaReR  tok "}, nil, "tok"},
		{"bearer before a cookie", map[string]string{"authorization": "Bearer a"}, []string{"__Host-pp_session=b"}, "a"},
		{"basic", map[string]string{"authorization": "Basic dXNlcg=="}, []string{"__Host-pp_session=b"}, ""},
		{"bearer alone", map[string]string{"authorization": "Bearer"}, nil, ""},
		{"two words", map[string]string{"authorization": "Bearer a b"}, nil, ""},
		{"host cookie", nil, []string{"x=1", "__Host-pp_session=a"}, "a"},
		{"secure cookie", nil, []string{"__Secure-pp_session=a"}, "a"},
		{"host before secure", nil, []string{"__Secure-pp_session=b", "__Host-pp_session=a"}, "a"},
		{"quoted", nil, []string{`__Host-pp_session="a"`}, "a"},
		{"pairs in one line", nil, []string{"x=1; __Host-pp_session=a; y=2"}, "a"},
		{"empty value", nil, []string{"__Host-pp_session="}, ""},
		{"two values", nil, []string{"__Host-pp_session=a", "__Host-pp_session=b"}, ""},
		{"other cookies only", nil, []string{"pp_session=a", "__host-pp_session=b"}, ""},
		{"cookie header", map[string]string{"cookie": "__Host-pp_session=a"}, nil, "a"},
		{"nothing", nil, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, why := sessionToken(events.APIGatewayV2CustomAuthorizerV2Request{Headers: tt.headers, Cookies: tt.cookies})
			if got != tt.want || (got == "") == (why == "") {
				t.Errorf("sessionToken = %q, %q; want %q", got, why, tt.want)
			}
		})
	}
}

func FuzzSessionToken(f *testing.F) {
	f.Add("Bearer s.acme.c.x", "__Host-pp_session=a; b=c")
	f.Add("", "__Secure-pp_session=\"a\"")
	f.Add("bearer ", "__Host-pp_session=;__Host-pp_session=a")
	f.Fuzz(func(t *testing.T, auth, cookie string) {
		h := map[string]string{}
		if auth != "" {
			h["authorization"] = auth
		}
		tok, why := sessionToken(events.APIGatewayV2CustomAuthorizerV2Request{Headers: h, Cookies: []string{cookie}})
		if (tok == "") == (why == "") {
			t.Fatalf("sessionToken = %q, %q: want exactly one", tok, why)
		}
		if tok != "" && (len(tok) > maxToken || strings.ContainsAny(tok, " \t,;")) {
			t.Fatalf("sessionToken = %q: malformed", tok)
		}
	})
}
