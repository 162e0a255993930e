package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// The Lambda Runtime API (2018-06-01) as far as a function's runtime
// client uses it: https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html
const (
	runtimePrefix       = "/2018-06-01/runtime/"
	headerRequestID     = "Lambda-Runtime-Aws-Request-Id"
	headerDeadlineMS    = "Lambda-Runtime-Deadline-Ms"
	headerInvokedARN    = "Lambda-Runtime-Invoked-Function-Arn"
	headerTraceID       = "Lambda-Runtime-Trace-Id"
	maxPostedBody       = 6 << 20 // Lambda's synchronous response limit
	defaultInvokeBudget = 10 * time.Second
)

// outcome says how an invocation ended.
type outcome string

const (
	outcomeResponse  outcome = "response"
	outcomeError     outcome = "error"      // POST .../invocation/{id}/error
	outcomeInitError outcome = "init error" // POST .../init/error
)

// result is what the function posted for an invocation, and when it
// arrived.
type result struct {
	At      time.Time
	Outcome outcome
	Body    []byte
}

// invocation is one event handed to the next caller of
// GET .../invocation/next.
type invocation struct {
	id       string
	event    []byte
	arn      string
	deadline time.Time
	done     chan result // buffered: the first result wins
}

func (inv *invocation) finish(r result) {
	select {
	case inv.done <- r:
	default:
	}
}

// runtimeAPI is a minimal local Lambda Runtime API: each invocation queued
// with expect is handed to the next GET .../invocation/next, and the
// function's response, invocation error or init error is delivered on the
// invocation's channel with the time it arrived.
type runtimeAPI struct {
	ln      net.Listener
	srv     *http.Server
	pending chan *invocation
	seq     atomic.Uint64

	mu      sync.Mutex
	byID    map[string]*invocation
	current *invocation // the latest expected: init errors go to it
}

// startRuntimeAPI listens on a free loopback port and serves the Runtime
// API until close.
func startRuntimeAPI() (*runtimeAPI, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("coldstart: runtime API: %w", err)
	}
	s := &runtimeAPI{
		ln:      ln,
		pending: make(chan *invocation, 1),
		byID:    map[string]*invocation{},
	}
	s.srv = &http.Server{Handler: s.handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

// addr is the host:port for AWS_LAMBDA_RUNTIME_API.
func (s *runtimeAPI) addr() string { return s.ln.Addr().String() }

// close stops the server and ends requests still waiting for an event.
func (s *runtimeAPI) close() error { return s.srv.Close() }

// expect queues event for the next caller of invocation/next, replacing an
// event nobody took, and returns the channel its result arrives on.
func (s *runtimeAPI) expect(event []byte, arn string, budget time.Duration) *invocation {
	if budget <= 0 {
		budget = defaultInvokeBudget
	}
	inv := &invocation{
		id:       fmt.Sprintf("coldstart-%08d", s.seq.Add(1)),
		event:    event,
		arn:      arn,
		deadline: time.Now().Add(budget),
		done:     make(chan result, 1),
	}
	select {
	case <-s.pending: // drop a stale one
	default:
	}
	s.mu.Lock()
	s.byID[inv.id] = inv
	s.current = inv
	s.mu.Unlock()
	s.pending <- inv
	return inv
}

func (s *runtimeAPI) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+runtimePrefix+"invocation/next", s.next)
	mux.HandleFunc("POST "+runtimePrefix+"invocation/{id}/response", func(w http.ResponseWriter, r *http.Request) {
		s.post(w, r, outcomeResponse)
	})
	mux.HandleFunc("POST "+runtimePrefix+"invocation/{id}/error", func(w http.ResponseWriter, r *http.Request) {
		s.post(w, r, outcomeError)
	})
	mux.HandleFunc("POST "+runtimePrefix+"init/error", s.initError)
	return mux
}

// next hands out the pending invocation, or waits for one until the
// caller goes away (a function waits here between invocations).
func (s *runtimeAPI) next(w http.ResponseWriter, r *http.Request) {
	select {
	case inv := <-s.pending:
		h := w.Header()
		h.Set(headerRequestID, inv.id)
		h.Set(headerDeadlineMS, strconv.FormatInt(inv.deadline.UnixMilli(), 10))
		h.Set(headerInvokedARN, inv.arn)
		h.Set(headerTraceID, "Root=1-00000000-000000000000000000000000;Sampled=0")
		h.Set("Content-Type", "application/json")
		_, _ = w.Write(inv.event)
	case <-r.Context().Done():
	}
}

func (s *runtimeAPI) post(w http.ResponseWriter, r *http.Request, o outcome) {
	at := time.Now()
	s.mu.Lock()
	inv := s.byID[r.PathValue("id")]
	s.mu.Unlock()
	if inv == nil {
		writeError(w, http.StatusBadRequest, "InvalidRequestID", "unknown request id")
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxPostedBody))
	if err != nil {
		writeError(w, http.StatusRequestEntityTooLarge, "RequestEntityTooLarge", "body too large")
		return
	}
	inv.finish(result{At: at, Outcome: o, Body: body})
	accepted(w)
}

func (s *runtimeAPI) initError(w http.ResponseWriter, r *http.Request) {
	at := time.Now()
	body, _ := io.ReadAll(http.MaxBytesReader(w, r.Body, maxPostedBody))
	s.mu.Lock()
	inv := s.current
	s.mu.Unlock()
	if inv != nil {
		inv.finish(result{At: at, Outcome: outcomeInitError, Body: body})
	}
	accepted(w)
}

func accepted(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusAccepted)
	_, _ = io.WriteString(w, `{"status":"OK"}`)
}

func writeError(w http.ResponseWriter, status int, typ, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"errorType": typ, "errorMessage": msg})
}

// statusCode reads the statusCode of an API Gateway proxy response; 0 when
// the body is not one.
func statusCode(body []byte) int {
	var v struct {
		StatusCode int `json:"statusCode"`
	}
	if json.Unmarshal(body, &v) != nil {
		return 0
	}
	return v.StatusCode
}
