package main

import (
	"fmt"
	"io"
	"slices"
	"time"
)

// kinds are the identifiers compared, in the order printed.
var kinds = []string{"known", "unknown", "disabled"}

// quantile returns the q-quantile of samples (nearest rank).
func quantile(samples []time.Duration, q float64) time.Duration {
	if len(samples) == 0 {
		return 0
	}
	s := slices.Clone(samples)
	slices.Sort(s)
	i := int(q*float64(len(s))+0.5) - 1
	return s[min(max(i, 0), len(s)-1)]
}

// spread is the slowest median over the fastest, minus one.
func spread(medians []time.Duration) float64 {
	lo, hi := slices.Min(medians), slices.Max(medians)
	if lo <= 0 {
		return 0
	}
	return float64(hi)/float64(lo) - 1
}

// report prints one measurement's table and says whether its medians are
// within bound. late counts the requests that took over 10% longer than
// the floor: their work outlasted it.
func report(w io.Writer, title string, samples map[string][]time.Duration, floor time.Duration, bound float64) bool {
	fmt.Fprintf(w, "%s\n", title)
	fmt.Fprintf(w, "  %-9s %5s %10s %10s %5s\n", "kind", "n", "median", "p90", "late")
	var medians []time.Duration
	for _, k := range kinds {
		s := samples[k]
		m := quantile(s, 0.5)
		medians = append(medians, m)
		late := 0
		for _, d := range s {
			if float64(d) > 1.1*float64(floor) {
				late++
			}
		}
		fmt.Fprintf(w, "  %-9s %5d %10s %10s %5d\n", k, len(s), ms(m), ms(quantile(s, 0.9)), late)
	}
	sp := spread(medians)
	ok := sp <= bound
	verdict := "within"
	if !ok {
		verdict = "OUTSIDE"
	}
	fmt.Fprintf(w, "  medians %s %.0f%% of each other (spread %.1f%%)\n\n", verdict, bound*100, sp*100)
	return ok
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond)) }
