package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/portalpass/portalpass/pkg/httpapi"
	"github.com/portalpass/portalpass/pkg/identifier/e164"
	"github.com/portalpass/portalpass/pkg/jwtsign"
	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/send/inbox"
	"github.com/portalpass/portalpass/pkg/store/dynamo"
)

// The flows measured.
const (
	flowEmail     = "email login"
	flowCode      = "code login"
	flowLinkSMS   = "email login, phone on file (code also by SMS)"
	flowCodeSMS   = "code login, phone on file (code also by SMS)"
	flowPhoneLink = "phone login by link (SMS)"
	flowPhoneCode = "phone login by code (SMS)"
	flowSession   = "session check"
)

// flowOrder is the order flows are reported in.
var flowOrder = []string{flowEmail, flowCode, flowLinkSMS, flowCodeSMS, flowPhoneLink, flowPhoneCode, flowSession}

// flowCycle is how many logins in a row cover every login flow (flowOf).
const flowCycle = 8

// byCode reports whether a login flow ends with the code rather than the
// link; byPhone whether it asks with the phone number.
func byCode(f string) bool  { return f == flowCode || f == flowCodeSMS || f == flowPhoneCode }
func byPhone(f string) bool { return f == flowPhoneLink || f == flowPhoneCode }

const (
	tenantID  = "acme"
	baseURL   = "http://127.0.0.1:8080" // the dev server's shape; nothing listens
	userAgent = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"
	redirect  = "/invoices/42"
)

// Options configure a measurement.
type Options struct {
	N        int    // logins in the burst
	Endpoint string // DynamoDB endpoint (moto)
	Logger   *slog.Logger
}

// Result is what a measurement saw.
type Result struct {
	N      int
	Table  string
	Schema *Schema
	Calls  []Call
	// Logins is how many logins of each flow the burst ran.
	Logins map[string]int
}

// flowOf says which flow login i of the burst runs: of every eight, four
// are email logins of contacts without a phone (two by link, two by
// code) and four send an SMS: an email login by link and one by code of
// a contact with a phone (the tenant sends the code by SMS too), and a
// phone login by link and one by code.
func flowOf(i int) string {
	return [flowCycle]string{flowEmail, flowCode, flowLinkSMS, flowCodeSMS, flowEmail, flowCode, flowPhoneLink, flowPhoneCode}[i%flowCycle]
}

func hasPhone(i int) bool { return flowOf(i) != flowEmail && flowOf(i) != flowCode }

// Run creates a table on the endpoint, wires the dev server's handler
// (httpapi.All over the login service on the DynamoDB store, with the
// dev inbox as sender) on a metered client, makes one tenant with N
// contacts and runs a burst of N logins, one per contact, each from its
// own client IP, then one session check per session. Only the flows'
// own calls are metered; the setup and one warm-up login per flow are
// not. The table is deleted at the end.
func Run(ctx context.Context, o Options) (*Result, error) {
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	cfg := aws.Config{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(o.Endpoint),
		Credentials:  credentials.NewStaticCredentialsProvider("capacity", "capacity", ""),
	}
	plain := dynamodb.NewFromConfig(cfg)
	meter := NewMeter(plain)
	metered := dynamodb.NewFromConfig(cfg, func(op *dynamodb.Options) { op.APIOptions = append(op.APIOptions, meter.Add) })

	table := fmt.Sprintf("capacity-%d-%d", os.Getpid(), time.Now().UnixNano())
	if err := dynamo.CreateTable(ctx, plain, table); err != nil {
		return nil, fmt.Errorf("capacity: %w", err)
	}
	defer func() {
		_, _ = plain.DeleteTable(context.WithoutCancel(ctx), &dynamodb.DeleteTableInput{TableName: aws.String(table)})
	}()
	schema, err := meter.Schema(ctx, table)
	if err != nil {
		return nil, err
	}

	// The dev server's wiring (infra/devserver/server), on the metered
	// client: server.Options takes endpoints, not a client.
	box := inbox.New()
	keys, err := signer()
	if err != nil {
		return nil, err
	}
	svc := login.New(login.Deps{
		Store: dynamo.New(metered, table), Email: box, SMS: box, BaseURL: baseURL, Logger: o.Logger, Signer: keys,
		Phones: e164.SMSInfo,
		// Budgets are per login on a warm container: the settings
		// re-read once a minute per container is not part of one.
		TenantCacheTTL: 24 * time.Hour,
		// Capacity, not answer time: no response-time floor to wait out.
		RequestFloor: -1,
	})
	r := &runner{
		h:     httpapi.All(httpapi.Config{Service: svc, BaseURL: baseURL, Logger: o.Logger, Identifiers: e164.Parser}),
		box:   box,
		meter: meter,
	}
	if err := r.setup(ctx, svc, o.N); err != nil {
		return nil, err
	}

	// Warm-up: one unmetered round of each flow on contacts of their own
	// (flowCycle in a row cover every flow).
	for i := o.N; i < o.N+flowCycle; i++ {
		if _, err := r.login(flowOf(i), i, false); err != nil {
			return nil, fmt.Errorf("capacity: warm-up: %w", err)
		}
	}

	res := &Result{N: o.N, Table: table, Schema: schema, Logins: map[string]int{}}
	sessions := make([]string, 0, o.N)
	for i := range o.N {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		f := flowOf(i)
		tok, err := r.login(f, i, true)
		if err != nil {
			return nil, err
		}
		res.Logins[f]++
		sessions = append(sessions, tok)
	}
	for i, tok := range sessions {
		r.meter.Begin(flowSession, "session", i)
		st, body, _ := r.do("GET", "/v1/session", i, nil, map[string]string{"Authorization": "Bearer " + tok})
		r.meter.End()
		if st != http.StatusOK {
			return nil, fmt.Errorf("capacity: session check %d: %d %s", i, st, body)
		}
		res.Logins[flowSession]++
	}
	res.Calls = meter.Calls()
	return res, nil
}

