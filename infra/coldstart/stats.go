package main

import (
	"fmt"
	"runtime"
	"slices"
	"time"
)

// median returns the middle of ds (the mean of the two middle values for
// an even count); 0 for none.
func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(ds))
	m := len(s) / 2
	if len(s)%2 == 1 {
		return s[m]
	}
	return (s[m-1] + s[m]) / 2
}

// percentile returns the nearest-rank p-th percentile of ds; 0 for none.
func percentile(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(ds))
	rank := (p*len(s) + 99) / 100 // ceil(p/100 * n)
	return s[max(rank, 1)-1]
}

// ratio returns d/base, or 0 when base is 0.
func ratio(d, base time.Duration) float64 {
	if base == 0 {
		return 0
	}
	return float64(d) / float64(base)
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func hostInfo() string {
	return fmt.Sprintf("%s/%s, %d CPUs, %s", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version())
}
