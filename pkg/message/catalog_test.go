package message

import (
	"html"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/portalpass/portalpass/pkg/login"
)

var placeholderRE = regexp.MustCompile(`\{[a-z]+\}`)

func placeholders(s string) []string {
	p := placeholderRE.FindAllString(s, -1)
	slices.Sort(p)
	return p
}

// TestCatalogComplete holds every shipped language to the English
// catalog: the same keys, no others, each text non-empty with the same
// placeholders.
func TestCatalogComplete(t *testing.T) {
	if !slices.Equal(Languages, login.Locales) {
		t.Fatalf("message.Languages = %v; login.Locales = %v: they must agree", Languages, login.Locales)
	}
	for _, lang := range Languages {
		c := catalogs[lang]
		if c == nil {
			t.Errorf("no catalog for %s", lang)
			continue
		}
		for k, en := range catalogEN {
			s, ok := c[k]
			if !ok || strings.TrimSpace(s) == "" {
				t.Errorf("%s lacks %s", lang, k)
				continue
			}
			if got, want := placeholders(s), placeholders(en); !slices.Equal(got, want) {
				t.Errorf("%s %s has placeholders %v; English has %v", lang, k, got, want)
			}
		}
		for k := range c {
			if _, ok := catalogEN[k]; !ok {
				t.Errorf("%s has %s, which English lacks", lang, k)
			}
		}
	}
}

// TestCatalogPlaceholdersFilled checks that a text's placeholders are
// the ones its callers fill in: no rendering may show a brace.
func TestCatalogPlaceholdersFilled(t *testing.T) {
	for _, lang := range Languages {
		for _, m := range pseudoMessages() {
			m.Locale = lang
			subject, text, htm := Email(m)
			for _, s := range []string{subject, text, htm} {
				if p := placeholderRE.FindString(s); p != "" {
					t.Errorf("%s %s email holds %s unfilled", lang, m.Kind, p)
				}
			}
		}
	}
}

func pseudoMessages() []login.Message {
	var out []login.Message
	for _, kind := range []login.MessageKind{login.KindLogin, login.KindInvite, login.KindRecovery} {
		for _, tenant := range []string{"Zzq", ""} {
			for _, link := range []string{"https://zzq.example/l/zzq", ""} {
				m := login.Message{Kind: kind, TenantName: tenant, Link: link, Code: "909090", TTL: 10 * time.Minute}
				out = append(out, m)
				if tenant != "" { // the same, wearing the tenant's look
					m.Brand = login.Brand{Color: "#7a1f5c", LogoURL: "https://zzq.example/logos/zzq/0a.png",
						SupportEmail: "zzq@zzq.example", SupportURL: "https://zzq.example/zzq"}
					out = append(out, m)
				}
			}
		}
	}
	return out
}

var (
	tagRE = regexp.MustCompile(`(?s)<[^>]*>`)
	// pseudoRE matches an innermost bracketed text; a text may sit in
	// another ("your portal" in a subject), so it is applied until none is left.
	pseudoRE = regexp.MustCompile(`(?s)` + PseudoOpen + `[^` + PseudoOpen + PseudoClose + `]*` + PseudoClose)
)

// withoutPseudo blanks every bracketed catalog text of s.
func withoutPseudo(s string) string {
	for {
		t := pseudoRE.ReplaceAllString(s, " ")
		if t == s {
			return s
		}
		s = t
	}
}

// TestEmailNoUncataloguedText renders every kind of email in the
// pseudo-locale, where each catalog text is bracketed, and fails when
// anything a reader sees is neither bracketed nor the message's own
// values: a word written into the renderer instead of the catalog.
func TestEmailNoUncataloguedText(t *testing.T) {
	for _, m := range pseudoMessages() {
		m.Locale = PseudoLang
		subject, text, htm := Email(m)
		visible := html.UnescapeString(tagRE.ReplaceAllString(htm, " "))
		for name, s := range map[string]string{"subject": subject, "text": text, "html": visible} {
			rest := withoutPseudo(s)
			for _, v := range []string{m.TenantName, m.Link, m.Code, m.Brand.SupportEmail, m.Brand.SupportURL} {
				if v != "" {
					rest = strings.ReplaceAll(rest, v, " ")
				}
			}
			if strings.IndexFunc(rest, isLetter) >= 0 {
				t.Errorf("%s email (tenant %q, link %v): %s holds text outside the catalog: %q", m.Kind, m.TenantName, m.Link != "", name, strings.Join(strings.Fields(rest), " "))
			}
		}
		if !strings.Contains(htm, `lang="`+PseudoLang+`"`) {
			t.Errorf("HTML part does not say its language")
		}
	}
}

func isLetter(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > 127 && r != '⟦' && r != '⟧'
}

// TestEmailInEachLanguage: a message in a shipped language uses that
// language's texts throughout.
func TestEmailInEachLanguage(t *testing.T) {
	m := login.Message{Kind: login.KindLogin, TenantName: "Acme", Link: "https://a.example/l/x", Code: "123456", TTL: 10 * time.Minute}
	for _, lang := range Languages {
		m.Locale = lang
		subject, text, htm := Email(m)
		want := []string{
			F(lang, EmailLoginSubjectLink, "tenant", "Acme"),
			F(lang, EmailCodeLineOr, "code", "123456"),
			F(lang, EmailLinkExpires, "ttl", DurationIn(lang, 10*time.Minute)),
			T(lang, EmailIgnore),
		}
		if subject != want[0] {
			t.Errorf("%s subject = %q; want %q", lang, subject, want[0])
		}
		for i, w := range want {
			if i > 0 && !strings.Contains(text, w) {
				t.Errorf("%s text part lacks %q", lang, w)
			}
			if !strings.Contains(htm, html.EscapeString(w)) {
				t.Errorf("%s HTML part lacks %q", lang, w)
			}
		}
		if !strings.Contains(htm, `<html lang="`+lang+`">`) {
			t.Errorf("%s HTML part lacks its lang", lang)
		}
	}
}

// TestSMSNoUncataloguedText renders every kind of SMS in the
// pseudo-locale and fails when anything but the message's own values
// (tenant name, code, link, host) is outside a bracketed catalog text.
func TestSMSNoUncataloguedText(t *testing.T) {
	for _, m := range pseudoMessages() {
		m.Locale = PseudoLang
		m.OriginHost = "zzq.example"
		for _, ttl := range []time.Duration{0, 30 * time.Second, 10 * time.Minute, 2 * time.Hour, 7 * 24 * time.Hour} {
			m.TTL = ttl
			s := SMS(m)
			if s == "" {
				continue
			}
			rest := withoutPseudo(s)
			for _, v := range []string{m.Link, m.TenantName, m.OriginHost, m.Code} {
				if v != "" {
					rest = strings.ReplaceAll(rest, v, " ")
				}
			}
			if strings.IndexFunc(rest, isLetter) >= 0 {
				t.Errorf("%s SMS (tenant %q, link %v, ttl %v) holds text outside the catalog: %q", m.Kind, m.TenantName, m.Link != "", ttl, strings.Join(strings.Fields(rest), " "))
			}
		}
	}
}
