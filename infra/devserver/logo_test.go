package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/portalpass/portalpass/infra/devserver/server"
	"github.com/portalpass/portalpass/pkg/awstest"
)

// logoFlow is README's branding walkthrough over HTTP: upload a PNG, see
// logoUrl, fetch the same bytes with their headers, refuse an SVG, a
// 101 KiB PNG and text labelled PNG, remove the logo and see its URL 404.
func logoFlow(t *testing.T, base string) {
	png, err := os.ReadFile("../../pkg/login/testdata/logo/logo.png")
	if err != nil {
		t.Fatal(err)
	}
	send := func(method, path, ct string, body []byte) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest(method, base+path, bytes.NewReader(body))
		if ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		if strings.HasPrefix(path, "/v1/admin/") {
			req.Header.Set("Authorization", "Bearer "+testKey)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, b
	}
	logoURL := func(b []byte) string {
		var v struct {
			LogoURL string `json:"logoUrl"`
		}
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatalf("settings %s: %v", b, err)
		}
		return v.LogoURL
	}

	resp, body := send("PUT", "/v1/admin/settings/logo", "image/png", png)
	if resp.StatusCode != 200 {
		t.Fatalf("upload = %d %s", resp.StatusCode, body)
	}
	u := logoURL(body)
	if _, b := send("GET", "/v1/admin/settings", "", nil); logoURL(b) != u || !strings.HasPrefix(u, base+"/logos/") {
		t.Fatalf("GET settings logoUrl = %q; want %q on %s", logoURL(b), u, base)
	}
	path := strings.TrimPrefix(u, base)
	resp, got := send("GET", path, "", nil)
	if resp.StatusCode != 200 || !bytes.Equal(got, png) {
		t.Fatalf("GET logo = %d, %d bytes; want 200 and the %d bytes uploaded", resp.StatusCode, len(got), len(png))
	}
	for name, want := range map[string]string{
		"Content-Type": "image/png", "Cache-Control": "public, max-age=31536000, immutable", "X-Content-Type-Options": "nosniff",
	} {
		if v := resp.Header.Get(name); v != want {
			t.Errorf("logo %s = %q; want %q", name, v, want)
		}
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.HasPrefix(csp, "default-src 'none'") {
		t.Errorf("logo CSP = %q", csp)
	}

	big := append(append([]byte(nil), png...), make([]byte, 101<<10-len(png))...)
	for _, c := range []struct {
		name, ct string
		body     []byte
		status   int
	}{
		{"svg", "image/svg+xml", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), 415},
		{"101 KiB png", "image/png", big, 413},
		{"text labelled png", "image/png", []byte("not an image at all\n"), 415},
	} {
		if resp, b := send("PUT", "/v1/admin/settings/logo", c.ct, c.body); resp.StatusCode != c.status {
			t.Errorf("upload %s = %d %s; want %d", c.name, resp.StatusCode, b, c.status)
		}
	}
	if _, b := send("GET", "/v1/admin/settings", "", nil); logoURL(b) != u {
		t.Errorf("logoUrl after refused uploads = %q; want %q still", logoURL(b), u)
	}

	if resp, b := send("DELETE", "/v1/admin/settings/logo", "", nil); resp.StatusCode != 200 || logoURL(b) != "" {
		t.Fatalf("DELETE = %d %s", resp.StatusCode, b)
	}
	if resp, b := send("GET", path, "", nil); resp.StatusCode != 404 {
		t.Errorf("GET removed logo = %d %s; want 404", resp.StatusCode, b)
	}
}

func TestLogoEmbedded(t *testing.T) {
	srv, err := server.Start(context.Background(), server.Options{APIKey: testKey, EmailFrom: "login@example.com", Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	logoFlow(t, srv.URL)
}

func TestLogoMoto(t *testing.T) {
	ep := awstest.Endpoint(t)
	srv, err := server.Start(context.Background(), server.Options{
		APIKey: testKey, EmailFrom: "login@example.com", Region: "us-east-1", Logger: quiet,
		DynamoDBEndpoint: ep, SESEndpoint: ep, SNSEndpoint: ep, Table: fmt.Sprintf("devserver-logo-%d", os.Getpid()),
	})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	logoFlow(t, srv.URL)
}
