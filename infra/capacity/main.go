package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"github.com/portalpass/portalpass/pkg/awstest/motoserver"
)

// errMissed is run's answer when -check finds a goal missed.
var errMissed = errors.New("capacity: goals missed")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("capacity", flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int("n", 100, "logins in the burst (distinct contacts of one tenant, distinct client IPs)")
	check := fs.Bool("check", false, "exit 1 when a goal is missed")
	endpoint := fs.String("endpoint", os.Getenv("MOTO_ENDPOINT"), "moto_server URL (env MOTO_ENDPOINT); empty: start one on a free 127.0.0.1 port")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: go run ./infra/capacity [-n 100] [-check] [-endpoint URL]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *n < 1 {
		return errors.New("capacity: -n must be at least 1")
	}
	if *endpoint == "" {
		ep, stopMoto, err := startMoto(ctx)
		if err != nil {
			return err
		}
		defer stopMoto()
		*endpoint = ep
	}
	res, err := Run(ctx, Options{N: *n, Endpoint: *endpoint})
	if err != nil {
		return err
	}
	rep := Summarise(res)
	rep.Print(stdout, command(*n, *check))
	if *check && len(rep.Misses()) > 0 {
		return errMissed
	}
	return nil
}

// command is the command line that reproduces a run.
func command(n int, check bool) string {
	c := []string{"go run ./infra/capacity", fmt.Sprintf("-n %d", n)}
	if check {
		c = append(c, "-check")
	}
	return strings.Join(c, " ")
}

// startMoto starts moto_server on a free loopback port and returns its
// URL and a func that stops it by PID.
func startMoto(ctx context.Context) (string, func(), error) {
	url, stop, err := motoserver.Start(ctx)
	if err != nil {
		return "", nil, fmt.Errorf("capacity: %w", err)
	}
	return url, stop, nil
}
