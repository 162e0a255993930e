package message_test

import (
	"html"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/message"
)

const link = "https://portal.acme.example/login?t=acme.c1.0123456789abcdefghijklmnopqrstuvwxyzABCDEFG&r=%2Finvoices"

func msg(kind login.MessageKind, mod func(*login.Message)) login.Message {
	m := login.Message{
		Channel:    login.ChannelEmail,
		To:         "ana@example.com",
		Kind:       kind,
		TenantName: "Acme",
		Link:       link,
		Code:       "123456",
		TTL:        10 * time.Minute,
	}
	if mod != nil {
		mod(&m)
	}
	return m
}

func TestDuration(t *testing.T) {
	tests := []struct {
		name string
		d    time.Duration
		want string
	}{
		{"zero", 0, "0 seconds"},
		{"negative", -time.Minute, "0 seconds"},
		{"sub-second", 300 * time.Millisecond, "0 seconds"},
		{"one second", time.Second, "1 second"},
		{"seconds", 45 * time.Second, "45 seconds"},
		{"one minute", time.Minute, "1 minute"},
		{"login", 10 * time.Minute, "10 minutes"},
		{"part minute dropped", 10*time.Minute + 59*time.Second, "10 minutes"},
		{"one hour", time.Hour, "1 hour"},
		{"max login", 60 * time.Minute, "1 hour"},
		{"ninety minutes", 90 * time.Minute, "90 minutes"},
		{"recovery", 24 * time.Hour, "24 hours"},
		{"thirty hours", 30 * time.Hour, "30 hours"},
		{"two days", 48 * time.Hour, "2 days"},
		{"invite", 7 * 24 * time.Hour, "7 days"},
		{"action", 90 * 24 * time.Hour, "90 days"},
		{"days and hours", 7*24*time.Hour + time.Hour, "169 hours"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := message.Duration(tt.d); got != tt.want {
				t.Errorf("Duration(%v) = %q; want %q", tt.d, got, tt.want)
			}
		})
	}
}

func TestEmailSubject(t *testing.T) {
	tests := []struct {
		name string
		m    login.Message
		want string
	}{
		{"login", msg(login.KindLogin, nil), "Your login link for Acme"},
		{"invite", msg(login.KindInvite, nil), "You're invited to the Acme portal"},
		{"recovery", msg(login.KindRecovery, nil), "Your account recovery link for Acme"},
		{"unknown kind reads as login", msg("other", nil), "Your login link for Acme"},
		{"login code only", msg(login.KindLogin, func(m *login.Message) { m.Link = "" }), "Your login code for Acme"},
		{"recovery code only", msg(login.KindRecovery, func(m *login.Message) { m.Link = "" }), "Your account recovery code for Acme"},
		{"no tenant", msg(login.KindLogin, func(m *login.Message) { m.TenantName = "" }), "Your login link for your portal"},
		{"invite no tenant", msg(login.KindInvite, func(m *login.Message) { m.TenantName = "" }), "You're invited to the portal"},
		{"header injection", msg(login.KindLogin, func(m *login.Message) { m.TenantName = "Acme\r\nBcc: evil@example.com" }),
			"Your login link for Acme Bcc: evil@example.com"},
		{"bidi controls dropped", msg(login.KindLogin, func(m *login.Message) { m.TenantName = "Ac\u202eme" }), "Your login link for Acme"},
		{"long name cut", msg(login.KindLogin, func(m *login.Message) { m.TenantName = strings.Repeat("a", 300) }),
			"Your login link for " + strings.Repeat("a", 100)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _, _ := message.Email(tt.m)
			if got != tt.want {
				t.Errorf("subject = %q; want %q", got, tt.want)
			}
		})
	}
}

func TestEmailParts(t *testing.T) {
	tests := []struct {
		name string
		m    login.Message
		// want appear in the text part as they are and in the HTML part
		// escaped; absent appear in neither.
		want   []string
		absent []string
	}{
		{
			name: "login",
			m:    msg(login.KindLogin, nil),
			want: []string{"Acme", link, "Or enter this code: 123456", "This link expires in 10 minutes.", ignoreEN},
		},
		{
			name: "invite",
			m:    msg(login.KindInvite, func(m *login.Message) { m.TTL = 7 * 24 * time.Hour }),
			want: []string{"invited to the Acme portal", link, "Or enter this code: 123456", "This link expires in 7 days.", ignoreEN},
		},
		{
			name: "recovery",
			m:    msg(login.KindRecovery, func(m *login.Message) { m.TTL = 24 * time.Hour }),
			want: []string{"recover your Acme account", link, "This link expires in 24 hours.", ignoreEN},
		},
		{
			name:   "no code",
			m:      msg(login.KindInvite, func(m *login.Message) { m.Code = "" }),
			want:   []string{"Acme", link, "This link expires in 10 minutes.", ignoreEN},
			absent: []string{"code"},
		},
		{
			name:   "code only",
			m:      msg(login.KindLogin, func(m *login.Message) { m.Link = "" }),
			want:   []string{"Acme", "Enter this code: 123456", "This code expires in 10 minutes.", ignoreEN},
			absent: []string{"Or enter", "this link", "This link", "<a ", "https://"},
		},
		{
			name:   "one hour",
			m:      msg(login.KindLogin, func(m *login.Message) { m.TTL = time.Hour }),
			want:   []string{"This link expires in 1 hour."},
			absent: []string{"60 minutes"},
		},
		{
			name:   "no lifetime",
			m:      msg(login.KindLogin, func(m *login.Message) { m.TTL = 0 }),
			want:   []string{link},
			absent: []string{"expires"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, text, htm := message.Email(tt.m)
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("text part lacks %q:\n%s", w, text)
				}
				if e := html.EscapeString(w); !strings.Contains(htm, e) {
					t.Errorf("HTML part lacks %q:\n%s", e, htm)
				}
			}
			for _, a := range tt.absent {
				if strings.Contains(text, a) {
					t.Errorf("text part holds %q:\n%s", a, text)
				}
				if strings.Contains(htm, a) {
					t.Errorf("HTML part holds %q:\n%s", a, htm)
				}
			}
		})
	}
}

