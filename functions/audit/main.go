// Command audit is the Lambda function that reads a tenant's audit log, newest
// first, filtered by contact and type, page by page.
package main

import (
	"log"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/portalpass/portalpass/pkg/config"
	"github.com/portalpass/portalpass/pkg/httpapi"
	"github.com/portalpass/portalpass/pkg/lambdahttp"
	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/wire"
	"github.com/portalpass/portalpass/pkg/wire/httpwire"
)

func main() {
	cfg, err := config.FromEnv()
	if err != nil {
		log.Fatal(err)
	}
	lambdahttp.Start(newHandler(cfg))
}

// newHandler wires the function once per cold start, with no network
// call. Tests pass extra DynamoDB options (a call counter).
func newHandler(cfg config.Config, dbOpts ...func(*dynamodb.Options)) http.Handler {
	svc, logger := wire.Service(cfg, wire.Tenants|wire.Keys|wire.Audit, login.Deps{}, dbOpts...)
	h := httpwire.HTTP(cfg, svc, logger)
	return httpapi.Audit(h)
}
