package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"html"
	"log/slog"
	"math/big"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/aws/smithy-go"

	"github.com/portalpass/portalpass/pkg/awstest"
	"github.com/portalpass/portalpass/pkg/config"
	"github.com/portalpass/portalpass/pkg/functest"
	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/sendqueue"
	"github.com/portalpass/portalpass/pkg/sendqueue/sqsqueue"
	"github.com/portalpass/portalpass/pkg/wire"
	"github.com/portalpass/portalpass/pkg/wire/senders"
	"github.com/portalpass/portalpass/pkg/wire/senders/faults"
)

func TestMain(m *testing.M) { awstest.Main(m) }

// recorder keeps what the core handed to a sender: the link and code the
// request made, whether or not the provider took them.
type recorder struct {
	login.Sender
	mu   sync.Mutex
	msgs []login.Message
}

func (r *recorder) Send(ctx context.Context, m login.Message) error {
	r.mu.Lock()
	r.msgs = append(r.msgs, m)
	r.mu.Unlock()
	return r.Sender.Send(ctx, m)
}

func (r *recorder) first(t *testing.T) login.Message {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.msgs) == 0 {
		t.Fatal("the core tried no send")
	}
	return r.msgs[0]
}

// rig is request-login's core and the send-retry handler on one table,
// KMS key and SQS queue (with its dead-letter queue) on moto, their SES
// and SNS senders behind one injected fault.
type rig struct {
	e        *functest.Env
	cfg      config.Config
	fault    *faults.Fault
	email    *recorder
	sms      *recorder
	svc      *login.Service // request-login's
	h        *handler
	logs     *bytes.Buffer
	sqs      *sqs.Client
	url, dlq string
	key      login.APIKey
}

const maxReceives = 4

func unique() string { return strings.ToLower(rand.Text()) }

func setup(t *testing.T, op string, fail func(context.Context) error) *rig {
	t.Helper()
	e := functest.Setup(t)
	ctx := awstest.Ctx(t)
	aw := awstest.Config(e.Endpoint)
	k, err := kms.NewFromConfig(aw).CreateKey(ctx, &kms.CreateKeyInput{KeySpec: kmstypes.KeySpecSymmetricDefault, KeyUsage: kmstypes.KeyUsageTypeEncryptDecrypt})
	if err != nil {
		t.Fatal(err)
	}
	r := &rig{e: e, sqs: sqs.NewFromConfig(aw), logs: &bytes.Buffer{}}
	name := "send-" + unique()[:20]
	dlq, err := r.sqs.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String(name + "-dlq")})
	if err != nil {
		t.Fatal(err)
	}
	r.dlq = *dlq.QueueUrl
	attrs, err := r.sqs.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: dlq.QueueUrl, AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameQueueArn}})
	if err != nil {
		t.Fatal(err)
	}
	q, err := r.sqs.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String(name), Attributes: map[string]string{
		"RedrivePolicy": fmt.Sprintf(`{"deadLetterTargetArn":%q,"maxReceiveCount":"%d"}`, attrs.Attributes["QueueArn"], maxReceives),
	}})
	if err != nil {
		t.Fatal(err)
	}
	r.url = *q.QueueUrl
	t.Setenv("SEND_QUEUE_URL", r.url)
	t.Setenv("SEND_QUEUE_KEY_ID", *k.KeyMetadata.KeyId)
	t.Setenv("SEND_MAX_RECEIVE_COUNT", fmt.Sprint(maxReceives))
	if r.cfg, err = config.FromEnv(); err != nil {
		t.Fatal(err)
	}
	r.fault = faults.New(op, 1<<30, fail)
	email, sms := senders.NewWithMiddleware(r.cfg, r.fault.Add)
	r.email, r.sms = &recorder{Sender: email}, &recorder{Sender: sms}
	// request-login's core, as its main wires it, with the queue's delay
	// taken out so that the test need not wait for it.
	r.svc, _ = wire.Service(r.cfg, wire.Tenants|wire.Contacts|wire.Attempts|wire.Sessions|wire.Audit,
		login.Deps{Email: r.email, SMS: r.sms, SendQueue: sqsqueue.ForConfig(r.cfg).WithDelay(0)})
	r.h = handlerWith(r.cfg, login.Deps{Email: email, SMS: sms}, sendqueue.KMSFromConfig(r.cfg))
	r.h.log = slog.New(slog.NewTextHandler(r.logs, nil))
	apiKey := e.Tenant(t, "acme", func(s *login.Settings) { s.SMSLogin = true })
	if r.key, err = e.Seed.Authenticate(ctx, apiKey); err != nil {
		t.Fatal(err)
	}
	return r
}

