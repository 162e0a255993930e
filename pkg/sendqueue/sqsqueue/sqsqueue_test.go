package sqsqueue

import (
	"context"
	"crypto/rand"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/portalpass/portalpass/pkg/awstest"
	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/sendqueue"
	"github.com/portalpass/portalpass/pkg/sendqueue/awsjson"
)

func TestMain(m *testing.M) { awstest.Main(m) }

func queued() login.QueuedSend {
	return login.QueuedSend{
		Message: login.Message{
			Channel: login.ChannelSMS, To: "+14155550142", Kind: login.KindLogin, TenantName: "Acme",
			Link: "https://api.example.com/v1/login/redeem?token=L1.acme.c1.secretpart", Code: "493817",
			TTL: 15 * time.Minute, TenantID: "acme", ContactID: "cqueuedcontactid",
		},
		ExpiresAt: time.Now().Add(15 * time.Minute).Truncate(time.Second).UTC(),
		Targets:   []login.Target{{TenantID: "acme", ContactID: "cqueuedcontactid"}},
	}
}

// key makes a symmetric KMS key on moto and returns its id.
func key(t *testing.T, c *kms.Client) string {
	t.Helper()
	out, err := c.CreateKey(awstest.Ctx(t), &kms.CreateKeyInput{KeySpec: kmstypes.KeySpecSymmetricDefault, KeyUsage: kmstypes.KeyUsageTypeEncryptDecrypt})
	if err != nil {
		t.Fatalf("create key: %v", err)
	}
	return *out.KeyMetadata.KeyId
}

// TestEnqueueOnMoto: the message lands on SQS sealed with KMS under the
// tenant's encryption context; the body holds no address, link or code;
// it opens with the same key and context only.
func TestEnqueueOnMoto(t *testing.T) {
	ep := awstest.Endpoint(t)
	ctx := awstest.Ctx(t)
	cfg := awstest.Config(ep)
	kc, sc := kms.NewFromConfig(cfg), sqs.NewFromConfig(cfg)
	keyID := key(t, kc)
	qo, err := sc.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("send-" + strings.ToLower(rand.Text()))})
	if err != nil {
		t.Fatal(err)
	}
	sealer := sendqueue.NewKMSSealer(awsjson.KMS(cfg), keyID)
	q := New(awsjson.SQS(cfg), *qo.QueueUrl, sealer)
	in := queued()
	if err := q.Enqueue(ctx, in); err != nil {
		t.Fatal(err)
	}
	rcv, err := sc.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: qo.QueueUrl, WaitTimeSeconds: Delay + 5,
		MessageSystemAttributeNames: []sqstypes.MessageSystemAttributeName{sqstypes.MessageSystemAttributeNameApproximateReceiveCount}})
	if err != nil || len(rcv.Messages) != 1 {
		t.Fatalf("receive: %d messages, %v", len(rcv.Messages), err)
	}
	body := *rcv.Messages[0].Body
	for _, secret := range []string{in.Message.To, "4155550142", in.Message.Code, "secretpart", "cqueuedcontactid"} {
		if strings.Contains(body, secret) {
			t.Errorf("the queued body holds %q in clear", secret)
		}
	}
	got, err := sendqueue.Open(ctx, sealer, body)
	if err != nil {
		t.Fatal(err)
	}
	if got.Message != in.Message || !got.ExpiresAt.Equal(in.ExpiresAt) {
		t.Errorf("opened %+v; want %+v", got, in)
	}
	// The same ciphertext under another tenant's name does not open.
	forged := strings.Replace(body, `"tenant":"acme"`, `"tenant":"globex"`, 1)
	if _, err := sendqueue.Open(ctx, sealer, forged); err == nil {
		t.Error("a relabelled message opened")
	}
	// Nor with another key of the account.
	other := sendqueue.NewKMSSealer(awsjson.KMS(cfg), key(t, kc))
	if _, err := sendqueue.Open(ctx, other, body); err == nil {
		t.Error("the message opened with another key")
	} else {
		t.Logf("another key: %v", err) // moto: AccessDeniedException; KMS: IncorrectKeyException
	}
}

// TestEnqueueFails: an unreachable queue is an error, so that the core
// audits the failure instead of losing the message.
func TestEnqueueFails(t *testing.T) {
	ep := awstest.Endpoint(t)
	cfg := awstest.Config(ep)
	kc := kms.NewFromConfig(cfg)
	sealer := sendqueue.NewKMSSealer(awsjson.KMS(cfg), key(t, kc))
	q := New(awsjson.SQS(cfg), ep+"/123456789012/no-such-queue", sealer)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := q.Enqueue(ctx, queued()); err == nil {
		t.Error("Enqueue to a missing queue succeeded")
	}
}
