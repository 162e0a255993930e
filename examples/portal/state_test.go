package main

import (
	"strings"
	"testing"
	"time"
)

func TestStates(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	s := newStates(func() time.Time { return now })
	id := s.put(browser{Verifier: "v", LoginUntil: now.Add(time.Hour), Session: "s", SessionUntil: now.Add(2 * time.Hour)})
	if id == "" || len(id) < 26 {
		t.Fatalf("put = %q; want a random id", id)
	}
	tests := []struct {
		name         string
		after        time.Duration
		wantVerifier string
		wantSession  string
		wantOK       bool
	}{
		{"both live", 0, "v", "s", true},
		{"login expired", time.Hour, "", "s", true},
		{"all expired", 2 * time.Hour, "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now = time.Unix(1_800_000_000, 0).Add(tt.after)
			b, ok := s.get(id)
			if ok != tt.wantOK || b.Verifier != tt.wantVerifier || b.Session != tt.wantSession {
				t.Errorf("get = %+v, %v; want verifier %q, session %q, %v", b, ok, tt.wantVerifier, tt.wantSession, tt.wantOK)
			}
		})
	}
	if _, ok := s.get(""); ok {
		t.Error(`get("") found a browser`)
	}
}

func TestStatesBounded(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	s := newStates(func() time.Time { return now })
	for range maxBrowsers {
		if s.put(browser{Session: "s", SessionUntil: now.Add(time.Minute)}) == "" {
			t.Fatal("put refused before the store was full")
		}
	}
	if id := s.put(browser{Session: "s", SessionUntil: now.Add(time.Minute)}); id != "" {
		t.Fatal("put accepted past maxBrowsers")
	}
	now = now.Add(time.Minute) // everything expired: put sweeps and succeeds
	if s.put(browser{Session: "s", SessionUntil: now.Add(time.Minute)}) == "" {
		t.Fatal("put refused after the old state expired")
	}
	if n := len(s.m); n != 1 {
		t.Errorf("%d browsers kept; want 1", n)
	}
}

func TestNewChecksConfig(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		ok   bool
	}{
		{"key", Config{API: "http://127.0.0.1:8080", Tenant: "demo", Key: "k"}, true},
		{"pkce", Config{API: "http://127.0.0.1:8080/", Tenant: "demo", PKCE: true}, true},
		{"key and pkce", Config{API: "http://127.0.0.1:8080", Tenant: "demo", Key: "k", PKCE: true}, false},
		{"neither", Config{API: "http://127.0.0.1:8080", Tenant: "demo"}, false},
		{"no tenant", Config{API: "http://127.0.0.1:8080", Key: "k"}, false},
		{"no API", Config{Tenant: "demo", Key: "k"}, false},
		{"API not http", Config{API: "ftp://x", Tenant: "demo", Key: "k"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := New(tt.cfg)
			if (err == nil) != tt.ok {
				t.Fatalf("New err = %v; want ok %v", err, tt.ok)
			}
			if p != nil {
				p.Close()
			}
		})
	}
}

func TestRunRefusesBadFlags(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"unknown flag", []string{"-bogus"}},
		{"no key, no pkce", []string{"-api", "http://127.0.0.1:1"}},
		{"bad API URL", []string{"-api", "ftp://x", "-key", "k"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out strings.Builder
			if err := run(tt.args, func(string) string { return "" }, &out); err == nil {
				t.Errorf("run(%q) = nil; want an error", tt.args)
			}
		})
	}
}
