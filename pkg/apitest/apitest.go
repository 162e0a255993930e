package apitest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// FileName is the document's name in the module root.
const FileName = "openapi.yaml"

// Spec is a loaded, validated OpenAPI document and its router. It is
// safe for concurrent use.
type Spec struct {
	doc    *openapi3.T
	router routers.Router
}

var (
	loadOnce sync.Once
	loaded   *Spec
	loadErr  error
)

// Load returns the module's openapi.yaml, found by walking up from the
// working directory to go.mod. It parses and validates the document once
// per test binary and fails the test if that fails.
func Load(tb testing.TB) *Spec {
	tb.Helper()
	loadOnce.Do(func() {
		var root string
		if root, loadErr = ModuleRoot(); loadErr == nil {
			loaded, loadErr = LoadFile(filepath.Join(root, FileName))
		}
	})
	if loadErr != nil {
		tb.Fatalf("%v", loadErr)
	}
	return loaded
}

// ModuleRoot returns the nearest directory at or above the working
// directory that holds a go.mod.
func ModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("apitest: module root: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("apitest: module root: no go.mod above the working directory")
		}
		dir = parent
	}
}

// LoadFile parses and validates the OpenAPI document at path.
func LoadFile(path string) (*Spec, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile(path)
	if err != nil {
		return nil, fmt.Errorf("apitest: load %s: %w", path, err)
	}
	return newSpec(doc)
}

// LoadData parses and validates an OpenAPI document given as YAML or JSON.
func LoadData(data []byte) (*Spec, error) {
	doc, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("apitest: load: %w", err)
	}
	return newSpec(doc)
}

func newSpec(doc *openapi3.T) (*Spec, error) {
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("apitest: invalid document: %w", err)
	}
	r, err := legacy.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("apitest: router: %w", err)
	}
	return &Spec{doc: doc, router: r}, nil
}

// Doc returns the parsed document. Callers must not change it.
func (s *Spec) Doc() *openapi3.T { return s.doc }

// Check fails the test (with tb.Errorf) unless the exchange matches the
// document: the request's method and path are one of its operations; the
// response's status is documented for it, with the documented headers,
// content type and, for JSON, body; a response documented without a body
// (such as 204) has none. A request the document does not allow (unknown
// field, wrong type, wrong media type) must have been refused with a 4xx
// status. reqBody and respBody are the bodies that were sent and received:
// req.Body and resp.Body are not read.
func (s *Spec) Check(tb testing.TB, req *http.Request, reqBody []byte, resp *http.Response, respBody []byte) {
	tb.Helper()
	if err := s.check(req, reqBody, resp, respBody); err != nil {
		tb.Errorf("apitest: %s %s → %d does not match %s:\n%v", req.Method, req.URL.Path, resp.StatusCode, FileName, err)
	}
}

// Do sends req with c (http.DefaultClient if nil), reads both bodies,
// checks the exchange as Check does and returns the response and its
// body. It does not follow redirects, so that each exchange is checked on
// its own; c's cookie jar still records the cookies of the response. The
// returned response's Body can be read again. A transport error fails the
// test at once.
func (s *Spec) Do(tb testing.TB, c *http.Client, req *http.Request) (*http.Response, []byte) {
	tb.Helper()
	reqBody := readRequestBody(tb, req)
	if c == nil {
		c = http.DefaultClient
	}
	nc := *c
	nc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := nc.Do(req)
	if err != nil {
		tb.Fatalf("apitest: %s %s: %v", req.Method, req.URL.Path, err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		tb.Fatalf("apitest: %s %s: read response body: %v", req.Method, req.URL.Path, err)
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	s.Check(tb, req, reqBody, resp, body)
	return resp, body
}

// Serve runs req through h in process, checks the exchange as Check does
// and returns the response and its body.
func (s *Spec) Serve(tb testing.TB, h http.Handler, req *http.Request) (*http.Response, []byte) {
	tb.Helper()
	reqBody := readRequestBody(tb, req)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	resp := rec.Result()
	body := rec.Body.Bytes()
	s.Check(tb, req, reqBody, resp, body)
	return resp, body
}

// readRequestBody reads req's body and puts it back, for sending.
func readRequestBody(tb testing.TB, req *http.Request) []byte {
	tb.Helper()
	if req.Body == nil || req.Body == http.NoBody {
		return nil
	}
	b, err := io.ReadAll(req.Body)
	req.Body.Close()
	if err != nil {
		tb.Fatalf("apitest: %s %s: read request body: %v", req.Method, req.URL.Path, err)
	}
	req.Body = io.NopCloser(bytes.NewReader(b))
	req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
	req.ContentLength = int64(len(b))
	return b
}

func (s *Spec) options() *openapi3filter.Options {
	return &openapi3filter.Options{
		AuthenticationFunc:      openapi3filter.NoopAuthenticationFunc,
		IncludeResponseStatus:   true,
		SkipSettingDefaults:     true,
		MultiError:              true,
		SchemaValidationOptions: []openapi3.SchemaValidationOption{openapi3.DisableSchemaErrorDetails()},
	}
}

func (s *Spec) check(req *http.Request, reqBody []byte, resp *http.Response, respBody []byte) error {
	ctx := context.Background()
	r := routable(req, reqBody)
	route, params, err := s.router.FindRoute(r)
	if err != nil && r.Method == http.MethodHead {
		// net/http serves HEAD with a GET route: check it as that route.
		g := r.Clone(ctx)
		g.Method = http.MethodGet
		route, params, err = s.router.FindRoute(g)
	}
	if err != nil {
		return fmt.Errorf("no such operation: %w", err)
	}
	opts := s.options()
	in := &openapi3filter.RequestValidationInput{Request: r, PathParams: params, Route: route, Options: opts}
	var problems []string
	if !refused(resp.StatusCode) {
		if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
			problems = append(problems, "request: "+err.Error())
		}
		problems = append(problems, checkFormFields(route, req, reqBody)...)
	}
	problems = append(problems, s.checkResponse(ctx, in, route, resp, respBody)...)
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "\n"))
	}
	return nil
}

