package login_test

import (
	"math"
	"testing"

	"github.com/portalpass/portalpass/pkg/login"
)

func TestBrandSettings(t *testing.T) {
	tests := []struct {
		name string
		edit func(*login.Settings)
		want string // "": accepted; else the start of the message
	}{
		{"default colour", func(*login.Settings) {}, ""},
		{"dark colour", func(s *login.Settings) { s.BrandColor = "#1A1A1A" }, ""},
		{"black", func(s *login.Settings) { s.BrandColor = "#000000" }, ""},
		{"just enough", func(s *login.Settings) { s.BrandColor = "#767676" }, ""}, // 4.54:1
		{"just too light", func(s *login.Settings) { s.BrandColor = "#777777" }, "brandColor must be dark enough"},
		{"white", func(s *login.Settings) { s.BrandColor = "#ffffff" }, "brandColor must be dark enough"},
		{"light blue", func(s *login.Settings) { s.BrandColor = "#77aaff" }, "brandColor must be dark enough"},
		{"short form", func(s *login.Settings) { s.BrandColor = "#fff" }, "brandColor must be a colour"},
		{"named", func(s *login.Settings) { s.BrandColor = "navy" }, "brandColor must be a colour"},
		{"css injection", func(s *login.Settings) { s.BrandColor = "#000;}" }, "brandColor must be a colour"},
		{"support email", func(s *login.Settings) { s.SupportEmail = "help@acme.example" }, ""},
		{"support email no domain", func(s *login.Settings) { s.SupportEmail = "help@acme" }, "supportEmail must be"},
		{"support email two ats", func(s *login.Settings) { s.SupportEmail = "a@b@acme.example" }, "supportEmail must be"},
		{"support email header injection", func(s *login.Settings) { s.SupportEmail = "help@acme.example\r\nBcc: x@y.example" }, "supportEmail must be"},
		{"support url", func(s *login.Settings) { s.SupportURL = "https://acme.example/help?x=1" }, ""},
		{"support url http", func(s *login.Settings) { s.SupportURL = "http://acme.example/help" }, "supportUrl must be"},
		{"support url script", func(s *login.Settings) { s.SupportURL = "javascript:alert(1)" }, "supportUrl must be"},
		{"support url user", func(s *login.Settings) { s.SupportURL = "https://u:p@acme.example/" }, "supportUrl must be"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tn := validTenant()
			tt.edit(&tn.Settings)
			checkSettingErr(t, login.CheckTenant(tn), tt.want)
		})
	}
}

func TestWhiteContrast(t *testing.T) {
	for c, want := range map[string]float64{"#000000": 21, "#ffffff": 1, "#767676": 4.54, "#2d5bd7": 5.85} {
		if got := login.WhiteContrast(c); math.Abs(got-want) > 0.01 {
			t.Errorf("WhiteContrast(%s) = %.3f; want %.2f", c, got, want)
		}
	}
}

func TestSafeBrandColor(t *testing.T) {
	tests := []struct{ in, want string }{
		{"#7A1F5C", "#7a1f5c"},
		{"#2d5bd7", "#2d5bd7"},
		{"", login.DefaultBrandColor},
		{"#ffff00", login.DefaultBrandColor}, // too light for white text
		{"red", login.DefaultBrandColor},
		{`#000000"><script>`, login.DefaultBrandColor},
		{"#00000g", login.DefaultBrandColor},
	}
	for _, tt := range tests {
		if got := login.SafeBrandColor(tt.in); got != tt.want {
			t.Errorf("SafeBrandColor(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestBrandOf(t *testing.T) {
	tn := login.Tenant{ID: "brio", Settings: login.Settings{SupportEmail: "help@brio.example", Logo: "0123456789abcdef.png"}}
	got := login.BrandOf(tn, "https://api.example.com/")
	want := login.Brand{Color: login.DefaultBrandColor, LogoURL: "https://api.example.com/logos/brio/0123456789abcdef.png", SupportEmail: "help@brio.example"}
	if got != want {
		t.Errorf("BrandOf = %+v; want %+v", got, want)
	}
	tn.Settings.Logo = ""
	if got := login.BrandOf(tn, "https://api.example.com"); got.LogoURL != "" {
		t.Errorf("BrandOf without a logo has LogoURL %q", got.LogoURL)
	}
}

func TestLinkTenant(t *testing.T) {
	tests := []struct{ token, want string }{
		{"l.brio.co2e6wqv3u3oordtixxlwkey2yl.l..FFb8bMh8WR4dmLUx77e5LiMm-iaPkXDjhENBsyjTUDI", "brio"},
		{"l.nobody.co2e6wqv3u3oordtixxlwkey2yl.l..0123456789abcdefghijklmnopqrstuvwxyzABCDEFG", "nobody"},
		{"not-a-token", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := login.LinkTenant(tt.token); got != tt.want {
			t.Errorf("LinkTenant(%q) = %q; want %q", tt.token, got, tt.want)
		}
	}
}
