package httpapi_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/portalpass/portalpass/pkg/httpapi"
	"github.com/portalpass/portalpass/pkg/message"
)

// setLocales sets acme's locales setting.
func (e *env) setLocales(locales string) {
	e.t.Helper()
	if w := e.admin(http.MethodPatch, "/v1/admin/settings", `{"locales":`+locales+`}`); w.Code != http.StatusOK {
		e.t.Fatalf("PATCH locales %s: %d %s", locales, w.Code, w.Body)
	}
}

// TestPageLanguage: a page picks its language from Accept-Language within
// the tenant's locales (any shipped one on the generic /login), ?lang=
// overrides, and <html lang> says which.
func TestPageLanguage(t *testing.T) {
	e := newEnv(t)
	e.setLocales(`["en","es","de"]`)
	tests := []struct {
		name, target, accept string
		lang, text           string
	}{
		{"Accept-Language es", "/login?tenant=acme", "es-MX,es;q=0.9,en;q=0.8", "es", "Iniciar sesión en Acme"},
		{"q-values", "/login?tenant=acme", "en;q=0.2, de;q=0.9, fr", "de", "Bei Acme anmelden"},
		{"?lang overrides", "/login?tenant=acme&lang=de", "es", "de", "Anmeldelink senden"},
		{"?lang region", "/login?tenant=acme&lang=es-AR", "", "es", "Enviarme un enlace de acceso"},
		{"not offered falls back to the default", "/login?tenant=acme", "fr-FR,fr", "en", "Log in to Acme"},
		{"?lang not offered ignored", "/login?tenant=acme&lang=fr", "", "en", "Log in to Acme"},
		{"?lang malformed ignored", "/login?tenant=acme&lang=%3Cb%3E", "es", "es", "Iniciar sesión"},
		{"generic login offers all", "/login", "fr-CA", "fr", "M&#39;envoyer un lien de connexion"},
		{"no header", "/login", "", "en", "Send me a login link"},
		{"wildcard only", "/login", "*", "en", "Send me a login link"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var h []string
			if tt.accept != "" {
				h = []string{"Accept-Language", tt.accept}
			}
			w := e.do(req(http.MethodGet, tt.target, "", h...))
			body := w.Body.String()
			if w.Code != http.StatusOK {
				t.Fatalf("status %d", w.Code)
			}
			if !strings.Contains(body, `<html lang="`+tt.lang+`">`) {
				t.Errorf("page lacks <html lang=%q>:\n%s", tt.lang, body)
			}
			if !strings.Contains(body, tt.text) {
				t.Errorf("page lacks %q:\n%s", tt.text, body)
			}
			if !strings.Contains(body, `name="lang" value="`+tt.lang+`"`) {
				t.Errorf("the form does not carry the page's language:\n%s", body)
			}
		})
	}
	// Another tenant keeps the default: its pages are in English whatever the browser asks.
	e.tenant("bolt", "Bolt", portalURL)
	if body := e.do(req(http.MethodGet, "/login?tenant=bolt", "", "Accept-Language", "es")).Body.String(); !strings.Contains(body, `<html lang="en">`) {
		t.Errorf("a tenant with the default locales shows another language:\n%s", body)
	}
}

// TestLangKeptThroughForm: the language of the login page goes with its
// form: the check page is in it, its links and forms keep it, and the
// message goes out in it.
func TestLangKeptThroughForm(t *testing.T) {
	e := newEnv(t)
	e.setLocales(`["en","de"]`)
	e.invite("ana@example.com")
	w := e.do(formReq("/login", url.Values{"identifier": {"ana@example.com"}, "tenant": {"acme"}, "lang": {"de"}}, "Origin", baseURL))
	body := w.Body.String()
	if w.Code != http.StatusOK || !strings.Contains(body, `<html lang="de">`) || !strings.Contains(body, "Prüfen Sie Ihre E-Mails") {
		t.Fatalf("check page after a German form: %d\n%s", w.Code, body)
	}
	if !strings.Contains(body, `href="/login?tenant=acme&amp;lang=de"`) {
		t.Errorf("the check page's link drops the language:\n%s", body)
	}
	if n := strings.Count(body, `name="lang" value="de"`); n != 2 {
		t.Errorf("%d of the check page's 2 forms carry the language:\n%s", n, body)
	}
	if got := e.email.Last().Locale; got != "de" {
		t.Errorf("message locale = %q; want de", got)
	}
	subject, _, _ := message.Email(e.email.Last())
	if subject != "Ihr Anmeldelink für Acme" {
		t.Errorf("subject = %q; want the German one", subject)
	}
	// A wrong code answers in German too.
	w = e.do(formReq("/login/code", url.Values{"identifier": {"ana@example.com"}, "tenant": {"acme"}, "code": {"000000"}, "lang": {"de"}}, "Origin", baseURL))
	if body := w.Body.String(); !strings.Contains(body, `<html lang="de">`) || !strings.Contains(body, message.T("de", message.PageErrInvalidCode)) {
		t.Errorf("wrong code page: %d\n%s", w.Code, body)
	}
}

