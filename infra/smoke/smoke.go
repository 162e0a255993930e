package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

const (
	// DefaultDomain is SES's mailbox simulator: mail to it is accepted
	// and dropped, and counts toward no bounce or complaint rate, so a
	// smoke test of a deployed stack hurts no sender reputation.
	DefaultDomain = "simulator.amazonses.com"
	// DefaultStepTimeout bounds each HTTP request. A cold Lambda start
	// plus the login request's timing floor fit well inside it.
	DefaultStepTimeout = 20 * time.Second
	// DefaultInboxWait bounds the wait for a message to reach the inbox.
	DefaultInboxWait = 60 * time.Second
)

// Options configure a smoke run.
type Options struct {
	URL    string // the API's base URL
	APIKey string // a tenant's admin API key
	// Inbox is where the login message is read (see parseInbox); empty:
	// no inbox, the link is a recovery link from the admin API.
	Inbox       string
	Domain      string // domain of the test address
	Via         string // "link" (default) or "code"
	StepTimeout time.Duration
	InboxWait   time.Duration
	Out         io.Writer // the step lines; nil discards them
}

// StepError is the failure of one step of the walkthrough.
type StepError struct {
	Step string
	Err  error
}

func (e *StepError) Error() string { return "step " + e.Step + ": " + e.Err.Error() }

func (e *StepError) Unwrap() error { return e.Err }

// run is one walkthrough in progress.
type run struct {
	o       Options
	base    string   // the URL without a trailing slash
	baseURL *url.URL // parsed
	in      inbox    // nil: no inbox
	b       *browser
	email   string
	contact string // the test contact's id once invited
}

// Run runs the walkthrough against o.URL and returns the first failure
// as a *StepError. The test contact, once invited, is deleted whatever
// happens after.
func Run(ctx context.Context, o Options) (err error) {
	r, err := newRun(o)
	if err != nil {
		return &StepError{Step: "options", Err: err}
	}
	inboxName := "none (a recovery link from the admin API)"
	if r.in != nil {
		inboxName = r.in.String()
	}
	r.printf("smoke: %s, test address %s, inbox %s, login by %s", r.base, r.email, inboxName, r.o.Via)

	if err := r.step("invite", r.invite(ctx)); err != nil {
		return err
	}
	defer func() {
		// Clean up even after a failure or an interrupt, in a context of
		// its own.
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*r.o.StepTimeout)
		defer cancel()
		err = errors.Join(err, r.step("cleanup", r.cleanup(cctx)))
	}()

	seen := 0
	if r.in != nil {
		var err error
		if seen, err = r.inviteMessage(ctx); err != nil {
			return r.step("invite message", err)
		}
	}
	if err := r.step("login request", r.loginRequest(ctx)); err != nil {
		return err
	}
	var link *url.URL
	var code string
	if r.in != nil {
		link, code, err = r.loginMessage(ctx, seen)
		if err := r.step("login message", err); err != nil {
			return err
		}
	} else {
		link, err = r.generateLink(ctx)
		if err := r.step("generate link", err); err != nil {
			return err
		}
	}
	wantVia := "link"
	switch {
	case r.o.Via == "code":
		wantVia = "code"
		err = r.step("code login", r.codeLogin(ctx, code))
	default:
		if r.in == nil {
			wantVia = "recovery"
		}
		err = r.step("redeem", r.redeem(ctx, link))
	}
	if err != nil {
		return err
	}
	if err := r.step("session", r.session(ctx, wantVia)); err != nil {
		return err
	}
	return r.step("logout", r.logout(ctx))
}

func newRun(o Options) (*run, error) {
	base := strings.TrimRight(o.URL, "/")
	u, err := url.Parse(base)
	if base == "" {
		return nil, errors.New("-url is required: the API's base URL (the stack's ApiUrl output)")
	}
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" {
		return nil, fmt.Errorf("-url %q is not an http(s) base URL", o.URL)
	}
	if o.APIKey == "" {
		return nil, errors.New("-api-key is required: an admin API key of the tenant to test in")
	}
	if o.Domain == "" {
		o.Domain = DefaultDomain
	}
	if strings.ContainsAny(o.Domain, "@ \t/") || !strings.Contains(o.Domain, ".") {
		return nil, fmt.Errorf("-domain %q is not a domain name", o.Domain)
	}
	switch o.Via {
	case "":
		o.Via = "link"
	case "link", "code":
	default:
		return nil, fmt.Errorf(`-via must be "link" or "code", not %q`, o.Via)
	}
	in, err := parseInbox(o.Inbox, base)
	if err != nil {
		return nil, err
	}
	if in == nil && o.Via == "code" {
		return nil, errors.New("-via code needs an -inbox to read the code from (without one, the smoke test redeems a recovery link)")
	}
	if o.StepTimeout <= 0 {
		o.StepTimeout = DefaultStepTimeout
	}
	if o.InboxWait <= 0 {
		o.InboxWait = DefaultInboxWait
	}
	if o.Out == nil {
		o.Out = io.Discard
	}
	email, err := testAddress(o.Domain)
	if err != nil {
		return nil, err
	}
	return &run{o: o, base: base, baseURL: u, in: in, b: newBrowser(o.StepTimeout), email: email}, nil
}

