package lambdahttp_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"

	"github.com/portalpass/portalpass/pkg/httpapi"
	"github.com/portalpass/portalpass/pkg/lambdahttp"
	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/store/memstore"
)

// TestLogoThroughAPIGateway: a binary body reaches the handler as the raw
// bytes API Gateway base64-encoded (the upload), and a binary answer goes
// back base64-encoded for API Gateway to decode (the logo), byte for byte.
func TestLogoThroughAPIGateway(t *testing.T) {
	png, err := os.ReadFile("../login/testdata/logo/logo.png")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	svc := login.New(login.Deps{Store: memstore.New(), BaseURL: baseURL})
	if _, err := svc.CreateTenant(ctx, "acme", "Acme", login.DefaultSettings("https://portal.acme.example")); err != nil {
		t.Fatal(err)
	}
	key, _, err := svc.NewAPIKey(ctx, "acme", "t")
	if err != nil {
		t.Fatal(err)
	}
	cfg := httpapi.Config{Service: svc, BaseURL: baseURL, ClientIP: lambdahttp.ClientIP, RequestID: lambdahttp.RequestID,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	// The two functions that serve these routes: invite (Contacts) and
	// request-login (Customer), as the template routes them.
	admin := httpadapter.NewV2(lambdahttp.Handler(httpapi.Contacts(cfg)))
	pages := httpadapter.NewV2(lambdahttp.Handler(httpapi.Customer(cfg)))

	put := events.APIGatewayV2HTTPRequest{
		Version: "2.0", RouteKey: "PUT /v1/admin/settings/logo", RawPath: "/v1/admin/settings/logo",
		Headers:         map[string]string{"authorization": "Bearer " + key, "content-type": "image/png"},
		Body:            base64.StdEncoding.EncodeToString(png),
		IsBase64Encoded: true,
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			RouteKey: "PUT /v1/admin/settings/logo", RequestID: "r1",
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: "PUT", Path: "/v1/admin/settings/logo", SourceIP: "192.0.2.1"},
		},
	}
	resp, err := admin.ProxyWithContext(ctx, put)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("PUT = %d %s, %v", resp.StatusCode, resp.Body, err)
	}
	var view struct{ LogoURL string }
	if err := json.Unmarshal([]byte(resp.Body), &view); err != nil || !strings.HasPrefix(view.LogoURL, baseURL+"/logos/acme/") {
		t.Fatalf("settings = %s; want a logoUrl", resp.Body)
	}
	path := strings.TrimPrefix(view.LogoURL, baseURL)

	get := events.APIGatewayV2HTTPRequest{
		Version: "2.0", RouteKey: "GET /logos/{tenant}/{file}", RawPath: path,
		Headers: map[string]string{"accept": "image/*"},
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			RouteKey: "GET /logos/{tenant}/{file}", RequestID: "r2",
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: "GET", Path: path, SourceIP: "192.0.2.1"},
		},
	}
	resp, err = pages.ProxyWithContext(ctx, get)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET %s = %d %s, %v", path, resp.StatusCode, resp.Body, err)
	}
	if !resp.IsBase64Encoded {
		t.Fatal("the logo went back as text; want base64 for API Gateway to decode")
	}
	got, err := base64.StdEncoding.DecodeString(resp.Body)
	if err != nil || !bytes.Equal(got, png) {
		t.Errorf("GET body = %d bytes (%v); want the %d bytes uploaded", len(got), err, len(png))
	}
	if ct := resp.Headers["Content-Type"]; ct != "image/png" {
		t.Errorf("Content-Type = %q; want image/png", ct)
	}
}
