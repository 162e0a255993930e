package httpapi_test

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/portalpass/portalpass/pkg/httpapi"
	"github.com/portalpass/portalpass/pkg/login"
)

// TestAdminAuth: every admin route needs a valid API key.
func TestAdminAuth(t *testing.T) {
	e := newEnv(t)
	id := e.invite("ana@example.com")
	tok := e.login("ana@example.com")
	routes := []struct{ method, path, body string }{
		{"GET", "/v1/admin/contacts", ""},
		{"POST", "/v1/admin/contacts", `{"email":"bob@example.com"}`},
		{"GET", "/v1/admin/contacts/" + id, ""},
		{"PATCH", "/v1/admin/contacts/" + id, `{"name":"Eve"}`},
		{"POST", "/v1/admin/invites", `{"email":"bob@example.com"}`},
		{"POST", "/v1/admin/login-emails", `{"contactId":"` + id + `"}`},
		{"POST", "/v1/admin/links", `{"contactId":"` + id + `"}`},
		{"POST", "/v1/admin/sessions/revoke", `{"contactId":"` + id + `"}`},
		{"GET", "/v1/admin/portal-link", ""},
		{"GET", "/v1/admin/settings", ""},
		{"PATCH", "/v1/admin/settings", `{"name":"Evil"}`},
		{"GET", "/v1/admin/audit", ""},
		{"POST", "/v1/admin/action-links", `{"contactId":"` + id + `","redirect":"/x"}`},
	}
	for _, auth := range []struct{ name, header string }{
		{"none", ""},
		{"empty Bearer", "Bearer "},
		{"unknown key", "Bearer ppk_kAAAAAAAAAA_" + strings.Repeat("A", 43)},
		{"key as Basic", "Basic " + e.key},
		{"key without scheme", e.key},
		{"session token", "Bearer " + tok},
		{"key with a changed character", "Bearer " + e.key[:len(e.key)-1] + "x"},
	} {
		for _, rt := range routes {
			t.Run(auth.name+"/"+rt.method+" "+rt.path, func(t *testing.T) {
				r := jsonReq(rt.method, rt.path, rt.body)
				if auth.header != "" {
					r.Header.Set("Authorization", auth.header)
				}
				checkError(t, e.do(r), http.StatusUnauthorized, string(login.CodeUnauthorized))
			})
		}
	}
	if got := e.sessionStatus(tok); got != http.StatusOK {
		t.Errorf("session after the refused calls: %d; want 200", got)
	}
	var c httpapi.ContactJSON
	decode(t, e.admin("GET", "/v1/admin/contacts/"+id, "").Body.Bytes(), &c)
	if c.Name != nil {
		t.Errorf("a refused PATCH changed the contact: %+v", c)
	}
}

// TestAdminTenantConfinement: another tenant's key sees none of acme's
// contacts: 404, never 403, and nothing changes.
func TestAdminTenantConfinement(t *testing.T) {
	e := newEnv(t)
	beta := e.tenant("beta", "Beta", "https://portal.beta.example")
	id := e.invite("ana@example.com")
	tok := e.login("ana@example.com")
	for _, rt := range []struct{ method, path, body string }{
		{"GET", "/v1/admin/contacts/" + id, ""},
		{"PATCH", "/v1/admin/contacts/" + id, `{"name":"Eve"}`},
		{"PATCH", "/v1/admin/contacts/" + id, `{"portalAccess":"disabled"}`},
		{"PATCH", "/v1/admin/contacts/" + id, `{"email":"eve@example.com"}`},
		{"POST", "/v1/admin/invites", `{"contactId":"` + id + `"}`},
		{"POST", "/v1/admin/login-emails", `{"contactId":"` + id + `"}`},
		{"POST", "/v1/admin/links", `{"contactId":"` + id + `","send":"none"}`},
		{"POST", "/v1/admin/sessions/revoke", `{"contactId":"` + id + `"}`},
	} {
		t.Run(rt.method+" "+rt.path+" "+rt.body, func(t *testing.T) {
			checkError(t, e.admin(rt.method, rt.path, rt.body, beta), http.StatusNotFound, string(login.CodeNotFound))
		})
	}
	w := e.admin("GET", "/v1/admin/contacts?email=ana@example.com", "", beta)
	if w.Code != http.StatusOK || strings.Contains(w.Body.String(), id) {
		t.Errorf("beta's search for ana: %d %s; want no contacts", w.Code, w.Body)
	}
	if got := e.sessionStatus(tok); got != http.StatusOK {
		t.Errorf("ana's session after beta's calls: %d; want 200", got)
	}
	var c httpapi.ContactJSON
	decode(t, e.admin("GET", "/v1/admin/contacts/"+id, "").Body.Bytes(), &c)
	if c.Name != nil || c.PortalAccess != "active" || c.Email == nil || *c.Email != "ana@example.com" {
		t.Errorf("beta's calls changed the contact: %+v", c)
	}
}

