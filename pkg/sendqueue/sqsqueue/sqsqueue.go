// Package sqsqueue is the login core's send queue on SQS
// (login.SendQueue): each message is sealed with the stack's KMS key
// (package sendqueue) and sent to the queue that functions/send-retry
// drains. The clients are built on the first enqueue, not at the cold
// start, since most requests never queue anything.
package sqsqueue

import (
	"context"
	"fmt"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/portalpass/portalpass/pkg/config"
	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/sendqueue"
)

// Delay is how long a queued message stays invisible before its first
// retry: the provider just failed three times in a row, give it a
// moment.
const Delay = 5 // seconds

// SQSAPI is the part of the SQS client the queue calls.
type SQSAPI interface {
	SendMessage(ctx context.Context, in *sqs.SendMessageInput, opts ...func(*sqs.Options)) (*sqs.SendMessageOutput, error)
}

// Queue is an SQS send queue.
type Queue struct {
	client func() SQSAPI
	url    string
	sealer sendqueue.Sealer
	delay  int32 // seconds before the first retry
}

// New returns a queue sending to url, sealing with sealer, whose client
// client returns (called on every Enqueue: memoize it).
func New(client func() SQSAPI, url string, sealer sendqueue.Sealer) *Queue {
	return &Queue{client: client, url: url, sealer: sealer, delay: Delay}
}

// WithDelay sets the seconds a message stays invisible before its first
// retry (Delay by default); tests that drive the retries set 0.
func (q *Queue) WithDelay(seconds int32) *Queue {
	q.delay = seconds
	return q
}

// FromConfig returns the queue of cfg (SEND_QUEUE_URL, sealed with
// SEND_QUEUE_KEY_ID), or nil when cfg names none. It makes no network
// call and builds no client until the first Enqueue.
func FromConfig(cfg config.Config) login.SendQueue {
	if cfg.SendQueueURL == "" {
		return nil // not a nil *Queue: the core tests the interface
	}
	return ForConfig(cfg)
}

// ForConfig is FromConfig's queue, for a cfg that names one.
func ForConfig(cfg config.Config) *Queue {
	return New(sync.OnceValue(func() SQSAPI {
		return sqs.NewFromConfig(cfg.AWS())
	}), cfg.SendQueueURL, sendqueue.KMSFromConfig(cfg))
}

// Enqueue seals q and sends it to the queue.
func (q *Queue) Enqueue(ctx context.Context, qs login.QueuedSend) error {
	body, err := sendqueue.Seal(ctx, q.sealer, qs)
	if err != nil {
		return err
	}
	if _, err := q.client().SendMessage(ctx, &sqs.SendMessageInput{
		QueueUrl: aws.String(q.url), MessageBody: aws.String(body), DelaySeconds: q.delay,
	}); err != nil {
		return fmt.Errorf("sqsqueue: send message: %w", err)
	}
	return nil
}
