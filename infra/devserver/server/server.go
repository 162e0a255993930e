// Package server wires the dev server: the whole API as one local
// process on the embedded store and a dev inbox, or on DynamoDB, SES and
// SNS endpoints. Command devserver runs it; tests (here and in
// examples/portal) start it in-process.
package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/portalpass/portalpass/pkg/httpapi"
	"github.com/portalpass/portalpass/pkg/identifier/e164"
	"github.com/portalpass/portalpass/pkg/jwtsign"
	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/metrics"
	"github.com/portalpass/portalpass/pkg/send/inbox"
	"github.com/portalpass/portalpass/pkg/send/ses"
	snssender "github.com/portalpass/portalpass/pkg/send/sns"
	"github.com/portalpass/portalpass/pkg/sendqueue"
	"github.com/portalpass/portalpass/pkg/store/dynamo"
	"github.com/portalpass/portalpass/pkg/store/memstore"
	"github.com/portalpass/portalpass/pkg/wire"
)

// Options configure a dev server.
type Options struct {
	Port                                       int // 0 picks a free port
	APIKey                                     string
	EmailFrom                                  string
	DynamoDBEndpoint, SESEndpoint, SNSEndpoint string
	Table, Region                              string
	UseAWS                                     bool
	// RelaxRateLimits lifts the rate limits to DevRateLimits, so that a
	// developer may request logins for one address again and again.
	RelaxRateLimits bool
	// RequestFloor is the least time a login request takes (see
	// login.Deps.RequestFloor): zero means DevRequestFloor, negative none
	// (benchmarks of the handler's own work).
	RequestFloor time.Duration
	Logger       *slog.Logger
	Clock        login.Clock
	// DashboardOrigins are the dashboard origins whose browsers may call
	// the admin routes (DASHBOARD_ORIGINS, as on Lambda).
	DashboardOrigins []string
	// Metrics, when set, receives the metrics' EMF lines, as a Lambda
	// function prints them (pkg/metrics); nil: none.
	Metrics io.Writer
	// SendRetryDelays are the in-process send queue's waits before each
	// retry of a login message whose send failed transiently (default
	// sendqueue.DefaultLocalDelays); tests shorten them.
	SendRetryDelays []time.Duration
}

// DevRequestFloor is the dev server's login-request floor: enough to
// cover the embedded store and the dev inbox, or moto, with room to
// spare, and short enough not to slow down local work and tests the way
// Lambda's 400 ms would.
const DevRequestFloor = 50 * time.Millisecond

// DevRateLimits are the rate limits with Options.RelaxRateLimits: high
// enough that nobody trying the API by hand meets them, still finite.
var DevRateLimits = login.RateLimits{Send: 1000, IP: 10000, CodeFailures: 1000}

// Server is a running dev server.
type Server struct {
	URL          string
	GeneratedKey string // the demo key when it was generated, else ""
	Service      *login.Service
	Inbox        *inbox.Inbox
	Handler      http.Handler
	http         *http.Server
	// SendQueue is the in-process send queue (README "Delivery and
	// retries"): what SES or SNS refused for a while is sent again.
	SendQueue *sendqueue.Local
}

// Close stops the server.
func (s *Server) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = s.http.Shutdown(ctx)
	s.SendQueue.Close()
}

