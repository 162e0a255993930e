package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestMedianPercentile(t *testing.T) {
	ds := func(ms ...int) []time.Duration {
		var out []time.Duration
		for _, m := range ms {
			out = append(out, time.Duration(m)*time.Millisecond)
		}
		return out
	}
	tests := []struct {
		name        string
		in          []time.Duration
		median, p90 time.Duration
		minimum     time.Duration
	}{
		{"none", nil, 0, 0, 0},
		{"one", ds(5), 5 * time.Millisecond, 5 * time.Millisecond, 5 * time.Millisecond},
		{"odd unsorted", ds(9, 1, 5), 5 * time.Millisecond, 9 * time.Millisecond, time.Millisecond},
		{"even", ds(4, 1, 3, 2), 2500 * time.Microsecond, 4 * time.Millisecond, time.Millisecond},
		{"ten", ds(10, 9, 8, 7, 6, 5, 4, 3, 2, 1), 5500 * time.Microsecond, 9 * time.Millisecond, time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := median(tt.in); got != tt.median {
				t.Errorf("median = %v; want %v", got, tt.median)
			}
			if got := percentile(tt.in, 90); got != tt.p90 {
				t.Errorf("p90 = %v; want %v", got, tt.p90)
			}
			if got := percentile(tt.in, 0); got != tt.minimum {
				t.Errorf("p0 = %v; want %v", got, tt.minimum)
			}
		})
	}
	if got := ratio(3*time.Millisecond, 2*time.Millisecond); got != 1.5 {
		t.Errorf("ratio = %v; want 1.5", got)
	}
	if got := ratio(time.Millisecond, 0); got != 0 {
		t.Errorf("ratio with no base = %v; want 0", got)
	}
}

func TestLoadEvent(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "events", "redeem"), 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(path, s string) string {
		if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	write(filepath.Join(root, "events", "redeem", "coldstart.json"), `{"from":"events"}`)
	given := write(filepath.Join(root, "given.json"), `{"from":"flag"}`)
	bad := write(filepath.Join(root, "bad.json"), `{`)

	tests := []struct {
		name    string
		fn      string
		paths   map[string]string
		want    string // substring of the event; "": an error
		wantSrc string
	}{
		{"built-in", "session", nil, "/__coldstart", "built-in"},
		{"events dir", "redeem", nil, `"events"`, "events/redeem/coldstart.json"},
		{"flag wins", "redeem", map[string]string{"redeem": given}, `"flag"`, "given.json"},
		{"not JSON", "redeem", map[string]string{"redeem": bad}, "", ""},
		{"missing file", "redeem", map[string]string{"redeem": filepath.Join(root, "nope.json")}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev, src, err := loadEvent(root, tt.fn, tt.paths)
			if tt.want == "" {
				if err == nil {
					t.Errorf("loadEvent() = %s; want an error", ev)
				}
				return
			}
			if err != nil || !strings.Contains(string(ev), tt.want) || !strings.Contains(src, tt.wantSrc) {
				t.Errorf("loadEvent() = %s from %q, %v; want %s from %q", ev, src, err, tt.want, tt.wantSrc)
			}
		})
	}
}

func TestRunFlags(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"bad n", []string{"-n", "0"}, "-n"},
		{"bad event", []string{"-event", "redeem"}, "name=path"},
		{"bad env", []string{"-env", "=x"}, "KEY=VALUE"},
		{"unknown function", []string{"no-such-function"}, "not a function directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut strings.Builder
			err := run(tt.args, &out, &errOut)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("run(%q) = %v; want an error mentioning %q", tt.args, err, tt.want)
			}
		})
	}
}
