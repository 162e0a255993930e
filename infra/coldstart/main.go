package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"
)

// multiFlag collects a repeated flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("coldstart", flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int("n", 30, "measured starts per function")
	check := fs.Bool("check", false, "exit 1 when a function's median exceeds -max times bare's")
	maxRatio := fs.Float64("max", 2.0, "largest allowed ratio to bare with -check")
	timeout := fs.Duration("timeout", 10*time.Second, "longest wait for one start's response")
	verbose := fs.Bool("v", false, "print each start's time")
	var events, env multiFlag
	fs.Var(&events, "event", "name=path: the API Gateway v2 event fed to a function (repeatable)")
	fs.Var(&env, "env", "KEY=VALUE added to every function's environment (repeatable)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: go run ./infra/coldstart [flags] [function name or dir...]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *n < 1 {
		return errors.New("coldstart: -n must be at least 1")
	}
	eventPaths := map[string]string{}
	for _, e := range events {
		name, path, ok := strings.Cut(e, "=")
		if !ok || name == "" || path == "" {
			return fmt.Errorf("coldstart: -event %q: want name=path", e)
		}
		eventPaths[name] = path
	}
	for _, e := range env {
		if k, _, ok := strings.Cut(e, "="); !ok || k == "" {
			return fmt.Errorf("coldstart: -env %q: want KEY=VALUE", e)
		}
	}

	root, err := moduleRoot()
	if err != nil {
		return err
	}
	targets, err := findTargets(root, fs.Args())
	if err != nil {
		return err
	}
	if len(targets) == 1 {
		fmt.Fprintln(stderr, "coldstart: no functions under functions/: measuring bare only")
	}
	for _, t := range targets {
		if t.event, t.eventFrom, err = loadEvent(root, t.name, eventPaths); err != nil {
			return err
		}
	}

	tmp, err := os.MkdirTemp("", "coldstart-")
	if err != nil {
		return fmt.Errorf("coldstart: %w", err)
	}
	defer os.RemoveAll(tmp)
	// A function that does not build is reported and left out, so the
	// others are still measured; the run then fails.
	var buildErrs []error
	built := targets[:0]
	for i, t := range targets {
		fmt.Fprintf(stderr, "building %s\n", t.name)
		if err := build(t, tmp); err != nil {
			if i == 0 {
				return err // no baseline, no ratios
			}
			fmt.Fprintln(stderr, err)
			buildErrs = append(buildErrs, fmt.Errorf("coldstart: %s did not build", t.name))
			continue
		}
		built = append(built, t)
	}
	targets = built

	r := runner{timeout: *timeout, extraEnv: env}
	// One unmeasured round warms the page cache and the Runtime API.
	for _, t := range targets {
		if _, err := r.start(t); err != nil {
			return err
		}
	}
	for round := range *n {
		// Rotate the order each round so no function always follows
		// the same one.
		for i := range targets {
			t := targets[(i+round)%len(targets)]
			d, err := r.start(t)
			if err != nil {
				return err
			}
			t.samples = append(t.samples, d)
			if *verbose {
				fmt.Fprintf(stderr, "round %d %s %.2f ms\n", round+1, t.name, ms(d))
			}
		}
	}

	over := report(stdout, targets, *n)
	if names := over(*maxRatio); *check && len(names) > 0 {
		buildErrs = append(buildErrs, fmt.Errorf("coldstart: over %.1fx bare: %s", *maxRatio, strings.Join(names, ", ")))
	}
	return errors.Join(buildErrs...)
}

// report prints the table and returns a function listing the targets
// whose ratio to bare exceeds a limit.
func report(w io.Writer, targets []*target, n int) func(float64) []string {
	base := median(targets[0].samples)
	fmt.Fprintf(w, "cold start: process start to first response, %d starts each (%s)\n", n, hostInfo())
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "function\tstatus\tmedian ms\tp90 ms\tmin ms\tx bare\tsize MiB\tevent\t")
	for _, t := range targets {
		fmt.Fprintf(tw, "%s\t%d\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%s\t\n",
			t.name, t.status, ms(median(t.samples)), ms(percentile(t.samples, 90)), ms(percentile(t.samples, 0)),
			ratio(median(t.samples), base), float64(t.size)/(1<<20), t.eventFrom)
	}
	tw.Flush()
	return func(limit float64) []string {
		var names []string
		for _, t := range targets[1:] {
			if r := ratio(median(t.samples), base); r > limit {
				names = append(names, fmt.Sprintf("%s %.2fx", t.name, r))
			}
		}
		return names
	}
}
