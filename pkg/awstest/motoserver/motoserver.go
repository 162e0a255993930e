// Package motoserver starts a moto_server (DynamoDB, SES and SNS over
// HTTP) on a free loopback port, for tests (pkg/awstest) and the local
// measuring commands (infra/capacity, infra/timing). It imports no
// testing package, so commands may use it.
package motoserver

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"time"
)

// Start starts moto_server on a free 127.0.0.1 port and waits until it
// answers (at most 30 s). It returns its URL and a func that stops it by
// its PID.
func Start(ctx context.Context) (url string, stop func(), err error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	cmd := exec.Command("moto_server", "-H", "127.0.0.1", "-p", fmt.Sprint(port))
	if err := cmd.Start(); err != nil {
		return "", nil, fmt.Errorf("start moto_server: %w", err)
	}
	stop = func() {
		_ = cmd.Process.Kill()
		_, _ = cmd.Process.Wait()
	}
	url = fmt.Sprintf("http://127.0.0.1:%d", port)
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline) && ctx.Err() == nil; time.Sleep(100 * time.Millisecond) {
		if resp, err := http.Get(url + "/moto-api/"); err == nil {
			resp.Body.Close()
			return url, stop, nil
		}
	}
	stop()
	return "", nil, fmt.Errorf("moto_server did not answer on %s", url)
}
