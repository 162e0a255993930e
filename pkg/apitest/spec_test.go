package apitest_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/portalpass/portalpass/pkg/apitest"
)

// TestDocumentValid loads openapi.yaml as any OpenAPI tool would and
// validates it fully.
func TestDocumentValid(t *testing.T) {
	root, err := apitest.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile(filepath.Join(root, apitest.FileName))
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("validate: %v", err)
	}
	if got := doc.OpenAPI; got != "3.0.3" {
		t.Errorf("openapi = %q; want 3.0.3", got)
	}
}

// routePattern matches a Go 1.22 mux pattern with a method in source.
var routePattern = regexp.MustCompile(`"(GET|HEAD|POST|PUT|PATCH|DELETE) (/[^"\s]*)"`)

// TestCodeRoutesDocumented reads the route patterns of the HTTP layer and
// the dev server from their source and wants each in the document.
func TestCodeRoutesDocumented(t *testing.T) {
	root, err := apitest.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	doc := apitest.Load(t).Doc()
	var files []string
	for _, dir := range []string{"pkg/httpapi", "infra/devserver/server"} {
		m, _ := filepath.Glob(filepath.Join(root, dir, "*.go"))
		files = append(files, m...)
	}
	seen := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range routePattern.FindAllStringSubmatch(string(src), -1) {
			method, path := m[1], m[2]
			if strings.Contains(path, "...}") {
				continue // a wildcard of many segments: OpenAPI has none
			}
			seen++
			item := doc.Paths.Value(path)
			if item == nil || item.GetOperation(method) == nil {
				t.Errorf("%s: route %s %s is not in %s", filepath.Base(f), method, path, apitest.FileName)
			}
		}
	}
	if seen == 0 {
		t.Skip("no route patterns found in the source")
	}
}

// TestOperations logs every documented operation (go test -v).
func TestOperations(t *testing.T) {
	doc := apitest.Load(t).Doc()
	var ops []string
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			ops = append(ops, method+" "+path)
		}
	}
	sort.Strings(ops)
	if len(ops) == 0 {
		t.Fatal("no operations")
	}
	t.Logf("%d operations:\n%s", len(ops), strings.Join(ops, "\n"))
}
