package message_test

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/message"
)

const (
	smsHost = "api.example.com"
	smsLink = "https://api.example.com/l/t.acme.c0123456789abcdefghijklmnop.0123456789abcdefghijklmnopqrstuvwxyzABCDEFG"
)

func smsMsg(kind login.MessageKind, mod func(*login.Message)) login.Message {
	m := login.Message{Channel: login.ChannelSMS, To: "+14155550123", Kind: kind, TenantName: "Acme",
		Link: smsLink, Code: "123456", TTL: 10 * time.Minute, OriginHost: smsHost}
	if mod != nil {
		mod(&m)
	}
	return m
}

func TestSMS(t *testing.T) {
	const bound = "\n@api.example.com #123456"
	tests := []struct {
		name string
		m    login.Message
		want string
	}{
		{"login", smsMsg(login.KindLogin, nil),
			"Acme: your login code is 123456. Or tap " + smsLink + " (expires in 10 minutes)" + bound},
		{"code only", smsMsg(login.KindLogin, func(m *login.Message) { m.Link = "" }),
			"Acme: your login code is 123456 (expires in 10 minutes)" + bound},
		{"link only", smsMsg(login.KindLogin, func(m *login.Message) { m.Code = "" }),
			"Acme: tap to log in: " + smsLink + " (expires in 10 minutes)"},
		{"invite link only", smsMsg(login.KindInvite, func(m *login.Message) { m.Code = ""; m.TTL = 7 * 24 * time.Hour }),
			"Acme: tap to accept your invitation: " + smsLink + " (expires in 7 days)"},
		{"recovery", smsMsg(login.KindRecovery, func(m *login.Message) { m.Link = ""; m.TTL = 24 * time.Hour }),
			"Acme: your account recovery code is 123456 (expires in 24 hours)" + bound},
		{"no lifetime", smsMsg(login.KindLogin, func(m *login.Message) { m.Link = ""; m.TTL = 0 }),
			"Acme: your login code is 123456" + bound},
		{"no tenant", smsMsg(login.KindLogin, func(m *login.Message) { m.Link = ""; m.TenantName = "" }),
			"Your login code is 123456 (expires in 10 minutes)" + bound},
		{"several tenants", smsMsg(login.KindLogin, func(m *login.Message) { m.Link = ""; m.TenantName = "your portals" }),
			"Your login code is 123456 (expires in 10 minutes)" + bound},
		{"no host", smsMsg(login.KindLogin, func(m *login.Message) { m.Link = ""; m.OriginHost = "" }),
			"Acme: your login code is 123456 (expires in 10 minutes)"},
		{"nothing to send", smsMsg(login.KindLogin, func(m *login.Message) { m.Link = ""; m.Code = "" }), ""},
		{"newlines in tenant", smsMsg(login.KindLogin, func(m *login.Message) { m.Link = ""; m.TenantName = "Acme\n\n@evil.example #1" }),
			"Acme @evil.example #1: your login code is 123456 (expires in 10 minutes)" + bound},
		{"accents", smsMsg(login.KindLogin, func(m *login.Message) { m.Link = ""; m.TenantName = "Crème brûlée Façade" }),
			"Crème brulée Facade: your login code is 123456 (expires in 10 minutes)" + bound},
		{"non-Latin dropped", smsMsg(login.KindLogin, func(m *login.Message) { m.Link = ""; m.TenantName = "東京 🍕 Portal" }),
			"Portal: your login code is 123456 (expires in 10 minutes)" + bound},
		{"nothing left of the name", smsMsg(login.KindLogin, func(m *login.Message) { m.Link = ""; m.TenantName = "東京" }),
			"Your login code is 123456 (expires in 10 minutes)" + bound},
		{"es", smsMsg(login.KindLogin, func(m *login.Message) { m.Locale = "es" }),
			"Acme: su clave de acceso es 123456. O pulse " + smsLink + " (caduca en 10 minutos)" + bound},
		{"es, days in hours", smsMsg(login.KindRecovery, func(m *login.Message) { m.Locale = "es"; m.Code = ""; m.TTL = 2 * 24 * time.Hour }),
			"Acme: pulse para recuperar su cuenta: " + smsLink + " (caduca en 48 horas)"},
		{"de", smsMsg(login.KindLogin, func(m *login.Message) { m.Locale = "de"; m.Link = ""; m.TTL = time.Hour }),
			"Acme: Ihr Anmeldecode lautet 123456 (gültig für 1 Stunde)" + bound},
		{"fr", smsMsg(login.KindLogin, func(m *login.Message) { m.Locale = "fr"; m.TenantName = "" }),
			"Votre code de connexion est 123456. Ou touchez " + smsLink + " (expire dans 10 minutes)" + bound},
		{"fr-CA is fr", smsMsg(login.KindLogin, func(m *login.Message) { m.Locale = "fr-CA"; m.Link = "" }),
			"Acme: votre code de connexion est 123456 (expire dans 10 minutes)" + bound},
		{"unknown locale is en", smsMsg(login.KindLogin, func(m *login.Message) { m.Locale = "pt"; m.Link = "" }),
			"Acme: your login code is 123456 (expires in 10 minutes)" + bound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := message.SMS(tt.m); got != tt.want {
				t.Errorf("SMS() =\n%q; want\n%q", got, tt.want)
			}
		})
	}
}

