package redirect_test

import (
	"testing"

	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/redirect"
)

func TestJoin(t *testing.T) {
	tests := []struct {
		name   string
		portal string
		path   string
		want   string
	}{
		{"portal path", "https://acme.example/portal", "/invoices/42?x=1#frag", "https://acme.example/portal/invoices/42?x=1#frag"},
		{"portal trailing slash", "https://acme.example/portal/", "/invoices/42", "https://acme.example/portal/invoices/42"},
		{"no portal path", "https://acme.example", "/invoices", "https://acme.example/invoices"},
		{"portal root", "https://acme.example/", "/invoices", "https://acme.example/invoices"},
		{"empty redirect", "https://acme.example/portal", "", "https://acme.example/portal"},
		{"root redirect", "https://acme.example/portal", "/", "https://acme.example/portal/"},
		{"port", "https://acme.example:8443/p", "/x", "https://acme.example:8443/p/x"},
		{"localhost http", "http://127.0.0.1:8080/portal", "/x", "http://127.0.0.1:8080/portal/x"},
		{"escapes kept", "https://acme.example/portal", "/a%20b?q=a%2Bb", "https://acme.example/portal/a%20b?q=a%2Bb"},
		{"non-ASCII encoded", "https://acme.example/portal", "/café?q=ü#é", "https://acme.example/portal/caf%C3%A9?q=%C3%BC#%C3%A9"},
		{"unsafe ASCII encoded", "https://acme.example/portal", `/a"<b>{|}^` + "`", "https://acme.example/portal/a%22%3Cb%3E%7B%7C%7D%5E%60"},
		{"dot segment inside", "https://acme.example/portal", "/a/../b", "https://acme.example/portal/a/../b"},
		{"query with double slash", "https://acme.example/portal", "/?next=//x", "https://acme.example/portal/?next=//x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := redirect.Join(tt.portal, tt.path)
			if got != tt.want || err != nil {
				t.Errorf("Join(%q, %q) = %q, %v; want %q", tt.portal, tt.path, got, err, tt.want)
			}
		})
	}
}

func TestJoinErrors(t *testing.T) {
	tests := []struct {
		name   string
		portal string
		path   string
		want   login.Code
	}{
		{"bad redirect", "https://acme.example/portal", "//evil.example", login.CodeInvalidRequest},
		{"climbing redirect", "https://acme.example/portal", "/../x", login.CodeInvalidRequest},
		{"bad portal", "http://acme.example/portal", "/x", login.CodeInternal},
		{"empty portal", "", "", login.CodeInternal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := redirect.Join(tt.portal, tt.path)
			if code := login.ErrorCode(err); got != "" || code != tt.want {
				t.Errorf("Join(%q, %q) = %q, %v; want code %q", tt.portal, tt.path, got, err, tt.want)
			}
		})
	}
}

func TestCheckPortalURL(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string // "": accepted; else a word of the message
	}{
		{"https", "https://acme.example", ""},
		{"https path", "https://acme.example/portal", ""},
		{"https trailing slash", "https://acme.example/portal/", ""},
		{"https port", "https://acme.example:8443/portal", ""},
		{"https IP", "https://192.0.2.1/portal", ""},
		{"https IPv6", "https://[2001:db8::1]/portal", ""},
		{"punycode", "https://xn--bcher-kva.example", ""},
		{"upper-case host", "https://ACME.example", ""},
		{"http localhost", "http://localhost:8080/portal", ""},
		{"http 127.0.0.1", "http://127.0.0.1:8080/portal", ""},
		{"http ::1", "http://[::1]:8080/portal", ""},

		{"empty", "", "https URL"},
		{"http", "http://acme.example", "http is allowed only"},
		{"http other loopback", "http://127.0.0.2", "http is allowed only"},
		{"http localhost lookalike", "http://localhost.evil.example", "http is allowed only"},
		{"ftp", "ftp://acme.example", "https URL"},
		{"javascript", "javascript:alert(1)", "https URL"},
		{"relative", "/portal", "https URL"},
		{"no host", "https:///portal", "https URL"},
		{"opaque", "https:acme.example", "https URL"},
		{"single slash", "https:/acme.example", "https URL"},
		{"userinfo", "https://user@acme.example", "user name"},
		{"password", "https://user:pw@acme.example", "user name"},
		{"query", "https://acme.example/?x=1", "query"},
		{"empty query", "https://acme.example/?", "query"},
		{"fragment", "https://acme.example/#x", "query"},
		{"empty fragment", "https://acme.example/#", "query"},
		{"backslash", "https://acme.example\\@evil.example", "backslash"},
		{"space", "https://acme.example/a b", "spaces"},
		{"newline", "https://acme.example/\n", "spaces"},
		{"unicode host", "https://bücher.example", "ASCII"},
		{"underscore host", "https://ac_me.example", "host"},
		{"trailing dot", "https://acme.example./", "host"},
		{"numeric name", "https://1.2.3/", "host"},
		{"empty port", "https://acme.example:/", "host"},
		{"port zero", "https://acme.example:0/", "host"},
		{"port too big", "https://acme.example:70000/", "host"},
		{"IPv6 zone", "https://[fe80::1%25eth0]/", "host"},
		{"dot segment", "https://acme.example/portal/..", "segments"},
		{"encoded dot segment", "https://acme.example/portal/%2e%2e/x", "segments"},
		{"single dot segment", "https://acme.example/./portal", "segments"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := redirect.CheckPortalURL(tt.in)
			if tt.want == "" {
				if err != nil {
					t.Errorf("CheckPortalURL(%q) = %v; want nil", tt.in, err)
				}
				return
			}
			checkError(t, err, login.CodeInvalidRequest, tt.want)
		})
	}
}

func BenchmarkJoin(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := redirect.Join("https://acme.example/portal", "/invoices/42?x=1#frag"); err != nil {
			b.Fatal(err)
		}
	}
}
