package main

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

var tokenRe = regexp.MustCompile(`token=([A-Za-z0-9._-]+)`)

// browserClient is a browser with its own cookies that does not follow
// redirects, so that tests see each hop.
func browserClient() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// send makes a request and returns the status, body and answer.
func send(t *testing.T, c *http.Client, req *http.Request) (int, string, *http.Response) {
	t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp
}

func get(t *testing.T, c *http.Client, u string) (int, string, *http.Response) {
	t.Helper()
	req, _ := http.NewRequest("GET", u, nil)
	return send(t, c, req)
}

func postForm(t *testing.T, c *http.Client, u string, form url.Values, origin string) (int, string, *http.Response) {
	t.Helper()
	req, _ := http.NewRequest("POST", u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	return send(t, c, req)
}

// postJSON sends JSON to the API with an optional bearer and decodes the
// answer into out.
func postJSON(t *testing.T, u, bearer string, in, out any) int {
	t.Helper()
	b, _ := json.Marshal(in)
	req, _ := http.NewRequest("POST", u, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	status, body, _ := send(t, http.DefaultClient, req)
	if out != nil {
		if err := json.Unmarshal([]byte(body), out); err != nil {
			t.Fatalf("POST %s: %d %q: %v", u, status, body, err)
		}
	}
	return status
}

// syncBuffer collects the portal's log lines.
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

// fixture is a hand-off tenant on a dev API and the example portal
// pointed at it.
type fixture struct {
	api    *devAPI
	tenant string
	key    string
	portal *Portal
	url    string // the portal's base URL
	logs   *syncBuffer
}

// newFixture creates tenant "acme" with portalIntegration handoff and
// portalUrl at the portal's /callback, and starts the portal (PKCE mode
// holds no key).
func newFixture(t *testing.T, api *devAPI, pkce bool) *fixture {
	t.Helper()
	ts := httptest.NewUnstartedServer(nil)
	f := &fixture{api: api, tenant: "acme", url: "http://" + ts.Listener.Addr().String(), logs: &syncBuffer{}}
	var created struct {
		Tenant struct {
			Settings struct{ PortalIntegration, PortalURL string }
		}
		APIKey string `json:"apiKey"`
	}
	settings := map[string]any{"portalIntegration": "handoff", "portalUrl": f.url + "/callback"}
	if s := postJSON(t, api.URL+"/dev/tenants", "", map[string]any{"id": f.tenant, "name": "Acme", "settings": settings}, &created); s != 201 {
		t.Fatalf("dev tenant = %d", s)
	}
	if got := created.Tenant.Settings.PortalIntegration; got != "handoff" {
		t.Fatalf("portalIntegration = %q; want handoff", got)
	}
	f.key = created.APIKey
	cfg := Config{API: api.URL, Tenant: f.tenant, Logger: slog.New(slog.NewTextHandler(f.logs, nil))}
	if pkce {
		cfg.PKCE = true
	} else {
		cfg.Key = f.key
	}
	p, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	f.portal = p
	ts.Config.Handler = p
	ts.Start()
	t.Cleanup(func() {
		ts.Close()
		p.Close()
		if t.Failed() || testing.Verbose() {
			t.Logf("portal log:\n%s", f.logs)
		}
	})
	return f
}

// invite makes a contact with portal access and returns its id.
func (f *fixture) invite(t *testing.T, email string) string {
	t.Helper()
	var inv struct {
		Contact struct{ ID string } `json:"contact"`
	}
	if s := postJSON(t, f.api.URL+"/v1/admin/invites", f.key, map[string]string{"email": email, "name": "Ana"}, &inv); s != 201 {
		t.Fatalf("invite = %d", s)
	}
	return inv.Contact.ID
}

// redeemNewest follows the newest link sent to email as the redeem page's
// button does and returns the portal redirect that carries pp_code.
func (f *fixture) redeemNewest(t *testing.T, email string) string {
	t.Helper()
	m := tokenRe.FindStringSubmatch(f.api.sent(t, email))
	if m == nil {
		t.Fatalf("no link in the message to %s", email)
	}
	status, body, resp := postForm(t, browserClient(), f.api.URL+"/v1/login/redeem", url.Values{"token": {m[1]}}, f.api.URL)
	loc := resp.Header.Get("Location")
	if status != http.StatusSeeOther || !strings.HasPrefix(loc, f.url+"/callback?") || !strings.Contains(loc, "pp_code=") {
		t.Fatalf("redeem = %d Location %q; want 303 to %s/callback?pp_code=... (%s)", status, loc, f.url, body)
	}
	return loc
}

// requestLogin asks the API for a login link, as the hosted login page does.
func (f *fixture) requestLogin(t *testing.T, email string) {
	t.Helper()
	if s := postJSON(t, f.api.URL+"/v1/login/request", "", map[string]string{"identifier": email, "tenant": f.tenant}, nil); s != 202 {
		t.Fatalf("login request = %d", s)
	}
}

// checkLoggedIn checks that / shows the contact and /me.json its verified claims.
func (f *fixture) checkLoggedIn(t *testing.T, b *http.Client, email, contactID string) {
	t.Helper()
	if s, body, _ := get(t, b, f.url+"/"); s != 200 || !strings.Contains(body, email) || !strings.Contains(body, "Acme") {
		t.Fatalf("GET / = %d %q; want the contact %s of Acme", s, body, email)
	}
	s, body, _ := get(t, b, f.url+"/me.json")
	if s != 200 {
		t.Fatalf("GET /me.json = %d %s", s, body)
	}
	var c Claims
	if err := json.Unmarshal([]byte(body), &c); err != nil {
		t.Fatal(err)
	}
	if c.Issuer != f.api.URL || c.Audience != f.tenant || c.Subject != contactID || c.SessionID == "" || c.Via != "link" {
		t.Errorf("claims = %+v; want iss %s, aud %s, sub %s, a sid, via link", c, f.api.URL, f.tenant, contactID)
	}
	if life := c.ExpiresAt - c.IssuedAt; life <= 0 || life > 300 {
		t.Errorf("exp - iat = %d s; want 1..300", life)
	}
}

// checkLogs checks that no secret reached the portal's log.
func (f *fixture) checkLogs(t *testing.T, secrets ...string) {
	t.Helper()
	logs := f.logs.String()
	f.portal.states.mu.Lock()
	for id, b := range f.portal.states.m {
		secrets = append(secrets, id, b.Session, b.Verifier)
	}
	f.portal.states.mu.Unlock()
	for _, s := range append(secrets, f.key) {
		if s != "" && strings.Contains(logs, s) {
			t.Errorf("a secret (%d characters) is in the portal's log", len(s))
		}
	}
}

func codeOf(t *testing.T, location string) string {
	t.Helper()
	u, err := url.Parse(location)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query().Get("pp_code")
}
