// Command invite is the Lambda function for the admin contacts and invites
// routes: tenant-scoped API keys, contacts, and invitations sent by SES.
package main

import (
	"log"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	awssns "github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/portalpass/portalpass/pkg/config"
	"github.com/portalpass/portalpass/pkg/httpapi"
	"github.com/portalpass/portalpass/pkg/identifier/e164"
	"github.com/portalpass/portalpass/pkg/lambdahttp"
	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/send/ses"
	"github.com/portalpass/portalpass/pkg/send/sns"
	"github.com/portalpass/portalpass/pkg/store/dynamo"
)

func main() {
	cfg, err := config.FromEnv()
	if err != nil {
		log.Fatal(err)
	}
	lambdahttp.Start(newHandler(cfg))
}

// newHandler wires the function once per cold start: AWS clients are
// built from the configuration with no network call. Tests pass extra
// DynamoDB options (a call counter).
func newHandler(cfg config.Config, dbOpts ...func(*dynamodb.Options)) http.Handler {
	aws := cfg.AWS() // from Lambda's environment: no file reads, no network
	dbOpts = append(dbOpts, func(o *dynamodb.Options) {
		o.BaseEndpoint = config.ServiceEndpoint(cfg.DynamoDBEndpoint, o.BaseEndpoint)
	})
	logger := lambdahttp.Logger(cfg.LogLevel)
	svc := login.New(login.Deps{
		Store: dynamo.New(dynamodb.NewFromConfig(aws, dbOpts...), cfg.Table),
		Email: ses.New(sesv2.NewFromConfig(aws, func(o *sesv2.Options) {
			o.BaseEndpoint = config.ServiceEndpoint(cfg.SESEndpoint, o.BaseEndpoint)
		}), cfg.EmailFrom),
		SMS: sns.New(awssns.NewFromConfig(aws, func(o *awssns.Options) {
			o.BaseEndpoint = config.ServiceEndpoint(cfg.SNSEndpoint, o.BaseEndpoint)
		})),
		BaseURL: cfg.PublicBaseURL, Logger: logger, AuditRetention: cfg.AuditRetention,
	})
	return httpapi.Contacts(httpapi.Config{
		Service: svc, BaseURL: cfg.PublicBaseURL, Logger: logger,
		ClientIP: lambdahttp.ClientIP, RequestID: lambdahttp.RequestID,
		Identifiers: e164.Parser, // this function accepts new phone numbers: validate them
	})
}
