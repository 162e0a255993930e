//go:build unix

package main

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// browserTimeout bounds the whole browser suite: building the dev server,
// starting Chromium and every scenario.
const browserTimeout = 5 * time.Minute

// chromiumPath is the system Chromium the browser tests drive.
const chromiumPath = "/usr/bin/chromium"

// TestBrowser runs the real-browser tests of tests/browser (node's test
// runner driving headless Chromium against a dev server it starts). It
// skips under -short, and when Chromium or the tests' node_modules are
// missing, unless CI is set: CI installs them, so there a missing
// prerequisite is a failure.
func TestBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests: skipped under -short")
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, "tests", "browser")
	missing := func(what, fix string) {
		t.Helper()
		if os.Getenv("CI") != "" {
			t.Fatalf("browser tests: %s is missing (%s)", what, fix)
		}
		t.Skipf("browser tests: %s is missing; %s to run them", what, fix)
	}
	if _, err := os.Stat(chromiumPath); err != nil {
		missing(chromiumPath, "apt-get install -y chromium")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		missing("node", "apt-get install -y nodejs npm")
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "playwright-core")); err != nil {
		missing("tests/browser/node_modules", "cd tests/browser && npm ci")
	}
	// Name the files: node 20 searches a directory argument, newer
	// versions take globs instead.
	files, err := filepath.Glob(filepath.Join(dir, "*.test.mjs"))
	if err != nil || len(files) == 0 {
		t.Fatalf("browser tests: no tests/browser/*.test.mjs (%v)", err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), browserTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, append([]string{"--test", "--test-reporter=spec"}, files...)...)
	cmd.Dir = root
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	// Its own process group, so a timeout also ends the test file's
	// process, the dev server and Chromium under it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 10 * time.Second
	err = cmd.Run()
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		t.Fatalf("browser tests: no result after %v", browserTimeout)
	}
	if err != nil {
		t.Fatalf("browser tests failed: node --test: %v", err)
	}
}
