package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/portalpass/portalpass/infra/devserver/server"
	"github.com/portalpass/portalpass/pkg/awstest/motoserver"
)

// childEnv, when set to a kind, makes this program the child process of
// the first-request measurement.
const childEnv = "PORTALPASS_TIMING_CHILD"

func main() {
	if kind := os.Getenv(childEnv); kind != "" {
		if err := child(kind); err != nil {
			fmt.Fprintln(os.Stderr, "timing child:", err)
			os.Exit(2)
		}
		return
	}
	ok, err := run(os.Args[1:], os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "timing:", err)
		os.Exit(2)
	}
	if !ok {
		os.Exit(1)
	}
}

func run(args []string, stdout io.Writer) (bool, error) {
	fs := flag.NewFlagSet("timing", flag.ContinueOnError)
	n := fs.Int("n", 100, "login requests per kind on each in-process server")
	procs := fs.Int("procs", 30, "fresh processes per kind for the first request")
	floor := fs.Duration("floor", server.DevRequestFloor, "the dev server's login-request floor on the embedded store and in the fresh processes")
	motoFloor := fs.Duration("moto-floor", 750*time.Millisecond, "the floor on moto, whose DynamoDB and SES calls take far longer than on AWS (p90 of a known identifier 0.55 s on 2 shared cores)")
	bound := fs.Float64("bound", 0.10, "how far apart the medians may be (slowest/fastest - 1)")
	noMoto := fs.Bool("no-moto", false, "skip the measurement on moto")
	check := fs.Bool("check", false, "exit 1 when a measurement's medians are outside -bound")
	if err := fs.Parse(args); err != nil {
		return false, err
	}
	ctx := context.Background()
	allOK := true

	fmt.Fprintf(stdout, "POST /v1/login/request: known, unknown and disabled identifiers (bound %.0f%%)\n\n", *bound*100)
	t, err := startServer(ctx, *floor, "")
	if err != nil {
		return false, err
	}
	s, err := interleaved(t, "embedded", *n)
	t.srv.Close()
	if err != nil {
		return false, err
	}
	allOK = report(stdout, fmt.Sprintf("embedded store, dev inbox, floor %v, %d interleaved requests per kind:", *floor, *n), s, *floor, *bound) && allOK

	if !*noMoto {
		ep, stop, err := moto()
		if err != nil {
			return false, err
		}
		t, err := startServer(ctx, *motoFloor, ep)
		if err == nil {
			s, err = interleaved(t, "moto", *n)
			t.srv.Close()
		}
		stop()
		if err != nil {
			return false, err
		}
		allOK = report(stdout, fmt.Sprintf("moto (DynamoDB, SES), floor %v, %d interleaved requests per kind:", *motoFloor, *n), s, *motoFloor, *bound) && allOK
	}

	s, err = firstRequests(*procs, *floor)
	if err != nil {
		return false, err
	}
	allOK = report(stdout, fmt.Sprintf("first login request of a fresh process, embedded store, floor %v, %d processes per kind:", *floor, *procs), s, *floor, *bound) && allOK

	if allOK {
		fmt.Fprintln(stdout, "all within bound")
	} else {
		fmt.Fprintln(stdout, "NOT all within bound")
	}
	return allOK || !*check, nil
}

// moto returns moto_server's endpoint: MOTO_ENDPOINT, else one started on
// a free loopback port, which stop kills by its PID.
func moto() (endpoint string, stop func(), err error) {
	if e := os.Getenv("MOTO_ENDPOINT"); e != "" {
		return e, func() {}, nil
	}
	return motoserver.Start(context.Background())
}

// firstRequests starts this program's binary procs times per kind, kinds
// interleaved, each child timing its process's first login request.
func firstRequests(procs int, floor time.Duration) (map[string][]time.Duration, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	out := map[string][]time.Duration{}
	for i := range procs {
		for j := range kinds {
			k := kinds[(i+j)%len(kinds)]
			cmd := exec.Command(self)
			cmd.Env = append(os.Environ(), childEnv+"="+k, "DEV_REQUEST_FLOOR_MS="+strconv.FormatInt(floor.Milliseconds(), 10))
			cmd.Stderr = os.Stderr
			b, err := cmd.Output()
			if err != nil {
				return nil, fmt.Errorf("child %s: %w", k, err)
			}
			ns, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
			if err != nil {
				return nil, fmt.Errorf("child %s said %q", k, b)
			}
			out[k] = append(out[k], time.Duration(ns))
		}
	}
	return out, nil
}

// child starts a dev server on the embedded store, makes the contact its
// kind needs and prints, in nanoseconds, how long the process's first
// login request took.
func child(kind string) error {
	ms, err := strconv.Atoi(os.Getenv("DEV_REQUEST_FLOOR_MS"))
	if err != nil {
		return errors.New("DEV_REQUEST_FLOOR_MS is not set")
	}
	t, err := startServer(context.Background(), time.Duration(ms)*time.Millisecond, "")
	if err != nil {
		return err
	}
	defer t.srv.Close()
	email := address("first", kind, 0)
	if err := t.seed(kind, email); err != nil {
		return err
	}
	d, err := t.request(email)
	if err != nil {
		return err
	}
	fmt.Println(int64(d))
	return nil
}
