// Package wire builds, once per Lambda cold start, what every function
// needs from its configuration: the core over DynamoDB and the HTTP
// layer's configuration. It makes no network call. The senders live in
// package senders, so that functions that send nothing link no SES or
// SNS client.
package wire

import (
	"log/slog"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/portalpass/portalpass/pkg/config"
	"github.com/portalpass/portalpass/pkg/httpapi"
	"github.com/portalpass/portalpass/pkg/lambdahttp"
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
	logger := lambdahttp.Logger(cfg.LogLevel)
	d.Store = dynamo.New(dynamodb.NewFromConfig(aws, dbOpts...), cfg.Table, dynamo.WithAuditRetention(cfg.AuditRetention))
	d.BaseURL, d.Logger, d.AuditRetention = cfg.PublicBaseURL, logger, cfg.AuditRetention
	return login.New(d), logger
}

// HTTP returns the HTTP layer's configuration on Lambda: client IP and
// request id from API Gateway's request context.
func HTTP(cfg config.Config, svc *login.Service, logger *slog.Logger) httpapi.Config {
	h := httpapi.Config{
		Service: svc, BaseURL: cfg.PublicBaseURL, Logger: logger,
		ClientIP: lambdahttp.ClientIP, RequestID: lambdahttp.RequestID,
	}
	if cfg.AdminTenantClaim != "" {
		h.AdminClaims = lambdahttp.JWTClaims(cfg.AdminTenantClaim)
	}
	return h
}