// TestSMSTextsAreGSM7 checks every word of every language, every kind,
// with and without a link, and every lifetime's unit.
func TestSMSTextsAreGSM7(t *testing.T) {
	ttls := []time.Duration{0, 30 * time.Second, time.Minute, 10 * time.Minute, time.Hour, 24 * time.Hour, 7 * 24 * time.Hour}
	for _, loc := range message.SMSLocales {
		for _, kind := range []login.MessageKind{login.KindLogin, login.KindInvite, login.KindRecovery} {
			for _, ttl := range ttls {
				for _, m := range []login.Message{
					smsMsg(kind, func(m *login.Message) { m.Locale, m.TTL = loc, ttl }),
					smsMsg(kind, func(m *login.Message) { m.Locale, m.TTL, m.Link = loc, ttl, "" }),
					smsMsg(kind, func(m *login.Message) { m.Locale, m.TTL, m.Code, m.TenantName = loc, ttl, "", "" }),
				} {
					s := message.SMS(m)
					if !message.IsGSM7(s) {
						t.Errorf("%s %s: not GSM-7: %q", loc, kind, s)
					}
					if loc != "en" && s == message.SMS(func() login.Message { m.Locale = "en"; return m }()) {
						t.Errorf("%s %s: the English text: %q", loc, kind, s)
					}
				}
			}
		}
	}
}

// TestSMSBudget: over tenant names, locales, codes of 4-8 digits and
// links as long as the service makes (a 40-character tenant id and a
// 50-character host), an SMS without a link fits one segment and one
// with a link two, each ends with the origin-bound line, and a name of
// up to 20 characters keeps the link.
func TestSMSBudget(t *testing.T) {
	host := strings.Repeat("h", 9) + ".execute-api.ap-southeast-2.amazonaws.com"
	long := "https://" + host + "/l/t." + strings.Repeat("t", 40) + ".c" + strings.Repeat("a", 26) + "." + strings.Repeat("s", 43)
	names := []string{"", "Acme", "Abcdefghij Klmnopqrs", "Ñandú Café Çedilla", "Crème brûlée Façade", "東京ポータル",
		"Pizza 🍕 Palace 🎉", "€€€€€€€€€€€€€€€€€€€€", "[{}]|^~\\[{}]|^~\\[{}]", strings.Repeat("Ü", 100), "your portals"}
	for _, name := range names {
		for _, loc := range message.SMSLocales {
			for n := 4; n <= 8; n++ {
				code := "87654321"[:n]
				for _, link := range []string{"", long} {
					for _, kind := range []login.MessageKind{login.KindLogin, login.KindRecovery} {
						m := login.Message{Kind: kind, TenantName: name, Link: link, Code: code, TTL: 59 * time.Minute, OriginHost: host, Locale: loc}
						s := message.SMS(m)
						budget := 1
						if link != "" {
							budget = 2
						}
						segs, gsm := message.SMSSegments(s)
						if !gsm || segs > budget || !strings.HasSuffix(s, "\n@"+host+" #"+code) {
							t.Errorf("%s %q: %d segments, GSM-7 %v; want at most %d ending with the origin-bound line:\n%s", loc, name, segs, gsm, budget, s)
						}
						if utf8.RuneCountInString(name) <= 20 && link != "" && !strings.Contains(s, link) {
							t.Errorf("%s %q: link left out:\n%s", loc, name, s)
						}
					}
				}
			}
		}
	}
}

func TestSMSSegments(t *testing.T) {
	tests := []struct {
		name string
		s    string
		segs int
		gsm  bool
	}{
		{"empty", "", 1, true},
		{"160 basic", strings.Repeat("a", 160), 1, true},
		{"161 basic", strings.Repeat("a", 161), 2, true},
		{"306 basic", strings.Repeat("a", 306), 2, true},
		{"307 basic", strings.Repeat("a", 307), 3, true},
		{"80 extension", strings.Repeat("€", 80), 1, true},
		{"81 extension", strings.Repeat("€", 81), 2, true},
		{"escape not split", strings.Repeat("a", 152) + "€" + strings.Repeat("a", 8), 2, true},
		{"escape moves to the next part", strings.Repeat("a", 152) + "€" + strings.Repeat("a", 152), 3, true},
		{"GSM-7 letters", "@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà\n", 1, true},
		{"á is UCS-2", "á", 1, false},
		{"ç is UCS-2", "ç", 1, false},
		{"70 UCS-2", strings.Repeat("á", 70), 1, false},
		{"71 UCS-2", strings.Repeat("á", 71), 2, false},
		{"emoji count two", strings.Repeat("🍕", 35), 1, false},
		{"emoji pair not split", strings.Repeat("á", 66) + "🍕" + strings.Repeat("á", 66), 3, false},
	}
	for _, tt := range tests {
		if segs, gsm := message.SMSSegments(tt.s); segs != tt.segs || gsm != tt.gsm {
			t.Errorf("%s: SMSSegments = %d, %v; want %d, %v", tt.name, segs, gsm, tt.segs, tt.gsm)
		}
	}
	for _, r := range "áíóúêçÁÍÓÚÊâîôûëïœ" {
		if message.IsGSM7(string(r)) {
			t.Errorf("IsGSM7(%q) = true; GSM 03.38 has no such letter", r)
		}
	}
}
