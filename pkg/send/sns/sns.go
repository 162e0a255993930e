package sns

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sns/types"

	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/message"
	"github.com/portalpass/portalpass/pkg/send/fault"
	"github.com/portalpass/portalpass/pkg/send/redact"
)

// Sender sends SMS messages through SNS. It is safe for concurrent use.
type Sender struct {
	client *sns.Client
}

var _ login.Sender = (*Sender)(nil)

// New returns a Sender that publishes with client.
func New(client *sns.Client) *Sender {
	return &Sender{client: client}
}

// smsType marks every message transactional (critical, time-sensitive):
// SNS then routes it for reliable delivery rather than lowest cost.
var smsType = map[string]types.MessageAttributeValue{
	"AWS.SNS.SMS.SMSType": {DataType: aws.String("String"), StringValue: aws.String("Transactional")},
}

// Send renders m with message.SMS and publishes it to the phone number
// m.To (E.164). It refuses a message whose Channel is not sms or that has
// neither link nor code. It returns once SNS has accepted the message.
func (s *Sender) Send(ctx context.Context, m login.Message) error {
	if m.Channel != login.ChannelSMS {
		return fmt.Errorf("sns: send: channel %q is not sms", m.Channel)
	}
	if !e164(m.To) {
		return errors.New("sns: send: bad phone number")
	}
	text := message.SMS(m)
	if text == "" {
		return errors.New("sns: send: message has neither link nor code")
	}
	_, err := s.client.Publish(ctx, &sns.PublishInput{
		PhoneNumber:       aws.String(m.To),
		Message:           aws.String(text),
		MessageAttributes: smsType,
	})
	if err != nil {
		// SNS may quote the request it refused: the phone number is
		// personal data, the text, link and code are secrets.
		return fault.Wrap(err, fmt.Errorf("sns: send: %w", redact.Error(err, append(redact.Phone(m.To), text, m.Link, m.Code)...)))
	}
	return nil
}

// e164 reports whether s looks like an E.164 number: a plus and 2 to 15
// digits, the first not 0. Parsing is the caller's; this only keeps
// anything else away from SNS.
func e164(s string) bool {
	if len(s) < 3 || len(s) > 16 || s[0] != '+' || s[1] == '0' {
		return false
	}
	return strings.IndexFunc(s[1:], func(r rune) bool { return r < '0' || r > '9' }) < 0
}
