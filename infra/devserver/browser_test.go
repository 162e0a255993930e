//go:build unix

package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// browserTimeout bounds the whole browser suite (two files of scenarios
// on a shared, busy machine): building the dev server,
// starting Chromium and every scenario.
const browserTimeout = 10 * time.Minute

// defaultChromium is the system Chromium the browser tests drive unless
// CHROMIUM_PATH names another (tests/browser/harness.mjs reads it too).
const defaultChromium = "/usr/bin/chromium"

// inCI reports whether CI is set to a true value, as CI services set it
// (CI=true); CI=false or CI=0 is a developer's machine.
func inCI() bool {
	switch strings.ToLower(os.Getenv("CI")) {
	case "", "0", "false", "no", "off":
		return false
	}
	return true
}

// executable reports whether path is a regular file someone may run.
func executable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0
}

// TestBrowser runs the real-browser tests of tests/browser (node's test
// runner driving headless Chromium against a dev server it starts). It
// skips under -short. When Chromium, node or the tests' node_modules are
// missing it skips, saying how to install them, except under CI=true:
// CI installs them (.ci/run), so there a missing one must fail the run
// rather than let the pages go untested.
func TestBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests: skipped under -short")
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, "tests", "browser")
	var missing []string
	chromium := os.Getenv("CHROMIUM_PATH")
	if chromium == "" {
		chromium = defaultChromium
	}
	if !executable(chromium) {
		missing = append(missing, fmt.Sprintf("Chromium (%s): apt-get install -y chromium", chromium))
	}
	node, err := exec.LookPath("node")
	if err != nil {
		missing = append(missing, "node: apt-get install -y nodejs npm")
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "playwright-core")); err != nil {
		missing = append(missing, "playwright-core (tests/browser/node_modules): cd tests/browser && npm ci")
	}
	if len(missing) > 0 {
		msg := "browser tests: missing " + strings.Join(missing, "; ")
		if inCI() {
			t.Fatalf("%s (CI=%s: the browser tests must run in CI)", msg, os.Getenv("CI"))
		}
		t.Skipf("%s (skipped; they run when those are installed)", msg)
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
