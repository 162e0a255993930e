package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// motoMaxBody bounds what is read of moto's data.json.
const motoMaxBody = 512 << 20

// defaultMoto is where "-inbox moto" looks: the README's moto_server.
const defaultMoto = "http://127.0.0.1:5000"

// inbox reads the messages a test address received.
type inbox interface {
	// messages returns the texts of the messages to an address, oldest
	// first.
	messages(ctx context.Context, b *browser, to string) ([]string, error)
	// String names the inbox in the output.
	String() string
}

// parseInbox reads the -inbox flag: "" is no inbox (nil).
func parseInbox(spec, base string) (inbox, error) {
	switch {
	case spec == "":
		return nil, nil
	case spec == "dev":
		return jsonInbox{url: base + "/dev/inbox"}, nil
	case spec == "moto":
		return motoInbox{endpoint: defaultMoto}, nil
	case strings.HasPrefix(spec, "moto:"):
		ep := strings.TrimRight(strings.TrimPrefix(spec, "moto:"), "/")
		if err := checkHTTPURL(ep); err != nil {
			return nil, fmt.Errorf("-inbox moto:URL: %w", err)
		}
		return motoInbox{endpoint: ep}, nil
	}
	if err := checkHTTPURL(spec); err != nil {
		return nil, fmt.Errorf(`-inbox must be "dev", "moto", "moto:URL" or a URL: %w`, err)
	}
	return jsonInbox{url: spec}, nil
}

func checkHTTPURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an http(s) URL", s)
	}
	return nil
}

// jsonInbox is the dev server's GET /dev/inbox, or any inbox answering
// in its shape: {"messages": [{"channel", "to", "subject"?, "text", "html"?, "at"}]},
// newest first.
type jsonInbox struct{ url string }

// String names the inbox without its query: an inbox service's URL may
// carry its access key there.
func (i jsonInbox) String() string { return redactQuery(i.url) }

func redactQuery(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "the inbox URL"
	}
	if u.RawQuery != "" {
		u.RawQuery = "…"
	}
	u.User = nil
	return u.String()
}

func (i jsonInbox) messages(ctx context.Context, b *browser, to string) ([]string, error) {
	r := request{Method: http.MethodGet, URL: i.url, Name: "inbox " + i.String()}
	a, err := b.do(ctx, r)
	if err != nil {
		return nil, err
	}
	if err := expect(a, r, http.StatusOK); err != nil {
		return nil, err
	}
	var box struct {
		Messages []struct {
			To   string `json:"to"`
			Text string `json:"text"`
			HTML string `json:"html"`
		} `json:"messages"`
	}
	if err := decode(a, r, &box); err != nil {
		return nil, err
	}
	var out []string
	for k := len(box.Messages) - 1; k >= 0; k-- {
		if m := box.Messages[k]; strings.EqualFold(m.To, to) {
			out = append(out, m.Text+"\n"+m.HTML)
		}
	}
	return out, nil
}

// motoInbox reads what moto's SES sent, from its /moto-api/data.json
// (oldest first; the HTML part of each email).
type motoInbox struct{ endpoint string }

func (i motoInbox) String() string { return "moto at " + redactQuery(i.endpoint) }

func (i motoInbox) messages(ctx context.Context, b *browser, to string) ([]string, error) {
	// moto's data.json holds everything every test sent to that moto
	// (tens of megabytes in a long CI run), not just this address's.
	r := request{Method: http.MethodGet, URL: i.endpoint + "/moto-api/data.json", Name: i.endpoint + "/moto-api/data.json", MaxBody: motoMaxBody}
	a, err := b.do(ctx, r)
	if err != nil {
		return nil, err
	}
	if err := expect(a, r, http.StatusOK); err != nil {
		return nil, err
	}
	var d struct {
		SES struct {
			Message []struct {
				Body         string `json:"body"`
				Destinations struct {
					ToAddresses []string `json:"ToAddresses"`
				} `json:"destinations"`
			} `json:"Message"`
		} `json:"ses"`
	}
	if err := decode(a, r, &d); err != nil {
		// A body that is not the JSON yet (cut short on the way): read
		// it again at the next poll; the timeout names this error.
		return nil, transientError{err}
	}
	var out []string
	for _, m := range d.SES.Message {
		for _, addr := range m.Destinations.ToAddresses {
			if strings.EqualFold(addr, to) {
				out = append(out, m.Body)
				break
			}
		}
	}
	return out, nil
}

// transientError is an inbox read that may succeed when tried again.
type transientError struct{ err error }

func (e transientError) Error() string { return e.err.Error() }

// pollInterval is how often an inbox is read while waiting.
const pollInterval = 250 * time.Millisecond

// waitFor reads the inbox until the address has more than seen messages,
// and returns the newest, within wait.
func waitFor(ctx context.Context, b *browser, in inbox, to string, seen int, wait time.Duration) (msg string, count int, err error) {
	ctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	var last error // the last transient read error, if any
	for {
		ms, err := in.messages(ctx, b, to)
		var te transientError
		if errors.As(err, &te) {
			last, err = te.err, nil
		}
		if err != nil && ctx.Err() == nil {
			return "", 0, err
		}
		if len(ms) > seen {
			return ms[len(ms)-1], len(ms), nil
		}
		select {
		case <-ctx.Done():
			if last != nil {
				return "", 0, fmt.Errorf("no new message to %s in %s within %v (%d there before; last read: %v)", to, in, wait, seen, last)
			}
			return "", 0, fmt.Errorf("no new message to %s in %s within %v (%d there before)", to, in, wait, seen)
		case <-time.After(pollInterval):
		}
	}
}
