package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/portalpass/portalpass/pkg/awstest"
	"github.com/portalpass/portalpass/pkg/functest"
)

func TestMain(m *testing.M) { awstest.Main(m) }

func TestEvents(t *testing.T) {
	e := functest.Setup(t)
	key := e.Tenant(t, "acme", nil)
	other := e.Tenant(t, "beta", nil)
	h := newHandler(e.Config, e.DynamoOption)
	repl := map[string]string{"ppk_EXAMPLE_KEY": key, "ana@example.com": e.Email, "bo@example.com": "bo." + e.Email}

	resp := functest.Invoke(t, h, functest.Event(t, "invite/contacts-create.json", repl))
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("create = %d %s", resp.StatusCode, functest.Body(t, resp))
	}
	var c struct {
		ID           string `json:"id"`
		PortalAccess string `json:"portalAccess"`
	}
	functest.JSON(t, resp, &c)
	repl["CONTACT"] = c.ID

	tests := []struct {
		event      string
		key        string
		wantStatus int
		wantBody   string
	}{
		{"contacts-create.json", key, http.StatusConflict, `"conflict"`},
		{"contacts-find.json", key, http.StatusOK, c.ID},
		{"contact-get.json", key, http.StatusOK, `"portalAccess":"none"`},
		{"contact-get.json", other, http.StatusNotFound, `"not_found"`},
		{"contact-get.json", "ppk_wrong", http.StatusUnauthorized, `"unauthorized"`},
		{"contact-patch.json", key, http.StatusOK, "Ana M. Lima"},
		{"contact-patch.json", other, http.StatusNotFound, `"not_found"`},
		{"invite.json", other, http.StatusNotFound, `"not_found"`},
		{"invite.json", key, http.StatusCreated, `"portalAccess":"invited"`},
		{"invite-email.json", key, http.StatusCreated, `"delivery":{"channel":"email","status":"sent"}`},
		{"contacts-search.json", key, http.StatusOK, c.ID},
		{"login-emails.json", key, http.StatusAccepted, `"delivery":{"channel":"email","status":"sent"}`},
		{"login-emails.json", other, http.StatusNotFound, `"not_found"`},
		{"sessions-revoke.json", key, http.StatusOK, `{"revoked":0}`},
		{"sessions-revoke.json", other, http.StatusNotFound, `"not_found"`},
		{"portal-link.json", key, http.StatusOK, `{"url":"https://api.example.com/p/acme"}`},
		{"settings-patch.json", key, http.StatusOK, `"codeLength":4`},
		{"settings-get.json", key, http.StatusOK, `"linkTtlSeconds":900`},
		{"settings-get.json", other, http.StatusOK, `"codeLength":6`},
		// The logo: a PNG as API Gateway passes a binary body (base64).
		{"settings-logo-put.json", key, http.StatusOK, `"logoUrl":"https://api.example.com/logos/acme/f2eaf7b25b52854b.png"`},
		{"settings-logo-put.json", "ppk_wrong", http.StatusUnauthorized, `"unauthorized"`},
		{"settings-get.json", key, http.StatusOK, `"logoUrl":"https://api.example.com/logos/acme/f2eaf7b25b52854b.png"`},
		{"settings-logo-delete.json", key, http.StatusOK, `"codeLength":4`},
		// Erasing comes last: the contact is gone after it.
		{"contacts-delete.json", other, http.StatusNotFound, `"not_found"`},
		{"contacts-delete.json", "ppk_wrong", http.StatusUnauthorized, `"unauthorized"`},
		{"contacts-delete.json", key, http.StatusNoContent, ""},
		{"contact-get.json", key, http.StatusNotFound, `"not_found"`},
		{"contacts-delete.json", key, http.StatusNotFound, `"not_found"`},
	}
	for _, tt := range tests {
		r := map[string]string{}
		for k, v := range repl {
			r[k] = v
		}
		r["ppk_EXAMPLE_KEY"] = tt.key
		resp := functest.Invoke(t, h, functest.Event(t, "invite/"+tt.event, r))
		if resp.StatusCode != tt.wantStatus || !strings.Contains(functest.Body(t, resp), tt.wantBody) {
			t.Errorf("%s = %d %s; want %d with %s", tt.event, resp.StatusCode, functest.Body(t, resp), tt.wantStatus, tt.wantBody)
		}
	}
	if got := awstest.SentEmails(t, e.Endpoint, e.Email); len(got) != 2 || !strings.Contains(got[0].Subject, "invited") {
		t.Errorf("SES sent %+v to %s; want an invitation and a login email", got, e.Email)
	}
}