// Start wires the dev server and starts serving on 127.0.0.1.
func Start(ctx context.Context, o Options) (*Server, error) {
	if o.Logger == nil {
		// The functions' logger: each line carries the request's id
		// (the dev server's own), route and tenant.
		o.Logger = wire.NewLogger(os.Stderr, logLevel())
	}
	l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", o.Port))
	if err != nil {
		return nil, fmt.Errorf("devserver: listen: %w", err)
	}
	base := "http://" + l.Addr().String()
	srv := &Server{URL: base, Inbox: inbox.New()}

	deps := login.Deps{BaseURL: base, Logger: o.Logger, Email: srv.Inbox, SMS: srv.Inbox, Clock: o.Clock, RequestFloor: o.RequestFloor, Phones: e164.SMSInfo}
	if deps.RequestFloor == 0 {
		deps.RequestFloor = DevRequestFloor
	}
	if o.RelaxRateLimits {
		deps.RateLimits = DevRateLimits
	}
	if o.Metrics != nil {
		deps.Observer = metrics.New(o.Metrics, "devserver")
	}
	// Session JWTs are signed with a key made at start: the JWKS lists it
	// until the server stops.
	if deps.Signer, err = localSigner(); err != nil {
		l.Close()
		return nil, err
	}
	if err := wireAWS(ctx, o, &deps); err != nil {
		l.Close()
		return nil, err
	}
	// The dev inbox never fails; SES and SNS (or moto) may, and then the
	// message is retried in the process, sealed with a key of its own.
	if srv.SendQueue, err = sendqueue.NewLocal(o.SendRetryDelays, o.Logger); err != nil {
		l.Close()
		return nil, fmt.Errorf("devserver: %w", err)
	}
	deps.SendQueue = srv.SendQueue
	srv.Service = login.New(deps)
	srv.SendQueue.SetResender(srv.Service.Resend)
	if srv.GeneratedKey, err = ensureDemo(ctx, srv.Service, base, o.APIKey); err != nil {
		l.Close()
		return nil, err
	}

	mux := http.NewServeMux()
	api := httpapi.All(httpapi.Config{Service: srv.Service, BaseURL: base, Logger: o.Logger, Identifiers: e164.Parser, DashboardOrigins: o.DashboardOrigins})
	mux.Handle("/", api)
	mux.Handle("/dev/inbox", srv.Inbox.Handler())
	mux.Handle("/dev/inbox.html", srv.Inbox.Handler())
	mux.Handle("/dev/inbox/", srv.Inbox.Handler())
	mux.HandleFunc("POST /dev/tenants", func(w http.ResponseWriter, r *http.Request) { devTenants(w, r, srv.Service, base) })
	mux.HandleFunc("POST /dev/delivery-events", func(w http.ResponseWriter, r *http.Request) { devDeliveryEvents(w, r, srv.Service) })
	mux.HandleFunc("GET /portal", func(w http.ResponseWriter, r *http.Request) { demoPortal(w, r, srv.Service) })
	mux.HandleFunc("GET /portal/{path...}", func(w http.ResponseWriter, r *http.Request) { demoPortal(w, r, srv.Service) })
	srv.Handler = mux
	srv.http = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.http.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
			o.Logger.Error("devserver: serve", "err", err)
		}
	}()
	return srv, nil
}

// localSigner returns JWT keys over a new in-memory P-256 key.
func localSigner() (*jwtsign.Keys, error) {
	s, err := jwtsign.GenerateLocalSigner()
	if err != nil {
		return nil, fmt.Errorf("devserver: %w", err)
	}
	return jwtsign.NewKeys(s)
}

func logLevel() slog.Level {
	var l slog.Level
	_ = l.UnmarshalText([]byte(os.Getenv("LOG_LEVEL")))
	return l
}

// wireAWS switches the store and senders to DynamoDB, SES and SNS when
// their endpoints (or -aws) are given.
func wireAWS(ctx context.Context, o Options, d *login.Deps) error {
	if o.DynamoDBEndpoint == "" && o.SESEndpoint == "" && o.SNSEndpoint == "" && !o.UseAWS {
		d.Store = memstore.New()
		return nil
	}
	cfg, err := awsConfig(ctx, o)
	if err != nil {
		return err
	}
	endpoint := func(e string) *string {
		if e == "" {
			return nil
		}
		return aws.String(e)
	}
	if o.DynamoDBEndpoint != "" || o.UseAWS {
		c := dynamodb.NewFromConfig(cfg, func(op *dynamodb.Options) { op.BaseEndpoint = endpoint(o.DynamoDBEndpoint) })
		if err := dynamo.CreateTable(ctx, c, o.Table); err != nil {
			return fmt.Errorf("devserver: create table: %w", err)
		}
		d.Store = dynamo.New(c, o.Table)
	} else {
		d.Store = memstore.New()
	}
	if o.SESEndpoint != "" || o.UseAWS {
		c := sesv2.NewFromConfig(cfg, func(op *sesv2.Options) { op.BaseEndpoint = endpoint(o.SESEndpoint) })
		if o.SESEndpoint != "" {
			if err := ensureIdentity(ctx, c, o.EmailFrom); err != nil {
				return err
			}
		}
		d.Email = ses.New(c, o.EmailFrom)
	}
	if o.SNSEndpoint != "" || o.UseAWS {
		d.SMS = snssender.New(sns.NewFromConfig(cfg, func(op *sns.Options) { op.BaseEndpoint = endpoint(o.SNSEndpoint) }))
	}
	return nil
}

