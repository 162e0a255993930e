package login_test

import (
	"testing"

	"github.com/portalpass/portalpass/pkg/login"
)

func TestParseLocaleTag(t *testing.T) {
	tests := []struct {
		tag  string
		want string
		ok   bool
	}{
		{"es", "es", true},
		{"es-MX", "es", true},
		{"DE-de", "de", true},
		{"zh-Hant-TW", "zh", true},
		{"it", "it", true}, // well-formed; whether it ships is not this function's to say
		{"", "", false},
		{"e", "", false},
		{"english", "", false},
		{"es_MX", "", false},
		{"es-", "", false},
		{"1a", "", false},
		{"es-MX-toolongsubtag", "", false},
	}
	for _, tt := range tests {
		got, ok := login.ParseLocaleTag(tt.tag)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseLocaleTag(%q) = %q, %v; want %q, %v", tt.tag, got, ok, tt.want, tt.ok)
		}
	}
}

func TestSettingsLocale(t *testing.T) {
	var def login.Settings
	if got := def.LocaleList(); len(got) != 1 || got[0] != "en" {
		t.Errorf("default LocaleList = %v; want [en]", got)
	}
	s := login.Settings{Locales: "es,fr"}
	// Asked for a language the tenant offers: that one; else its default.
	for _, tt := range []struct{ ask, want string }{{"", "es"}, {"fr", "fr"}, {"de", "es"}, {"en", "es"}, {"it", "es"}} {
		if got := s.Locale(tt.ask); got != tt.want {
			t.Errorf("Locale(%q) = %q; want %q", tt.ask, got, tt.want)
		}
	}
}