// TestDashboardJWT: with ADMIN_TENANT_CLAIM set, the admin routes trust
// the claims of the JWT that API Gateway's JWT authorizer verified.
func TestDashboardJWT(t *testing.T) {
	e := functest.Setup(t)
	key := e.Tenant(t, "acme", nil)
	e.Invite(t, key, e.Email)
	ev := functest.Event(t, "invite/contacts-find-jwt.json", map[string]string{"ana@example.com": e.Email})

	resp := functest.Invoke(t, newHandler(e.Config, e.DynamoOption), ev)
	functest.Check(t, "JWT claims without ADMIN_TENANT_CLAIM", resp, http.StatusUnauthorized, "unauthorized")

	e.Config.AdminTenantClaim = "tenant_id"
	h := newHandler(e.Config, e.DynamoOption)
	resp = functest.Invoke(t, h, ev)
	functest.Check(t, "JWT claims with ADMIN_TENANT_CLAIM", resp, http.StatusOK, e.Email)
	ev.RequestContext.Authorizer.JWT.Claims["tenant_id"] = "nosuch"
	resp = functest.Invoke(t, h, ev)
	functest.Check(t, "JWT of an unknown tenant", resp, http.StatusUnauthorized, "unauthorized")
}

// TestPremiumPhoneRefused: a premium-rate or shared-cost number is 400
// invalid_identifier where it enters, on create and on update (API.md,
// "SMS protection"); a landline is stored.
func TestPremiumPhoneRefused(t *testing.T) {
	e := functest.Setup(t)
	key := e.Tenant(t, "acme", nil)
	h := newHandler(e.Config, e.DynamoOption)
	create := func(email, phone string) (int, string) {
		resp := functest.Invoke(t, h, functest.Event(t, "invite/contacts-create.json",
			map[string]string{"ppk_EXAMPLE_KEY": key, "ana@example.com": email, "+14155550123": phone}))
		return resp.StatusCode, functest.Body(t, resp)
	}
	for _, num := range []string{"+1 900 555 0123", "+44 909 879 0000", "+33 8 10 12 34 56"} {
		if st, body := create("p."+e.Email, num); st != http.StatusBadRequest || !strings.Contains(body, `"invalid_identifier"`) {
			t.Errorf("create with %s = %d %s; want 400 invalid_identifier", num, st, body)
		}
	}
	st, body := create(e.Email, "+44 20 7946 0000")
	if st != http.StatusCreated {
		t.Fatalf("create with a landline = %d %s", st, body)
	}
	var c struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal([]byte(body), &c); err != nil {
		t.Fatal(err)
	}
	resp := functest.Invoke(t, h, functest.Event(t, "invite/contact-patch.json", map[string]string{
		"ppk_EXAMPLE_KEY": key, "CONTACT": c.ID, `"name": "Ana M. Lima"`: `"phone": "+1 900 555 0199"`}))
	if b := functest.Body(t, resp); resp.StatusCode != http.StatusBadRequest || !strings.Contains(b, `"invalid_identifier"`) {
		t.Errorf("patch to a premium number = %d %s; want 400 invalid_identifier", resp.StatusCode, b)
	}
}
