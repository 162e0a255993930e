package httpapi_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
)

// readLogo reads a fixture of pkg/login/testdata/logo.
func readLogo(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("../login/testdata/logo/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// putLogo uploads body as acme's logo (or key's tenant's) with ct.
func (e *env) putLogo(ct string, body []byte, key ...string) *http.Response {
	e.t.Helper()
	k := e.key
	if len(key) > 0 {
		k = key[0]
	}
	r := req(http.MethodPut, "/v1/admin/settings/logo", "", "Authorization", "Bearer "+k)
	if ct != "" {
		r.Header.Set("Content-Type", ct)
	}
	r.Body = readCloser{bytes.NewReader(body)}
	r.ContentLength = int64(len(body))
	return e.do(r).Result()
}

type readCloser struct{ *bytes.Reader }

func (readCloser) Close() error { return nil }

// logoURL returns the logoUrl of a settings view ("" when none).
func logoURL(t *testing.T, body []byte) string {
	t.Helper()
	var v struct {
		LogoURL *string `json:"logoUrl"`
	}
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("settings %s: %v", body, err)
	}
	if v.LogoURL == nil {
		return ""
	}
	return *v.LogoURL
}

func bodyOf(t *testing.T, r *http.Response) []byte {
	t.Helper()
	var b bytes.Buffer
	if _, err := b.ReadFrom(r.Body); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestLogoUploadServeRemove(t *testing.T) {
	e := newEnv(t)
	png := readLogo(t, "logo.png")
	resp := e.putLogo("image/png", png)
	body := bodyOf(t, resp)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("PUT logo = %d %s", resp.StatusCode, body)
	}
	u := logoURL(t, body)
	if !strings.HasPrefix(u, baseURL+"/logos/acme/") || !strings.HasSuffix(u, ".png") {
		t.Fatalf("logoUrl = %q; want an absolute URL on %s", u, baseURL)
	}
	if got := logoURL(t, e.admin(http.MethodGet, "/v1/admin/settings", "").Body.Bytes()); got != u {
		t.Errorf("GET settings logoUrl = %q; want %q", got, u)
	}
	path := strings.TrimPrefix(u, baseURL)
	w := e.do(req(http.MethodGet, path, ""))
	if w.Code != http.StatusOK || !bytes.Equal(w.Body.Bytes(), png) {
		t.Fatalf("GET %s = %d, %d bytes; want 200 and the PNG", path, w.Code, w.Body.Len())
	}
	for name, want := range map[string]string{
		"Content-Type":           "image/png",
		"Cache-Control":          "public, max-age=31536000, immutable",
		"X-Content-Type-Options": "nosniff",
		"Content-Length":         strconv.Itoa(len(png)),
	} {
		if got := w.Header().Get(name); got != want {
			t.Errorf("%s = %q; want %q", name, got, want)
		}
	}
	if csp := w.Header().Get("Content-Security-Policy"); !strings.HasPrefix(csp, "default-src 'none'") {
		t.Errorf("Content-Security-Policy = %q; want default-src 'none'", csp)
	}
	if h := e.do(req(http.MethodHead, path, "")); h.Code != http.StatusOK || h.Body.Len() != 0 || h.Header().Get("Content-Type") != "image/png" {
		t.Errorf("HEAD = %d, %d bytes, %q", h.Code, h.Body.Len(), h.Header().Get("Content-Type"))
	}
	// Another tenant has no such logo; a name of another shape is no logo.
	e.tenant("other", "Other", "https://portal.other.example")
	for _, p := range []string{strings.Replace(path, "/acme/", "/other/", 1), "/logos/acme/0123456789abcdef.png", "/logos/acme/x.svg", "/logos/NOPE/x"} {
		if w := e.do(req(http.MethodGet, p, "")); w.Code != http.StatusNotFound || !strings.Contains(w.Body.String(), `"not_found"`) {
			t.Errorf("GET %s = %d %s; want 404 not_found", p, w.Code, w.Body)
		}
	}

	if w := e.admin(http.MethodDelete, "/v1/admin/settings/logo", ""); w.Code != http.StatusOK || logoURL(t, w.Body.Bytes()) != "" {
		t.Fatalf("DELETE logo = %d %s; want 200 without logoUrl", w.Code, w.Body)
	}
	if w := e.do(req(http.MethodGet, path, "")); w.Code != http.StatusNotFound || w.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("GET removed logo = %d, Cache-Control %q; want 404, no-store", w.Code, w.Header().Get("Cache-Control"))
	}
}

func TestLogoRefused(t *testing.T) {
	e := newEnv(t)
	png := readLogo(t, "logo.png")
	big := append(append([]byte(nil), png...), make([]byte, 101<<10-len(png))...)
	tests := []struct {
		name, ct string
		body     []byte
		status   int
		code     string
	}{
		{"svg", "image/svg+xml", []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`), 415, "unsupported_media_type"},
		{"svg labelled png", "image/png", []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`), 415, "unsupported_media_type"},
		{"text labelled png", "image/png", []byte("just text\n"), 415, "unsupported_media_type"},
		{"json", "application/json", []byte(`{"logo":"x"}`), 415, "unsupported_media_type"},
		{"no content type", "", png, 415, "unsupported_media_type"},
		{"101 KiB", "image/png", big, 413, "body_too_large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := e.putLogo(tt.ct, tt.body)
			body := bodyOf(t, resp)
			if resp.StatusCode != tt.status || !strings.Contains(string(body), `"code":"`+tt.code+`"`) {
				t.Errorf("PUT %s = %d %s; want %d %s", tt.name, resp.StatusCode, body, tt.status, tt.code)
			}
		})
	}
	if resp := e.putLogo("image/png", png, "wrong-key"); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("PUT with a bad key = %d; want 401", resp.StatusCode)
	}
	if got := logoURL(t, e.admin(http.MethodGet, "/v1/admin/settings", "").Body.Bytes()); got != "" {
		t.Errorf("logoUrl after refused uploads = %q; want none", got)
	}
}

// TestPatchLogoURLReadOnly: logoUrl cannot be set by PATCH, and the
// refused change changes nothing else either.
func TestPatchLogoURLReadOnly(t *testing.T) {
	e := newEnv(t)
	before := e.admin(http.MethodGet, "/v1/admin/settings", "").Body.String()
	w := e.admin(http.MethodPatch, "/v1/admin/settings", `{"name": "Changed", "logoUrl": "https://evil.example/x.png"}`)
	if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), `"code":"invalid_request"`) ||
		!strings.Contains(w.Body.String(), "logoUrl is read-only; upload with PUT /v1/admin/settings/logo") {
		t.Errorf("PATCH logoUrl = %d %s; want 400 invalid_request", w.Code, w.Body)
	}
	if after := e.admin(http.MethodGet, "/v1/admin/settings", "").Body.String(); after != before {
		t.Errorf("settings after the refused PATCH = %s; want %s", after, before)
	}
}