func TestEmailHTMLEscapes(t *testing.T) {
	tests := []struct {
		name   string
		m      login.Message
		want   []string // in the HTML part as they are
		absent []string
	}{
		{
			name:   "script tenant",
			m:      msg(login.KindLogin, func(m *login.Message) { m.TenantName = `<script>alert("x")</script>` }),
			want:   []string{"&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;"},
			absent: []string{"<script", "</script"},
		},
		{
			name:   "attribute breakout in link",
			m:      msg(login.KindLogin, func(m *login.Message) { m.Link = `https://a.example/"><img src=x onerror=alert(1)>` }),
			absent: []string{`"><img`, "<img"},
		},
		{
			name:   "javascript link",
			m:      msg(login.KindLogin, func(m *login.Message) { m.Link = "javascript:alert(1)" }),
			absent: []string{`href="javascript:`},
		},
		{
			name:   "markup in code",
			m:      msg(login.KindLogin, func(m *login.Message) { m.Code = "<b>1</b>" }),
			want:   []string{"Or enter this code: &lt;b&gt;1&lt;/b&gt;"},
			absent: []string{"<b>"},
		},
		{
			name: "ampersand in link",
			m:    msg(login.KindLogin, nil),
			want: []string{`href="https://portal.acme.example/login?t=acme.c1.0123456789abcdefghijklmnopqrstuvwxyzABCDEFG&amp;r=%2Finvoices"`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, htm := message.Email(tt.m)
			for _, w := range tt.want {
				if !strings.Contains(htm, w) {
					t.Errorf("HTML part lacks %q:\n%s", w, htm)
				}
			}
			for _, a := range tt.absent {
				if strings.Contains(htm, a) {
					t.Errorf("HTML part holds %q:\n%s", a, htm)
				}
			}
		})
	}
}

func TestEmailHTMLSelfContained(t *testing.T) {
	for _, kind := range []login.MessageKind{login.KindLogin, login.KindInvite, login.KindRecovery} {
		t.Run(string(kind), func(t *testing.T) {
			_, _, htm := message.Email(msg(kind, nil))
			for _, a := range []string{"<img", "<link", "<script", "<style", "<iframe", "src=", "url(", "@import", "@font-face"} {
				if strings.Contains(strings.ToLower(htm), a) {
					t.Errorf("HTML part holds %q", a)
				}
			}
			// The only addresses it names are the link's: as a button and as text.
			if got, want := strings.Count(htm, "https://"), 3; got != want {
				t.Errorf("HTML names https:// %d times; want %d (button href, text href, text)", got, want)
			}
			if got, want := strings.Count(htm, `href="`), 2; got != want {
				t.Errorf("HTML has %d links; want %d", got, want)
			}
			for _, w := range []string{`<html lang="en">`, `name="viewport"`, `<meta charset="utf-8">`, `role="presentation"`} {
				if !strings.Contains(htm, w) {
					t.Errorf("HTML part lacks %q", w)
				}
			}
		})
	}
}

func FuzzRender(f *testing.F) {
	f.Add("Acme", link, "123456", int64(10*time.Minute))
	f.Add("<script>\r\n", "javascript:x", "<b>", int64(-1))
	f.Add("\u202e\x00\t", "", "", int64(7*24*time.Hour))
	f.Fuzz(func(t *testing.T, tenant, lnk, code string, ttl int64) {
		m := login.Message{Kind: login.KindLogin, TenantName: tenant, Link: lnk, Code: code, TTL: time.Duration(ttl)}
		subject, _, htm := message.Email(m)
		// An SMS's one line break is the one before its origin-bound line.
		sms := strings.Replace(message.SMS(m), "\n@", " @", 1)
		for _, s := range []string{subject, sms} {
			if strings.IndexFunc(s, unicode.IsControl) >= 0 {
				t.Errorf("control character in %q", s)
			}
		}
		if strings.Contains(htm, "<script") {
			t.Errorf("HTML part holds <script:\n%s", htm)
		}
	})
}

func BenchmarkEmail(b *testing.B) {
	m := msg(login.KindLogin, nil)
	b.ReportAllocs()
	for b.Loop() {
		message.Email(m)
	}
}

func BenchmarkSMS(b *testing.B) {
	m := msg(login.KindLogin, nil)
	b.ReportAllocs()
	for b.Loop() {
		message.SMS(m)
	}
}

var ignoreEN = message.T("en", message.EmailIgnore)
