package redact

import (
	"errors"
	"strings"
	"testing"
)

func TestError(t *testing.T) {
	const (
		link = "https://x.example/l?t=SECRET"
		text = "Acme: your login code is 123456. Or tap " + link
	)
	tests := []struct {
		name    string
		cause   string
		secrets []string
		want    string
		same    bool // the error is returned as it is
	}{
		{"none present", "rejected " + link + " with 123456", []string{"https://other", "999999"},
			"rejected " + link + " with 123456", true},
		{"empty secrets", "rejected " + link, []string{"", ""}, "rejected " + link, true},
		{"no secrets", "rejected " + link, nil, "rejected " + link, true},
		{"link and code", "rejected " + link + " with 123456", []string{link, "123456"},
			"rejected [redacted] with [redacted]", false},
		{"every occurrence", "123456 then 123456", []string{"123456"}, "[redacted] then [redacted]", false},
		{"text first", `bad message "` + text + `"`, []string{text, link, "123456"}, `bad message "[redacted]"`, false},
		{"text last", `bad message "` + text + `"`, []string{link, "123456", text}, `bad message "[redacted]"`, false},
		{"link and code in text", `bad message "` + text + `"`, []string{"", link, "123456"},
			`bad message "Acme: your login code is [redacted]. Or tap [redacted]"`, false},
		{"email address", "Address ana@example.com is on the suppression list", []string{"ana@example.com"},
			"Address [redacted] is on the suppression list", false},
		{"email in another case", "Address ana@example.com is invalid", []string{"Ana@Example.COM"},
			"Address [redacted] is invalid", false},
		{"phone with plus", "Invalid parameter: PhoneNumber +14155550100", Phone("+14155550100"),
			"Invalid parameter: PhoneNumber [redacted]", false},
		{"phone without plus", "number 14155550100 opted out", Phone("+14155550100"),
			"number [redacted] opted out", false},
		{"invalid UTF-8 kept in place", "bad \xff\xfe byte ANA@X.ORG", []string{"ana@x.org"},
			"bad \xff\xfe byte [redacted]", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cause := errors.New(tt.cause)
			got := Error(cause, tt.secrets...)
			if got.Error() != tt.want {
				t.Errorf("Error() = %q; want %q", got, tt.want)
			}
			if same := got == cause; same != tt.same {
				t.Errorf("Error() returned the cause: %v; want %v", same, tt.same)
			}
			if !tt.same && errors.Is(got, cause) {
				t.Errorf("redacted error still wraps its cause")
			}
		})
	}
}

func TestErrorNil(t *testing.T) {
	if err := Error(nil, "secret"); err != nil {
		t.Errorf("Error(nil) = %v; want nil", err)
	}
}

// FuzzError checks that no secret survives, whatever the text and the
// case it is quoted in.
func FuzzError(f *testing.F) {
	f.Add("rejected https://x.example/l?t=SECRET with 123456", "https://x.example/l?t=SECRET", "123456")
	f.Add("Address ANA@example.com", "ana@example.com", "")
	f.Add("aaaa", "aa", "a")
	f.Fuzz(func(t *testing.T, msg, s1, s2 string) {
		got := Error(errors.New(msg), s1, s2).Error()
		for _, s := range []string{s1, s2} {
			// A secret inside Mark, or one that a replacement can
			// complete with Mark's brackets, may show in the result.
			if s == "" || strings.Contains(lowerASCII(Mark), lowerASCII(s)) || strings.ContainsAny(s, "[]") {
				continue
			}
			if strings.Contains(lowerASCII(got), lowerASCII(s)) {
				t.Errorf("Error(%q, %q, %q) = %q still holds %q", msg, s1, s2, got, s)
			}
		}
	})
}
