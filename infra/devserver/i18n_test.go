package main

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/portalpass/portalpass/infra/devserver/server"
)

// TestLanguages: on the dev server, a tenant offering Spanish and French
// sends the login email of a Spanish request in Spanish, an admin send
// to a contact whose locale is French in French, and shows its login
// page in the browser's language.
func TestLanguages(t *testing.T) {
	srv, err := server.Start(context.Background(), server.Options{APIKey: testKey, EmailFrom: "login@example.com", Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	c := newClient(t, srv.URL)
	var lingo struct {
		APIKey string `json:"apiKey"`
	}
	body := map[string]any{"id": "lingo", "name": "Lingo", "settings": map[string]any{"locales": []string{"en", "es", "fr"}}}
	if s := c.do("POST", "/dev/tenants", "", body, &lingo); s != 201 {
		t.Fatalf("dev tenant = %d", s)
	}
	newest := func(to string) (subject, text, html string) {
		t.Helper()
		var box struct {
			Messages []struct{ To, Subject, Text, HTML string } `json:"messages"`
		}
		c.do("GET", "/dev/inbox", "", nil, &box)
		for _, m := range box.Messages {
			if m.To == to {
				return m.Subject, m.Text, m.HTML
			}
		}
		t.Fatalf("no message to %s in the dev inbox", to)
		return
	}

	if s := c.do("POST", "/v1/admin/invites", lingo.APIKey, map[string]string{"email": "ana@example.com"}, nil); s != 201 {
		t.Fatalf("invite = %d", s)
	}
	req := map[string]string{"identifier": "ana@example.com", "tenant": "lingo", "locale": "es"}
	if s := c.do("POST", "/v1/login/request", "", req, nil); s != 202 {
		t.Fatalf("request = %d", s)
	}
	subject, text, html := newest("ana@example.com")
	if subject != "Su enlace de acceso a Lingo" || !strings.Contains(text, "O introduzca este código:") ||
		!strings.Contains(text, "Este enlace caduca en 10 minutos.") || !strings.Contains(html, `<html lang="es">`) {
		t.Errorf("Spanish request: subject %q\n%s", subject, text)
	}

	var created struct{ ID string }
	if s := c.do("POST", "/v1/admin/contacts", lingo.APIKey, map[string]string{"email": "luc@example.com", "locale": "fr"}, &created); s != 201 {
		t.Fatalf("create contact = %d", s)
	}
	if s := c.do("PATCH", "/v1/admin/contacts/"+created.ID, lingo.APIKey, map[string]string{"portalAccess": "active"}, nil); s != 200 {
		t.Fatalf("activate = %d", s)
	}
	if s := c.do("POST", "/v1/admin/login-emails", lingo.APIKey, map[string]string{"contactId": created.ID}, nil); s/100 != 2 {
		t.Fatalf("login email = %d", s)
	}
	subject, text, _ = newest("luc@example.com")
	if subject != "Votre lien de connexion à Lingo" || !strings.Contains(text, "Si vous ne l'avez pas demandé") {
		t.Errorf("admin send to a French contact: subject %q\n%s", subject, text)
	}

	// The hosted page: Accept-Language within the tenant's locales.
	r, _ := http.NewRequest("GET", srv.URL+"/login?tenant=lingo", nil)
	r.Header.Set("Accept-Language", "fr-CA,fr;q=0.9")
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	page, _ := io.ReadAll(resp.Body)
	if !strings.Contains(string(page), `<html lang="fr">`) || !strings.Contains(string(page), "Se connecter à Lingo") {
		t.Errorf("login page for fr-CA:\n%s", page)
	}
	// The form sends the page's language, and the email follows it.
	form := url.Values{"identifier": {"ana@example.com"}, "tenant": {"lingo"}, "lang": {"fr"}}
	r, _ = http.NewRequest("POST", srv.URL+"/login", strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Origin", srv.URL)
	resp2, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	resp2.Body.Close()
	if subject, _, _ := newest("ana@example.com"); subject != "Votre lien de connexion à Lingo" {
		t.Errorf("email after the French form: subject %q", subject)
	}
}
