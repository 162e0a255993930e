// Package senders builds the SES email and SNS SMS senders of a Lambda
// function from its configuration, with no network call.
package senders

import (
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	awssns "github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/portalpass/portalpass/pkg/config"
	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/send/ses"
	"github.com/portalpass/portalpass/pkg/send/sns"
)

// New returns the email and SMS senders.
func New(cfg config.Config) (email, sms login.Sender) {
	aws := cfg.AWS()
	email = ses.New(sesv2.NewFromConfig(aws, func(o *sesv2.Options) {
		o.BaseEndpoint = config.ServiceEndpoint(cfg.SESEndpoint, o.BaseEndpoint)
	}), cfg.EmailFrom).WithConfigurationSet(cfg.SESConfigurationSet)
	sms = sns.New(awssns.NewFromConfig(aws, func(o *awssns.Options) {
		o.BaseEndpoint = config.ServiceEndpoint(cfg.SNSEndpoint, o.BaseEndpoint)
	}))
	return email, sms
}

// Suppressions returns SES's account-level suppression list, which an
// admin's clearing of an address's status also clears.
func Suppressions(cfg config.Config) login.Suppressions {
	return ses.NewSuppressions(sesv2.NewFromConfig(cfg.AWS(), func(o *sesv2.Options) {
		o.BaseEndpoint = config.ServiceEndpoint(cfg.SESEndpoint, o.BaseEndpoint)
	}))
}
