package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/portalpass/portalpass/infra/devserver/server"
)

// apiKey is the demo tenant's admin key on the servers this program starts.
const apiKey = "ppk_dev_timing_key_0123456789"

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// target is a running dev server and a client for it.
type target struct {
	srv    *server.Server
	client *http.Client
}

// startServer starts a dev server in this process: on the embedded store
// when motoEndpoint is "", else on moto with a table of its own.
func startServer(ctx context.Context, floor time.Duration, motoEndpoint string) (*target, error) {
	o := server.Options{APIKey: apiKey, EmailFrom: "login@example.com", Logger: quiet, RelaxRateLimits: true, RequestFloor: floor}
	if motoEndpoint != "" {
		o.DynamoDBEndpoint, o.SESEndpoint, o.SNSEndpoint = motoEndpoint, motoEndpoint, motoEndpoint
		o.Region = "us-east-1"
		o.Table = fmt.Sprintf("timing-%d-%d", os.Getpid(), time.Now().UnixNano())
	}
	srv, err := server.Start(ctx, o)
	if err != nil {
		return nil, err
	}
	return &target{srv: srv, client: &http.Client{Timeout: 30 * time.Second}}, nil
}

// do sends a JSON request and returns the status, decoding a JSON answer
// into out when not nil.
func (t *target) do(method, path, key string, body, out any) (int, error) {
	b, _ := json.Marshal(body)
	req, err := http.NewRequest(method, t.srv.URL+path, bytes.NewReader(b))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := t.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if out != nil {
		_ = json.Unmarshal(data, out)
	}
	return resp.StatusCode, nil
}

// seed makes the contact an identifier of kind needs: an invited contact
// for known, one then disabled for disabled. Every kind makes the same
// admin calls (an invite, then a PATCH), the unknown one for another
// address, so that what ran in the process before the login request
// measured (connections, first use of code paths) is the same for each.
func (t *target) seed(kind, email string) error {
	invited := email
	if kind == "unknown" {
		invited = "other." + email
	}
	var inv struct {
		Contact struct{ ID string } `json:"contact"`
	}
	if s, err := t.do("POST", "/v1/admin/invites", apiKey, map[string]string{"email": invited}, &inv); err != nil || s != 201 {
		return fmt.Errorf("invite: %d %v", s, err)
	}
	patch := map[string]string{"name": "Ana"}
	if kind == "disabled" {
		patch = map[string]string{"portalAccess": "disabled"}
	}
	if s, err := t.do("PATCH", "/v1/admin/contacts/"+inv.Contact.ID, apiKey, patch, nil); err != nil || s != 200 {
		return fmt.Errorf("patch: %d %v", s, err)
	}
	return nil
}

// request times one login request, which must answer 202.
func (t *target) request(email string) (time.Duration, error) {
	t0 := time.Now()
	s, err := t.do("POST", "/v1/login/request", "", map[string]string{"identifier": email}, nil)
	took := time.Since(t0)
	if err != nil || s != 202 {
		return 0, fmt.Errorf("login request: %d %v", s, err)
	}
	return took, nil
}

// address is the i-th identifier of a kind in one measurement.
func address(run, kind string, i int) string {
	return fmt.Sprintf("%s.%s.%d.%d@example.com", kind, run, os.Getpid(), i)
}

// interleaved seeds n identifiers per kind, then requests a login for each,
// one of every kind per round, rotating which kind goes first.
func interleaved(t *target, run string, n int) (map[string][]time.Duration, error) {
	for i := range n {
		for _, k := range kinds {
			if err := t.seed(k, address(run, k, i)); err != nil {
				return nil, fmt.Errorf("%s: seed %s: %w", run, k, err)
			}
		}
	}
	out := map[string][]time.Duration{}
	for i := range n {
		for j := range kinds {
			k := kinds[(i+j)%len(kinds)]
			d, err := t.request(address(run, k, i))
			if err != nil {
				return nil, fmt.Errorf("%s: %s: %w", run, k, err)
			}
			out[k] = append(out[k], d)
		}
	}
	return out, nil
}