func (r *rig) contact(t *testing.T, email, phone string) login.Contact {
	t.Helper()
	a := login.AccessActive
	in := login.ContactInput{Access: &a}
	if email != "" {
		in.Email = &email
	}
	if phone != "" {
		in.Phone = &phone
	}
	c, err := r.e.Seed.CreateContact(context.Background(), r.key, in, login.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (r *rig) request(t *testing.T, id login.Identifier) {
	t.Helper()
	if err := r.svc.RequestLogin(context.Background(), login.LoginRequest{Identifier: id}); err != nil {
		t.Fatalf("request login: %v", err)
	}
}

// receive takes the queue's next message as Lambda's poller hands it to
// the function; nil when none comes.
func (r *rig) receive(t *testing.T, url string) *events.SQSMessage {
	t.Helper()
	out, err := r.sqs.ReceiveMessage(awstest.Ctx(t), &sqs.ReceiveMessageInput{
		QueueUrl: aws.String(url), WaitTimeSeconds: 2, VisibilityTimeout: 30,
		MessageSystemAttributeNames: []sqstypes.MessageSystemAttributeName{sqstypes.MessageSystemAttributeNameAll},
	})
	if err != nil {
		t.Fatalf("receive: %v", err)
	}
	if len(out.Messages) == 0 {
		return nil
	}
	m := out.Messages[0]
	rec := &events.SQSMessage{MessageId: *m.MessageId, ReceiptHandle: *m.ReceiptHandle, Body: *m.Body, Attributes: m.Attributes, EventSource: "aws:sqs"}
	return rec
}

// handle feeds one record to the function and does what Lambda's poller
// does with the answer: delete it, or (a batch item failure) leave it,
// made visible again at once in place of the visibility timeout.
func (r *rig) handle(t *testing.T, m *events.SQSMessage) (again bool) {
	t.Helper()
	resp, err := r.h.handle(context.Background(), events.SQSEvent{Records: []events.SQSMessage{*m}})
	if err != nil {
		t.Fatalf("handle: %v", err)
	}
	ctx := awstest.Ctx(t)
	if len(resp.BatchItemFailures) == 0 {
		if _, err := r.sqs.DeleteMessage(ctx, &sqs.DeleteMessageInput{QueueUrl: aws.String(r.url), ReceiptHandle: aws.String(m.ReceiptHandle)}); err != nil {
			t.Fatal(err)
		}
		return false
	}
	if len(resp.BatchItemFailures) != 1 || resp.BatchItemFailures[0].ItemIdentifier != m.MessageId {
		t.Fatalf("batch item failures = %+v", resp.BatchItemFailures)
	}
	if _, err := r.sqs.ChangeMessageVisibility(ctx, &sqs.ChangeMessageVisibilityInput{QueueUrl: aws.String(r.url), ReceiptHandle: aws.String(m.ReceiptHandle)}); err != nil {
		t.Fatal(err)
	}
	return true
}

func (r *rig) failed(t *testing.T, contactID string) []login.AuditEvent {
	t.Helper()
	evs, _, err := r.e.Seed.ListEvents(context.Background(), r.key, contactID, string(login.EventDeliveryFailed), 50, "")
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

// phone returns a fictional US number, random enough for a shared moto.
func phone() string {
	n, _ := rand.Int(rand.Reader, big.NewInt(100))
	return fmt.Sprintf("+1415555%04d", 100+n.Int64())
}

func noSecrets(t *testing.T, where, s string, secrets ...string) {
	t.Helper()
	for _, v := range secrets {
		if v != "" && strings.Contains(s, v) {
			t.Errorf("%s holds %q in clear", where, v)
		}
	}
}

func tokenOf(link string) string {
	_, tok, _ := strings.Cut(link, "token=")
	return tok
}

var faultCases = []struct {
	name string
	fail func(to string) func(context.Context) error
}{
	{"throttling", func(to string) func(context.Context) error {
		return faults.HTTPErr(400, "TooManyRequestsException", smithy.FaultClient, to)
	}},
	{"5xx", func(to string) func(context.Context) error {
		return faults.HTTPErr(503, "ServiceUnavailable", smithy.FaultServer, to)
	}},
	{"timeout", func(string) func(context.Context) error { return faults.Hang }},
}

// TestEmailQueuedAndResent: SES fails past the in-request retries; the
// message rests on SQS sealed; once SES is back the function sends it,
// with the link and code the request made, and nothing is audited failed.
func TestEmailQueuedAndResent(t *testing.T) {
	for _, fc := range faultCases {
		t.Run(fc.name, func(t *testing.T) {
			addr := "q." + unique()[:12] + "@example.com"
			r := setup(t, "SendEmail", fc.fail(addr))
			c := r.contact(t, addr, "")
			r.request(t, login.Identifier{Kind: login.IdentEmail, Value: addr})
			if n := len(awstest.SentEmails(t, r.e.Endpoint, addr)); n != 0 {
				t.Fatalf("SES took %d emails during the fault", n)
			}
			tried := r.email.first(t)
			if evs := r.failed(t, c.ID); len(evs) != 0 {
				t.Errorf("a queued message was audited as failed: %+v", evs)
			}
			m := r.receive(t, r.url)
			if m == nil {
				t.Fatal("nothing on the send queue")
			}
			noSecrets(t, "the queued body", m.Body, addr, tried.Code, tokenOf(tried.Link), c.ID)

			r.fault.Clear()
			if r.handle(t, m) {
				t.Fatalf("the send failed with the fault cleared:\n%s", r.logs)
			}
			sent := awstest.SentEmails(t, r.e.Endpoint, addr)
			if len(sent) != 1 {
				t.Fatalf("SES has %d emails to the address; want 1", len(sent))
			}
			if !strings.Contains(sent[0].Body, html.EscapeString(tried.Link)) || !strings.Contains(sent[0].Body, tried.Code) {
				t.Error("the resent email does not carry the link and code the request made")
			}
			if evs := r.failed(t, c.ID); len(evs) != 0 {
				t.Errorf("delivery.failed after a resend: %+v", evs)
			}
			if r.receive(t, r.url) != nil {
				t.Error("the sent message is still on the queue")
			}
			// The link is the request's: it logs in.
			if _, err := r.e.Seed.RedeemLink(context.Background(), tokenOf(tried.Link), login.LoginOpts{}); err != nil {
				t.Errorf("the resent link does not redeem: %v", err)
			}
			noSecrets(t, "the function's log", r.logs.String(), addr, tried.Code, tokenOf(tried.Link))
		})
	}
}

// TestSMSQueuedAndResent: the same for SNS.
func TestSMSQueuedAndResent(t *testing.T) {
	for _, fc := range faultCases {
		t.Run(fc.name, func(t *testing.T) {
			num := phone()
			r := setup(t, "Publish", fc.fail(num))
			c := r.contact(t, "", num)
			before := len(awstest.SentSMS(t, r.e.Endpoint, num))
			r.request(t, login.Identifier{Kind: login.IdentPhone, Value: num})
			tried := r.sms.first(t)
			m := r.receive(t, r.url)
			if m == nil {
				t.Fatal("nothing on the send queue")
			}
			noSecrets(t, "the queued body", m.Body, num, strings.TrimPrefix(num, "+1"), tried.Code, c.ID)
			if tried.Link != "" {
				noSecrets(t, "the queued body", m.Body, tokenOf(tried.Link))
			}
			r.fault.Clear()
			if r.handle(t, m) {
				t.Fatalf("the send failed with the fault cleared:\n%s", r.logs)
			}
			sent := awstest.SentSMS(t, r.e.Endpoint, num)
			if len(sent)-before != 1 {
				t.Fatalf("SNS has %d new SMS to the number; want 1", len(sent)-before)
			}
			if last := sent[len(sent)-1].Message; !strings.Contains(last, tried.Code) || (tried.Link != "" && !strings.Contains(last, tried.Link)) {
				t.Error("the resent SMS does not carry the code (and link) the request made")
			}
			if evs := r.failed(t, c.ID); len(evs) != 0 {
				t.Errorf("delivery.failed after a resend: %+v", evs)
			}
		})
	}
}

// TestExhausted: a fault that outlasts every receive: each receive but
// the last goes back to the queue; the last audits delivery.failed on
// the contact and leaves the message to SQS, which moves it to the
// dead-letter queue; nothing was sent.
func TestExhausted(t *testing.T) {
	for _, tc := range []struct{ op, channel string }{{"SendEmail", "email"}, {"Publish", "sms"}} {
		t.Run(tc.channel, func(t *testing.T) {
			addr, num := "x."+unique()[:12]+"@example.com", phone()
			r := setup(t, tc.op, faults.HTTPErr(400, "Throttling", smithy.FaultClient, addr+num))
			var c login.Contact
			if tc.channel == "email" {
				c = r.contact(t, addr, "")
				r.request(t, login.Identifier{Kind: login.IdentEmail, Value: addr})
			} else {
				c = r.contact(t, "", num)
				r.request(t, login.Identifier{Kind: login.IdentPhone, Value: num})
			}
			for i := 1; i <= maxReceives; i++ {
				m := r.receive(t, r.url)
				if m == nil {
					t.Fatalf("receive %d: nothing on the queue", i)
				}
				if got := m.Attributes["ApproximateReceiveCount"]; got != fmt.Sprint(i) {
					t.Errorf("receive %d: ApproximateReceiveCount = %s", i, got)
				}
				if !r.handle(t, m) {
					t.Fatalf("receive %d: the function let go of a message that was not sent", i)
				}
				evs := r.failed(t, c.ID)
				if i < maxReceives && len(evs) != 0 {
					t.Fatalf("receive %d: audited before the last receive: %+v", i, evs)
				}
				if i == maxReceives {
					if len(evs) != 1 || evs[0].Detail["reason"] != "throttled" || evs[0].Detail["providerCode"] != "Throttling" || evs[0].Channel != tc.channel {
						t.Errorf("after the last receive: delivery.failed = %+v; want one, throttled", evs)
					}
				}
			}
			// SQS moves it to the dead-letter queue on the next receive.
			if m := r.receive(t, r.url); m != nil {
				t.Errorf("offered a %sth time", m.Attributes["ApproximateReceiveCount"])
			}
			if r.receive(t, r.dlq) == nil {
				t.Error("the message is not in the dead-letter queue")
			}
			if tc.channel == "email" && len(awstest.SentEmails(t, r.e.Endpoint, addr)) != 0 {
				t.Error("an email went out")
			}
			tried := r.email
			if tc.channel == "sms" {
				tried = r.sms
			}
			noSecrets(t, "the function's log", r.logs.String(), addr, num, tried.first(t).Code)
		})
	}
}

// seal puts a message on the queue as request-login would.
func (r *rig) seal(t *testing.T, q login.QueuedSend) *events.SQSMessage {
	t.Helper()
	body, err := sendqueue.Seal(context.Background(), r.h.sealer, q)
	if err != nil {
		t.Fatal(err)
	}
	return &events.SQSMessage{MessageId: "m-" + unique()[:8], Body: body, Attributes: map[string]string{"ApproximateReceiveCount": "1"}}
}

// TestExpiredDropped: a message whose link expired is not sent: it is
// deleted and audited as delivery.failed, reason expired.
func TestExpiredDropped(t *testing.T) {
	r := setup(t, "SendEmail", faults.Hang)
	r.fault.Clear()
	addr := "e." + unique()[:12] + "@example.com"
	c := r.contact(t, addr, "")
	m := r.seal(t, login.QueuedSend{
		Message:   login.Message{Channel: login.ChannelEmail, To: addr, Kind: login.KindLogin, TenantName: "Acme", Link: functest.BaseURL + "/v1/login/redeem?token=x", Code: "123456", TTL: time.Minute, TenantID: "acme", ContactID: c.ID},
		ExpiresAt: time.Now().Add(-time.Second),
		Targets:   []login.Target{{TenantID: "acme", ContactID: c.ID}},
	})
	resp, err := r.h.handle(context.Background(), events.SQSEvent{Records: []events.SQSMessage{*m}})
	if err != nil || len(resp.BatchItemFailures) != 0 {
		t.Fatalf("handle = %+v, %v; want the message deleted", resp, err)
	}
	if n := len(awstest.SentEmails(t, r.e.Endpoint, addr)); n != 0 {
		t.Errorf("an expired message was sent (%d)", n)
	}
	if evs := r.failed(t, c.ID); len(evs) != 1 || evs[0].Detail["reason"] != "expired" {
		t.Errorf("delivery.failed = %+v; want one, reason expired", evs)
	}
}

// TestGarbled: bodies that are not this stack's sealed messages (junk,
// a relabelled tenant, another key's ciphertext) cause no panic and no
// send: they are reported in the log and deleted, since no retry can
// fix them. A batch mixing them with a good message sends the good one.
func TestGarbled(t *testing.T) {
	r := setup(t, "SendEmail", faults.Hang)
	r.fault.Clear()
	addr := "g." + unique()[:12] + "@example.com"
	c := r.contact(t, addr, "")
	good := r.seal(t, login.QueuedSend{
		Message:   login.Message{Channel: login.ChannelEmail, To: addr, Kind: login.KindLogin, TenantName: "Acme", Link: functest.BaseURL + "/v1/login/redeem?token=x", Code: "123456", TTL: time.Hour, TenantID: "acme", ContactID: c.ID},
		ExpiresAt: time.Now().Add(time.Hour),
		Targets:   []login.Target{{TenantID: "acme", ContactID: c.ID}},
	})
	relabelled := *good
	relabelled.MessageId = "relabelled"
	relabelled.Body = strings.Replace(good.Body, `"tenant":"acme"`, `"tenant":"globex"`, 1)
	local, err := sendqueue.NewLocalSealer()
	if err != nil {
		t.Fatal(err)
	}
	otherBody, err := sendqueue.Seal(context.Background(), local, login.QueuedSend{Message: login.Message{Channel: login.ChannelEmail, To: addr, Kind: login.KindLogin}, ExpiresAt: time.Now().Add(time.Hour), Targets: []login.Target{{TenantID: "acme", ContactID: c.ID}}})
	if err != nil {
		t.Fatal(err)
	}
	recs := []events.SQSMessage{
		{MessageId: "junk", Body: "{not json"},
		{MessageId: "empty", Body: ""},
		{MessageId: "envelope", Body: `{"v":1,"tenant":"acme","sealed":"AAAA"}`},
		relabelled,
		{MessageId: "other-key", Body: otherBody},
		*good,
	}
	resp, err := r.h.handle(context.Background(), events.SQSEvent{Records: recs})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range resp.BatchItemFailures {
		t.Logf("kept for a retry: %s", f.ItemIdentifier)
	}
	if len(awstest.SentEmails(t, r.e.Endpoint, addr)) != 1 {
		t.Error("the good message of the batch was not sent once")
	}
	logs := r.logs.String()
	for _, id := range []string{"junk", "empty", "envelope", "relabelled", "other-key"} {
		if !strings.Contains(logs, "messageId="+id) {
			t.Errorf("message %s not reported:\n%s", id, logs)
		}
	}
	noSecrets(t, "the function's log", logs, addr, "123456")
}

// TestEnvConfig: the function reads the queue's receive count from its
// environment.
func TestEnvConfig(t *testing.T) {
	if os.Getenv("SEND_MAX_RECEIVE_COUNT") != "" {
		t.Skip("set by the environment")
	}
	r := setup(t, "SendEmail", faults.Hang)
	if r.h.maxReceives != maxReceives {
		t.Errorf("maxReceives = %d", r.h.maxReceives)
	}
}
