// Package sqsqueue is the login core's send queue on SQS
// (login.SendQueue): each message is sealed with the stack's KMS key
// (package sendqueue) and sent to the queue that functions/send-retry
// drains. Its calls go through package awsjson rather than the SDK's
// clients, to keep request-login's cold start small.
package sqsqueue

import (
	"context"
	"fmt"

	"github.com/portalpass/portalpass/pkg/config"
	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/sendqueue"
	"github.com/portalpass/portalpass/pkg/sendqueue/awsjson"
)

// Delay is how long a queued message stays invisible before its first
// retry: the provider just failed three times in a row, give it a
// moment.
const Delay = 5 // seconds

// Queue is an SQS send queue.
type Queue struct {
	sqs    sendqueue.Caller
	url    string
	sealer sendqueue.Sealer
	delay  int32 // seconds before the first retry
}

// New returns a queue sending to url through sqs, sealing with sealer.
func New(sqs sendqueue.Caller, url string, sealer sendqueue.Sealer) *Queue {
	return &Queue{sqs: sqs, url: url, sealer: sealer, delay: Delay}
}

// WithDelay sets the seconds a message stays invisible before its first
// retry (Delay by default); tests that drive the retries set 0.
func (q *Queue) WithDelay(seconds int32) *Queue {
	q.delay = seconds
	return q
}

// FromConfig returns the queue of cfg (SEND_QUEUE_URL, sealed with
// SEND_QUEUE_KEY_ID), or nil when cfg names none. It makes no network
// call.
func FromConfig(cfg config.Config) login.SendQueue {
	if cfg.SendQueueURL == "" {
		return nil // not a nil *Queue: the core tests the interface
	}
	return ForConfig(cfg)
}

// ForConfig is FromConfig's queue, for a cfg that names one.
func ForConfig(cfg config.Config) *Queue {
	return New(awsjson.SQS(cfg.AWS()), cfg.SendQueueURL, sendqueue.KMSFromConfig(cfg))
}

// Enqueue seals q and sends it to the queue.
func (q *Queue) Enqueue(ctx context.Context, qs login.QueuedSend) error {
	body, err := sendqueue.Seal(ctx, q.sealer, qs)
	if err != nil {
		return err
	}
	in := struct {
		QueueUrl     string
		MessageBody  string
		DelaySeconds int32
	}{q.url, body, q.delay}
	if err := q.sqs.Call(ctx, "SendMessage", in, nil); err != nil {
		return fmt.Errorf("sqsqueue: send message: %w", err)
	}
	return nil
}
