package flows

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/portalpass/portalpass/infra/devserver/server"
	"github.com/portalpass/portalpass/pkg/login"
)

const (
	apiKey    = "ppk_dev_bench_key_0123456789"
	tenantID  = "demo" // the dev server's own tenant
	userAgent = "Mozilla/5.0 (X11; Linux aarch64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"
	// warmups is how many full logins each environment runs before any
	// timing, so that the tenant cache and the delivery-time average are
	// those of a warm container: the average moves an eighth of the way
	// to each new delivery time and starts at the first, slow, one.
	warmups = 64
)

var (
	tokenRe = regexp.MustCompile(`token=([A-Za-z0-9._-]+)`)
	codeRe  = regexp.MustCompile(`code(?: is|:) ([0-9]{4,8})`)
)

// logCounter counts the bytes logged, as CloudWatch Logs would ingest them.
type logCounter struct{ n atomic.Int64 }

func (c *logCounter) Write(p []byte) (int, error) {
	c.n.Add(int64(len(p)))
	return len(p), nil
}

// env is one dev server (memstore, dev inbox) whose handler the
// benchmarks call directly, and its demo tenant's API key.
type env struct {
	b    *testing.B
	srv  *server.Server
	logs *logCounter
	key  login.APIKey
}

func newEnv(b *testing.B) *env {
	b.Helper()
	logs := &logCounter{}
	srv, err := server.Start(context.Background(), server.Options{
		APIKey: apiKey, EmailFrom: "login@example.com",
		Logger: slog.New(slog.NewJSONHandler(logs, nil)),
		// The handler's own work, not the login request's response-time
		// floor, which go run ./infra/timing measures.
		RequestFloor: -1,
	})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(srv.Close)
	key, err := srv.Service.Authenticate(context.Background(), apiKey)
	if err != nil {
		b.Fatal(err)
	}
	e := &env{b: b, srv: srv, logs: logs, key: key}
	for i := range warmups {
		c := e.contact("warm", i)
		s := e.request(c, warmAddr(i))
		e.expect(e.redeemReq(s.token, warmAddr(i)), http.StatusOK)
	}
	return e
}

// contact creates a contact with portal access and returns its email.
func (e *env) contact(prefix string, i int) string {
	e.b.Helper()
	email := fmt.Sprintf("%s.%06d@example.com", prefix, i)
	active := login.AccessActive
	in := login.ContactInput{Email: &email, Access: &active}
	if _, err := e.srv.Service.CreateContact(context.Background(), e.key, in, login.Meta{}); err != nil {
		e.b.Fatal(err)
	}
	return email
}

// contacts creates n contacts with fresh addresses.
func (e *env) contacts(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = e.contact("customer", i)
	}
	return out
}

// addr is client i's own address, so that no per-IP limit is shared.
func addr(i int) string { return fmt.Sprintf("10.%d.%d.%d:50000", (i>>16)&255, (i>>8)&255, i&255) }

func warmAddr(i int) string { return fmt.Sprintf("192.0.2.%d:50000", i+1) }

// newReq builds a request as API Gateway would hand it over, from a
// client address; body, when not nil, is sent as JSON.
func newReq(method, path, from string, body any, hdr ...string) *http.Request {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = strings.NewReader(string(b))
	}
	r := httptest.NewRequest(method, "http://127.0.0.1"+path, rd)
	r.RemoteAddr = from
	r.Header.Set("User-Agent", userAgent)
	if body != nil {
		r.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	return r
}

func requestReq(email, from string) *http.Request {
	return newReq("POST", "/v1/login/request", from, map[string]string{"identifier": email, "tenant": tenantID})
}

// expect serves r and fails unless the status is want.
func (e *env) expect(r *http.Request, want int) *httptest.ResponseRecorder {
	e.b.Helper()
	w := httptest.NewRecorder()
	e.srv.Handler.ServeHTTP(w, r)
	if w.Code != want {
		e.b.Fatalf("%s %s = %d %s; want %d", r.Method, r.URL.Path, w.Code, w.Body, want)
	}
	return w
}

// sent is what a login request left: the emailed link token and code,
// and the login-request cookie the browser got.
type sent struct {
	token, code, cookie string
}

// request requests a login for email from a client address and returns
// what the browser and the inbox got.
func (e *env) request(email, from string) (s sent) {
	e.b.Helper()
	w := e.expect(requestReq(email, from), http.StatusAccepted)
	for _, c := range w.Result().Cookies() {
		s.cookie = c.Name + "=" + c.Value
	}
	msgs := e.srv.Inbox.Messages() // newest first
	if len(msgs) == 0 || msgs[0].To != email {
		e.b.Fatalf("no email to %s", email)
	}
	t, c := tokenRe.FindStringSubmatch(msgs[0].Text), codeRe.FindStringSubmatch(msgs[0].Text)
	if t == nil || c == nil {
		e.b.Fatalf("the email to %s has no link or no code", email)
	}
	s.token, s.code = t[1], c[1]
	return s
}

