// Package functest drives a Lambda function's real handler with the
// API Gateway events of events/<function>/, on a DynamoDB table and SES
// and SNS on moto_server. Tests only.
package functest

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"

	"github.com/portalpass/portalpass/pkg/awstest"
	"github.com/portalpass/portalpass/pkg/config"
	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/send/inbox"
	"github.com/portalpass/portalpass/pkg/store/dynamo"
)

// BaseURL is the public base URL the functions run under in tests.
const BaseURL = "https://api.example.com"

// Env is one function test's world: a fresh table on moto, the
// function's configuration read from a Lambda-like environment, a
// counter of the DynamoDB calls the function makes, and a Service on the
// same table for seeding data.
type Env struct {
	Endpoint string
	Config   config.Config
	Calls    *dynamo.Calls
	Seed     *login.Service
	Inbox    *inbox.Inbox // where the seeding service's messages go
	// Email is a unique address for this test (moto is shared).
	Email string
}

var seq atomic.Int64

// Setup makes the environment. The function reads it with config.FromEnv.
func Setup(t *testing.T) *Env {
	t.Helper()
	ep := awstest.Endpoint(t)
	ctx := awstest.Ctx(t)
	n := seq.Add(1)
	table := fmt.Sprintf("fn-%d-%d", os.Getpid(), n)
	db := dynamodb.NewFromConfig(awstest.Config(ep))
	if err := dynamo.CreateTable(ctx, db, table); err != nil {
		t.Fatalf("create table: %v", err)
	}
	t.Cleanup(func() {
		_, _ = db.DeleteTable(context.Background(), &dynamodb.DeleteTableInput{TableName: aws.String(table)})
	})
	ses := sesv2.NewFromConfig(awstest.Config(ep))
	_, _ = ses.CreateEmailIdentity(ctx, &sesv2.CreateEmailIdentityInput{EmailIdentity: aws.String("example.com")})
	for k, v := range map[string]string{
		"TABLE_NAME": table, "PUBLIC_BASE_URL": BaseURL, "EMAIL_FROM": "login@example.com",
		"AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
		"AWS_SESSION_TOKEN": "testing", "AWS_ENDPOINT_URL": ep, "LOG_LEVEL": "error",
	} {
		t.Setenv(k, v)
	}
	cfg, err := config.FromEnv()
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	in := inbox.New()
	e := &Env{
		Endpoint: ep, Config: cfg, Calls: &dynamo.Calls{}, Inbox: in,
		Seed:  login.New(login.Deps{Store: dynamo.New(db, table), Email: in, SMS: in, BaseURL: BaseURL}),
		Email: fmt.Sprintf("ana.%d.%d@example.com", os.Getpid(), n),
	}
	return e
}

// DynamoOption counts the function's DynamoDB calls; pass it to the
// function's newHandler.
func (e *Env) DynamoOption(o *dynamodb.Options) { o.APIOptions = append(o.APIOptions, e.Calls.Add) }

// Tenant creates tenant id with its portal at https://portal.<id>.example
// and returns an API key for it.
func (e *Env) Tenant(t *testing.T, id string, edit func(*login.Settings)) string {
	t.Helper()
	st := login.DefaultSettings("https://portal." + id + ".example")
	if edit != nil {
		edit(&st)
	}
	ctx := context.Background()
	if _, err := e.Seed.CreateTenant(ctx, id, strings.ToUpper(id[:1])+id[1:], st); err != nil {
		// The table is this test's own, so a conflict means the SDK
		// retried a create whose answer an overloaded moto_server lost:
		// the tenant is there, as asked.
		if login.ErrorCode(err) != login.CodeConflict {
			t.Fatalf("create tenant: %v", err)
		}
		if _, err := e.Seed.Tenant(ctx, id); err != nil {
			t.Fatalf("create tenant: %v", err)
		}
	}
	key, _, err := e.Seed.NewAPIKey(ctx, id, "test")
	if err != nil {
		t.Fatalf("api key: %v", err)
	}
	return key
}

