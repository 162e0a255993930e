// Package wire builds, once per Lambda cold start, the core every
// function needs from its configuration: the login service over
// DynamoDB and its logger. It makes no network call. What only some
// functions need lives in subpackages, so that the others do not link
// it: package senders holds the SES and SNS senders, package httpwire
// the HTTP layer's configuration (and with it pkg/httpapi and the API
// Gateway proxy, which the authorizer, serving no HTTP, goes without).
package wire

import (
	"log/slog"
	"os"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/portalpass/portalpass/pkg/config"
	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/store/dynamo"
)

// Service returns the core over the configured table, with the senders
// and signer d holds (the rest of d is filled from cfg), and its logger.
// dbOpts are extra DynamoDB client options (tests count calls with them).
func Service(cfg config.Config, d login.Deps, dbOpts ...func(*dynamodb.Options)) (*login.Service, *slog.Logger) {
	aws := cfg.AWS() // from Lambda's environment: no file reads, no network
	dbOpts = append(dbOpts, func(o *dynamodb.Options) {
		o.BaseEndpoint = config.ServiceEndpoint(cfg.DynamoDBEndpoint, o.BaseEndpoint)
	})
	logger := Logger(cfg.LogLevel)
	d.Store = dynamo.New(dynamodb.NewFromConfig(aws, dbOpts...), cfg.Table, dynamo.WithAuditRetention(cfg.AuditRetention))
	d.BaseURL, d.Logger, d.AuditRetention = cfg.PublicBaseURL, logger, cfg.AuditRetention
	return login.New(d), logger
}

// Logger is a function's JSON logger to standard error, which Lambda
// sends to CloudWatch Logs. It is here rather than in pkg/lambdahttp so
// that a function serving no HTTP gets it without the API Gateway proxy.
func Logger(level slog.Level) *slog.Logger {
	return slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
}
