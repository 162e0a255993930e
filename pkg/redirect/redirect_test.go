package redirect_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/redirect"
)

func TestCheck(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string // "": accepted; else a word of the message
	}{
		{"empty", "", ""},
		{"root", "/", ""},
		{"path", "/invoices/42", ""},
		{"query and fragment", "/invoices/42?x=1&y=a%2Bb#frag", ""},
		{"encoded space", "/files/my%20doc.pdf", ""},
		{"encoded unicode", "/caf%C3%A9", ""},
		{"raw unicode", "/café", ""},
		{"dot segment inside", "/a/../b", ""},
		{"dot segment to root", "/a/..", ""},
		{"single dot", "/./a", ""},
		{"dots in a name", "/a/..b/c..", ""},
		{"double slash inside", "/a//b", ""},
		{"double slash in query", "/a?next=//evil.example", ""},
		{"colon in path", "/a:b", ""},
		{"length 2048", "/" + strings.Repeat("a", 2047), ""},

		{"relative", "invoices", "single /"},
		{"scheme", "https://evil.example/", "single /"},
		{"javascript", "javascript:alert(1)", "single /"},
		{"scheme-relative", "//evil.example", "single /"},
		{"triple slash", "///evil.example", "single /"},
		{"query only", "?x=1", "single /"},
		{"backslash", "/\\evil.example", "backslash"},
		{"backslash inside", "/a\\b", "backslash"},
		{"encoded slash", "/%2fevil.example", "encoded slash"},
		{"encoded slash upper", "/%2Fevil.example", "encoded slash"},
		{"encoded backslash", "/%5cevil.example", "encoded slash"},
		{"encoded backslash upper", "/a%5Cb", "encoded slash"},
		{"encoded slash in query", "/a?next=%2F%2Fevil.example", "encoded slash"},
		{"double-encoded slash", "/%252f%252fevil.example", "encoded slash"},
		{"NUL", "/a\x00", "control"},
		{"encoded NUL", "/a%00", "control"},
		{"CR LF", "/a\r\nSet-Cookie: x=1", "control"},
		{"encoded CR LF", "/a%0d%0aSet-Cookie:%20x=1", "control"},
		{"tab", "/\t/evil.example", "control"},
		{"encoded tab", "/a%09", "control"},
		{"DEL", "/a\x7f", "control"},
		{"encoded DEL", "/a%7F", "control"},
		{"C1 control", "/a\u0085", "control"},
		{"encoded C1 control", "/a%C2%85", "control"},
		{"space", "/a b", "control"},
		{"no-break space", "/a\u00a0b", "control"},
		{"encoded no-break space", "/a%C2%A0b", "control"},
		{"bidi override", "/a\u202eb", "control"},
		{"zero-width space", "/a\u200bb", "control"},
		{"line separator", "/a\u2028b", "control"},
		{"invalid UTF-8", "/a\xff", "UTF-8"},
		{"encoded invalid UTF-8", "/a%ff", "UTF-8"},
		{"bad escape", "/a%zz", "percent-encoding"},
		{"truncated escape", "/a%2", "percent-encoding"},
		{"lone percent", "/100%", "percent-encoding"},
		{"two percents", "/%%", "percent-encoding"},
		{"too long", "/" + strings.Repeat("a", 2048), "2048"},
		{"climb", "/../x", ".."},
		{"climb later", "/a/../../x", ".."},
		{"climb at end", "/..", ".."},
		{"climb encoded", "/%2e%2e/x", ".."},
		{"climb half encoded", "/.%2E/x", ".."},
		{"climb with parameter", "/..;x/y", ".."},
		{"climb after dot", "/a/./../../x", ".."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := redirect.Check(tt.in)
			if tt.want == "" {
				if err != nil {
					t.Errorf("Check(%q) = %v; want nil", tt.in, err)
				}
				return
			}
			checkError(t, err, login.CodeInvalidRequest, tt.want)
		})
	}
}

// checkError fails t unless err is a *login.Error with the code whose
// message for people holds word.
func checkError(t *testing.T, err error, code login.Code, word string) {
	t.Helper()
	var e *login.Error
	if !errors.As(err, &e) || e.Code != code {
		t.Fatalf("error = %v; want a *login.Error with code %q", err, code)
	}
	if !strings.Contains(e.Msg, word) {
		t.Errorf("message = %q; want it to hold %q", e.Msg, word)
	}
}

func BenchmarkCheck(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if err := redirect.Check("/invoices/42?x=1&y=caf%C3%A9#frag"); err != nil {
			b.Fatal(err)
		}
	}
}
