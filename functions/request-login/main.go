// Command request-login is the Lambda function for POST /v1/login/request
// and the login pages: it finds the customer, stores one login attempt and
// sends its link and code by SES and SNS; a send that still fails
// transiently goes to the send queue that functions/send-retry drains.
package main

import (
	"log"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/portalpass/portalpass/pkg/config"
	"github.com/portalpass/portalpass/pkg/httpapi"
	"github.com/portalpass/portalpass/pkg/lambdahttp"
	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/sendqueue/sqsqueue"
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
	return handlerWith(cfg, d, dbOpts...)
}

// handlerWith is newHandler with the senders in d given: tests inject
// provider faults into them.
func handlerWith(cfg config.Config, d login.Deps, dbOpts ...func(*dynamodb.Options)) http.Handler {
	// A send that still fails transiently goes to the send queue, whose
	// SQS and KMS clients are built only when one does (nil without
	// SEND_QUEUE_URL: the failure is audited at once).
	d.SendQueue = sqsqueue.FromConfig(cfg)
	svc, logger := wire.Service(cfg, wire.Tenants|wire.Contacts|wire.Attempts|wire.Sessions|wire.Audit, d, dbOpts...)
	return httpapi.Customer(httpwire.HTTP(cfg, svc, logger))
}