// TestAdminConflict: an email is unique within a tenant only.
func TestAdminConflict(t *testing.T) {
	e := newEnv(t)
	beta := e.tenant("beta", "Beta", "https://portal.beta.example")
	if w := e.admin("POST", "/v1/admin/contacts", `{"email":"ana@example.com","name":"Ana"}`); w.Code != http.StatusCreated {
		t.Fatalf("create: status %d (%s)", w.Code, w.Body)
	}
	checkError(t, e.admin("POST", "/v1/admin/contacts", `{"email":"ANA@example.com"}`), http.StatusConflict, string(login.CodeConflict))
	w := e.admin("POST", "/v1/admin/contacts", `{"email":"bob@example.com"}`)
	var bob httpapi.ContactJSON
	decode(t, w.Body.Bytes(), &bob)
	checkError(t, e.admin("PATCH", "/v1/admin/contacts/"+bob.ID, `{"email":"ana@example.com"}`), http.StatusConflict, string(login.CodeConflict))
	if w := e.admin("POST", "/v1/admin/contacts", `{"email":"ana@example.com"}`, beta); w.Code != http.StatusCreated {
		t.Errorf("the same email in another tenant: status %d; want 201 (%s)", w.Code, w.Body)
	}
}

// TestAuditTypeFilter: a known type filters; an unknown one is a 400 that
// does not repeat it.
func TestAuditTypeFilter(t *testing.T) {
	e := newEnv(t)
	if w := e.admin("POST", "/v1/admin/contacts", `{"email":"ana@example.com"}`); w.Code != http.StatusCreated {
		t.Fatalf("create: status %d (%s)", w.Code, w.Body)
	}
	w := e.admin("GET", "/v1/admin/audit?type="+string(login.EventContactCreated), "")
	var got struct{ Events []httpapi.EventJSON }
	decode(t, w.Body.Bytes(), &got)
	if w.Code != http.StatusOK || len(got.Events) != 1 || got.Events[0].Type != login.EventContactCreated {
		t.Errorf("audit?type=contact.created: %d %s; want the one contact.created", w.Code, w.Body)
	}
	for _, typ := range []string{"login.nope", "LOGOUT", "<script>"} {
		w := e.admin("GET", "/v1/admin/audit?type="+url.QueryEscape(typ), "")
		checkError(t, w, http.StatusBadRequest, string(login.CodeInvalidRequest))
		if strings.Contains(w.Body.String(), typ) {
			t.Errorf("audit?type=%s: the error repeats the filter: %s", typ, w.Body)
		}
	}
}

// TestPatchEndsSessions: a new email or phone ends the contact's sessions
// and login link; disabling ends them too; a new name ends nothing.
func TestPatchEndsSessions(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		ends       bool
	}{
		{"new email", `{"email":"ana.new@example.com"}`, true},
		{"new phone", `{"phone":"+14155550123"}`, true},
		{"disabled", `{"portalAccess":"disabled"}`, true},
		{"new name", `{"name":"Ana"}`, false},
		{"same email", `{"email":"ana@example.com"}`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			id := e.invite("ana@example.com")
			sess := e.login("ana@example.com")
			e.requestLogin(`{"identifier":"ana@example.com"}`)
			link, code := e.lastLogin()
			e.clock.Advance(time.Second)
			if w := e.admin("PATCH", "/v1/admin/contacts/"+id, tc.body); w.Code != http.StatusOK {
				t.Fatalf("PATCH: status %d (%s)", w.Code, w.Body)
			}
			wantSession, wantLink := http.StatusOK, http.StatusOK
			if tc.ends {
				wantSession, wantLink = http.StatusUnauthorized, http.StatusGone
			}
			if got := e.sessionStatus(sess); got != wantSession {
				t.Errorf("session: %d; want %d", got, wantSession)
			}
			if tc.ends {
				checkError(t, e.do(jsonReq("POST", "/v1/login/code", codeBody("ana@example.com", code))), 400, string(login.CodeInvalidCode))
			}
			if w := e.redeemJSON(link); w.Code != wantLink {
				t.Errorf("login link: %d; want %d (%s)", w.Code, wantLink, w.Body)
			}
			if tc.name == "disabled" {
				n := len(e.email.Messages())
				e.requestLogin(`{"identifier":"ana@example.com"}`)
				if len(e.email.Messages()) != n {
					t.Errorf("a disabled contact was sent a login email")
				}
			}
		})
	}
}

