// Command session is the Lambda function for GET /v1/session,
// POST /v1/logout, the portal hand-off exchange, POST /v1/session/token
// (a short-lived ES256 JWT of the session, signed by KMS) and
// GET /.well-known/jwks.json: one consistent read of the session and its
// contact per request.
//
// JWT_KEY_IDS lists the KMS keys (ids, ARNs or aliases, comma-separated)
// whose public halves the JWKS publishes; the first one signs. Unset, no
// JWT is minted and the JWKS is empty.
package main

import (
	"fmt"
	"log"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/portalpass/portalpass/pkg/config"
	"github.com/portalpass/portalpass/pkg/httpapi"
	"github.com/portalpass/portalpass/pkg/jwtsign"
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
	h, err := newHandler(cfg)
	if err != nil {
		log.Fatal(err)
	}
	lambdahttp.Start(h)
}

// newHandler wires the function once per cold start: AWS clients are
// built from the configuration with no network call (KMS is first called
// when a JWT or the JWKS is asked for). Tests pass extra DynamoDB options
// (a call counter).
func newHandler(cfg config.Config, dbOpts ...func(*dynamodb.Options)) (http.Handler, error) {
	var signer login.Signer
	if len(cfg.JWTKeyIDs) > 0 {
		keys, err := jwtsign.NewKMSKeys(kms.NewFromConfig(cfg.AWS()), cfg.JWTKeyIDs)
		if err != nil {
			return nil, fmt.Errorf("session: JWT keys: %w", err)
		}
		signer = keys
	}
	return newHandlerWith(cfg, signer, dbOpts...), nil
}

// newHandlerWith is newHandler with the JWT signer given (nil: none).
func newHandlerWith(cfg config.Config, signer login.Signer, dbOpts ...func(*dynamodb.Options)) http.Handler {
	svc, logger := wire.Service(cfg, wire.Tenants|wire.Keys|wire.Contacts|wire.Sessions|wire.Audit|wire.Handoffs, login.Deps{Signer: signer}, dbOpts...)
	return httpapi.Session(httpwire.HTTP(cfg, svc, logger))
}