func (s *Spec) checkResponse(ctx context.Context, in *openapi3filter.RequestValidationInput, route *routers.Route, resp *http.Response, body []byte) []string {
	ref := route.Operation.Responses.Status(resp.StatusCode)
	if ref == nil {
		ref = route.Operation.Responses.Default()
	}
	if ref == nil || ref.Value == nil {
		return []string{fmt.Sprintf("response: status %d is not documented for this operation", resp.StatusCode)}
	}
	var problems []string
	if in.Request.Method != http.MethodHead && len(ref.Value.Content) == 0 && len(body) > 0 && !redirect(resp.StatusCode) {
		problems = append(problems, fmt.Sprintf("response: status %d is documented without a body but has %d bytes", resp.StatusCode, len(body)))
	}
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 resp.StatusCode,
		Header:                 resp.Header,
		Options:                in.Options,
	}
	out.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
		problems = append(problems, "response: "+err.Error())
	}
	return problems
}

// checkFormFields reports the fields of a form body that its schema
// does not allow (additionalProperties: false) or that are repeated where
// one value is expected: kin-openapi's form decoder ignores both, the
// server refuses both.
func checkFormFields(route *routers.Route, req *http.Request, body []byte) []string {
	rb := route.Operation.RequestBody
	if rb == nil || rb.Value == nil {
		return nil
	}
	mt, _, err := mime.ParseMediaType(req.Header.Get("Content-Type"))
	if err != nil || mt != "application/x-www-form-urlencoded" {
		return nil
	}
	media := rb.Value.Content.Get(mt)
	if media == nil || media.Schema == nil || media.Schema.Value == nil {
		return nil
	}
	schema := media.Schema.Value
	values, err := url.ParseQuery(string(body))
	if err != nil {
		return []string{"request: the form body is malformed"}
	}
	var problems []string
	for _, name := range slices.Sorted(maps.Keys(values)) {
		prop := schema.Properties[name]
		switch {
		case prop == nil && schema.AdditionalProperties.Has != nil && !*schema.AdditionalProperties.Has:
			problems = append(problems, fmt.Sprintf("request: form field %q is not in the schema", name))
		case prop != nil && prop.Value != nil && !prop.Value.Type.Is("array") && len(values[name]) > 1:
			problems = append(problems, fmt.Sprintf("request: form field %q is repeated", name))
		}
	}
	return problems
}

// routable copies req for the router: the path and query only, so that
// the document's relative server ("/") matches whatever host the test
// server listens on, with reqBody as its body.
func routable(req *http.Request, reqBody []byte) *http.Request {
	r := req.Clone(context.Background())
	r.URL = &url.URL{Path: req.URL.Path, RawPath: req.URL.RawPath, RawQuery: req.URL.RawQuery}
	r.Body = io.NopCloser(bytes.NewReader(reqBody))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(reqBody)), nil }
	r.ContentLength = int64(len(reqBody))
	if len(reqBody) == 0 {
		r.Body, r.GetBody = http.NoBody, nil
	}
	return r
}

// refused reports whether the server turned the request down as the
// client's fault, as it should a request the document does not allow.
func refused(status int) bool { return status >= 400 && status < 500 }

func redirect(status int) bool { return status >= 300 && status < 400 }
