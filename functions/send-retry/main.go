// Command send-retry is the Lambda function that drains the send queue
// (README "Delivery and retries"): each SQS record is a login message
// whose send failed transiently in request-login, sealed with the
// stack's KMS key. It opens the message, drops it when its link expired,
// and sends it again with the same senders: the same link and code,
// never a new one. A transient failure goes back to the queue as a batch
// item failure, so that SQS offers it again after the visibility
// timeout; on the last receive (SEND_MAX_RECEIVE_COUNT, the queue's
// maxReceiveCount) or a permanent failure, the message's contacts get
// delivery.failed in their audit, and the message goes to the
// dead-letter queue (last receive) or is deleted (permanent). It serves
// no HTTP.
package main

import (
	"context"
	"errors"
	"log"
	"log/slog"
	"strconv"
	"sync"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/portalpass/portalpass/pkg/config"
	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/sendqueue"
	"github.com/portalpass/portalpass/pkg/wire"
	"github.com/portalpass/portalpass/pkg/wire/senders"
)

func main() {
	cfg, err := config.FromEnv()
	if err != nil {
		log.Fatal(err)
	}
	h := newHandler(cfg)
	if cfg.SendQueueKeyID == "" {
		// The template always sets it. Without it no message opens:
		// each is offered again and ends in the dead-letter queue,
		// never lost; say why once per container.
		h.log.Error("send-retry: SEND_QUEUE_KEY_ID is not set; queued messages cannot be opened")
	}
	lambda.Start(h.handle)
}

// handler tries the queued sends of one invocation.
type handler struct {
	svc         *login.Service
	sealer      sendqueue.Sealer
	maxReceives int
	log         *slog.Logger
}

// newHandler wires the function once per cold start, with no network
// call. Tests pass extra DynamoDB options (a call counter).
func newHandler(cfg config.Config, dbOpts ...func(*dynamodb.Options)) *handler {
	var d login.Deps
	d.Email, d.SMS = senders.New(cfg)
	return handlerWith(cfg, d, sendqueue.KMSFromConfig(cfg), dbOpts...)
}

// handlerWith is newHandler with the senders (in d) and the sealer
// given: tests inject faults into them.
func handlerWith(cfg config.Config, d login.Deps, sealer sendqueue.Sealer, dbOpts ...func(*dynamodb.Options)) *handler {
	// Only the audit is written: the attempt was stored by the request.
	svc, logger := wire.Service(cfg, wire.Audit, d, dbOpts...)
	return &handler{svc: svc, sealer: sealer, maxReceives: cfg.MaxReceives(), log: logger}
}

// handle tries every record at once (each send has its own bounded
// time, and the batch must end well inside the visibility timeout) and
// reports those to be offered again.
func (h *handler) handle(ctx context.Context, ev events.SQSEvent) (events.SQSEventResponse, error) {
	again := make([]bool, len(ev.Records))
	var wg sync.WaitGroup
	for i, r := range ev.Records {
		wg.Add(1)
		go func() {
			defer wg.Done()
			again[i] = h.one(ctx, r)
		}()
	}
	wg.Wait()
	resp := events.SQSEventResponse{BatchItemFailures: []events.SQSBatchItemFailure{}}
	for i, r := range ev.Records {
		if again[i] {
			resp.BatchItemFailures = append(resp.BatchItemFailures, events.SQSBatchItemFailure{ItemIdentifier: r.MessageId})
		}
	}
	return resp, nil
}

// one tries one record and reports whether SQS should keep it: to offer
// it again, or, after the last receive, to move it to the dead-letter
// queue. Log lines name the SQS message id, never the message.
func (h *handler) one(ctx context.Context, r events.SQSMessage) bool {
	last := receiveCount(r) >= h.maxReceives
	q, err := sendqueue.Open(ctx, h.sealer, r.Body)
	switch {
	case errors.Is(err, sendqueue.ErrGarbled):
		// Not a message of this stack's (or not for the tenant it
		// names): nobody to audit it on, and no retry can fix it.
		h.log.ErrorContext(ctx, "send queue message unreadable", "messageId", r.MessageId, "err", err)
		return false
	case err != nil:
		// KMS failed: try again; after the last receive the message
		// rests in the dead-letter queue, still sealed.
		h.log.ErrorContext(ctx, "send queue message not opened", "messageId", r.MessageId, "last", last, "err", err)
		return true
	}
	out := h.svc.Resend(ctx, q, last)
	h.log.InfoContext(ctx, "send queue message tried", "messageId", r.MessageId, "receiveCount", receiveCount(r), "outcome", out.String())
	return out == login.ResendRetry || out == login.ResendGaveUp
}

// receiveCount is the record's ApproximateReceiveCount; 1 when missing
// or malformed (a first receive: never taken for the last one by
// mistake, unless the queue allows only one).
func receiveCount(r events.SQSMessage) int {
	n, err := strconv.Atoi(r.Attributes["ApproximateReceiveCount"])
	if err != nil || n < 1 {
		return 1
	}
	return n
}
