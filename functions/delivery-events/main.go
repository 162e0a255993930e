// Command delivery-events is the Lambda function that SES's event
// destination feeds through an SNS topic: each message is an SES event
// record (Bounce, Complaint, Delivery, Reject, DeliveryDelay) that becomes
// an audit event on its contact, and a permanent bounce or complaint
// suppresses the address (API.md "Delivery status"). It serves no HTTP.
package main

import (
	"context"
	"fmt"
	"log"
	"log/slog"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/portalpass/portalpass/pkg/config"
	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/sesevent"
	"github.com/portalpass/portalpass/pkg/wire"
)

func main() {
	cfg, err := config.FromEnv()
	if err != nil {
		log.Fatal(err)
	}
	lambda.Start(newHandler(cfg).handle)
}

// handler processes the SNS messages of one invocation.
type handler struct {
	svc *login.Service
	log *slog.Logger
}

// newHandler wires the function once per cold start, with no network
// call. Tests pass extra DynamoDB options (a call counter).
func newHandler(cfg config.Config, dbOpts ...func(*dynamodb.Options)) *handler {
	svc, logger := wire.Service(cfg, wire.Attempts|wire.Audit|wire.Delivery, login.Deps{}, dbOpts...)
	return &handler{svc: svc, log: logger}
}

// handle records each message. A malformed record is logged and dropped:
// retrying cannot fix it. A failure to record is returned, so that
// Lambda retries the invocation (recording twice only repeats an audit
// event and a status).
func (h *handler) handle(ctx context.Context, ev events.SNSEvent) error {
	for _, r := range ev.Records {
		err := sesevent.Handle(ctx, h.svc, []byte(r.SNS.Message))
		switch login.ErrorCode(err) {
		case "":
		case login.CodeInvalidRequest:
			// The message names addresses: log only why it was refused.
			h.log.WarnContext(ctx, "delivery event dropped", "snsMessageId", r.SNS.MessageID, "reason", login.ErrorMessage(err))
		default:
			return fmt.Errorf("delivery-events: %w", err)
		}
	}
	return nil
}
