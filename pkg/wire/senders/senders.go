// Package senders builds the SES email and SNS SMS senders of a Lambda
// function from its configuration, with no network call.
//
// A send is retried in the request, bounded so that a login request stays
// well inside its time: the SDK's standard retryer makes at most
// SendAttempts attempts, waiting at most SendMaxBackoff (with jitter)
// between them, and retries only transient failures (throttling, HTTP
// 5xx, timeouts and broken connections); a refusal such as
// MessageRejected or an invalid parameter is not retried. Every attempt
// resends the same request, so the same link and code. The whole send,
// retries included, ends after SendTimeout.
package senders

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	awssns "github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/smithy-go/middleware"

	"github.com/portalpass/portalpass/pkg/config"
	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/send/ses"
	"github.com/portalpass/portalpass/pkg/send/sns"
)

// Send retry bounds (see the package doc).
const (
	SendAttempts   = 3
	SendMaxBackoff = 200 * time.Millisecond
	SendTimeout    = 3 * time.Second
)

// New returns the email and SMS senders.
func New(cfg config.Config) (email, sms login.Sender) {
	return newSenders(cfg, cfg.AWS(), SendTimeout)
}

// NewWithMiddleware is New with extra middleware on both clients'
// stacks: tests of the functions inject provider faults with it
// (package faults).
func NewWithMiddleware(cfg config.Config, apiOpts ...func(*middleware.Stack) error) (email, sms login.Sender) {
	return newSenders(cfg, cfg.AWS(), SendTimeout, apiOpts...)
}

// newSenders is New with the clients' aws.Config, the per-send timeout
// and extra middleware on both clients' stacks given (tests inject
// faults with it).
func newSenders(cfg config.Config, awsCfg aws.Config, timeout time.Duration, apiOpts ...func(*middleware.Stack) error) (email, sms login.Sender) {
	e := ses.New(sesv2.NewFromConfig(awsCfg, func(o *sesv2.Options) {
		o.BaseEndpoint = config.ServiceEndpoint(cfg.SESEndpoint, o.BaseEndpoint)
		o.Retryer = sendRetryer()
		o.APIOptions = append(o.APIOptions, apiOpts...)
	}), cfg.EmailFrom).WithConfigurationSet(cfg.SESConfigurationSet)
	s := sns.New(awssns.NewFromConfig(awsCfg, func(o *awssns.Options) {
		o.BaseEndpoint = config.ServiceEndpoint(cfg.SNSEndpoint, o.BaseEndpoint)
		o.Retryer = sendRetryer()
		o.APIOptions = append(o.APIOptions, apiOpts...)
	}))
	return timed{e, timeout}, timed{s, timeout}
}

// sendRetryer is the SDK's standard retryer, bounded for a request. Each
// client has its own, and so its own retry token bucket: under a long
// outage of one provider retries stop once the bucket is empty, and
// every send fails after one attempt, fast.
func sendRetryer() aws.Retryer {
	return retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = SendAttempts
		o.MaxBackoff = SendMaxBackoff
	})
}

// timed is a Sender whose sends, retries included, end after d.
type timed struct {
	s login.Sender
	d time.Duration
}

// Send sends m with at most t.d for it.
func (t timed) Send(ctx context.Context, m login.Message) error {
	ctx, cancel := context.WithTimeout(ctx, t.d)
	defer cancel()
	return t.s.Send(ctx, m)
}

// Suppressions returns SES's account-level suppression list, which an
// admin's clearing of an address's status also clears.
func Suppressions(cfg config.Config) login.Suppressions {
	return ses.NewSuppressions(sesv2.NewFromConfig(cfg.AWS(), func(o *sesv2.Options) {
		o.BaseEndpoint = config.ServiceEndpoint(cfg.SESEndpoint, o.BaseEndpoint)
	}))
}
