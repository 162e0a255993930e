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
	"syscall"

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
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: go run ./infra/devserver [flags]\n\n"+
			"Serves the whole API on 127.0.0.1:$PORT, with a demo tenant \"demo\" and a dev inbox at /dev/inbox.\n\n"+
			"Flags (each also set by the environment variable named):\n")
		fs.PrintDefaults()
		fmt.Fprintf(fs.Output(), "\nAlso read: AWS_REGION (default us-east-1), AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY\n"+
			"(dummy values are used with local endpoints), LOG_LEVEL (debug, info, warn, error).\n")
	}
	_ = fs.Parse(os.Args[1:])

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	srv, err := server.Start(ctx, opts)
	if err != nil {
		slog.Error("devserver", "err", err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "portalpass dev server on %s\n  login page:  %s/login\n  dev inbox:   %s/dev/inbox.html\n  demo portal: %s/portal\n",
		srv.URL, srv.URL, srv.URL, srv.URL)
	if srv.GeneratedKey != "" {
		fmt.Fprintf(os.Stderr, "  admin API key of tenant demo (shown once): %s\n", srv.GeneratedKey)
	}
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
		Region:           os.Getenv("AWS_REGION"),
	}
	if p, err := strconv.Atoi(os.Getenv("PORT")); err == nil {
		o.Port = p
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