// Event reads events/<path> (relative to the repository root) and
// replaces placeholders (TOKEN, CODE, SESSION, …) in its body, query,
// cookies, headers and paths.
func Event(t *testing.T, path string, repl map[string]string) events.APIGatewayV2HTTPRequest {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root(t), "events", path))
	if err != nil {
		t.Fatalf("read event: %v", err)
	}
	var ev events.APIGatewayV2HTTPRequest
	if err := json.Unmarshal(b, &ev); err != nil {
		t.Fatalf("event %s: %v", path, err)
	}
	r := replacer(repl)
	if ev.IsBase64Encoded {
		body, err := base64.StdEncoding.DecodeString(ev.Body)
		if err != nil {
			t.Fatalf("event %s body: %v", path, err)
		}
		ev.Body = base64.StdEncoding.EncodeToString([]byte(r.Replace(string(body))))
	} else {
		ev.Body = r.Replace(ev.Body)
	}
	ev.RawPath, ev.RequestContext.HTTP.Path = r.Replace(ev.RawPath), r.Replace(ev.RequestContext.HTTP.Path)
	ev.RawQueryString = r.Replace(ev.RawQueryString)
	for k, v := range ev.QueryStringParameters {
		ev.QueryStringParameters[k] = r.Replace(v)
	}
	for k, v := range ev.PathParameters {
		ev.PathParameters[k] = r.Replace(v)
	}
	for k, v := range ev.Headers {
		ev.Headers[k] = r.Replace(v)
	}
	for i, c := range ev.Cookies {
		ev.Cookies[i] = r.Replace(c)
	}
	return ev
}

func replacer(repl map[string]string) *strings.Replacer {
	var pairs []string
	for k, v := range repl {
		pairs = append(pairs, k, v)
	}
	return strings.NewReplacer(pairs...)
}

// Invoke runs the event through the function's real Lambda handler: the
// api-proxy adapter around its http.Handler.
func Invoke(t *testing.T, h http.Handler, ev events.APIGatewayV2HTTPRequest) events.APIGatewayV2HTTPResponse {
	t.Helper()
	resp, err := httpadapter.NewV2(h).ProxyWithContext(context.Background(), ev)
	if err != nil {
		t.Fatalf("invoke %s: %v", ev.RouteKey, err)
	}
	return resp
}

// Body returns the response body, decoded when base64.
func Body(t *testing.T, r events.APIGatewayV2HTTPResponse) string {
	t.Helper()
	if !r.IsBase64Encoded {
		return r.Body
	}
	b, err := base64.StdEncoding.DecodeString(r.Body)
	if err != nil {
		t.Fatalf("body: %v", err)
	}
	return string(b)
}

// JSON decodes the response body into v.
func JSON(t *testing.T, r events.APIGatewayV2HTTPResponse, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(Body(t, r)), v); err != nil {
		t.Fatalf("json body %q: %v", Body(t, r), err)
	}
}

func root(t *testing.T) string {
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test")
		}
		dir = parent
	}
}

var (
	tokenPattern = regexp.MustCompile(`token=([A-Za-z0-9._-]+)`)
	codePattern  = regexp.MustCompile(`code(?: is|:) ([0-9]{4,8})`)
)

// LastLogin returns the token and code of the newest message the seeding
// service sent to an address ("" when the message had none).
func (e *Env) LastLogin(t *testing.T, to string) (token, code string) {
	t.Helper()
	for _, m := range e.Inbox.Messages() {
		if m.To != to {
			continue
		}
		if g := tokenPattern.FindStringSubmatch(m.Text); g != nil {
			token = g[1]
		}
		if g := codePattern.FindStringSubmatch(m.Text); g != nil {
			code = g[1]
		}
		return token, code
	}
	t.Fatalf("no message to %s", to)
	return "", ""
}

// Request asks the seeding service for a login for an email address.
func (e *Env) Request(t *testing.T, email, tenant string) (token, code string) {
	t.Helper()
	err := e.Seed.RequestLogin(context.Background(), login.LoginRequest{
		Identifier: login.Identifier{Kind: login.IdentEmail, Value: email}, Tenant: tenant,
	})
	if err != nil {
		t.Fatalf("request login: %v", err)
	}
	return e.LastLogin(t, email)
}

// Invite gives an email address portal access in a tenant.
func (e *Env) Invite(t *testing.T, apiKey, email string) {
	t.Helper()
	k, err := e.Seed.Authenticate(context.Background(), apiKey)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.Seed.Invite(context.Background(), k, login.InviteInput{Email: email}, login.Meta{}); err != nil {
		t.Fatalf("invite: %v", err)
	}
}

// ContactID returns the id of a tenant's contact with an email address.
func (e *Env) ContactID(t *testing.T, apiKey, email string) string {
	t.Helper()
	ctx := context.Background()
	k, err := e.Seed.Authenticate(ctx, apiKey)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := e.Seed.FindContacts(ctx, k, login.Identifier{Kind: login.IdentEmail, Value: email})
	if err != nil || len(cs) != 1 {
		t.Fatalf("find contact %s: %v, %d found", email, err, len(cs))
	}
	return cs[0].ID
}

// Check asserts a response's status and that its body holds want.
func Check(t *testing.T, name string, resp events.APIGatewayV2HTTPResponse, status int, want string) {
	t.Helper()
	if body := Body(t, resp); resp.StatusCode != status || !strings.Contains(body, want) {
		t.Errorf("%s = %d %s; want %d with %q", name, resp.StatusCode, body, status, want)
	}
}
