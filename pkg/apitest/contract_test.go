package apitest_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/portalpass/portalpass/pkg/apitest"
	"github.com/portalpass/portalpass/pkg/httpapi"
	"github.com/portalpass/portalpass/pkg/identifier/e164"
	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/login/logintest"
	"github.com/portalpass/portalpass/pkg/store/memstore"
)

// TestResponsesMatchSpec drives every implemented route, on its happy
// path and its errors, through the real handler and checks each request
// and response against openapi.yaml, so the contract cannot drift.
func TestResponsesMatchSpec(t *testing.T) {
	spec := apitest.Load(t)
	sender := &logintest.Sender{}
	svc := login.New(login.Deps{Store: memstore.New(), Email: sender, SMS: sender, BaseURL: "https://api.example.com",
		Sleep: func(context.Context, time.Duration) {}})
	ctx := context.Background()
	if _, err := svc.CreateTenant(ctx, "acme", "Acme", login.DefaultSettings("https://portal.acme.example")); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CreateTenant(ctx, "beta", "Beta", login.DefaultSettings("https://portal.beta.example")); err != nil {
		t.Fatal(err)
	}
	key, _, _ := svc.NewAPIKey(ctx, "acme", "t")
	betaKey, _, _ := svc.NewAPIKey(ctx, "beta", "t")
	h := httpapi.All(httpapi.Config{Service: svc, BaseURL: "https://api.example.com", Identifiers: e164.Parser,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})

	type call struct {
		method, path, auth, ctype, body string
		want                            int
	}
	do := func(c call) []byte {
		t.Helper()
		var r io.Reader
		if c.body != "" {
			r = strings.NewReader(c.body)
		}
		req := httptest.NewRequest(c.method, c.path, r)
		if c.ctype != "" {
			req.Header.Set("Content-Type", c.ctype)
		}
		if c.ctype == "application/x-www-form-urlencoded" {
			req.Header.Set("Origin", "https://api.example.com")
		}
		if c.auth != "" {
			req.Header.Set("Authorization", "Bearer "+c.auth)
		}
		resp, body := spec.Serve(t, h, req)
		if resp.StatusCode != c.want {
			t.Errorf("%s %s = %d %s; want %d", c.method, c.path, resp.StatusCode, body, c.want)
		}
		return body
	}
	const J = "application/json"
	logoPNG, err := os.ReadFile("../login/testdata/logo/logo.png")
	if err != nil {
		t.Fatal(err)
	}
	logoSum := sha256.Sum256(logoPNG)
	logoName := hex.EncodeToString(logoSum[:8]) + ".png"
	const F = "application/x-www-form-urlencoded"
	var ct struct{ ID string }
	json.Unmarshal(do(call{"POST", "/v1/admin/contacts", key, J, `{"email":"ana@example.com","phone":"+14155550123","name":"Ana"}`, 201}), &ct)
	for _, c := range []call{
		{"POST", "/v1/admin/contacts", key, J, `{"email":"ana@example.com"}`, 409},
		{"POST", "/v1/admin/contacts", key, J, `{"email":"not an email"}`, 400},
		{"POST", "/v1/admin/contacts", "", J, `{"email":"x@example.com"}`, 401},
		{"GET", "/v1/admin/contacts?email=ana@example.com", key, "", "", 200},
		{"GET", "/v1/admin/contacts?q=an&limit=10", key, "", "", 200},
		{"GET", "/v1/admin/contacts/" + ct.ID, key, "", "", 200},
		{"GET", "/v1/admin/contacts/" + ct.ID, betaKey, "", "", 404},
		{"PATCH", "/v1/admin/contacts/" + ct.ID, key, J, `{"name":"Ana Lima"}`, 200},
		{"POST", "/v1/admin/links", key, J, `{"contactId":"` + ct.ID + `"}`, 422},
		{"POST", "/v1/admin/invites", key, J, `{"contactId":"` + ct.ID + `"}`, 201},
		{"POST", "/v1/admin/links", key, J, `{"contactId":"` + ct.ID + `","send":"sms","purpose":"login"}`, 201},
		{"POST", "/v1/admin/links", key, J, `{"contactId":"` + ct.ID + `","purpose":"forever"}`, 400},
		{"POST", "/v1/admin/login-emails", key, J, `{"contactId":"` + ct.ID + `"}`, 202},
		{"POST", "/v1/admin/action-links", key, J, `{"contactId":"` + ct.ID + `","redirect":"/invoices/1","ref":"inv-1"}`, 201},
		{"POST", "/v1/admin/action-links", key, J, `{"contactId":"` + ct.ID + `","redirect":"//evil.example"}`, 400},
		{"POST", "/v1/admin/action-links", key, J, `{"contactId":"` + ct.ID + `","redirect":"/x","ttlSeconds":7776001}`, 400},
		{"POST", "/v1/admin/action-links/revoke", key, J, `{"ref":"inv-1"}`, 200},
		{"GET", "/v1/admin/portal-link", key, "", "", 200},
		{"GET", "/v1/admin/settings", key, "", "", 200},
		{"PATCH", "/v1/admin/settings", key, J, `{"linkTtlSeconds":5}`, 400},
		{"PATCH", "/v1/admin/settings", key, J, `{"senderName":"Acme Support"}`, 200},
		{"PATCH", "/v1/admin/settings", key, J, `{"brandColor":"#1A2B3C","supportEmail":"help@acme.example","supportUrl":"https://acme.example/help"}`, 200},
		{"PATCH", "/v1/admin/settings", key, J, `{"logoUrl":"https://evil.example/x.png"}`, 400},
		{"PUT", "/v1/admin/settings/logo", key, "image/png", string(logoPNG), 200},
		{"GET", "/v1/admin/settings", key, "", "", 200},
		{"GET", "/logos/acme/" + logoName, "", "", "", 200},
		{"GET", "/logos/beta/" + logoName, "", "", "", 404},
		{"PUT", "/v1/admin/settings/logo", key, "image/svg+xml", `<svg xmlns="http://www.w3.org/2000/svg"/>`, 415},
		{"PUT", "/v1/admin/settings/logo", key, "image/png", string(logoPNG) + strings.Repeat("\x00", 101<<10), 413},
		{"PUT", "/v1/admin/settings/logo", "", "image/png", string(logoPNG), 401},
		{"DELETE", "/v1/admin/settings/logo", key, "", "", 200},
		{"GET", "/logos/acme/" + logoName, "", "", "", 404},
		{"GET", "/v1/admin/audit?limit=5", key, "", "", 200},
		{"POST", "/v1/admin/sessions/revoke", key, J, `{"contactId":"` + ct.ID + `"}`, 200},
		{"POST", "/v1/login/request", "", J, `{"identifier":"ana@example.com","redirect":"/invoices/42"}`, 202},
		{"POST", "/v1/login/request", "", J, `{"identifier":"a@b.example, c@d.example"}`, 400},
		{"POST", "/v1/login/request", "", "text/plain", `{}`, 415},
		{"POST", "/v1/login/request", "", J, `{"identifier":"` + strings.Repeat("a", 17<<10) + `"}`, 413},
		{"POST", "/v1/login/code", "", J, `{"identifier":"ana@example.com","code":"000000"}`, 400},
		{"POST", "/v1/login/redeem", "", J, `{"token":"l.acme.cnope"}`, 410},
		{"GET", "/v1/login/redeem?token=nope", "", "", "", 410},
		{"GET", "/v1/session", "", "", "", 401},
		{"GET", "/v1/login/tenants", "", "", "", 410},
		{"GET", "/login?tenant=acme", "", "", "", 200},
		{"POST", "/login", "", F, "identifier=ana%40example.com&tenant=acme", 200},
		{"GET", "/p/acme", "", "", "", 303},
		{"GET", "/assets/app.css", "", "", "", 200},
	} {
		do(c)
	}
	// A full login: the JSON redeem, the session, the token, logout.
	m := sender.Messages()
	var token string
	for i := len(m) - 1; i >= 0; i-- {
		if strings.Contains(m[i].Link, "/v1/login/redeem?token=l.acme.") && m[i].Channel == login.ChannelEmail {
			token = m[i].Link[strings.Index(m[i].Link, "token=")+6:]
			break
		}
	}
	do(call{"GET", "/v1/login/redeem?token=" + token, "", "", "", 200})
	var out struct {
		Session struct{ Token string } `json:"session"`
	}
	json.Unmarshal(do(call{"POST", "/v1/login/redeem", "", J, `{"token":"` + token + `"}`, 200}), &out)
	do(call{"GET", "/v1/session", out.Session.Token, "", "", 200})
	do(call{"POST", "/v1/logout", out.Session.Token, "", "", 204})
	// Erasure, last: the contact is gone after it.
	do(call{"DELETE", "/v1/admin/contacts/" + ct.ID, betaKey, "", "", 404})
	do(call{"DELETE", "/v1/admin/contacts/" + ct.ID, "", "", "", 401})
	do(call{"DELETE", "/v1/admin/contacts/" + ct.ID, key, "", "", 204})
	do(call{"DELETE", "/v1/admin/contacts/" + ct.ID, key, "", "", 404})
}
