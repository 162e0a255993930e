package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/portalpass/portalpass/pkg/httpapi"
	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/login/logintest"
	"github.com/portalpass/portalpass/pkg/store/memstore"
)

const (
	baseURL   = "https://api.example.com"
	portalURL = "https://portal.acme.example/app"
	// Cookie names with an https BaseURL.
	sessionCookie = "__Host-pp_session"
	requestCookie = "__Host-pp_req"
	pickerCookie  = "__Host-pp_pick"
	// clientAddr is the RemoteAddr of every request unless a test sets one.
	clientAddr = "198.51.100.7:40000"
)

// syncBuffer is a bytes.Buffer safe for the concurrent writes of a server.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// env is the API of one test: the real handler over the embedded store
// with a fake clock and fake senders, and a tenant "acme" with an API key.
type env struct {
	t     *testing.T
	svc   *login.Service
	h     http.Handler
	clock *logintest.Clock
	email *logintest.Sender
	sms   *logintest.Sender
	logs  *syncBuffer
	key   string // acme's API key
}

func newEnv(t *testing.T) *env {
	t.Helper()
	return newEnvAt(t, time.Now().UTC().Truncate(time.Second))
}

// newEnvAt is newEnv with the fake clock starting at start.
func newEnvAt(t *testing.T, start time.Time) *env {
	t.Helper()
	e := &env{
		t:     t,
		clock: logintest.NewClock(start),
		email: &logintest.Sender{},
		sms:   &logintest.Sender{},
		logs:  &syncBuffer{},
	}
	logger := slog.New(slog.NewJSONHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	e.svc = login.New(login.Deps{
		Store: memstore.New(), Email: e.email, SMS: e.sms, Clock: e.clock, BaseURL: baseURL,
		Logger: logger, Sleep: func(context.Context, time.Duration) {},
	})
	e.key = e.tenant("acme", "Acme", portalURL)
	e.h = httpapi.All(httpapi.Config{Service: e.svc, BaseURL: baseURL, Logger: logger})
	return e
}

// tenant creates a tenant and returns a new API key of it.
func (e *env) tenant(id, name, portal string) string {
	e.t.Helper()
	ctx := context.Background()
	if _, err := e.svc.CreateTenant(ctx, id, name, login.DefaultSettings(portal)); err != nil {
		e.t.Fatalf("CreateTenant(%q): %v", id, err)
	}
	key, _, err := e.svc.NewAPIKey(ctx, id, "test")
	if err != nil {
		e.t.Fatalf("NewAPIKey(%q): %v", id, err)
	}
	return key
}

// req builds a request; a body with a JSON-looking start gets the JSON
// Content-Type unless headers set one. headers are name, value pairs.
func req(method, target, body string, headers ...string) *http.Request {
	var r *http.Request
	if body == "" {
		r = httptest.NewRequest(method, target, nil)
	} else {
		r = httptest.NewRequest(method, target, strings.NewReader(body))
	}
	r.RemoteAddr = clientAddr
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Add(headers[i], headers[i+1])
	}
	return r
}

// jsonReq builds a request with a JSON body.
func jsonReq(method, target, body string, headers ...string) *http.Request {
	return req(method, target, body, append([]string{"Content-Type", "application/json"}, headers...)...)
}

// formReq builds a same-origin form post.
func formReq(target string, v url.Values, headers ...string) *http.Request {
	return req(http.MethodPost, target, v.Encode(), append([]string{"Content-Type", "application/x-www-form-urlencoded"}, headers...)...)
}

func (e *env) do(r *http.Request) *httptest.ResponseRecorder {
	e.t.Helper()
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, r)
	return w
}

// admin sends a JSON request with acme's API key (or key when given).
func (e *env) admin(method, target, body string, key ...string) *httptest.ResponseRecorder {
	e.t.Helper()
	k := e.key
	if len(key) > 0 {
		k = key[0]
	}
	return e.do(jsonReq(method, target, body, "Authorization", "Bearer "+k))
}

// invite invites an email into the tenant of key and returns the contact id.
func (e *env) invite(email string, key ...string) string {
	e.t.Helper()
	w := e.admin(http.MethodPost, "/v1/admin/invites", `{"email":`+quote(email)+`}`, key...)
	if w.Code != http.StatusCreated {
		e.t.Fatalf("invite %s: status %d, body %s", email, w.Code, w.Body)
	}
	var out struct {
		Contact httpapi.ContactJSON `json:"contact"`
	}
	decode(e.t, w.Body.Bytes(), &out)
	return out.Contact.ID
}

