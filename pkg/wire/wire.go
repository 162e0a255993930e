// Package wire builds, once per Lambda cold start, the core every
// function needs from its configuration: the login service over
// DynamoDB and its logger. It makes no network call. What only some
// functions need lives in subpackages, so that the others do not link
// it: package senders holds the SES and SNS senders, package httpwire
// the HTTP layer's configuration (and with it pkg/httpapi and the API
// Gateway proxy, which the authorizer, serving no HTTP, goes without).
package wire

import (
	"errors"
	"io"
	"log/slog"
	"os"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/portalpass/portalpass/pkg/config"
	"github.com/portalpass/portalpass/pkg/identifier/e164"
	"github.com/portalpass/portalpass/pkg/logctx"
	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/metrics"
	"github.com/portalpass/portalpass/pkg/store/dynamo"
)

// Roles names the store roles (login.Deps) that a function's flows call.
type Roles uint16

// The store roles.
const (
	Tenants Roles = 1 << iota
	Keys
	Contacts
	Attempts
	Sessions
	Audit
	Actions
	Handoffs
	// Delivery is the email addresses' delivery status; Contacts brings
	// it too, since the admin flows check it before they send.
	Delivery
)

// Service returns the core over the configured table, serving only the
// store roles named, with the senders and signer d holds (the rest of d
// is filled from cfg, its Observer with the metrics on standard output
// unless d has one), and its logger. dbOpts are extra DynamoDB client
// options (tests count calls with them).
func Service(cfg config.Config, roles Roles, d login.Deps, dbOpts ...func(*dynamodb.Options)) (*login.Service, *slog.Logger) {
	aws := cfg.AWS() // from Lambda's environment: no file reads, no network
	dbOpts = append(dbOpts, func(o *dynamodb.Options) {
		o.BaseEndpoint = config.ServiceEndpoint(cfg.DynamoDBEndpoint, o.BaseEndpoint)
	})
	logger := Logger(cfg.LogLevel)
	st := dynamo.New(dynamodb.NewFromConfig(aws, dbOpts...), cfg.Table, dynamo.WithAuditRetention(cfg.AuditRetention))
	d.Store = nil
	if roles&Tenants != 0 {
		d.Tenants = st
	}
	if roles&Keys != 0 {
		d.Keys = st
	}
	if roles&Contacts != 0 {
		d.Contacts, d.Delivery = st, st
	}
	if roles&Delivery != 0 {
		d.Delivery = st
	}
	if roles&Attempts != 0 {
		d.Attempts = st
	}
	if roles&Sessions != 0 {
		d.Sessions = st
	}
	if roles&Audit != 0 {
		d.Audit = st
	}
	if roles&Actions != 0 {
		d.Actions = st
	}
	if roles&Handoffs != 0 {
		d.Handoffs = st
	}
	d.BaseURL, d.Logger, d.AuditRetention = cfg.PublicBaseURL, logger, cfg.AuditRetention
	d.SMSCountries = cfg.SMSCountries
	// SMS protection (country, landline) reads the number types; a
	// function that sends SMS gets them whether or not its main says so.
	d.Phones = e164.SMSInfo
	d.RequestFloor = cfg.LoginRequestFloor
	d.RateLimits = login.RateLimits{} // DESIGN.md's limits: relaxing them is for the dev server only
	if d.Observer == nil {
		// Metrics are EMF lines on standard output, which Lambda sends to
		// CloudWatch Logs beside the log lines: no call to CloudWatch.
		d.Observer = metrics.New(os.Stdout, os.Getenv("AWS_LAMBDA_FUNCTION_NAME"))
	}
	return login.New(d), logger
}

// Logger is a function's JSON logger to standard error, which Lambda
// sends to CloudWatch Logs. Every line logged with a request's context
// carries its ids, route and tenant (pkg/logctx), and an error its code
// and cause; what looks like a secret is redacted. It is here rather
// than in pkg/lambdahttp so that a function serving no HTTP gets it
// without the API Gateway proxy; the dev server uses it too.
func Logger(level slog.Level) *slog.Logger {
	return NewLogger(os.Stderr, level)
}

// NewLogger is Logger writing to w (tests read it).
func NewLogger(w io.Writer, level slog.Level) *slog.Logger {
	json := slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level})
	return slog.New(logctx.NewHandler(json, logctx.Options{ErrorDetail: errorDetail}))
}

// errorDetail names an error's login code (internal for any error that
// is not a *login.Error) and the cause a *login.Error wraps.
func errorDetail(err error) (code, cause string) {
	code = string(login.ErrorCode(err))
	var e *login.Error
	if errors.As(err, &e) && e.Err != nil {
		cause = e.Err.Error()
	}
	return code, cause
}