// testAddress is a new address on domain. The SES mailbox simulator
// takes only its fixed local parts, with a +label.
func testAddress(domain string) (string, error) {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("random address: %w", err)
	}
	local := "smoke+" + hex.EncodeToString(b[:])
	if strings.EqualFold(domain, DefaultDomain) {
		local = "success+smoke-" + hex.EncodeToString(b[:])
	}
	return local + "@" + domain, nil
}

func (r *run) printf(format string, args ...any) { fmt.Fprintf(r.o.Out, format+"\n", args...) }

// step wraps a step's error, or prints that it passed.
func (r *run) step(name string, err error) error {
	if err != nil {
		r.printf("FAIL %s", name)
		return &StepError{Step: name, Err: err}
	}
	return nil
}

func (r *run) ok(name, format string, args ...any) {
	r.printf("ok   %-14s "+format, append([]any{name}, args...)...)
}

// admin is a request with the API key.
func (r *run) admin(method, path string, body any) request {
	return request{Method: method, URL: r.base + path, Name: path, JSON: body, Bearer: r.o.APIKey}
}

// invite invites the test address (POST /v1/admin/invites), which
// creates the contact with portal access.
func (r *run) invite(ctx context.Context) error {
	req := r.admin(http.MethodPost, "/v1/admin/invites", map[string]string{"email": r.email, "name": "Smoke test"})
	a, err := r.b.do(ctx, req)
	if err != nil {
		return err
	}
	if err := expect(a, req, http.StatusCreated); err != nil {
		return err
	}
	var out struct {
		Contact struct {
			ID           string `json:"id"`
			PortalAccess string `json:"portalAccess"`
		} `json:"contact"`
		Delivery struct {
			Channel string `json:"channel"`
			Status  string `json:"status"`
		} `json:"delivery"`
	}
	if err := decode(a, req, &out); err != nil {
		return err
	}
	if out.Contact.ID == "" {
		return fmt.Errorf("POST %s: 201 without a contact id", req.Name)
	}
	r.contact = out.Contact.ID
	r.ok("invite", "%d contact %s, portalAccess %s, delivery %s %s", a.Status, r.contact, out.Contact.PortalAccess, out.Delivery.Channel, out.Delivery.Status)
	return nil
}

// inviteMessage waits for the invitation to reach the inbox, so that the
// login message is told from it by count, and returns how many messages
// the address has.
func (r *run) inviteMessage(ctx context.Context) (int, error) {
	_, n, err := waitFor(ctx, r.b, r.in, r.email, 0, r.o.InboxWait)
	if err != nil {
		return 0, err
	}
	r.ok("invite message", "received (%d message(s) to the address)", n)
	return n, nil
}

// loginRequest asks for a login as the customer would
// (POST /v1/login/request): always 202, with the login-request cookie.
func (r *run) loginRequest(ctx context.Context) error {
	req := request{Method: http.MethodPost, URL: r.base + "/v1/login/request", Name: "/v1/login/request", JSON: map[string]string{"identifier": r.email}}
	a, err := r.b.do(ctx, req)
	if err != nil {
		return err
	}
	if err := expect(a, req, http.StatusAccepted); err != nil {
		return err
	}
	var out struct {
		Status string `json:"status"`
	}
	if err := decode(a, req, &out); err != nil {
		return err
	}
	if out.Status != "sent" {
		return fmt.Errorf("POST %s: status %q, want \"sent\"", req.Name, out.Status)
	}
	if _, ok := r.b.cookie(r.baseURL, "pp_req"); !ok {
		return fmt.Errorf("POST %s: 202 without the login-request cookie (pp_req)", req.Name)
	}
	r.ok("login request", "%d %s, login-request cookie set", a.Status, out.Status)
	return nil
}

// loginMessage waits for the login message and finds in it what the
// chosen way of logging in needs.
func (r *run) loginMessage(ctx context.Context, seen int) (*url.URL, string, error) {
	msg, n, err := waitFor(ctx, r.b, r.in, r.email, seen, r.o.InboxWait)
	if err != nil {
		return nil, "", err
	}
	if r.o.Via == "code" {
		code, err := findCode(msg)
		if err != nil {
			return nil, "", err
		}
		r.ok("login message", "received (message %d to the address), login code found", n)
		return nil, code, nil
	}
	link, err := findLink(msg)
	if err != nil {
		return nil, "", err
	}
	r.ok("login message", "received (message %d to the address), login link found on %s", n, link.Host)
	return link, "", nil
}

