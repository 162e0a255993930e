// Command generate-link is the Lambda function for admin links: one-time login
// and recovery links, sent or shown, and reusable deep links (action links).
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
	"github.com/portalpass/portalpass/pkg/wire/senders"
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
	var d login.Deps
	d.Email, d.SMS = senders.New(cfg)
	svc, logger := wire.Service(cfg, wire.Tenants|wire.Keys|wire.Contacts|wire.Attempts|wire.Sessions|wire.Audit|wire.Actions, d, dbOpts...)
	h := httpwire.HTTP(cfg, svc, logger)
	return httpapi.Links(h)
}
