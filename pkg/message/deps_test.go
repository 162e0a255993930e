package message_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestNoTemplates fails if the package, not counting its tests, depends
// on text/template or html/template, directly or through another
// package: a binary that links either keeps every exported method of
// every reachable type, which pushes the Lambda functions that send
// messages past their size limit.
func TestNoTemplates(t *testing.T) {
	gobin, err := exec.LookPath("go") // go test puts its own go first in PATH
	if err != nil {
		t.Skipf("no go command: %v", err)
	}
	out, err := exec.Command(gobin, "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	const self = "github.com/portalpass/portalpass/pkg/message"
	deps := strings.Fields(string(out))
	if !contains(deps, self) {
		t.Fatalf("go list -deps does not list %s itself:\n%s", self, out)
	}
	for _, p := range []string{"text/template", "html/template"} {
		if contains(deps, p) {
			t.Errorf("%s depends on %s; render without templates", self, p)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
