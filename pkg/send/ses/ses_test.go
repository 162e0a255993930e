package ses_test

import (
	"crypto/rand"
	"errors"
	"html"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"

	"github.com/portalpass/portalpass/pkg/awstest"
	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/message"
	"github.com/portalpass/portalpass/pkg/send/ses"
)

func TestMain(m *testing.M) { awstest.Main(m) }

// unique returns a lower-case random name: moto is shared, never reset.
func unique() string { return strings.ToLower(rand.Text()) }

// sent is one message moto's SES recorded.

// verified returns a client and a from address whose domain moto has as
// an identity.
func verified(t *testing.T) (endpoint string, c *sesv2.Client, from string) {
	endpoint = awstest.Endpoint(t)
	c = sesv2.NewFromConfig(awstest.Config(endpoint))
	domain := unique() + ".example.com"
	_, err := c.CreateEmailIdentity(awstest.Ctx(t), &sesv2.CreateEmailIdentityInput{EmailIdentity: aws.String(domain)})
	if err != nil {
		t.Fatalf("create identity: %v", err)
	}
	return endpoint, c, "login@" + domain
}

func TestSend(t *testing.T) {
	endpoint, c, from := verified(t)
	s := ses.New(c, from)
	const link = "https://portal.acme.example/l?t=acme.c1.SECRETsecret&r=%2Fhome"
	tests := []struct {
		name       string
		m          login.Message
		wantFrom   string
		wantSubj   string
		wantInBody []string
	}{
		{
			name:       "login",
			m:          login.Message{Kind: login.KindLogin, TenantName: "Acme", Link: link, Code: "482913", TTL: 10 * time.Minute},
			wantFrom:   `"Acme" <` + from + `>`,
			wantSubj:   "Your login link for Acme",
			wantInBody: []string{html.EscapeString(link), "Or enter this code: 482913", "This link expires in 10 minutes."},
		},
		{
			name:       "invite with sender name",
			m:          login.Message{Kind: login.KindInvite, TenantName: "Acme", SenderName: "Acme Support", Link: link, TTL: 7 * 24 * time.Hour},
			wantFrom:   `"Acme Support" <` + from + `>`,
			wantSubj:   "You're invited to the Acme portal",
			wantInBody: []string{html.EscapeString(link), "This link expires in 7 days."},
		},
		{
			name:       "recovery non-ASCII name",
			m:          login.Message{Kind: login.KindRecovery, TenantName: "Bäckerei Müller", Link: link, Code: "073311", TTL: 24 * time.Hour},
			wantFrom:   "=?utf-8?q?B=C3=A4ckerei_M=C3=BCller?= <" + from + ">",
			wantSubj:   "Your account recovery link for Bäckerei Müller",
			wantInBody: []string{html.EscapeString(link), "073311", "This link expires in 24 hours."},
		},
		{
			name:     "CR LF in sender name",
			m:        login.Message{Kind: login.KindLogin, TenantName: "Acme", SenderName: "Acme\r\nBcc: victim@example.com", Link: link, Code: "111111", TTL: time.Hour},
			wantFrom: `"Acme Bcc: victim@example.com" <` + from + `>`,
			wantSubj: "Your login link for Acme",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.m.Channel = login.ChannelEmail
			tt.m.To = unique() + "@customer.example"
			if err := s.Send(awstest.Ctx(t), tt.m); err != nil {
				t.Fatalf("Send: %v", err)
			}
			got := awstest.SentEmails(t, endpoint, tt.m.To)
			if len(got) != 1 {
				t.Fatalf("moto sent %d messages to %s; want 1", len(got), tt.m.To)
			}
			if got[0].Source != tt.wantFrom {
				t.Errorf("From = %q; want %q", got[0].Source, tt.wantFrom)
			}
			if got[0].Subject != tt.wantSubj {
				t.Errorf("Subject = %q; want %q", got[0].Subject, tt.wantSubj)
			}
			// moto keeps only the HTML part when both are sent.
			_, _, wantHTML := message.Email(tt.m)
			if got[0].Body != wantHTML {
				t.Errorf("body is not message.Email's HTML part:\n%s", got[0].Body)
			}
			for _, w := range tt.wantInBody {
				if !strings.Contains(got[0].Body, w) {
					t.Errorf("body lacks %q", w)
				}
			}
		})
	}
}

func TestSendRefused(t *testing.T) {
	const link = "https://portal.acme.example/l?t=acme.c1.TOPSECRETtoken"
	const code = "918273"
	m := login.Message{Channel: login.ChannelEmail, Kind: login.KindLogin, TenantName: "Acme", Link: link, Code: code, TTL: 10 * time.Minute}
	tests := []struct {
		name   string
		sender func(t *testing.T) *ses.Sender
		mod    func(*login.Message)
	}{
		{"unverified sender", func(t *testing.T) *ses.Sender {
			endpoint := awstest.Endpoint(t)
			return ses.New(sesv2.NewFromConfig(awstest.Config(endpoint)), "login@"+unique()+".unverified.example")
		}, nil},
		{"sms channel", func(*testing.T) *ses.Sender { return ses.New(nil, "login@example.com") },
			func(m *login.Message) { m.Channel = login.ChannelSMS; m.To = "+14155550100" }},
		{"empty channel", func(*testing.T) *ses.Sender { return ses.New(nil, "login@example.com") },
			func(m *login.Message) { m.Channel = "" }},
		{"CR LF in recipient", func(*testing.T) *ses.Sender { return ses.New(nil, "login@example.com") },
			func(m *login.Message) { m.To = "ana@example.com\r\nBcc: x@example.com" }},
		{"no recipient", func(*testing.T) *ses.Sender { return ses.New(nil, "login@example.com") },
			func(m *login.Message) { m.To = "" }},
		{"bad from address", func(*testing.T) *ses.Sender { return ses.New(nil, "not an address") }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := m
			m.To = unique() + "@customer.example"
			if tt.mod != nil {
				tt.mod(&m)
			}
			err := tt.sender(t).Send(awstest.Ctx(t), m)
			if err == nil {
				t.Fatal("Send succeeded; want an error")
			}
			// The provider's refusal is classified for the audit: a
			// rejection with SNS's or SES's code, not retried.
			var de *login.DeliveryError
			if tt.name == "unverified sender" && (!errors.As(err, &de) || de.Reason != login.ReasonRejected || de.Code != "MessageRejected") {
				t.Errorf("error %#v is not a rejected login.DeliveryError with code %s", err, "MessageRejected")
			}
			msg := err.Error()
			t.Logf("error: %s", msg)
			if !strings.HasPrefix(msg, "ses: send: ") {
				t.Errorf("error %q lacks the prefix %q", msg, "ses: send: ")
			}
			// The recipient is personal data: no log may hold it either.
			for _, secret := range []string{link, "TOPSECRETtoken", code, m.To} {
				if secret != "" && strings.Contains(msg, secret) {
					t.Errorf("error %q holds %q", msg, secret)
				}
			}
		})
	}
}
