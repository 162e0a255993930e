package httpapi_test

import (
	"net/http"
	"testing"
)

// TestSharedCookieDomain: a tenant whose portal shares the API's parent
// domain gets the session as a __Secure- cookie with that Domain, which
// the portal's backend can read; the API accepts it and logout clears it.
func TestSharedCookieDomain(t *testing.T) {
	e := newEnv(t)
	key := e.tenant("sib", "Sibling", "https://portal.example.com/app")
	if w := e.admin(http.MethodPatch, "/v1/admin/settings", `{"cookieDomain":"example.com"}`, key); w.Code != http.StatusOK {
		t.Fatalf("settings = %d %s", w.Code, w.Body)
	}
	if w := e.admin(http.MethodPatch, "/v1/admin/settings", `{"cookieDomain":"not a domain"}`, key); w.Code != http.StatusBadRequest {
		t.Errorf("bad cookieDomain = %d; want 400", w.Code)
	}
	e.invite("sam@example.com", key)
	e.requestLogin(`{"identifier":"sam@example.com"}`)
	tok, _ := e.lastLogin()
	w := e.redeemJSON(tok)
	c := cookie(w, "__Secure-pp_session")
	if w.Code != http.StatusOK || c == nil || c.Domain != "example.com" || !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode {
		t.Fatalf("redeem = %d, shared cookie %+v; want one for Domain example.com", w.Code, c)
	}
	if host := cookie(w, "__Host-pp_session"); host != nil && host.MaxAge >= 0 {
		t.Errorf("a __Host- session cookie was set too: %+v", host)
	}
	r := req(http.MethodGet, "/v1/session", "")
	r.AddCookie(&http.Cookie{Name: "__Secure-pp_session", Value: c.Value})
	if got := e.do(r).Code; got != http.StatusOK {
		t.Fatalf("session by the shared cookie = %d", got)
	}
	r = req(http.MethodPost, "/v1/logout", "", "Sec-Fetch-Site", "same-origin")
	r.AddCookie(&http.Cookie{Name: "__Secure-pp_session", Value: c.Value})
	w = e.do(r)
	if gone := cookie(w, "__Secure-pp_session"); w.Code != http.StatusNoContent || gone == nil || gone.MaxAge >= 0 || gone.Domain != "example.com" {
		t.Errorf("logout = %d, cleared %+v", w.Code, gone)
	}

	// A portal outside the API's domain never gets a Domain cookie.
	e.invite("ana@example.com")
	if w := e.admin(http.MethodPatch, "/v1/admin/settings", `{"cookieDomain":"acme.example"}`); w.Code != http.StatusOK {
		t.Fatal(w.Code)
	}
	e.requestLogin(`{"identifier":"ana@example.com"}`)
	tok, _ = e.lastLogin()
	w = e.redeemJSON(tok)
	if cookie(w, "__Secure-pp_session") != nil || cookie(w, "__Host-pp_session") == nil {
		t.Errorf("a cookieDomain the API is not under must fall back to __Host-: %q", w.Header().Values("Set-Cookie"))
	}
}