func awsConfig(ctx context.Context, o Options) (aws.Config, error) {
	if o.UseAWS {
		return awsconfig.LoadDefaultConfig(ctx, awsconfig.WithRegion(o.Region))
	}
	id, secret := os.Getenv("AWS_ACCESS_KEY_ID"), os.Getenv("AWS_SECRET_ACCESS_KEY")
	if id == "" || secret == "" {
		id, secret = "dev", "dev" // a local stand-in such as moto accepts any keys
	}
	return aws.Config{
		Region:      o.Region,
		Credentials: credentials.NewStaticCredentialsProvider(id, secret, os.Getenv("AWS_SESSION_TOKEN")),
	}, nil
}

// ensureIdentity verifies the sender's domain on a local SES stand-in,
// which refuses to send from an unverified identity.
func ensureIdentity(ctx context.Context, c *sesv2.Client, from string) error {
	domain := from[strings.LastIndex(from, "@")+1:]
	if _, err := c.GetEmailIdentity(ctx, &sesv2.GetEmailIdentityInput{EmailIdentity: aws.String(domain)}); err == nil {
		return nil
	}
	if _, err := c.CreateEmailIdentity(ctx, &sesv2.CreateEmailIdentityInput{EmailIdentity: aws.String(domain)}); err != nil {
		return fmt.Errorf("devserver: create email identity: %w", err)
	}
	return nil
}

// ensureDemo makes the demo tenant and its API key. It returns the key
// when it generated one.
func ensureDemo(ctx context.Context, svc *login.Service, base, key string) (string, error) {
	_, err := svc.Tenant(ctx, "demo")
	if errors.Is(err, login.ErrNotFound) {
		_, err = svc.CreateTenant(ctx, "demo", "Demo", login.DefaultSettings(base+"/portal"))
	}
	if err != nil && login.ErrorCode(err) != login.CodeConflict {
		return "", fmt.Errorf("devserver: demo tenant: %w", err)
	}
	if key != "" {
		_, err := svc.PutAPIKey(ctx, "demo", key, "dev")
		return "", err
	}
	key, _, err = svc.NewAPIKey(ctx, "demo", "dev")
	return key, err
}

type devTenantBody struct {
	ID       string               `json:"id"`
	Name     string               `json:"name"`
	Settings *login.SettingsPatch `json:"settings"`
}

// devTenants creates another tenant and its API key (dev server only).
func devTenants(w http.ResponseWriter, r *http.Request, svc *login.Service, base string) {
	var b devTenantBody
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 16<<10))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		devError(w, login.Errorf(login.CodeInvalidRequest, "body must be {\"id\", \"name\", \"settings\"?}"))
		return
	}
	if b.Name == "" {
		b.Name = b.ID
	}
	t := login.Tenant{ID: b.ID, Name: b.Name, Settings: login.DefaultSettings(base + "/portal")}
	if b.Settings != nil {
		b.Settings.Apply(&t)
	}
	// Only here may lifetimes go below API.md's minimums (POST /dev/tenants).
	t, err := svc.CreateTenant(r.Context(), t.ID, t.Name, t.Settings, login.RelaxedLifetimes)
	if err != nil {
		devError(w, err)
		return
	}
	key, _, err := svc.NewAPIKey(r.Context(), t.ID, "dev")
	if err != nil {
		devError(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"tenant": map[string]any{"id": t.ID, "name": t.Name, "settings": login.SettingsView(t)},
		"apiKey": key,
	})
}

func devError(w http.ResponseWriter, err error) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(httpapi.StatusOf(login.ErrorCode(err)))
	_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]string{"code": string(login.ErrorCode(err)), "message": login.ErrorMessage(err)}})
}

var portalPage = template.Must(template.New("portal").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{if .}}{{.Tenant.Name}} portal{{else}}Portal{{end}}</title></head><body><main>
{{if .}}<h1>{{.Tenant.Name}} portal</h1>
<p id="who">Logged in to <strong>{{.Tenant.Name}}</strong> as <strong>{{or .Contact.Email .Contact.Phone}}</strong> (via {{.Session.Via}}).</p>
<p><a id="logout" href="/logout">Log out</a></p>
{{else}}<h1>Portal</h1>
<p id="who">Not logged in. <a href="/login?tenant=demo">Log in</a></p>{{end}}
</main></body></html>`))

// demoPortal stands in for a tenant's portal (every dev tenant's portal
// URL is this one): it names the tenant of the browser's session, shows
// who is logged in, and links to the hosted logout page.
func demoPortal(w http.ResponseWriter, r *http.Request, svc *login.Service) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
	var view *login.SessionView
	if c, err := r.Cookie("pp_session"); err == nil {
		if v, err := svc.Session(r.Context(), c.Value); err == nil {
			view = &v
		}
	}
	_ = portalPage.Execute(w, view)
}
