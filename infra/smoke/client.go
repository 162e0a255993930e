package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"time"
)

// maxBody bounds what the smoke test reads of an answer: the API's JSON
// bodies are at most 16 KiB and its pages a few.
const maxBody = 1 << 20

// browser is an HTTP client that keeps cookies and follows no redirect,
// so that each answer's status can be checked, as a browser's network
// panel shows it.
type browser struct {
	http    *http.Client
	jar     *cookiejar.Jar
	timeout time.Duration
}

func newBrowser(timeout time.Duration) *browser {
	jar, _ := cookiejar.New(nil) // never fails without options
	return &browser{
		jar:     jar,
		timeout: timeout,
		http: &http.Client{
			Jar:           jar,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}
}

// request is one HTTP request of a step. What names it in messages
// (Method and Name) never holds a token: Name is the route, not the URL,
// since a link's URL carries its token.
type request struct {
	Method, URL, Name string
	Header            http.Header
	JSON              any    // sent as application/json when not nil
	Form              string // sent as a form when not empty
	Bearer            string
	// MaxBody bounds what is read of the answer; 0 means maxBody.
	MaxBody int64
}

// answer is a response read in full.
type answer struct {
	Status int
	Header http.Header
	Body   []byte
}

// do sends r within the step timeout and reads the whole answer.
func (b *browser) do(ctx context.Context, r request) (answer, error) {
	ctx, cancel := context.WithTimeout(ctx, b.timeout)
	defer cancel()
	var body io.Reader
	var ctype string
	switch {
	case r.JSON != nil:
		j, err := json.Marshal(r.JSON)
		if err != nil {
			return answer{}, fmt.Errorf("%s %s: %w", r.Method, r.Name, err)
		}
		body, ctype = bytes.NewReader(j), "application/json"
	case r.Form != "":
		body, ctype = strings.NewReader(r.Form), "application/x-www-form-urlencoded"
	}
	req, err := http.NewRequestWithContext(ctx, r.Method, r.URL, body)
	if err != nil {
		return answer{}, fmt.Errorf("%s %s: %w", r.Method, r.Name, cleanErr(err))
	}
	for k, v := range r.Header {
		req.Header[k] = v
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if r.Bearer != "" {
		req.Header.Set("Authorization", "Bearer "+r.Bearer)
	}
	req.Header.Set("User-Agent", "portalpass-smoke/1")
	resp, err := b.http.Do(req)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) && ctx.Err() != nil {
			return answer{}, fmt.Errorf("%s %s: no answer within %v", r.Method, r.Name, b.timeout)
		}
		return answer{}, fmt.Errorf("%s %s: %w", r.Method, r.Name, cleanErr(err))
	}
	defer resp.Body.Close()
	limit := r.MaxBody
	if limit <= 0 {
		limit = maxBody
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return answer{}, fmt.Errorf("%s %s: reading the answer: %w", r.Method, r.Name, cleanErr(err))
	}
	if int64(len(data)) > limit {
		return answer{}, fmt.Errorf("%s %s: the answer is larger than %d bytes", r.Method, r.Name, limit)
	}
	return answer{Status: resp.StatusCode, Header: resp.Header, Body: data}, nil
}

// cleanErr drops the URL that net/http puts in its errors: a link's URL
// holds its token, which must not reach the output.
func cleanErr(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// expect checks an answer's status. Otherwise it names the status and the
// API's error code and message (API.md: never a token or secret), or, for
// an answer that is not the API's JSON error, only the status.
func expect(a answer, r request, want int) error {
	if a.Status == want {
		return nil
	}
	msg := fmt.Sprintf("%s %s: status %d, want %d", r.Method, r.Name, a.Status, want)
	var e struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(a.Body, &e) == nil && e.Error.Code != "" {
		msg += fmt.Sprintf(" (%s: %s)", e.Error.Code, e.Error.Message)
	}
	if ra := a.Header.Get("Retry-After"); a.Status == http.StatusTooManyRequests && ra != "" {
		msg += fmt.Sprintf(", retry after %ss", ra)
	}
	return errors.New(msg)
}

// decode reads a JSON answer into v.
func decode(a answer, r request, v any) error {
	if err := json.Unmarshal(a.Body, v); err != nil {
		return fmt.Errorf("%s %s: status %d but the body is not the expected JSON: %v", r.Method, r.Name, a.Status, err)
	}
	return nil
}

// cookie returns the value of the cookie whose name ends in suffix (the
// API prefixes __Host- over https) that the jar would send to u.
func (b *browser) cookie(u *url.URL, suffix string) (string, bool) {
	for _, c := range b.jar.Cookies(u) {
		if c.Name == suffix || c.Name == "__Host-"+suffix || c.Name == "__Secure-"+suffix {
			return c.Value, true
		}
	}
	return "", false
}
