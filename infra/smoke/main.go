package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	o := Options{Out: os.Stdout}
	fs := flag.NewFlagSet("smoke", flag.ExitOnError)
	fs.StringVar(&o.URL, "url", os.Getenv("SMOKE_URL"), "base URL of the API, e.g. the stack's ApiUrl output (env SMOKE_URL)")
	fs.StringVar(&o.APIKey, "api-key", "", "admin API key of the tenant to test in (env SMOKE_API_KEY; prefer the variable: flags show in ps)")
	fs.StringVar(&o.Inbox, "inbox", os.Getenv("SMOKE_INBOX"), `where to read the login message: "dev" (the dev server's /dev/inbox), "moto" or "moto:URL" (moto's SES at http://127.0.0.1:5000 or URL), or the URL of a JSON inbox shaped like /dev/inbox; empty: no inbox, redeem a recovery link from the admin API instead (env SMOKE_INBOX)`)
	fs.StringVar(&o.Domain, "domain", DefaultDomain, "domain of the test address; on "+DefaultDomain+" (SES's mailbox simulator, which counts no bounce) the address is success+smoke-<random>@, elsewhere smoke+<random>@")
	fs.StringVar(&o.Via, "via", "link", `how to log in: "link" (the continue page and its form, as a browser) or "code" (POST /v1/login/code; needs -inbox)`)
	fs.DurationVar(&o.StepTimeout, "step-timeout", DefaultStepTimeout, "time limit of each HTTP request")
	fs.DurationVar(&o.InboxWait, "inbox-wait", DefaultInboxWait, "how long to wait for a message to reach the inbox")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: go run ./infra/smoke -url BASE -api-key KEY [flags]\n\n"+
			"Runs the login walkthrough against a deployed API and exits 1 at the first failing step.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	_ = fs.Parse(os.Args[1:])
	// The key is read from the environment after parsing, not as the
	// flag's default, so that -h never prints it.
	if o.APIKey == "" {
		o.APIKey = os.Getenv("SMOKE_API_KEY")
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := Run(ctx, o); err != nil {
		fmt.Fprintf(os.Stderr, "smoke: FAIL: %v\n", err)
		os.Exit(1)
	}
	fmt.Fprintln(os.Stdout, "smoke: OK")
}
