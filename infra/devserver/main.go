// Command devserver runs the whole portalpass API as one local process,
// for frontend developers and tests: the embedded store and a dev inbox by
// default, or real DynamoDB, SES and SNS (or moto) when their endpoints
// are set. It is never deployed.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/portalpass/portalpass/infra/devserver/server"
)

func main() {
	opts := OptionsFromEnv()
	fs := flag.NewFlagSet("devserver", flag.ExitOnError)
	fs.IntVar(&opts.Port, "port", opts.Port, "port to listen on, on 127.0.0.1 (env PORT)")
	fs.StringVar(&opts.APIKey, "api-key", opts.APIKey, "admin API key of the demo tenant (env DEV_API_KEY; generated and printed when empty)")
	fs.StringVar(&opts.EmailFrom, "email-from", opts.EmailFrom, "sender address of emails (env EMAIL_FROM)")
	fs.StringVar(&opts.DynamoDBEndpoint, "dynamodb-endpoint", opts.DynamoDBEndpoint, "use DynamoDB at this endpoint instead of the embedded store (env DYNAMODB_ENDPOINT)")
	fs.StringVar(&opts.SESEndpoint, "ses-endpoint", opts.SESEndpoint, "send email through SES at this endpoint instead of the dev inbox (env SES_ENDPOINT)")
	fs.StringVar(&opts.SNSEndpoint, "sns-endpoint", opts.SNSEndpoint, "send SMS through SNS at this endpoint instead of the dev inbox (env SNS_ENDPOINT)")
	fs.StringVar(&opts.Table, "table", opts.Table, "DynamoDB table, created when missing (env TABLE_NAME)")
	fs.BoolVar(&opts.UseAWS, "aws", opts.UseAWS, "use the usual AWS environment (region, credentials) for DynamoDB, SES and SNS without endpoints (env DEV_USE_AWS=1)")
	fs.BoolVar(&opts.RelaxRateLimits, "relax-rate-limits", opts.RelaxRateLimits, "raise the rate limits (5 sends per address per 15 minutes, ...) far out of the way of local work (env DEV_RELAX_RATE_LIMITS=1)")
	printMetrics := os.Getenv("DEV_METRICS") == "1"
	fs.BoolVar(&printMetrics, "metrics", printMetrics, "print the metrics as a Lambda function does: CloudWatch EMF lines on standard output (env DEV_METRICS=1)")
	fs.DurationVar(&opts.RequestFloor, "request-floor", opts.RequestFloor, "least time a login request takes, so that known and unknown addresses answer alike; 0: the default, negative: none (env DEV_REQUEST_FLOOR_MS, in ms)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: go run ./infra/devserver [flags]\n\n"+
			"Serves the whole API on 127.0.0.1:$PORT, with a demo tenant \"demo\" and a dev inbox at /dev/inbox\n"+
			"(with SES or SNS endpoints, those messages are at <endpoint>/moto-api/data.json on moto instead).\n\n"+
			"Flags (each also set by the environment variable named):\n")
		fs.PrintDefaults()
		fmt.Fprintf(fs.Output(), "\nAlso read: AWS_REGION (default us-east-1), AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY\n"+
			"(dummy values are used with local endpoints), LOG_LEVEL (debug, info, warn, error).\n")
	}
	_ = fs.Parse(os.Args[1:])
	if printMetrics {
		opts.Metrics = os.Stdout
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	srv, err := server.Start(ctx, opts)
	if err != nil {
		slog.Error("devserver", "err", err)
		os.Exit(1)
	}
	fmt.Fprint(os.Stderr, banner(srv.URL, opts, srv.GeneratedKey))
	<-ctx.Done()
	srv.Close()
}

// OptionsFromEnv reads the dev server's environment.
func OptionsFromEnv() server.Options {
	o := server.Options{
		Port:             8080,
		APIKey:           os.Getenv("DEV_API_KEY"),
		EmailFrom:        os.Getenv("EMAIL_FROM"),
		DynamoDBEndpoint: os.Getenv("DYNAMODB_ENDPOINT"),
		SESEndpoint:      os.Getenv("SES_ENDPOINT"),
		SNSEndpoint:      os.Getenv("SNS_ENDPOINT"),
		Table:            os.Getenv("TABLE_NAME"),
		UseAWS:           os.Getenv("DEV_USE_AWS") == "1",
		RelaxRateLimits:  os.Getenv("DEV_RELAX_RATE_LIMITS") == "1",
		Region:           os.Getenv("AWS_REGION"),
	}
	if p, err := strconv.Atoi(os.Getenv("PORT")); err == nil {
		o.Port = p
	}
	o.RequestFloor = server.DevRequestFloor
	if ms, err := strconv.Atoi(os.Getenv("DEV_REQUEST_FLOOR_MS")); err == nil {
		o.RequestFloor = time.Duration(ms) * time.Millisecond
	}
	for _, origin := range strings.Split(os.Getenv("DASHBOARD_ORIGINS"), ",") {
		if origin = strings.ToLower(strings.TrimSpace(origin)); origin != "" {
			o.DashboardOrigins = append(o.DashboardOrigins, origin)
		}
	}
	if o.EmailFrom == "" {
		o.EmailFrom = "login@example.com"
	}
	if o.Table == "" {
		o.Table = "portalpass-dev"
	}
	if o.Region == "" {
		o.Region = "us-east-1"
	}
	return o
}

// banner is what the dev server prints at start: its pages, and where the
// messages it sends can be read, which is the dev inbox only for a
// channel without an endpoint.
func banner(url string, o server.Options, generatedKey string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "portalpass dev server on %s\n  login page:  %s/login\n", url, url)
	var inboxed []string
	channel := func(name, endpoint, motoKey, service string) {
		switch {
		case endpoint != "":
			fmt.Fprintf(&b, "  %-12s %s/moto-api/data.json (%s, on moto)\n", name+":", strings.TrimRight(endpoint, "/"), motoKey)
		case o.UseAWS:
			fmt.Fprintf(&b, "  %-12s sent for real by %s\n", name+":", service)
		default:
			inboxed = append(inboxed, name)
		}
	}
	channel("emails", o.SESEndpoint, "ses.Message", "SES")
	channel("SMS", o.SNSEndpoint, "sns.SMS", "SNS")
	switch len(inboxed) {
	case 2:
		fmt.Fprintf(&b, "  dev inbox:   %s/dev/inbox.html\n", url)
	case 1:
		fmt.Fprintf(&b, "  dev inbox:   %s/dev/inbox.html (%s only)\n", url, inboxed[0])
	}
	fmt.Fprintf(&b, "  demo portal: %s/portal\n", url)
	if o.RelaxRateLimits {
		b.WriteString("  rate limits: relaxed for local work\n")
	}
	if generatedKey != "" {
		fmt.Fprintf(&b, "  admin API key of tenant demo (shown once): %s\n", generatedKey)
	}
	return b.String()
}
