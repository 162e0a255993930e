package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/smithy-go"

	"github.com/portalpass/portalpass/pkg/awstest"
	"github.com/portalpass/portalpass/pkg/config"
	"github.com/portalpass/portalpass/pkg/functest"
	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/wire/senders"
	"github.com/portalpass/portalpass/pkg/wire/senders/faults"
)

// TestThrottledSendQueued: with SEND_QUEUE_URL set, a login request
// whose email SES keeps throttling still answers 202, audits no failure,
// and leaves the message on the queue, sealed: the body holds neither
// the address nor the link.
func TestThrottledSendQueued(t *testing.T) {
	e := functest.Setup(t)
	ctx := awstest.Ctx(t)
	aw := awstest.Config(e.Endpoint)
	k, err := kms.NewFromConfig(aw).CreateKey(ctx, &kms.CreateKeyInput{KeySpec: kmstypes.KeySpecSymmetricDefault, KeyUsage: kmstypes.KeyUsageTypeEncryptDecrypt})
	if err != nil {
		t.Fatal(err)
	}
	sc := sqs.NewFromConfig(aw)
	q, err := sc.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("rl-send-" + strings.ReplaceAll(strings.Split(e.Email, "@")[0], ".", "-"))})
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("SEND_QUEUE_URL", *q.QueueUrl)
	t.Setenv("SEND_QUEUE_KEY_ID", *k.KeyMetadata.KeyId)
	cfg, err := config.FromEnv()
	if err != nil {
		t.Fatal(err)
	}
	key := e.Tenant(t, "acme", nil)
	e.Invite(t, key, e.Email)
	f := faults.New("SendEmail", 1<<30, faults.HTTPErr(400, "TooManyRequestsException", smithy.FaultClient, e.Email))
	var d login.Deps
	d.Email, d.SMS = senders.NewWithMiddleware(cfg, f.Add)
	h := handlerWith(cfg, d)

	resp := functest.Invoke(t, h, functest.Event(t, "request-login/login-request.json", map[string]string{"ana@example.com": e.Email}))
	functest.Check(t, "login request", resp, http.StatusAccepted, `{"status":"sent"}`)
	if f.Attempts.Load() != senders.SendAttempts {
		t.Errorf("SendEmail attempts = %d; want %d", f.Attempts.Load(), senders.SendAttempts)
	}
	out, err := sc.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: q.QueueUrl, WaitTimeSeconds: 10})
	if err != nil || len(out.Messages) != 1 {
		t.Fatalf("the queue has %d messages (%v); want 1", len(out.Messages), err)
	}
	body := *out.Messages[0].Body
	for _, secret := range []string{e.Email, "token=", functest.BaseURL} {
		if strings.Contains(body, secret) {
			t.Errorf("the queued body holds %q", secret)
		}
	}
	k2, err := e.Seed.Authenticate(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	evs, _, err := e.Seed.ListEvents(ctx, k2, e.ContactID(t, key, e.Email), string(login.EventDeliveryFailed), 10, "")
	if err != nil || len(evs) != 0 {
		t.Errorf("delivery.failed = %+v, %v; want none for a queued message", evs, err)
	}
}
