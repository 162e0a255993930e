package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/portalpass/portalpass/infra/devserver/server"
	"github.com/portalpass/portalpass/pkg/awstest"
)

func TestMain(m *testing.M) { awstest.Main(m) }

// devAPI is the dev server (infra/devserver/server) started in-process.
type devAPI struct {
	URL string
	// sent returns the text of the newest message to an address.
	sent  func(t *testing.T, to string) string
	clock *fakeClock
}

// fakeClock is a login.Clock that tests move by hand.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// startAPI starts the dev server in-process: on the embedded store and
// its dev inbox, or, with moto, on DynamoDB, SES and SNS at moto's
// endpoint, as DYNAMODB_ENDPOINT, SES_ENDPOINT and SNS_ENDPOINT do.
func startAPI(t *testing.T, moto bool) *devAPI {
	t.Helper()
	api := &devAPI{clock: &fakeClock{now: time.Now().UTC()}}
	o := server.Options{EmailFrom: "login@example.com", Logger: quiet, Clock: api.clock, Region: "us-east-1"}
	var ep string
	if moto {
		ep = awstest.Endpoint(t)
		o.DynamoDBEndpoint, o.SESEndpoint, o.SNSEndpoint = ep, ep, ep
		o.Table = fmt.Sprintf("portal-example-%d-%d", os.Getpid(), time.Now().UnixNano())
	}
	srv, err := server.Start(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	api.URL = srv.URL
	api.sent = func(t *testing.T, to string) string {
		t.Helper()
		if moto {
			if m := awstest.SentEmails(t, ep, to); len(m) > 0 {
				return m[len(m)-1].Body
			}
		} else {
			for _, m := range srv.Inbox.Messages() {
				if m.To == to {
					return m.Text
				}
			}
		}
		t.Fatalf("nothing was sent to %s", to)
		return ""
	}
	return api
}
