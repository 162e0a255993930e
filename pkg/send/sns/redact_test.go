package sns

import (
	"errors"
	"testing"
)

func TestRedact(t *testing.T) {
	cause := errors.New(`bad message "Acme: your login code is 123456. Or tap https://x.example/l?t=SECRET"`)
	text := "Acme: your login code is 123456. Or tap https://x.example/l?t=SECRET"
	tests := []struct {
		name    string
		secrets []string
		want    string
	}{
		{"none present", []string{"other", "999999"}, cause.Error()},
		{"text first", []string{text, "https://x.example/l?t=SECRET", "123456"}, `bad message "[redacted]"`},
		{"link and code", []string{"", "https://x.example/l?t=SECRET", "123456"}, `bad message "Acme: your login code is [redacted]. Or tap [redacted]"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := redact(cause, tt.secrets...)
			if got.Error() != tt.want {
				t.Errorf("redact() = %q; want %q", got, tt.want)
			}
			if got != cause && errors.Is(got, cause) {
				t.Errorf("redacted error still wraps its cause")
			}
		})
	}
}

func TestE164(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"+14155550100", true},
		{"+447700900123", true},
		{"+12", true},
		{"+123456789012345", true},
		{"+1234567890123456", false},
		{"14155550100", false},
		{"+04155550100", false},
		{"+1 415 555 0100", false},
		{"+1415555010٠", false},
		{"+", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := e164(tt.in); got != tt.want {
			t.Errorf("e164(%q) = %v; want %v", tt.in, got, tt.want)
		}
	}
}
