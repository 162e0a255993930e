package apitest

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

// TestTemplateRoutes checks template.yaml against the code: every route a
// function mounts reaches that function in the deployed API, and the API
// sends nothing to a function that does not serve it.
func TestTemplateRoutes(t *testing.T) {
	root, err := ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(root, "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	// Walk the API definition: a path line, method lines, and the
	// function each method's integration names.
	var path, method string
	got := map[string][]string{} // function -> "METHOD /path"
	pathRe := regexp.MustCompile(`^ {10}"?(/[^":]*)"?:\s*$`)
	methodRe := regexp.MustCompile(`^ {12}(get|head|post|patch|put|delete|options):\s*$`)
	fnRe := regexp.MustCompile(`function:\$\{AWS::StackName\}-([a-z-]+)(?::live)?/invocations`)
	for _, line := range strings.Split(string(b), "\n") {
		if m := pathRe.FindStringSubmatch(line); m != nil {
			path = m[1]
		} else if m := methodRe.FindStringSubmatch(line); m != nil {
			method = strings.ToUpper(m[1])
		} else if m := fnRe.FindStringSubmatch(line); m != nil && !strings.Contains(line, "authorizerUri:") {
			got[m[1]] = append(got[m[1]], method+" "+path)
		}
	}
	// What each function mounts, from the httpapi constructor it calls.
	groups := map[string][]string{
		"Customer": {"customerRoutes", "pageRoutes", "logoRoutes"}, "Redeem": {"redeemRoutes"}, "Session": {"sessionRoutes"},
		"Contacts": {"contactRoutes", "accountRoutes"}, "Links": {"linkRoutes"}, "Audit": {"auditRoutes"},
	}
	routesOf := mountedRoutes(t, root)
	mains, _ := filepath.Glob(filepath.Join(root, "functions", "*", "main.go"))
	for _, m := range mains {
		src, _ := os.ReadFile(m)
		fn := filepath.Base(filepath.Dir(m))
		if !strings.Contains(string(src), `"github.com/portalpass/portalpass/pkg/httpapi"`) {
			continue // not an httpapi function: the authorizer, the portal example
		}
		c := regexp.MustCompile(`return httpapi\.(\w+)\(`).FindSubmatch(src)
		if c == nil {
			t.Errorf("%s: no httpapi constructor found", fn)
			continue
		}
		var want []string
		for _, g := range groups[string(c[1])] {
			for _, r := range routesOf[g] {
				want = append(want, r)
				if strings.HasPrefix(r, "GET ") && headServed(r) {
					want = append(want, "HEAD "+r[4:])
				}
			}
		}
		// Preflights: one catch-all route sends every OPTIONS request to
		// the session function, whose handler answers each path's own
		// (the exchange's, the admin routes'); a route per path would
		// let API Gateway's own CORS answer none of them.
		want = slices.DeleteFunc(want, func(r string) bool { return strings.HasPrefix(r, "OPTIONS ") })
		if fn == "session" {
			want = append(want, "OPTIONS /{proxy+}")
		}
		sort.Strings(want)
		have := append([]string(nil), got[fn]...)
		sort.Strings(have)
		if strings.Join(want, "\n") != strings.Join(have, "\n") {
			t.Errorf("function %s: template routes\n%s\nwant (from the code)\n%s", fn, strings.Join(have, "\n"), strings.Join(want, "\n"))
		}
	}
}

// headServed names the GET routes that must also answer HEAD through API
// Gateway: the links in emails and the login page, which mail scanners
// and link checkers probe.
func headServed(r string) bool {
	return r == "GET /login" || r == "GET /v1/login/redeem" || r == "GET /l/{token}" || r == "GET /v1/login/action"
}

// mountedRoutes reads `s.handle(mux, "METHOD /path", ...)` by the routes
// function that registers it in pkg/httpapi.
func mountedRoutes(t *testing.T, root string) map[string][]string {
	files, _ := filepath.Glob(filepath.Join(root, "pkg", "httpapi", "*.go"))
	out := map[string][]string{}
	funcRe := regexp.MustCompile(`^func (\w+Routes)\(`)
	handleRe := regexp.MustCompile(`s\.handle\(mux, "([A-Z]+ [^"]+)"`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, _ := os.ReadFile(f)
		cur := ""
		for _, line := range strings.Split(string(src), "\n") {
			if m := funcRe.FindStringSubmatch(line); m != nil {
				cur = m[1]
			} else if m := handleRe.FindStringSubmatch(line); m != nil && cur != "" {
				out[cur] = append(out[cur], m[1])
			}
		}
	}
	return out
}