func signer() (*jwtsign.Keys, error) {
	s, err := jwtsign.GenerateLocalSigner()
	if err != nil {
		return nil, fmt.Errorf("capacity: %w", err)
	}
	return jwtsign.NewKeys(s)
}

// runner drives the handler as API Gateway would, one request at a time.
type runner struct {
	h     http.Handler
	box   *inbox.Inbox
	meter *Meter
}

func email(i int) string { return fmt.Sprintf("customer.%04d@example.com", i) }

func phone(i int) string { return fmt.Sprintf("+1415555%04d", i%10000) }

// identifier is what contact i logs in with in flow f.
func identifier(f string, i int) string {
	if byPhone(f) {
		return phone(i)
	}
	return email(i)
}

// setup makes the tenant and n contacts plus the warm-up ones, with
// portal access, names and, for those of the SMS flows, a phone.
func (r *runner) setup(ctx context.Context, svc *login.Service, n int) error {
	if _, err := svc.CreateTenant(ctx, tenantID, "Acme Plumbing", login.DefaultSettings(baseURL+"/portal")); err != nil {
		return fmt.Errorf("capacity: tenant: %w", err)
	}
	key, _, err := svc.NewAPIKey(ctx, tenantID, "capacity")
	if err != nil {
		return fmt.Errorf("capacity: api key: %w", err)
	}
	k, err := svc.Authenticate(ctx, key)
	if err != nil {
		return fmt.Errorf("capacity: api key: %w", err)
	}
	active := login.AccessActive
	for i := range n + flowCycle {
		in := login.ContactInput{Email: aws.String(email(i)), Name: aws.String(fmt.Sprintf("Customer %04d", i)), Access: &active}
		if hasPhone(i) {
			in.Phone = aws.String(phone(i))
		}
		if _, err := svc.CreateContact(ctx, k, in, login.Meta{}); err != nil {
			return fmt.Errorf("capacity: contact %d: %w", i, err)
		}
	}
	return nil
}

var (
	tokenRe = regexp.MustCompile(`(?:token=|/l/)([A-Za-z0-9._-]+)`)
	// pageTokenRe is the full token in the continue page's form, which a
	// short SMS link (/l/T) opens.
	pageTokenRe = regexp.MustCompile(`name="token" value="([A-Za-z0-9._-]+)"`)
	codeRe      = regexp.MustCompile(`code(?: is|:) ([0-9]{4,8})`)
)

