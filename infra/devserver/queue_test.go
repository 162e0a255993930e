package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/portalpass/portalpass/infra/devserver/server"
	"github.com/portalpass/portalpass/pkg/awstest"
	"github.com/portalpass/portalpass/pkg/login"
)

// flakySES stands between the dev server and moto's SES: it answers the
// first n SendEmail calls 503, keeping what they carried, and passes
// everything else through.
type flakySES struct {
	mu     sync.Mutex
	n      int
	failed []string // bodies of the refused SendEmail calls
	proxy  *httputil.ReverseProxy
}

func (f *flakySES) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost && r.URL.Path == "/v2/email/outbound-emails" {
		f.mu.Lock()
		if f.n > 0 {
			f.n--
			b, _ := io.ReadAll(r.Body)
			f.failed = append(f.failed, string(b))
			f.mu.Unlock()
			w.Header().Set("X-Amzn-ErrorType", "ServiceUnavailable")
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = io.WriteString(w, `{"message":"Service unavailable"}`)
			return
		}
		f.mu.Unlock()
	}
	f.proxy.ServeHTTP(w, r)
}

// TestSendQueueEndToEnd: the dev server with SES (moto) failing every
// attempt of a login email's send answers 202 at once, then its
// in-process queue sends the same email, same link and code, once SES
// is back; nothing is audited as failed.
func TestSendQueueEndToEnd(t *testing.T) {
	ep := awstest.Endpoint(t)
	target, _ := url.Parse(ep)
	flaky := &flakySES{proxy: httputil.NewSingleHostReverseProxy(target)}
	ses := httptest.NewServer(flaky)
	defer ses.Close()
	var logs lockedBuffer
	srv, err := server.Start(context.Background(), server.Options{
		APIKey: testKey, EmailFrom: "login@example.com", Region: "us-east-1", Logger: slog.New(slog.NewTextHandler(&logs, nil)),
		SESEndpoint: ses.URL, SendRetryDelays: []time.Duration{200 * time.Millisecond, 200 * time.Millisecond},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	email := fmt.Sprintf("ana.queue.%d.%d@example.com", os.Getpid(), time.Now().UnixNano())
	c := newClient(t, srv.URL)
	var inv struct {
		Contact struct{ ID string } `json:"contact"`
	}
	if s := c.do("POST", "/v1/admin/invites", testKey, map[string]string{"email": email}, &inv); s != 201 {
		t.Fatalf("invite = %d", s)
	}
	before := len(awstest.SentEmails(t, ep, email)) // the invitation
	// SES refuses the request's every attempt (the SDK makes 3).
	flaky.mu.Lock()
	flaky.n = 3
	flaky.mu.Unlock()
	if s := c.do("POST", "/v1/login/request", "", map[string]string{"identifier": email}, nil); s != 202 {
		t.Fatalf("request = %d", s)
	}
	flaky.mu.Lock()
	refused := append([]string(nil), flaky.failed...)
	flaky.mu.Unlock()
	if len(refused) != 3 {
		t.Fatalf("SES refused %d sends; want the request's 3 attempts", len(refused))
	}
	token, code := tokenRe.FindStringSubmatch(refused[0]), codeRe.FindStringSubmatch(refused[0])
	if token == nil || code == nil {
		t.Fatalf("the refused send carried no link and code: %s", refused[0])
	}
	srv.SendQueue.Wait()
	sent := awstest.SentEmails(t, ep, email)
	if len(sent)-before != 1 {
		t.Fatalf("moto has %d new emails to the address; want 1", len(sent)-before)
	}
	if !strings.Contains(sent[len(sent)-1].Body, "token="+token[1]) || !strings.Contains(sent[len(sent)-1].Body, code[1]) {
		t.Error("the queued email does not carry the link and code first tried")
	}
	k, err := srv.Service.Authenticate(context.Background(), testKey)
	if err != nil {
		t.Fatal(err)
	}
	evs, _, err := srv.Service.ListEvents(context.Background(), k, inv.Contact.ID, string(login.EventDeliveryFailed), 10, "")
	if err != nil || len(evs) != 0 {
		t.Errorf("delivery.failed = %+v, %v; want none", evs, err)
	}
	if !strings.Contains(logs.String(), "delivery queued") {
		t.Errorf("no \"delivery queued\" log line:\n%s", logs.String())
	}
	for _, secret := range []string{email, token[1], code[1]} {
		if strings.Contains(logs.String(), secret) {
			t.Errorf("log holds %q", secret)
		}
	}
	// The link works.
	var a loginAnswer
	if s := c.do("POST", "/v1/login/redeem", "", map[string]string{"token": token[1]}, &a); s != 200 {
		t.Errorf("redeem = %d", s)
	}
}

// lockedBuffer is a log destination the server's goroutines share.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
