package sns_test

import (
	"crypto/rand"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/portalpass/portalpass/pkg/awstest"
	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/message"
	snssender "github.com/portalpass/portalpass/pkg/send/sns"
)

func TestMain(m *testing.M) { awstest.Main(m) }

// digits returns n random decimal digits: moto is shared, never reset.
func digits(t *testing.T, n int) string {
	t.Helper()
	max := big.NewInt(1)
	for range n {
		max.Mul(max, big.NewInt(10))
	}
	v, err := rand.Int(rand.Reader, max)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%0*d", n, v)
}

func TestSend(t *testing.T) {
	endpoint := awstest.Endpoint(t)
	s := snssender.New(sns.NewFromConfig(awstest.Config(endpoint)))
	tests := []struct {
		name string
		m    login.Message
		want []string // in the text
	}{
		{"login", login.Message{Kind: login.KindLogin, TenantName: "Acme", Link: "https://p.acme.example/l?t=SECRET1", TTL: 10 * time.Minute},
			[]string{"Acme: your login code is ", "https://p.acme.example/l?t=SECRET1", "(expires in 10 minutes)"}},
		{"code only", login.Message{Kind: login.KindLogin, TenantName: "Acme", TTL: 10 * time.Minute},
			[]string{"Acme: your login code is ", "(expires in 10 minutes)"}},
		{"recovery", login.Message{Kind: login.KindRecovery, TenantName: "Acme", TTL: 24 * time.Hour},
			[]string{"recovery code is ", "(expires in 24 hours)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.m.Channel = login.ChannelSMS
			tt.m.To = "+1415555" + digits(t, 4)
			tt.m.Code = digits(t, 6)
			if err := s.Send(awstest.Ctx(t), tt.m); err != nil {
				t.Fatalf("Send: %v", err)
			}
			var got []awstest.SMS
			for _, m := range awstest.SentSMS(t, endpoint, tt.m.To) {
				if strings.Contains(m.Message, tt.m.Code) {
					got = append(got, m)
				}
			}
			if len(got) != 1 {
				t.Fatalf("moto sent %d SMS with the code to %s; want 1", len(got), tt.m.To)
			}
			if want := message.SMS(tt.m); got[0].Message != want {
				t.Errorf("SMS = %q; want %q", got[0].Message, want)
			}
			for _, w := range append(tt.want, tt.m.Code) {
				if !strings.Contains(got[0].Message, w) {
					t.Errorf("SMS %q lacks %q", got[0].Message, w)
				}
			}
		})
	}
}

func TestSendRefused(t *testing.T) {
	const link = "https://portal.acme.example/l?t=acme.c1.TOPSECRETtoken"
	const code = "918273"
	m := login.Message{Channel: login.ChannelSMS, To: "+14155550100", Kind: login.KindLogin, TenantName: "Acme", Link: link, Code: code, TTL: 10 * time.Minute}
	offline := func(*testing.T) *snssender.Sender { return snssender.New(nil) }
	tests := []struct {
		name   string
		sender func(t *testing.T) *snssender.Sender
		mod    func(*login.Message)
	}{
		{"provider refuses", func(t *testing.T) *snssender.Sender {
			// moto refuses a message over 1600 characters (the renderer trims
			// a link to fit two segments, but never a code).
			return snssender.New(sns.NewFromConfig(awstest.Config(awstest.Endpoint(t))))
		}, func(m *login.Message) { m.Link = ""; m.Code = strings.Repeat("1", 1700) }},
		{"email channel", offline, func(m *login.Message) { m.Channel = login.ChannelEmail; m.To = "ana@example.com" }},
		{"not E.164", offline, func(m *login.Message) { m.To = "4155550100" }},
		{"letters", offline, func(m *login.Message) { m.To = "+1415555O100" }},
		{"CR LF", offline, func(m *login.Message) { m.To = "+14155550100\r\n" }},
		{"too long", offline, func(m *login.Message) { m.To = "+1234567890123456" }},
		{"nothing to send", offline, func(m *login.Message) { m.Link = ""; m.Code = "" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := m
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
			if tt.name == "provider refuses" && (!errors.As(err, &de) || de.Reason != login.ReasonRejected || de.Code != "InvalidParameter") {
				t.Errorf("error %#v is not a rejected login.DeliveryError with code %s", err, "InvalidParameter")
			}
			msg := err.Error()
			t.Logf("error: %s", msg)
			if !strings.HasPrefix(msg, "sns: send: ") {
				t.Errorf("error %q lacks the prefix %q", msg, "sns: send: ")
			}
			// The phone number is personal data: no log may hold it either.
			for _, secret := range []string{"TOPSECRETtoken", code, "your login code", "4155550100"} {
				if strings.Contains(msg, secret) {
					t.Errorf("error %q holds %q", msg, secret)
				}
			}
		})
	}
}
