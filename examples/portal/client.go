package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
)

// maxAnswer bounds how much of an API answer the client reads.
const maxAnswer = 64 << 10

// Client calls the portalpass API on behalf of the portal's backend.
// Key is the tenant's API key; it is empty in PKCE mode, where the
// portal holds no secret at all.
type Client struct {
	Base string // API base URL, e.g. "http://127.0.0.1:8080"
	Key  string
	HTTP *http.Client
}

// APIError is an error answer of the API (API.md "Errors"). Its Message
// is meant for people; neither field ever carries a token or code.
type APIError struct {
	Status  int
	Code    string
	Message string
}

// Error describes the answer by status and code only.
func (e *APIError) Error() string {
	return fmt.Sprintf("portalpass: %d %s", e.Status, e.Code)
}

// Contact is a contact as the API shows it.
type Contact struct {
	ID    string `json:"id"`
	Email string `json:"email,omitempty"`
	Phone string `json:"phone,omitempty"`
	Name  string `json:"name,omitempty"`
}

// Tenant names the tenant a session belongs to.
type Tenant struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Exchanged is the answer of POST /v1/session/exchange.
type Exchanged struct {
	Session struct {
		Token     string    `json:"token"`
		ExpiresAt time.Time `json:"expiresAt"`
		Via       string    `json:"via"`
	} `json:"session"`
	Contact Contact `json:"contact"`
	Tenant  Tenant  `json:"tenant"`
}

// Who is the answer of GET /v1/session: who a live session belongs to.
type Who struct {
	Tenant    Tenant    `json:"tenant"`
	Contact   Contact   `json:"contact"`
	ExpiresAt time.Time `json:"expiresAt"`
	Via       string    `json:"via"`
}

// RequestLogin asks the API to send a login link and code to identifier
// for tenant, bound to a PKCE challenge (POST /v1/login/request). The
// API answers 202 whether or not the identifier is known.
func (c *Client) RequestLogin(ctx context.Context, identifier, tenant, challenge string) error {
	body := map[string]string{"identifier": identifier, "tenant": tenant, "codeChallenge": challenge}
	return c.call(ctx, "POST", "/v1/login/request", "", body, nil)
}

// Exchange trades a one-time hand-off code for a session (POST
// /v1/session/exchange). With a verifier it proves PKCE and sends no
// key; without one it authenticates with the tenant's API key.
func (c *Client) Exchange(ctx context.Context, code, verifier string) (Exchanged, error) {
	body := map[string]string{"code": code}
	auth := c.Key
	if verifier != "" {
		body["codeVerifier"] = verifier
		auth = ""
	}
	var out Exchanged
	err := c.call(ctx, "POST", "/v1/session/exchange", auth, body, &out)
	if err == nil && out.Session.Token == "" {
		err = errors.New("portalpass: exchange: answer holds no session")
	}
	return out, err
}

// Session reads who a session belongs to (GET /v1/session); a session
// that ended is an *APIError with status 401.
func (c *Client) Session(ctx context.Context, session string) (Who, error) {
	var out Who
	err := c.call(ctx, "GET", "/v1/session", session, nil, &out)
	return out, err
}

// Token mints a short-lived JWT for a session (POST /v1/session/token).
func (c *Client) Token(ctx context.Context, session string) (string, error) {
	var out struct {
		Token string `json:"token"`
	}
	if err := c.call(ctx, "POST", "/v1/session/token", session, struct{}{}, &out); err != nil {
		return "", err
	}
	if out.Token == "" {
		return "", errors.New("portalpass: token: answer holds no token")
	}
	return out.Token, nil
}

// Logout ends a session at the API (POST /v1/logout).
func (c *Client) Logout(ctx context.Context, session string) error {
	return c.call(ctx, "POST", "/v1/logout", session, nil, nil)
}

// call sends a JSON request with bearer (when not empty) and decodes a
// 2xx JSON answer into out (when not nil). Errors name the route and the
// status, never the body sent.
func (c *Client) call(ctx context.Context, method, route, bearer string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("portalpass: %s: %w", route, err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.Base+route, body)
	if err != nil {
		return fmt.Errorf("portalpass: %s: %w", route, err)
	}
	req.Header.Set("Accept", "application/json")
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		// The URL holds no secret: every secret travels in a header or body.
		return fmt.Errorf("portalpass: %s: %w", route, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return fmt.Errorf("portalpass: %s: read answer: %w", route, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		e := &APIError{Status: resp.StatusCode}
		var eb struct {
			Error struct{ Code, Message string } `json:"error"`
		}
		if json.Unmarshal(b, &eb) == nil {
			e.Code, e.Message = eb.Error.Code, eb.Error.Message
		}
		return e
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(b, out); err != nil {
		return fmt.Errorf("portalpass: %s: decode answer: %w", route, err)
	}
	return nil
}

// statusOf returns the status of an API error answer, 0 for any other
// error (the API could not be reached or answered nonsense).
func statusOf(err error) int {
	var e *APIError
	if errors.As(err, &e) {
		return e.Status
	}
	return 0
}