// requestLogin posts a login request, which must answer 202, and returns
// the answer.
func (e *env) requestLogin(body string) *httptest.ResponseRecorder {
	e.t.Helper()
	w := e.do(jsonReq(http.MethodPost, "/v1/login/request", body))
	if w.Code != http.StatusAccepted {
		e.t.Fatalf("POST /v1/login/request %s: status %d, body %s", body, w.Code, w.Body)
	}
	return w
}

// lastLogin returns the token and code of the latest message sent.
func (e *env) lastLogin() (token, code string) {
	e.t.Helper()
	m := e.email.Last()
	if m.Link == "" {
		e.t.Fatal("no login message was sent")
	}
	u, err := url.Parse(m.Link)
	if err != nil {
		e.t.Fatalf("link %q: %v", m.Link, err)
	}
	return u.Query().Get("token"), m.Code
}

// login requests a login for email and redeems its link as JSON,
// returning the session token.
func (e *env) login(email string) string {
	e.t.Helper()
	e.requestLogin(`{"identifier":` + quote(email) + `}`)
	tok, _ := e.lastLogin()
	w := e.redeemJSON(tok)
	if w.Code != http.StatusOK {
		e.t.Fatalf("redeem: status %d, body %s", w.Code, w.Body)
	}
	return sessionToken(e.t, w)
}

func (e *env) redeemJSON(token string, headers ...string) *httptest.ResponseRecorder {
	e.t.Helper()
	return e.do(jsonReq(http.MethodPost, "/v1/login/redeem", `{"token":`+quote(token)+`}`, headers...))
}

// sessionStatus is the status of GET /v1/session with a Bearer token.
func (e *env) sessionStatus(token string) int {
	e.t.Helper()
	return e.do(req(http.MethodGet, "/v1/session", "", "Authorization", "Bearer "+token)).Code
}

// sessionToken returns the session cookie of a login's answer, which
// must equal the token in its JSON body.
func sessionToken(t *testing.T, w *httptest.ResponseRecorder) string {
	t.Helper()
	c := cookie(w, sessionCookie)
	if c == nil || c.Value == "" {
		t.Fatalf("no %s cookie in %q", sessionCookie, w.Header().Values("Set-Cookie"))
	}
	var out struct {
		Session struct {
			Token string `json:"token"`
		} `json:"session"`
	}
	decode(t, w.Body.Bytes(), &out)
	if out.Session.Token != c.Value {
		t.Fatalf("session token in body differs from the cookie")
	}
	return c.Value
}

// cookie returns the cookie a response sets with that name, or nil.
func cookie(w *httptest.ResponseRecorder, name string) *http.Cookie {
	for _, c := range w.Result().Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func decode(t *testing.T, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
}

// errorCode checks that body is exactly {"error":{"code","message"}}
// with non-empty strings, and returns the code.
func errorCode(t *testing.T, body []byte) string {
	t.Helper()
	code, err := parseError(body)
	if err != "" {
		t.Fatalf("error body %q: %s", body, err)
	}
	return code
}

// parseError returns the code of an exact API.md error body, or what is
// wrong with it.
func parseError(body []byte) (code, problem string) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil {
		return "", "not a JSON object: " + err.Error()
	}
	if len(top) != 1 || top["error"] == nil {
		return "", "want exactly the key \"error\""
	}
	var detail map[string]any
	if err := json.Unmarshal(top["error"], &detail); err != nil {
		return "", "error is not an object"
	}
	if len(detail) != 2 {
		return "", "error must have exactly code and message"
	}
	c, ok1 := detail["code"].(string)
	m, ok2 := detail["message"].(string)
	if !ok1 || !ok2 || c == "" || m == "" {
		return "", "code and message must be non-empty strings"
	}
	return c, ""
}

// checkError checks a JSON error answer's status, Content-Type and code.
func checkError(t *testing.T, w *httptest.ResponseRecorder, wantStatus int, wantCode string) {
	t.Helper()
	if w.Code != wantStatus {
		t.Fatalf("status = %d; want %d (body %s)", w.Code, wantStatus, w.Body)
	}
	if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("Content-Type = %q; want application/json", ct)
	}
	if got := errorCode(t, w.Body.Bytes()); got != wantCode {
		t.Fatalf("code = %q; want %q", got, wantCode)
	}
}

func readAll(t *testing.T, r io.Reader) string {
	t.Helper()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