// generateLink makes a recovery link for the contact through the admin
// API (POST /v1/admin/links), sending nothing: the way in without an
// inbox.
func (r *run) generateLink(ctx context.Context) (*url.URL, error) {
	req := r.admin(http.MethodPost, "/v1/admin/links", map[string]string{"contactId": r.contact, "send": "none", "purpose": "recovery"})
	a, err := r.b.do(ctx, req)
	if err != nil {
		return nil, err
	}
	if err := expect(a, req, http.StatusCreated); err != nil {
		return nil, err
	}
	var out struct {
		URL       string `json:"url"`
		ExpiresAt string `json:"expiresAt"`
	}
	if err := decode(a, req, &out); err != nil {
		return nil, err
	}
	u, err := url.Parse(out.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, fmt.Errorf("POST %s: the answer's url is not an http(s) URL", req.Name)
	}
	r.ok("generate link", "%d recovery link on %s, expires %s", a.Status, u.Host, out.ExpiresAt)
	return u, nil
}

// redeem follows the link as a browser does: GET renders the continue
// page (consuming nothing), whose form POSTs the token from the page's
// own origin, with the browser's cookies; the answer is 303 to the
// portal with the session cookie.
func (r *run) redeem(ctx context.Context, link *url.URL) error {
	if link.Host != r.baseURL.Host {
		r.printf("note %-14s the link is on %s, not on -url's %s: cookies follow the link's host", "redeem", link.Host, r.baseURL.Host)
	}
	page := request{Method: http.MethodGet, URL: link.String(), Name: link.Path + " (the link)", Header: http.Header{"Accept": {"text/html"}}}
	a, err := r.b.do(ctx, page)
	if err != nil {
		return err
	}
	if err := expect(a, page, http.StatusOK); err != nil {
		return err
	}
	if cc := a.Header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
		return fmt.Errorf("GET %s: Cache-Control %q, want no-store (a cached page holds the token)", page.Name, cc)
	}
	f, ok := findPostForm(string(a.Body), "/v1/login/redeem")
	if !ok || f.fields.Get("token") == "" {
		return fmt.Errorf("GET %s: the continue page has no form posting a token to /v1/login/redeem", page.Name)
	}
	action, err := link.Parse(f.action)
	if err != nil {
		return fmt.Errorf("GET %s: the form's action is not a URL", page.Name)
	}
	r.ok("continue page", "%d, form posts to %s", a.Status, action.Path)

	origin := link.Scheme + "://" + link.Host
	post := request{Method: http.MethodPost, URL: action.String(), Name: action.Path, Form: f.fields.Encode(),
		Header: http.Header{"Origin": {origin}, "Sec-Fetch-Site": {"same-origin"}, "Referer": {origin + "/"}, "Accept": {"text/html"}}}
	a, err = r.b.do(ctx, post)
	if err != nil {
		return err
	}
	if err := expect(a, post, http.StatusSeeOther); err != nil {
		return err
	}
	loc, err := action.Parse(a.Header.Get("Location"))
	if err != nil || loc.Host == "" {
		return fmt.Errorf("POST %s: 303 without a Location to the portal", post.Name)
	}
	if strings.HasSuffix(loc.Path, "/v1/login/tenants") {
		return fmt.Errorf("POST %s: 303 to the tenant picker: the test address is in more than one tenant", post.Name)
	}
	if _, ok := r.b.cookie(action, "pp_session"); !ok {
		return fmt.Errorf("POST %s: 303 without a session cookie", post.Name)
	}
	// Only the host: the portal's URL may carry a hand-off code.
	r.ok("redeem", "%d to the portal on %s, session cookie set", a.Status, loc.Host)
	return nil
}

// codeLogin logs in with the code (POST /v1/login/code), as the hosted
// login page's script does.
func (r *run) codeLogin(ctx context.Context, code string) error {
	req := request{Method: http.MethodPost, URL: r.base + "/v1/login/code", Name: "/v1/login/code",
		JSON: map[string]string{"identifier": r.email, "code": code}, Header: http.Header{"Origin": {r.origin()}}}
	a, err := r.b.do(ctx, req)
	if err != nil {
		return err
	}
	if err := expect(a, req, http.StatusOK); err != nil {
		return err
	}
	var out struct {
		Session struct {
			Via     string `json:"via"`
			Contact struct {
				ID string `json:"id"`
			} `json:"contact"`
		} `json:"session"`
		Next string `json:"next"`
	}
	if err := decode(a, req, &out); err != nil {
		return err
	}
	if out.Next != "" {
		return fmt.Errorf("POST %s: next %q: the test address is in more than one tenant", req.Name, out.Next)
	}
	if out.Session.Contact.ID != r.contact {
		return fmt.Errorf("POST %s: session of contact %q, want %s", req.Name, out.Session.Contact.ID, r.contact)
	}
	if _, ok := r.b.cookie(r.baseURL, "pp_session"); !ok {
		return fmt.Errorf("POST %s: 200 without a session cookie", req.Name)
	}
	r.ok("code login", "%d session via %s, session cookie set", a.Status, out.Session.Via)
	return nil
}

