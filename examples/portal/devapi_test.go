package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/portalpass/portalpass/pkg/awstest"
	"github.com/portalpass/portalpass/pkg/httpapi"
	"github.com/portalpass/portalpass/pkg/identifier/e164"
	"github.com/portalpass/portalpass/pkg/jwtsign"
	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/send/inbox"
	"github.com/portalpass/portalpass/pkg/send/ses"
	snssender "github.com/portalpass/portalpass/pkg/send/sns"
	"github.com/portalpass/portalpass/pkg/store/dynamo"
	"github.com/portalpass/portalpass/pkg/store/memstore"
)

func TestMain(m *testing.M) { awstest.Main(m) }

// devAPI is the portalpass API served in-process the way the dev server
// (infra/devserver) wires it: every route of httpapi.All, plus the dev
// server's POST /dev/tenants and GET /dev/inbox. infra/devserver is a
// main package, which Go does not let another package import, so its
// Start cannot be called from here.
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

// startAPI serves the API on the embedded store and a dev inbox, or, with
// moto, on DynamoDB, SES and SNS at moto's endpoint.
func startAPI(t *testing.T, moto bool) *devAPI {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + l.Addr().String()
	api := &devAPI{URL: base, clock: &fakeClock{now: time.Now().UTC()}}
	box := inbox.New()
	signer, err := jwtsign.GenerateLocalSigner()
	if err != nil {
		t.Fatal(err)
	}
	keys, err := jwtsign.NewKeys(signer)
	if err != nil {
		t.Fatal(err)
	}
	deps := login.Deps{BaseURL: base, Logger: quiet, Email: box, SMS: box, Clock: api.clock, Store: memstore.New(), Signer: keys}
	api.sent = func(t *testing.T, to string) string {
		t.Helper()
		for _, m := range box.Messages() {
			if m.To == to {
				return m.Text
			}
		}
		t.Fatalf("no message to %s in the dev inbox", to)
		return ""
	}
	if moto {
		wireMoto(t, &deps, api)
	}
	svc := login.New(deps)
	mux := http.NewServeMux()
	mux.Handle("/", httpapi.All(httpapi.Config{Service: svc, BaseURL: base, Logger: quiet, Identifiers: e164.Parser}))
	mux.Handle("/dev/inbox", box.Handler())
	mux.HandleFunc("POST /dev/tenants", func(w http.ResponseWriter, r *http.Request) { devTenants(w, r, svc, base) })
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("dev API: %v", err)
		}
	}()
	t.Cleanup(func() { _ = srv.Close() })
	return api
}

// wireMoto puts the store and the senders on moto, as the dev server does
// with DYNAMODB_ENDPOINT, SES_ENDPOINT and SNS_ENDPOINT.
func wireMoto(t *testing.T, d *login.Deps, api *devAPI) {
	ep := awstest.Endpoint(t)
	ctx := awstest.Ctx(t)
	cfg := awstest.Config(ep)
	table := fmt.Sprintf("portal-example-%d-%d", os.Getpid(), time.Now().UnixNano())
	db := dynamodb.NewFromConfig(cfg)
	if err := dynamo.CreateTable(ctx, db, table); err != nil {
		t.Fatalf("create table: %v", err)
	}
	mail := sesv2.NewFromConfig(cfg)
	if _, err := mail.CreateEmailIdentity(ctx, &sesv2.CreateEmailIdentityInput{EmailIdentity: aws.String("example.com")}); err != nil &&
		!strings.Contains(err.Error(), "AlreadyExists") {
		t.Fatalf("create email identity: %v", err)
	}
	d.Store = dynamo.New(db, table)
	d.Email = ses.New(mail, "login@example.com")
	d.SMS = snssender.New(sns.NewFromConfig(cfg))
	api.sent = func(t *testing.T, to string) string {
		t.Helper()
		if m := awstest.SentEmails(t, ep, to); len(m) > 0 {
			return m[len(m)-1].Body
		}
		t.Fatalf("moto sent nothing to %s", to)
		return ""
	}
}

// devTenants is the dev server's POST /dev/tenants: it creates a tenant
// with settings and answers its API key.
func devTenants(w http.ResponseWriter, r *http.Request, svc *login.Service, base string) {
	var b struct {
		ID       string                `json:"id"`
		Name     string                `json:"name"`
		Settings *httpapi.SettingsJSON `json:"settings"`
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	fail := func(err error) {
		writeJSON(w, httpapi.StatusOf(login.ErrorCode(err)), map[string]any{"error": map[string]string{"code": string(login.ErrorCode(err))}})
	}
	if err := dec.Decode(&b); err != nil {
		fail(login.Errorf(login.CodeInvalidRequest, "bad body"))
		return
	}
	t := login.Tenant{ID: b.ID, Name: b.Name, Settings: login.DefaultSettings(base + "/portal")}
	if b.Settings != nil {
		if err := httpapi.ApplySettings(&t, *b.Settings, true); err != nil {
			fail(err)
			return
		}
	}
	t, err := svc.CreateTenant(context.WithoutCancel(r.Context()), t.ID, t.Name, t.Settings)
	if err != nil {
		fail(err)
		return
	}
	key, _, err := svc.NewAPIKey(r.Context(), t.ID, "dev")
	if err != nil {
		fail(err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"tenant": map[string]any{"id": t.ID, "name": t.Name, "settings": httpapi.SettingsOut(t)}, "apiKey": key})
}