// TestPatchEndsSessionsSameInstant: a session is ended by an email change
// made in the same clock reading as its login.
func TestPatchEndsSessionsSameInstant(t *testing.T) {
	e := newEnv(t)
	id := e.invite("ana@example.com")
	sess := e.login("ana@example.com")
	if w := e.admin("PATCH", "/v1/admin/contacts/"+id, `{"email":"ana.new@example.com"}`); w.Code != http.StatusOK {
		t.Fatalf("PATCH: status %d (%s)", w.Code, w.Body)
	}
	if got := e.sessionStatus(sess); got != http.StatusUnauthorized {
		t.Errorf("session after the email change: %d; want 401", got)
	}
}

// TestInvite: an invite answers 201 with its delivery; its link logs in
// with via invite and makes the contact active.
func TestInvite(t *testing.T) {
	e := newEnv(t)
	w := e.admin("POST", "/v1/admin/invites", `{"email":"Ana@Example.com","name":"Ana"}`)
	if w.Code != http.StatusCreated {
		t.Fatalf("invite: status %d (%s)", w.Code, w.Body)
	}
	var out struct {
		Contact  httpapi.ContactJSON `json:"contact"`
		Delivery map[string]string   `json:"delivery"`
	}
	decode(t, w.Body.Bytes(), &out)
	if out.Contact.PortalAccess != "invited" || out.Contact.Email == nil || *out.Contact.Email != "ana@example.com" {
		t.Errorf("contact = %+v; want ana@example.com invited", out.Contact)
	}
	if out.Delivery["channel"] != "email" || out.Delivery["status"] != "sent" || len(out.Delivery) != 2 {
		t.Errorf("delivery = %v; want email sent", out.Delivery)
	}
	m := e.email.Last()
	if m.Kind != login.KindInvite || m.To != "ana@example.com" || !strings.HasPrefix(m.Link, baseURL+"/v1/login/redeem?token=") {
		t.Fatalf("invite message = %+v", m)
	}
	if strings.Contains(w.Body.String(), m.Link[len(baseURL+"/v1/login/redeem?token="):]) {
		t.Errorf("the invite answer holds the link's token")
	}
	tok, _ := e.lastLogin()
	w = e.redeemJSON(tok)
	if w.Code != http.StatusOK {
		t.Fatalf("redeem invite: status %d (%s)", w.Code, w.Body)
	}
	var got struct {
		Session struct{ Via string } `json:"session"`
	}
	decode(t, w.Body.Bytes(), &got)
	if got.Session.Via != "invite" {
		t.Errorf("via = %q; want invite", got.Session.Via)
	}
	var c httpapi.ContactJSON
	decode(t, e.admin("GET", "/v1/admin/contacts/"+out.Contact.ID, "").Body.Bytes(), &c)
	if c.PortalAccess != "active" {
		t.Errorf("portalAccess after the first login = %q; want active", c.PortalAccess)
	}
	checkError(t, e.redeemJSON(tok), http.StatusGone, string(login.CodeLinkInvalid))
}

// TestInviteDeliveryFailed: a refused send is 502 delivery_failed, with
// nothing of the provider's error shown.
func TestInviteDeliveryFailed(t *testing.T) {
	e := newEnv(t)
	e.email.SetFail(errors.New("provider says: quota exceeded for secret-account-42"))
	w := e.admin("POST", "/v1/admin/invites", `{"email":"ana@example.com"}`)
	checkError(t, w, http.StatusBadGateway, string(login.CodeDeliveryFailed))
	if strings.Contains(w.Body.String(), "secret-account-42") {
		t.Errorf("the answer shows the provider's error: %s", w.Body)
	}
}

// TestLoginEndsInvite: a login ends every other outstanding one-time link
// of the contact, here the invite.
func TestLoginEndsInvite(t *testing.T) {
	e := newEnv(t)
	e.invite("ana@example.com")
	invite, _ := e.lastLogin()
	e.login("ana@example.com")
	checkError(t, e.redeemJSON(invite), http.StatusGone, string(login.CodeLinkInvalid))
}
