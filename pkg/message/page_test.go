package message_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/message"
)

// update rewrites the golden files: go test ./pkg/message -run Golden -update.
var update = flag.Bool("update", false, "rewrite testdata/*.html from the renderer")

// TestEmailHTMLGolden holds the HTML part to the bytes in testdata, so
// that any change to what a mail client gets shows in review as a diff of
// those files (rewrite them with -update, then read the diff). They
// started as the html/template renderer's output; the tenant's look
// (logo, colour, support contact, the code set large, the preheader)
// changed them on purpose.
func TestEmailHTMLGolden(t *testing.T) {
	tests := []struct {
		name string
		m    login.Message
	}{
		{"login", msg(login.KindLogin, nil)},
		{"invite_markup", msg(login.KindInvite, func(m *login.Message) {
			m.TenantName = `Acme & "Sons" <Portal>`
			m.TTL = 7 * 24 * time.Hour
		})},
		{"recovery_code", msg(login.KindRecovery, func(m *login.Message) { m.Link = ""; m.TTL = 24 * time.Hour })},
		{"bare", msg(login.KindLogin, func(m *login.Message) { m.TenantName = ""; m.Code = ""; m.TTL = 0 })},
		{"javascript_link", msg(login.KindLogin, func(m *login.Message) { m.Link = "javascript:alert(1)" })},
		{"odd_link", msg(login.KindLogin, func(m *login.Message) { m.Link = `HTTPS://a.example/p a?x="é"&y=%41%zz'(x)<b>` })},
		{"branded", msg(login.KindLogin, func(m *login.Message) {
			m.Brand = login.Brand{Color: "#7A1F5C", LogoURL: "https://api.example.com/logos/acme/0123456789abcdef.png",
				SupportEmail: "help@acme.example", SupportURL: "https://acme.example/help?a=1&b=2"}
		})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := filepath.Join("testdata", tt.name+".html")
			if *update {
				_, _, got := message.Email(tt.m)
				if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			if _, _, got := message.Email(tt.m); got != string(want) {
				t.Errorf("HTML part differs from testdata/%s.html:\ngot:\n%s\nwant:\n%s", tt.name, got, want)
			}
		})
	}
}

func TestEmailHTMLHref(t *testing.T) {
	tests := []struct {
		name string
		link string
		want string // the value of both hrefs, as written in the HTML
	}{
		{"https", "https://a.example/x?y=1&z=2", "https://a.example/x?y=1&amp;z=2"},
		{"http", "http://localhost:8080/login?t=x", "http://localhost:8080/login?t=x"},
		{"scheme in capitals", "HTTPS://a.example/", "HTTPS://a.example/"},
		{"space and quote encoded", `https://a.example/a b"c`, "https://a.example/a%20b%22c"},
		{"non-ASCII encoded", "https://a.example/é", "https://a.example/%c3%a9"},
		{"valid escape kept, bad one encoded", "https://a.example/%2F%zz%4", "https://a.example/%2F%25zz%254"},
		{"markup encoded", "https://a.example/<b>'x'", "https://a.example/%3cb%3e%27x%27"},
		// html/template wrote "&#43;"; html.EscapeString leaves "+", which
		// an HTML parser reads as the same character.
		{"plus", "https://a.example/?q=a+b", "https://a.example/?q=a+b"},
		{"javascript", "javascript:alert(1)", "#ZgotmplZ"},
		{"javascript in capitals", "JavaScript:alert(1)", "#ZgotmplZ"},
		{"data", "data:text/html,<script>x</script>", "#ZgotmplZ"},
		{"vbscript", "vbscript:x", "#ZgotmplZ"},
		// html/template let these through; a login link is always http(s).
		{"mailto", "mailto:ana@example.com", "#ZgotmplZ"},
		{"relative", "/login?t=x", "#ZgotmplZ"},
		{"scheme-relative", "//a.example/login", "#ZgotmplZ"},
		{"no scheme", "a.example/login", "#ZgotmplZ"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, htm := message.Email(msg(login.KindLogin, func(m *login.Message) { m.Link = tt.link }))
			want := `href="` + tt.want + `"`
			if got := strings.Count(htm, want); got != 2 {
				t.Errorf("HTML holds %s %d times; want 2:\n%s", want, got, htm)
			}
			if got := strings.Count(htm, `href="`); got != 2 {
				t.Errorf("HTML has %d hrefs; want 2", got)
			}
		})
	}
}

func TestEmailHTMLPlusInText(t *testing.T) {
	// html/template wrote "&#43;" for "+" in text too; it reads the same.
	_, _, htm := message.Email(msg(login.KindLogin, func(m *login.Message) { m.TenantName = "C++ Club" }))
	if want := "Your login link for C++ Club</h1>"; !strings.Contains(htm, want) {
		t.Errorf("HTML part lacks %q:\n%s", want, htm)
	}
}