func (r *run) origin() string { return r.baseURL.Scheme + "://" + r.baseURL.Host }

type sessionView struct {
	Tenant struct {
		ID string `json:"id"`
	} `json:"tenant"`
	Contact struct {
		ID    string `json:"id"`
		Email string `json:"email"`
	} `json:"contact"`
	ExpiresAt string `json:"expiresAt"`
	Via       string `json:"via"`
}

// session reads the session with the browser's cookie (GET /v1/session).
func (r *run) session(ctx context.Context, wantVia string) error {
	req := request{Method: http.MethodGet, URL: r.base + "/v1/session", Name: "/v1/session"}
	a, err := r.b.do(ctx, req)
	if err != nil {
		return err
	}
	if err := expect(a, req, http.StatusOK); err != nil {
		return err
	}
	var s sessionView
	if err := decode(a, req, &s); err != nil {
		return err
	}
	switch {
	case s.Contact.ID != r.contact:
		return fmt.Errorf("GET %s: contact %q, want %s", req.Name, s.Contact.ID, r.contact)
	case !strings.EqualFold(s.Contact.Email, r.email):
		return fmt.Errorf("GET %s: contact email %q, want %s", req.Name, s.Contact.Email, r.email)
	case s.Via != wantVia:
		return fmt.Errorf("GET %s: via %q, want %q", req.Name, s.Via, wantVia)
	}
	r.ok("session", "%d tenant %s, contact %s, via %s, expires %s", a.Status, s.Tenant.ID, s.Contact.ID, s.Via, s.ExpiresAt)
	return nil
}

// logout ends the session as the hosted logout page does (POST
// /v1/logout from our origin, with the cookie), then checks that the
// session is gone on the server, not only from the browser: the old
// session token is refused with 401 no_session.
func (r *run) logout(ctx context.Context) error {
	token, ok := r.b.cookie(r.baseURL, "pp_session")
	if !ok {
		return errors.New("no session cookie to log out with")
	}
	req := request{Method: http.MethodPost, URL: r.base + "/v1/logout", Name: "/v1/logout",
		Header: http.Header{"Origin": {r.origin()}, "Sec-Fetch-Site": {"same-origin"}}}
	a, err := r.b.do(ctx, req)
	if err != nil {
		return err
	}
	if err := expect(a, req, http.StatusNoContent); err != nil {
		return err
	}
	if _, still := r.b.cookie(r.baseURL, "pp_session"); still {
		return fmt.Errorf("POST %s: 204 but the session cookie was not cleared", req.Name)
	}
	r.ok("logout", "%d, session cookie cleared", a.Status)

	// The old token, replayed: the server must have ended the session.
	check := request{Method: http.MethodGet, URL: r.base + "/v1/session", Name: "/v1/session (after logout)", Bearer: token}
	a, err = r.b.do(ctx, check)
	if err != nil {
		return err
	}
	if err := expect(a, check, http.StatusUnauthorized); err != nil {
		return err
	}
	var e struct {
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	if err := decode(a, check, &e); err != nil {
		return err
	}
	if e.Error.Code != "no_session" {
		return fmt.Errorf("GET %s: 401 %q, want no_session", check.Name, e.Error.Code)
	}
	r.ok("after logout", "%d %s for the old session", a.Status, e.Error.Code)
	return nil
}

// cleanup deletes the test contact (DELETE /v1/admin/contacts/{id}),
// which also ends its sessions and links, and checks it is gone.
func (r *run) cleanup(ctx context.Context) error {
	path := "/v1/admin/contacts/" + url.PathEscape(r.contact)
	del := r.admin(http.MethodDelete, path, nil)
	a, err := r.b.do(ctx, del)
	if err != nil {
		return err
	}
	if err := expect(a, del, http.StatusNoContent); err != nil {
		return err
	}
	get := r.admin(http.MethodGet, path, nil)
	if a, err = r.b.do(ctx, get); err != nil {
		return err
	}
	if err := expect(a, get, http.StatusNotFound); err != nil {
		return fmt.Errorf("after delete: %w", err)
	}
	r.ok("cleanup", "contact %s deleted (then 404)", r.contact)
	return nil
}
