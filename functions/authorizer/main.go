// Command authorizer is a Lambda authorizer for the API Gateway HTTP API
// (REQUEST type, payload format 2.0, simple responses) that puts a
// tenant's portal routes behind a portalpass session. It reads the
// session from Authorization: Bearer or the session cookie
// (__Host-pp_session, or __Secure-pp_session under a shared cookie
// domain), checks it through the core with one consistent read, and
// authorizes the request with tenantId, contactId and via in its context.
// Anything else, an error or a panic included, is a denial: it never
// returns an error to API Gateway.
package main

import (
	"log"

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
	return &authorizer{svc: svc, log: logger}
}
