package main

import (
	"bytes"
	"fmt"
	"os/exec"
	"path/filepath"
	"sync"
	"time"
)

// runner starts functions, each start against a Runtime API of its own,
// so that nothing a killed process left behind (a connection still
// waiting for an event) can take the next process's event.
type runner struct {
	timeout  time.Duration
	extraEnv []string
}

// lambdaEnv is the environment Lambda gives a provided.al2023 function,
// with dummy credentials and an endpoint that refuses connections.
func (r runner) lambdaEnv(t *target, api *runtimeAPI) []string {
	env := []string{
		"PATH=/usr/local/bin:/usr/bin:/bin",
		"LANG=en_US.UTF-8",
		"TZ=:UTC",
		"_HANDLER=bootstrap",
		"LAMBDA_TASK_ROOT=" + filepath.Dir(t.bin),
		"LAMBDA_RUNTIME_DIR=/var/runtime",
		"AWS_LAMBDA_RUNTIME_API=" + api.addr(),
		"AWS_LAMBDA_FUNCTION_NAME=" + t.name,
		"AWS_LAMBDA_FUNCTION_VERSION=$LATEST",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE=256",
		"AWS_LAMBDA_INITIALIZATION_TYPE=on-demand",
		"AWS_LAMBDA_LOG_GROUP_NAME=/aws/lambda/" + t.name,
		"AWS_LAMBDA_LOG_STREAM_NAME=2026/01/01/[$LATEST]coldstart",
		"AWS_REGION=us-east-1",
		"AWS_DEFAULT_REGION=us-east-1",
		"AWS_ACCESS_KEY_ID=ASIACOLDSTARTBENCH00",
		"AWS_SECRET_ACCESS_KEY=coldstart-dummy-secret-access-key-000000",
		"AWS_SESSION_TOKEN=coldstart-dummy-session-token",
		"AWS_ENDPOINT_URL=http://127.0.0.1:9",
		"TABLE_NAME=bench",
		"PUBLIC_BASE_URL=https://api.example.com",
		"EMAIL_FROM=login@example.com",
		"LOG_LEVEL=info",
	}
	return append(env, r.extraEnv...)
}

func (r runner) arn(t *target) string {
	return "arn:aws:lambda:us-east-1:123456789012:function:" + t.name
}

// start runs t's binary once and returns the time from process start to
// its first response. An invocation error, init error, early exit or
// timeout is an error carrying the function's output.
func (r runner) start(t *target) (time.Duration, error) {
	api, err := startRuntimeAPI()
	if err != nil {
		return 0, err
	}
	defer api.close()
	inv := api.expect(t.event, r.arn(t), r.timeout)

	var out tailBuffer
	cmd := exec.Command(t.bin)
	cmd.Dir = filepath.Dir(t.bin)
	cmd.Env = r.lambdaEnv(t, api)
	cmd.Stdout, cmd.Stderr = &out, &out

	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, fmt.Errorf("coldstart: start %s: %w", t.name, err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	stop := func() {
		_ = cmd.Process.Kill()
		<-exited
	}

	timer := time.NewTimer(r.timeout)
	defer timer.Stop()
	select {
	case res := <-inv.done:
		stop()
		if res.Outcome != outcomeResponse {
			return 0, fmt.Errorf("coldstart: %s: %s: %s\n%s", t.name, res.Outcome, res.Body, out.String())
		}
		t.status = statusCode(res.Body)
		return res.At.Sub(t0), nil
	case err := <-exited:
		return 0, fmt.Errorf("coldstart: %s exited before responding (%v)\n%s", t.name, err, out.String())
	case <-timer.C:
		stop()
		return 0, fmt.Errorf("coldstart: %s: no response within %v\n%s", t.name, r.timeout, out.String())
	}
}

// tailBuffer keeps the last 8 KiB written to it.
type tailBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

const tailSize = 8 << 10

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf.Write(p)
	if extra := b.buf.Len() - tailSize; extra > 0 {
		b.buf.Next(extra)
	}
	return len(p), nil
}

func (b *tailBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
