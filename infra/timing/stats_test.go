package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestQuantile(t *testing.T) {
	var s []time.Duration
	for i := 10; i >= 1; i-- {
		s = append(s, time.Duration(i))
	}
	if q := quantile(s, 0.5); q != 5 {
		t.Errorf("median = %v; want 5", q)
	}
	if q := quantile(s, 0.9); q != 9 {
		t.Errorf("p90 = %v; want 9", q)
	}
	if s[0] != 10 {
		t.Error("quantile sorted its argument")
	}
}

func TestReport(t *testing.T) {
	ms := time.Millisecond
	var b bytes.Buffer
	if !report(&b, "x", map[string][]time.Duration{"known": {50 * ms}, "unknown": {52 * ms}, "disabled": {54 * ms}}, 50*ms, 0.10) {
		t.Errorf("8%% apart reported outside 10%%:\n%s", &b)
	}
	if report(&b, "x", map[string][]time.Duration{"known": {50 * ms}, "unknown": {1 * ms}, "disabled": {50 * ms}}, 50*ms, 0.10) {
		t.Errorf("50 ms against 1 ms reported within 10%%")
	}
	if !strings.Contains(b.String(), "OUTSIDE") {
		t.Errorf("no OUTSIDE in:\n%s", &b)
	}
}
