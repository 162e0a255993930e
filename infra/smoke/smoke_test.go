package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/portalpass/portalpass/infra/devserver/server"
	"github.com/portalpass/portalpass/pkg/awstest"
	"github.com/portalpass/portalpass/pkg/awstest/motoserver"
)

func TestMain(m *testing.M) { awstest.Main(m) }

const testKey = "ppk_dev_smoke_test_key_0123456789"

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// devServer starts a dev server in-process on a free port.
func devServer(t *testing.T, o server.Options) *server.Server {
	t.Helper()
	o.APIKey, o.Logger = testKey, quiet
	if o.EmailFrom == "" {
		o.EmailFrom = "login@example.com"
	}
	srv, err := server.Start(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

// secretRe finds what a message holds that the output must not: link
// tokens and login codes.
var secretRe = regexp.MustCompile(`token=([A-Za-z0-9._-]+)|code(?: is|:) ([0-9]{4,8})`)

// secrets returns the tokens and codes of every message in the dev inbox.
func secrets(t *testing.T, base string) []string {
	t.Helper()
	resp, err := http.Get(base + "/dev/inbox")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var box struct {
		Messages []struct{ Text string } `json:"messages"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&box); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range box.Messages {
		for _, s := range secretRe.FindAllStringSubmatch(m.Text, -1) {
			out = append(out, s[1]+s[2])
		}
	}
	return out
}

// noSecrets fails when the output holds the API key or a token or code.
func noSecrets(t *testing.T, out string, secrets ...string) {
	t.Helper()
	for _, s := range append(secrets, testKey) {
		if s != "" && strings.Contains(out, s) {
			t.Errorf("the output holds a secret (%d characters):\n%s", len(s), out)
		}
	}
}

// contacts returns how many contacts the demo tenant has, through the
// admin API.
func contacts(t *testing.T, base string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+"/v1/admin/contacts", nil)
	req.Header.Set("Authorization", "Bearer "+testKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Contacts []json.RawMessage `json:"contacts"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return len(out.Contacts)
}

func TestRunAgainstDevServer(t *testing.T) {
	srv := devServer(t, server.Options{})
	for _, tc := range []struct {
		name, inbox, via string
		steps            []string
	}{
		{"link via dev inbox", "dev", "link", []string{"invite message", "continue page", "redeem", "via link"}},
		{"code via JSON inbox URL", srv.URL + "/dev/inbox", "code", []string{"invite message", "code login", "via code"}},
		{"recovery link without inbox", "", "", []string{"generate link", "continue page", "redeem", "via recovery"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			err := Run(context.Background(), Options{URL: srv.URL + "/", APIKey: testKey, Inbox: tc.inbox, Via: tc.via, Domain: "example.com", Out: &out})
			if err != nil {
				t.Fatalf("Run: %v\n%s", err, out.String())
			}
			for _, s := range append(tc.steps, "ok   invite", "ok   login request", "ok   session", "ok   logout", "no_session", "ok   cleanup") {
				if !strings.Contains(out.String(), s) {
					t.Errorf("the output lacks %q:\n%s", s, out.String())
				}
			}
			sec := secrets(t, srv.URL)
			if len(sec) == 0 {
				t.Fatal("no token or code in the dev inbox to look for")
			}
			noSecrets(t, out.String(), sec...)
			if n := contacts(t, srv.URL); n != 0 {
				t.Errorf("%d contacts left after the run, want 0", n)
			}
		})
	}
}

// TestRunDefaultDomain uses the SES mailbox simulator's address form.
func TestRunDefaultDomain(t *testing.T) {
	srv := devServer(t, server.Options{})
	var out bytes.Buffer
	if err := Run(context.Background(), Options{URL: srv.URL, APIKey: testKey, Inbox: "dev", Out: &out}); err != nil {
		t.Fatalf("Run: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "success+smoke-") {
		t.Errorf("the test address is not a mailbox simulator address:\n%s", out.String())
	}
}

func TestRunWrongKey(t *testing.T) {
	srv := devServer(t, server.Options{})
	var out bytes.Buffer
	wrong := "ppk_dev_not_the_key_0123456789"
	err := Run(context.Background(), Options{URL: srv.URL, APIKey: wrong, Inbox: "dev", Out: &out})
	var se *StepError
	if !errors.As(err, &se) || se.Step != "invite" {
		t.Fatalf("Run = %v, want a failure of step invite", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "401") || !strings.Contains(msg, "unauthorized") || strings.Contains(msg, wrong) {
		t.Errorf("error %q: want the status and code, never the key", msg)
	}
	if strings.Contains(out.String(), wrong) || !strings.Contains(out.String(), "FAIL invite") {
		t.Errorf("output:\n%s", out.String())
	}
}

// TestRunNoMessage fails at the message step, with the contact still
// cleaned up: the inbox named holds nothing for the address.
func TestRunNoMessage(t *testing.T) {
	srv := devServer(t, server.Options{})
	empty := devServer(t, server.Options{}) // another server's inbox, which nothing reaches
	var out bytes.Buffer
	err := Run(context.Background(), Options{URL: srv.URL, APIKey: testKey, Inbox: empty.URL + "/dev/inbox", InboxWait: 600e6, Out: &out})
	var se *StepError
	if !errors.As(err, &se) || se.Step != "invite message" || !strings.Contains(err.Error(), "no new message") {
		t.Fatalf("Run = %v, want a failure of step invite message", err)
	}
	if !strings.Contains(out.String(), "ok   cleanup") || contacts(t, srv.URL) != 0 {
		t.Errorf("the contact was not cleaned up:\n%s", out.String())
	}
}

func TestOptions(t *testing.T) {
	for _, o := range []Options{
		{APIKey: testKey},
		{URL: "ftp://x", APIKey: testKey},
		{URL: "http://127.0.0.1:1"},
		{URL: "http://127.0.0.1:1", APIKey: testKey, Via: "code"},
		{URL: "http://127.0.0.1:1", APIKey: testKey, Via: "sms", Inbox: "dev"},
		{URL: "http://127.0.0.1:1", APIKey: testKey, Inbox: "mailbox"},
		{URL: "http://127.0.0.1:1", APIKey: testKey, Domain: "a@b.c"},
	} {
		var se *StepError
		if err := Run(context.Background(), o); !errors.As(err, &se) || se.Step != "options" {
			t.Errorf("Run(%+v) = %v, want an options error", o, err)
		}
	}
}

// TestRunUnreachable names the step and the route, never the key.
func TestRunUnreachable(t *testing.T) {
	err := Run(context.Background(), Options{URL: "http://127.0.0.1:1", APIKey: testKey})
	var se *StepError
	if !errors.As(err, &se) || se.Step != "invite" || !strings.Contains(err.Error(), "POST /v1/admin/invites") {
		t.Fatalf("Run = %v", err)
	}
}

func TestInboxNameHidesQuery(t *testing.T) {
	in, err := parseInbox("https://user:pw@mail.example.com/api/inbox?api_token=s3cret", "")
	if err != nil {
		t.Fatal(err)
	}
	if n := in.(fmt.Stringer).String(); strings.Contains(n, "s3cret") || strings.Contains(n, "pw") || !strings.Contains(n, "mail.example.com/api/inbox") {
		t.Errorf("inbox name %q", n)
	}
}

func TestFindCodeAndLink(t *testing.T) {
	html := `<p><a href="https://api.example.com/v1/login/redeem?token=t.abc_12-3">Log in</a></p><p>Or enter this code: <b>123456</b></p>`
	if c, err := findCode(html); err != nil || c != "123456" {
		t.Errorf("findCode = %q, %v", c, err)
	}
	if u, err := findLink(html); err != nil || u.Query().Get("token") != "t.abc_12-3" || u.Host != "api.example.com" {
		t.Errorf("findLink = %v, %v", u, err)
	}
	if c, err := findCode("Demo: your login code is 4821\n@api.example.com #4821"); err != nil || c != "4821" {
		t.Errorf("findCode(SMS) = %q, %v", c, err)
	}
	if _, err := findLink("no link here"); err == nil {
		t.Error("findLink found a link in none")
	}
}

// TestRunMoto runs the walkthrough with the dev server on moto, reading
// the login email from moto's SES. It starts a moto of its own: the inbox
// reads moto's whole data.json, which the shared moto of a full test run
// grows to tens of MB (every table and message of every package), too
// slow to read within a step's timeout.
func TestRunMoto(t *testing.T) {
	if testing.Short() {
		t.Skip("moto_server tests are skipped under -short")
	}
	ep, stop, err := motoserver.Start(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	srv := devServer(t, server.Options{
		Region: "us-east-1", DynamoDBEndpoint: ep, SESEndpoint: ep, SNSEndpoint: ep,
		Table: fmt.Sprintf("smoke-%d", os.Getpid()),
	})
	for _, via := range []string{"link", "code"} {
		var out bytes.Buffer
		if err := Run(context.Background(), Options{URL: srv.URL, APIKey: testKey, Inbox: "moto:" + ep, Via: via, Domain: "example.com", Out: &out}); err != nil {
			t.Fatalf("Run via %s: %v\n%s", via, err, out.String())
		}
	}
}
