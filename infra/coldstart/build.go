package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// target is one function being measured.
type target struct {
	name      string // display name: the directory's base name
	dir       string // directory holding its main package
	bin       string // built bootstrap
	size      int64  // bytes
	event     []byte
	eventFrom string // where event came from
	status    int    // statusCode of the last response
	samples   []time.Duration
}

// bareDir is the baseline function, relative to the module root.
const bareDir = "infra/coldstart/bare"

// moduleRoot returns the directory of the main module's go.mod.
func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("coldstart: go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", errors.New("coldstart: run inside the portalpass module")
	}
	return filepath.Dir(gomod), nil
}

// findTargets returns bare first, then each named function: a name under
// functions/, or a directory. With no names it takes every directory
// under functions/ that holds Go files.
func findTargets(root string, names []string) ([]*target, error) {
	targets := []*target{{name: "bare", dir: filepath.Join(root, bareDir)}}
	if len(names) == 0 {
		dirs, _ := filepath.Glob(filepath.Join(root, "functions", "*"))
		for _, d := range dirs {
			if gos, _ := filepath.Glob(filepath.Join(d, "*.go")); len(gos) > 0 {
				names = append(names, d)
			}
		}
	}
	seen := map[string]bool{"bare": true}
	for _, n := range names {
		dir := n
		if !strings.ContainsRune(n, filepath.Separator) && !strings.HasPrefix(n, ".") {
			dir = filepath.Join(root, "functions", n)
		}
		abs, err := filepath.Abs(dir)
		if err != nil {
			return nil, fmt.Errorf("coldstart: %s: %w", n, err)
		}
		if fi, err := os.Stat(abs); err != nil || !fi.IsDir() {
			return nil, fmt.Errorf("coldstart: %s: not a function directory", n)
		}
		name := filepath.Base(abs)
		if seen[name] {
			return nil, fmt.Errorf("coldstart: function %s given twice", name)
		}
		seen[name] = true
		targets = append(targets, &target{name: name, dir: abs})
	}
	return targets, nil
}

// coldstartEvent is the built-in API Gateway HTTP API (payload 2.0) event:
// a route no function serves, which each answers 404 without I/O.
const coldstartEvent = `{
  "version": "2.0",
  "routeKey": "$default",
  "rawPath": "/__coldstart",
  "rawQueryString": "",
  "headers": {
    "accept": "application/json",
    "host": "api.example.com",
    "user-agent": "coldstart",
    "x-forwarded-proto": "https"
  },
  "requestContext": {
    "accountId": "123456789012",
    "apiId": "coldstart",
    "domainName": "api.example.com",
    "domainPrefix": "api",
    "http": {
      "method": "GET",
      "path": "/__coldstart",
      "protocol": "HTTP/1.1",
      "sourceIp": "192.0.2.1",
      "userAgent": "coldstart"
    },
    "requestId": "coldstart",
    "routeKey": "$default",
    "stage": "$default",
    "time": "01/Jan/2026:00:00:00 +0000",
    "timeEpoch": 1767225600000
  },
  "isBase64Encoded": false
}`

// loadEvent returns the event for function name: from -event, else
// events/<name>/coldstart.json, else the built-in one.
func loadEvent(root, name string, paths map[string]string) ([]byte, string, error) {
	path, given := paths[name]
	if !given {
		path = filepath.Join(root, "events", name, "coldstart.json")
		if _, err := os.Stat(path); err != nil {
			return []byte(coldstartEvent), "built-in GET /__coldstart", nil
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, "", fmt.Errorf("coldstart: event for %s: %w", name, err)
	}
	if !json.Valid(b) {
		return nil, "", fmt.Errorf("coldstart: event for %s: %s is not JSON", name, path)
	}
	if rel, err := filepath.Rel(root, path); err == nil && !strings.HasPrefix(rel, "..") {
		path = rel
	}
	return b, path, nil
}

// build compiles t for the host as Lambda would run it (bar the
// architecture) into dir/<name>/bootstrap.
func build(t *target, dir string) error {
	out := filepath.Join(dir, t.name, "bootstrap")
	cmd := exec.Command("go", "build", "-tags", "lambda.norpc", "-trimpath",
		"-ldflags=-s -w", "-o", out, ".")
	cmd.Dir = t.dir
	cmd.Env = append(os.Environ(), "GOOS="+runtime.GOOS, "GOARCH="+runtime.GOARCH, "CGO_ENABLED=0")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("coldstart: build %s: %w\n%s", t.name, err, stderr.String())
	}
	fi, err := os.Stat(out)
	if err != nil {
		return fmt.Errorf("coldstart: build %s: %w", t.name, err)
	}
	t.bin, t.size = out, fi.Size()
	return nil
}
