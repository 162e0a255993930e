package httpapi

import (
	"net/http/httptest"
	"testing"
)

func TestSameOrigin(t *testing.T) {
	s := newServer(Config{BaseURL: "https://api.example.com"})
	tests := []struct {
		name, origin, site string
		want               bool
	}{
		{"our origin", "https://api.example.com", "", true},
		{"another origin", "https://evil.example", "same-origin", false},
		{"null origin from our no-referrer page", "null", "same-origin", true},
		{"null origin from an opaque cross-site page", "null", "cross-site", false},
		{"null origin alone", "null", "", false},
		{"no origin, same-origin fetch", "", "same-origin", true},
		{"no origin, same-site", "", "same-site", false},
		{"no headers", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/login", nil)
			if tt.origin != "" {
				r.Header.Set("Origin", tt.origin)
			}
			if tt.site != "" {
				r.Header.Set("Sec-Fetch-Site", tt.site)
			}
			if got := s.sameOrigin(r); got != tt.want {
				t.Errorf("sameOrigin(Origin %q, Sec-Fetch-Site %q) = %v; want %v", tt.origin, tt.site, got, tt.want)
			}
		})
	}
}