// TestRequestLocale: POST /v1/login/request takes an optional locale,
// limited to the tenant's locales; a malformed one is invalid_request.
func TestRequestLocale(t *testing.T) {
	e := newEnv(t)
	e.setLocales(`["es","en"]`)
	e.invite("ana@example.com")
	tests := []struct{ locale, want string }{
		{`"en"`, "en"},
		{`"es-MX"`, "es"},
		{`"fr"`, "es"}, // not offered: the tenant's default
		{`"it"`, "es"}, // not shipped: the same
		{"", "es"},     // none: the default
	}
	for _, tt := range tests {
		body := `{"identifier":"ana@example.com"`
		if tt.locale != "" {
			body += `,"locale":` + tt.locale
		}
		e.requestLogin(body + "}")
		if got := e.email.Last().Locale; got != tt.want {
			t.Errorf("locale %s: message in %q; want %q", tt.locale, got, tt.want)
		}
	}
	for _, bad := range []string{`"español"`, `""`, `"e"`, `"<b>"`, `1`, `["es"]`} {
		w := e.do(jsonReq(http.MethodPost, "/v1/login/request", `{"identifier":"ana@example.com","locale":`+bad+`}`))
		if w.Code != http.StatusBadRequest || errorCode(t, w.Body.Bytes()) != "invalid_request" {
			t.Errorf("locale %s: %d %s; want 400 invalid_request", bad, w.Code, w.Body)
		}
	}
	subject, _, _ := message.Email(e.email.Last())
	if !strings.HasPrefix(subject, "Su enlace de acceso") {
		t.Errorf("subject = %q; want Spanish", subject)
	}
}

// TestContactLocale: a contact's locale is set, shown and cleared, must be
// one the tenant offers, and admin sends go out in it (else the default).
func TestContactLocale(t *testing.T) {
	e := newEnv(t)
	e.setLocales(`["en","fr"]`)
	w := e.admin(http.MethodPost, "/v1/admin/contacts", `{"email":"ana@example.com","locale":"fr"}`)
	if w.Code != http.StatusCreated {
		t.Fatalf("create: %d %s", w.Code, w.Body)
	}
	var c httpapi.ContactJSON
	decode(t, w.Body.Bytes(), &c)
	if c.Locale != "fr" {
		t.Errorf("created contact locale = %q; want fr", c.Locale)
	}
	if w := e.admin(http.MethodGet, "/v1/admin/contacts/"+c.ID, ""); !strings.Contains(w.Body.String(), `"locale":"fr"`) {
		t.Errorf("read contact: %s", w.Body)
	}
	if w := e.admin(http.MethodPatch, "/v1/admin/contacts/"+c.ID, `{"portalAccess":"active"}`); w.Code != http.StatusOK {
		t.Fatalf("activate: %d %s", w.Code, w.Body)
	}
	if w := e.admin(http.MethodPost, "/v1/admin/login-emails", `{"contactId":"`+c.ID+`"}`); w.Code/100 != 2 {
		t.Fatalf("login email: %d %s", w.Code, w.Body)
	}
	m := e.email.Last()
	if m.Locale != "fr" {
		t.Errorf("admin send locale = %q; want fr", m.Locale)
	}
	if subject, _, _ := message.Email(m); subject != "Votre lien de connexion à Acme" {
		t.Errorf("subject = %q; want French", subject)
	}
	for _, bad := range []string{`"de"`, `"it"`, `"FR"`, `5`} {
		if w := e.admin(http.MethodPatch, "/v1/admin/contacts/"+c.ID, `{"locale":`+bad+`}`); w.Code != http.StatusBadRequest {
			t.Errorf("locale %s: %d %s; want 400", bad, w.Code, w.Body)
		}
	}
	if w := e.admin(http.MethodPatch, "/v1/admin/contacts/"+c.ID, `{"locale":""}`); w.Code != http.StatusOK || strings.Contains(w.Body.String(), `"locale"`) {
		t.Errorf("clear locale: %d %s", w.Code, w.Body)
	}
	e.admin(http.MethodPost, "/v1/admin/login-emails", `{"contactId":"`+c.ID+`"}`)
	if got := e.email.Last().Locale; got != "en" {
		t.Errorf("admin send without a contact locale = %q; want the default en", got)
	}
	if w := e.admin(http.MethodPost, "/v1/admin/contacts", `{"email":"bo@example.com","locale":"es"}`); w.Code != http.StatusBadRequest {
		t.Errorf("create with a locale the tenant does not offer: %d %s", w.Code, w.Body)
	}
}

// TestSettingsLocales: the locales setting in the admin API.
func TestSettingsLocales(t *testing.T) {
	e := newEnv(t)
	if w := e.admin(http.MethodGet, "/v1/admin/settings", ""); !strings.Contains(w.Body.String(), `"locales":["en"]`) {
		t.Errorf("default settings: %s", w.Body)
	}
	for _, bad := range []string{`[]`, `["it"]`, `["en","en"]`, `"en"`, `["en","es","de","fr","en"]`} {
		if w := e.admin(http.MethodPatch, "/v1/admin/settings", `{"locales":`+bad+`}`); w.Code != http.StatusBadRequest || errorCode(t, w.Body.Bytes()) != "invalid_request" {
			t.Errorf("locales %s: %d %s; want 400 invalid_request", bad, w.Code, w.Body)
		}
	}
	e.setLocales(`["fr","en"]`)
	if w := e.admin(http.MethodGet, "/v1/admin/settings", ""); !strings.Contains(w.Body.String(), `"locales":["fr","en"]`) {
		t.Errorf("settings after PATCH: %s", w.Body)
	}
}
