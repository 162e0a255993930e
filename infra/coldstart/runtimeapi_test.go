package main

import (
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func newAPI(t *testing.T) *runtimeAPI {
	t.Helper()
	api, err := startRuntimeAPI()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = api.close() })
	return api
}

func get(t *testing.T, ctx context.Context, url string) (*http.Response, []byte, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp, body, err
}

func post(t *testing.T, url, body string) int {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestRuntimeAPINext(t *testing.T) {
	api := newAPI(t)
	base := "http://" + api.addr() + runtimePrefix
	inv := api.expect([]byte(`{"rawPath":"/x"}`), "arn:aws:lambda:us-east-1:123456789012:function:f", time.Minute)

	resp, body, err := get(t, context.Background(), base+"invocation/next")
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || string(body) != `{"rawPath":"/x"}` {
		t.Errorf("next = %d %s; want 200 and the event", resp.StatusCode, body)
	}
	if got := resp.Header.Get(headerRequestID); got != inv.id {
		t.Errorf("%s = %q; want %q", headerRequestID, got, inv.id)
	}
	if got := resp.Header.Get(headerInvokedARN); !strings.HasSuffix(got, ":function:f") {
		t.Errorf("%s = %q", headerInvokedARN, got)
	}
	ms, err := strconv.ParseInt(resp.Header.Get(headerDeadlineMS), 10, 64)
	if d := time.Until(time.UnixMilli(ms)); err != nil || d < 30*time.Second || d > time.Minute {
		t.Errorf("%s = %q; want about a minute from now", headerDeadlineMS, resp.Header.Get(headerDeadlineMS))
	}

	// With nothing pending, next waits until the caller gives up.
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if _, _, err := get(t, ctx, base+"invocation/next"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("second next: err = %v; want it to wait for an event", err)
	}
}

func TestRuntimeAPIResults(t *testing.T) {
	tests := []struct {
		name       string
		path       func(id string) string
		wantStatus int
		want       outcome // "": no result delivered
	}{
		{"response", func(id string) string { return "invocation/" + id + "/response" }, http.StatusAccepted, outcomeResponse},
		{"invocation error", func(id string) string { return "invocation/" + id + "/error" }, http.StatusAccepted, outcomeError},
		{"init error", func(string) string { return "init/error" }, http.StatusAccepted, outcomeInitError},
		{"unknown id", func(string) string { return "invocation/nope/response" }, http.StatusBadRequest, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newAPI(t)
			inv := api.expect([]byte(`{}`), "arn", time.Minute)
			before := time.Now()
			got := post(t, "http://"+api.addr()+runtimePrefix+tt.path(inv.id), `{"statusCode":201}`)
			if got != tt.wantStatus {
				t.Errorf("POST status = %d; want %d", got, tt.wantStatus)
			}
			select {
			case res := <-inv.done:
				if res.Outcome != tt.want || string(res.Body) != `{"statusCode":201}` || res.At.Before(before) {
					t.Errorf("result = %q %s at %v; want %q", res.Outcome, res.Body, res.At, tt.want)
				}
			default:
				if tt.want != "" {
					t.Errorf("no result; want %q", tt.want)
				}
			}
		})
	}
}

func TestStatusCode(t *testing.T) {
	tests := []struct {
		name string
		body string
		want int
	}{
		{"proxy response", `{"statusCode":404,"body":"x"}`, 404},
		{"not a proxy response", `"hello"`, 0},
		{"not JSON", `<html>`, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := statusCode([]byte(tt.body)); got != tt.want {
				t.Errorf("statusCode(%q) = %d; want %d", tt.body, got, tt.want)
			}
		})
	}
}

// TestBare builds the bare function and gets one response from it
// through the Runtime API, as a measured start does.
func TestBare(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a Lambda binary; skipped under -short")
	}
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	tg := &target{name: "bare", dir: filepath.Join(root, bareDir), event: []byte(coldstartEvent)}
	if err := build(tg, t.TempDir()); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(tg.bin); err != nil || fi.Size() != tg.size || tg.size == 0 {
		t.Fatalf("bootstrap %s: size %d, %v", tg.bin, tg.size, err)
	}
	r := runner{timeout: 30 * time.Second}
	d, err := r.start(tg)
	if err != nil {
		t.Fatal(err)
	}
	if tg.status != http.StatusOK || d <= 0 {
		t.Errorf("start = %v, status %d; want a positive time and 200", d, tg.status)
	}
	// A second start is a fresh process with a fresh request id.
	if _, err := r.start(tg); err != nil {
		t.Fatalf("second start: %v", err)
	}
}

func TestStartReportsInvocationError(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a Lambda binary; skipped under -short")
	}
	// bare given a non-JSON event fails the invocation, which start
	// must report rather than time.
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	tg := &target{name: "bare", dir: filepath.Join(root, bareDir), event: []byte(`not json`)}
	if err := build(tg, t.TempDir()); err != nil {
		t.Fatal(err)
	}
	r := runner{timeout: 30 * time.Second}
	if _, err := r.start(tg); err == nil || !strings.Contains(err.Error(), string(outcomeError)) {
		t.Errorf("start with a bad event: err = %v; want an invocation error", err)
	}
}