// login runs one login of flow f for contact i and returns its session
// token. With metered false it runs unlabelled (the warm-up).
func (r *runner) login(f string, i int, metered bool) (string, error) {
	begin := func(step string) {
		if metered {
			r.meter.Begin(f, step, i)
		}
	}
	begin("request")
	id := identifier(f, i)
	st, body, cookies := r.do("POST", "/v1/login/request", i,
		map[string]string{"identifier": id, "tenant": tenantID, "redirect": redirect}, nil)
	r.meter.End()
	if st != http.StatusAccepted {
		return "", fmt.Errorf("capacity: login %d: request = %d %s", i, st, body)
	}
	channel := "email"
	if byPhone(f) {
		channel = "sms"
	}
	token, code, err := r.lastMessage(id, channel)
	if err != nil {
		return "", err
	}
	if hasPhone(i) && !r.sentSMS(phone(i)) {
		return "", fmt.Errorf("capacity: login %d (%s): no SMS to the contact's phone", i, f)
	}
	var ans struct {
		Session struct{ Token string } `json:"session"`
	}
	hdr := map[string]string{}
	for _, c := range cookies {
		hdr["Cookie"] = c.Name + "=" + c.Value // the browser that asked
	}
	if !byCode(f) && strings.Contains(r.lastText(id, channel), "/l/"+token) {
		// A short SMS link: the browser opens its page, which holds
		// the full token its Continue posts (not measured, as the
		// email link's page is not).
		st, body, _ := r.do("GET", "/l/"+token, i, nil, hdr)
		g := pageTokenRe.FindSubmatch(body)
		if st != http.StatusOK || g == nil {
			return "", fmt.Errorf("capacity: login %d (%s): short link page = %d", i, f, st)
		}
		token = string(g[1])
	}
	if !byCode(f) {
		begin("redeem")
		st, body, _ = r.do("POST", "/v1/login/redeem", i, map[string]string{"token": token}, hdr)
	} else {
		begin("code")
		st, body, _ = r.do("POST", "/v1/login/code", i, map[string]string{"identifier": id, "code": code, "tenant": tenantID}, hdr)
	}
	r.meter.End()
	if st != http.StatusOK {
		return "", fmt.Errorf("capacity: login %d (%s) = %d %s", i, f, st, body)
	}
	if err := json.Unmarshal(body, &ans); err != nil || ans.Session.Token == "" {
		return "", fmt.Errorf("capacity: login %d (%s): no session in the answer", i, f)
	}
	return ans.Session.Token, nil
}

// lastText is the text of the newest message on channel to an address
// or number.
func (r *runner) lastText(to, channel string) string {
	for _, m := range r.box.Messages() { // newest first
		if m.To == to && m.Channel == channel {
			return m.Text
		}
	}
	return ""
}

// lastMessage returns the link token and code of the newest message on
// channel to an address or number.
func (r *runner) lastMessage(to, channel string) (token, code string, err error) {
	for _, m := range r.box.Messages() {
		if m.To != to || m.Channel != channel {
			continue
		}
		if g := tokenRe.FindStringSubmatch(m.Text); g != nil {
			token = g[1]
		}
		if g := codeRe.FindStringSubmatch(m.Text); g != nil {
			code = g[1]
		}
		if token == "" || code == "" {
			return "", "", fmt.Errorf("capacity: the %s to %s has no link or no code", channel, to)
		}
		return token, code, nil
	}
	return "", "", fmt.Errorf("capacity: no %s to %s", channel, to)
}

// sentSMS reports whether an SMS went to number: a flow meant to send
// one is measured only if it did.
func (r *runner) sentSMS(number string) bool {
	for _, m := range r.box.Messages() {
		if m.To == number && m.Channel == "sms" {
			return true
		}
	}
	return false
}

// do sends one request through the handler from client i's own address
// (10.x.y.z): the dev server takes the client IP from the peer address.
func (r *runner) do(method, path string, i int, body any, hdr map[string]string) (int, []byte, []*http.Cookie) {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req := httptest.NewRequest(method, baseURL+path, rd)
	req.RemoteAddr = fmt.Sprintf("10.%d.%d.%d:50000", (i>>16)&255, (i>>8)&255, i&255)
	req.Header.Set("User-Agent", userAgent)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	r.h.ServeHTTP(w, req)
	return w.Code, w.Body.Bytes(), w.Result().Cookies()
}
