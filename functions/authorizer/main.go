// Command authorizer is a Lambda authorizer for the API Gateway HTTP API
// (REQUEST type, payload format 2.0, simple responses) that puts a
// tenant's portal routes behind a portalpass session. It reads the
// session from Authorization: Bearer or the session cookie
// (__Host-pp_session, or __Secure-pp_session under a shared cookie
// domain), checks it through the core with one consistent read, and
// authorizes the request with tenantId, contactId and via in its context
// when the session's tenant is one of AUTHORIZER_TENANTS (none: every
// request is denied). Anything else, an error or a panic included, is a
// denial: it never returns an error to API Gateway.
package main

import (
	"log"
	"log/slog"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/portalpass/portalpass/pkg/config"
	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/wire"
)

func main() {
	cfg, err := config.FromEnv()
	if err != nil {
		log.Fatal(err)
	}
	lambda.Start(newHandler(cfg).Authorize)
}

// newHandler wires the function once per cold start: AWS clients are
// built from the configuration with no network call. Tests pass extra
// DynamoDB options (a call counter).
func newHandler(cfg config.Config, dbOpts ...func(*dynamodb.Options)) *authorizer {
	svc, logger := wire.Service(cfg, wire.Tenants|wire.Sessions, login.Deps{}, dbOpts...)
	return newAuthorizer(svc, logger, cfg.AuthorizerTenants)
}

// newAuthorizer logs, once per cold start, which tenants it allows: a
// stack deployed without AUTHORIZER_TENANTS shows in its logs why its
// portal routes answer 403.
func newAuthorizer(svc *login.Service, logger *slog.Logger, tenants []string) *authorizer {
	if len(tenants) == 0 {
		logger.Warn("authorizer: AUTHORIZER_TENANTS is empty: every request is denied")
	} else {
		logger.Info("authorizer: allowing the sessions of these tenants only", "tenants", tenants)
	}
	return &authorizer{svc: svc, log: logger, tenants: tenants}
}
