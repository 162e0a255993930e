package sns

import "testing"

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