func (e *env) redeemReq(token, from string) *http.Request {
	return newReq("POST", "/v1/login/redeem", from, map[string]string{"token": token})
}

// run times reqs through the handler, one ServeHTTP each, and checks
// their statuses once the timer has stopped.
func (e *env) run(reqs []*http.Request, want int) {
	b := e.b
	ws := make([]*httptest.ResponseRecorder, len(reqs))
	for i := range ws {
		ws[i] = httptest.NewRecorder()
	}
	h := e.srv.Handler
	e.logs.n.Store(0)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range reqs {
		h.ServeHTTP(ws[i], reqs[i])
	}
	b.StopTimer()
	b.ReportMetric(float64(e.logs.n.Load())/float64(len(reqs)), "logB/op")
	for i, w := range ws {
		if w.Code != want {
			b.Fatalf("request %d: %s %s = %d %s; want %d", i, reqs[i].Method, reqs[i].URL.Path, w.Code, w.Body, want)
		}
	}
}

// BenchmarkRequestLogin times POST /v1/login/request for a known email
// address: find the contact, write the attempt and the counters, render
// and "send" the email (the dev inbox keeps it).
func BenchmarkRequestLogin(b *testing.B) {
	e := newEnv(b)
	reqs := make([]*http.Request, b.N)
	for i, email := range e.contacts(b.N) {
		reqs[i] = requestReq(email, addr(i))
	}
	e.run(reqs, http.StatusAccepted)
}

// BenchmarkRequestLoginUnknown times POST /v1/login/request for an
// address no contact has. The answer is the same 202 as for a known one,
// and the service waits about as long as a delivery takes (its moving
// average, here of the dev inbox's, which newEnv's logins set).
func BenchmarkRequestLoginUnknown(b *testing.B) {
	e := newEnv(b)
	reqs := make([]*http.Request, b.N)
	for i := range reqs {
		reqs[i] = requestReq(fmt.Sprintf("nobody.%06d@example.com", i), addr(i))
	}
	e.run(reqs, http.StatusAccepted)
}

// BenchmarkRedeemLink times POST /v1/login/redeem (JSON, from the
// browser that asked): consume the attempt, create the session, record.
// The login requests are made before the timer starts.
func BenchmarkRedeemLink(b *testing.B) {
	e := newEnv(b)
	reqs := make([]*http.Request, b.N)
	for i, email := range e.contacts(b.N) {
		s := e.request(email, addr(i))
		reqs[i] = newReq("POST", "/v1/login/redeem", addr(i), map[string]string{"token": s.token}, "Cookie", s.cookie)
	}
	e.run(reqs, http.StatusOK)
}

// BenchmarkRedeemPage times GET /v1/login/redeem?token=T, the page a
// link opens, in the browser that asked: it reads the contact to tell a
// live link from a dead one and consumes nothing. The login requests are
// made before the timer starts.
func BenchmarkRedeemPage(b *testing.B) {
	e := newEnv(b)
	reqs := make([]*http.Request, b.N)
	for i, email := range e.contacts(b.N) {
		s := e.request(email, addr(i))
		reqs[i] = newReq("GET", "/v1/login/redeem?token="+s.token, addr(i), nil, "Cookie", s.cookie)
	}
	e.run(reqs, http.StatusOK)
}

// BenchmarkCodeLogin times POST /v1/login/code with the emailed code:
// find the attempt by identifier, check the code, create the session.
// The login requests are made before the timer starts.
func BenchmarkCodeLogin(b *testing.B) {
	e := newEnv(b)
	reqs := make([]*http.Request, b.N)
	for i, email := range e.contacts(b.N) {
		s := e.request(email, addr(i))
		body := map[string]string{"identifier": email, "code": s.code, "tenant": tenantID}
		reqs[i] = newReq("POST", "/v1/login/code", addr(i), body, "Cookie", s.cookie)
	}
	e.run(reqs, http.StatusOK)
}

// BenchmarkSessionCheck times GET /v1/session with a session token as
// Bearer, as a portal's back end checks it. The logins are made before
// the timer starts.
func BenchmarkSessionCheck(b *testing.B) {
	e := newEnv(b)
	reqs := make([]*http.Request, b.N)
	for i, email := range e.contacts(b.N) {
		s := e.request(email, addr(i))
		w := e.expect(e.redeemReq(s.token, addr(i)), http.StatusOK)
		var ans struct {
			Session struct{ Token string } `json:"session"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &ans); err != nil || ans.Session.Token == "" {
			b.Fatalf("login %d: no session in %s", i, w.Body)
		}
		reqs[i] = newReq("GET", "/v1/session", addr(i), nil, "Authorization", "Bearer "+ans.Session.Token)
	}
	e.run(reqs, http.StatusOK)
}
