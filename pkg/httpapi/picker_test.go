package httpapi_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/portalpass/portalpass/pkg/login"
)

type pickAnswer struct {
	Next    string `json:"next"`
	Tenants []struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"tenants"`
}

func (p pickAnswer) ids() string {
	var ids []string
	for _, t := range p.Tenants {
		ids = append(ids, t.ID+"="+t.Name)
	}
	return strings.Join(ids, ",")
}

// pickerEnv has ana invited in acme and beta and her login link.
func pickerEnv(t *testing.T) (*env, string, string) {
	t.Helper()
	e := newEnv(t)
	betaKey := e.tenant("beta", "Beta", "https://portal.beta.example")
	e.invite("ana@example.com")
	e.invite("ana@example.com", betaKey)
	e.requestLogin(`{"identifier":"ana@example.com","redirect":"/invoices/42"}`)
	tok, code := e.lastLogin()
	return e, tok, code
}

// TestPicker: a contact of two tenants redeems into the tenant picker,
// then picks one tenant and gets a session there only.
func TestPicker(t *testing.T) {
	e, tok, _ := pickerEnv(t)
	w := e.redeemJSON(tok)
	if w.Code != http.StatusOK {
		t.Fatalf("redeem: status %d; want 200 (%s)", w.Code, w.Body)
	}
	var got pickAnswer
	decode(t, w.Body.Bytes(), &got)
	if got.Next != "select_tenant" || got.ids() != "acme=Acme,beta=Beta" {
		t.Fatalf("redeem = %s; want select_tenant with acme and beta", w.Body)
	}
	if c := cookie(w, sessionCookie); c != nil && c.Value != "" {
		t.Errorf("the picker set a session cookie")
	}
	pick := cookie(w, pickerCookie)
	if pick == nil || pick.Value == "" || !pick.HttpOnly || !pick.Secure || pick.Path != "/" || pick.Domain != "" {
		t.Fatalf("picker cookie = %v; want a __Host- cookie", pick)
	}
	checkError(t, e.redeemJSON(tok), http.StatusGone, string(login.CodeLinkInvalid))

	list := req("GET", "/v1/login/tenants", "", "Accept", "application/json")
	list.AddCookie(pick)
	w = e.do(list)
	var listed pickAnswer
	decode(t, w.Body.Bytes(), &listed)
	if w.Code != http.StatusOK || listed.ids() != "acme=Acme,beta=Beta" {
		t.Fatalf("GET /v1/login/tenants: %d %s; want acme and beta", w.Code, w.Body)
	}
	page := req("GET", "/v1/login/tenants", "", "Accept", "text/html")
	page.AddCookie(pick)
	w = e.do(page)
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), ">Acme<") || !strings.Contains(w.Body.String(), ">Beta<") {
		t.Fatalf("tenants page: %d; want both names:\n%s", w.Code, w.Body)
	}
	checkError(t, e.do(req("GET", "/v1/login/tenants", "", "Accept", "application/json")), http.StatusGone, string(login.CodeLinkInvalid))

	choose := func(tenant string) *http.Request {
		r := jsonReq("POST", "/v1/login/tenants", `{"tenant":`+quote(tenant)+`}`)
		r.AddCookie(pick)
		return r
	}
	checkError(t, e.do(choose("gamma")), http.StatusNotFound, string(login.CodeNotFound))
	w = e.do(choose("beta"))
	if w.Code != http.StatusOK {
		t.Fatalf("pick beta: status %d; want 200 (%s)", w.Code, w.Body)
	}
	var out struct {
		Session  struct{ Tenant struct{ ID string } } `json:"session"`
		Redirect string                               `json:"redirect"`
	}
	decode(t, w.Body.Bytes(), &out)
	if out.Session.Tenant.ID != "beta" || out.Redirect != "https://portal.beta.example/invoices/42" {
		t.Errorf("pick = %s; want a beta session and its portal", w.Body)
	}
	checkSessionCookie(t, w)
	if c := cookie(w, pickerCookie); c == nil || c.MaxAge >= 0 {
		t.Errorf("the picker cookie was not cleared: %v", c)
	}
	s := req("GET", "/v1/session", "")
	s.AddCookie(cookie(w, sessionCookie))
	var sess struct{ Tenant struct{ ID string } }
	w = e.do(s)
	decode(t, w.Body.Bytes(), &sess)
	if sess.Tenant.ID != "beta" {
		t.Errorf("session tenant = %q; want beta", sess.Tenant.ID)
	}
	checkError(t, e.do(choose("beta")), http.StatusGone, string(login.CodeLinkInvalid))
	checkError(t, e.do(choose("acme")), http.StatusGone, string(login.CodeLinkInvalid))
}

// TestPickerForm: the form flow of the picker, with the same-origin rule.
func TestPickerForm(t *testing.T) {
	e, tok, _ := pickerEnv(t)
	w := e.do(formReq("/v1/login/redeem", url.Values{"token": {tok}}, "Origin", baseURL))
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/v1/login/tenants" {
		t.Fatalf("form redeem: %d to %q; want 303 to /v1/login/tenants", w.Code, w.Header().Get("Location"))
	}
	pick := cookie(w, pickerCookie)
	if pick == nil {
		t.Fatal("no picker cookie")
	}
	cross := formReq("/v1/login/tenants", url.Values{"tenant": {"acme"}}, "Origin", "https://evil.example")
	cross.AddCookie(pick)
	if w := e.do(cross); w.Code != http.StatusForbidden {
		t.Fatalf("cross-site pick: status %d; want 403", w.Code)
	}
	own := formReq("/v1/login/tenants", url.Values{"tenant": {"acme"}}, "Origin", baseURL)
	own.AddCookie(pick)
	w = e.do(own)
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != wantPortal {
		t.Fatalf("pick: %d to %q; want 303 to %s", w.Code, w.Header().Get("Location"), wantPortal)
	}
	checkSessionCookie(t, w)
}

// TestPickerCode: the code of a two-tenant attempt leads to the picker
// too, or straight into the tenant it names.
func TestPickerCode(t *testing.T) {
	e, tok, code := pickerEnv(t)
	w := e.do(jsonReq("POST", "/v1/login/code", `{"identifier":"ana@example.com","code":"`+code+`","tenant":"beta"}`))
	if w.Code != http.StatusOK {
		t.Fatalf("code for beta: status %d; want 200 (%s)", w.Code, w.Body)
	}
	var out struct {
		Session struct{ Tenant struct{ ID string } } `json:"session"`
	}
	decode(t, w.Body.Bytes(), &out)
	if out.Session.Tenant.ID != "beta" {
		t.Errorf("code for beta = %s; want a beta session", w.Body)
	}
	checkError(t, e.redeemJSON(tok), http.StatusGone, string(login.CodeLinkInvalid))
}
