package main

import (
	"bytes"
	"encoding/json"
	"html/template"
	"net/http"
)

// view is what the page template shows.
type view struct {
	Title    string
	Who      *Who   // the logged-in contact, or nil
	LoginURL string // the hosted login page (key mode)
	PKCE     bool   // show the portal's own login form
	Sent     bool   // a PKCE login was just requested
	Error    string // a message for people, never a secret
}

var pageTmpl = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title></head><body>
<h1>{{.Title}}</h1>
{{with .Error}}<p id="error" role="alert">{{.}}</p>{{end}}
{{- with .Who}}
<p id="who">Logged in to <strong>{{.Tenant.Name}}</strong> as <strong>{{or .Contact.Name .Contact.Email .Contact.Phone}}</strong>
{{- with .Contact.Email}} &lt;{{.}}&gt;{{end}}{{with .Contact.Phone}} ({{.}}){{end}},
via {{.Via}}, until {{.ExpiresAt.Format "2006-01-02 15:04 MST"}}.</p>
<p><a href="/me.json">Show a verified JWT's claims</a></p>
<form method="post" action="/logout"><button type="submit">Log out</button></form>
{{- else}}{{if .Sent}}
<p id="sent">Check your email or phone: open the link on this device and browser to log in.</p>
{{- else if .PKCE}}
<form method="post" action="/login">
<label for="identifier">Email or phone</label>
<input id="identifier" name="identifier" type="text" autocomplete="username" required>
<button type="submit">Send me a login link</button>
</form>
{{- else if .LoginURL}}
<p id="who">Not logged in. <a href="{{.LoginURL}}">Log in</a></p>
{{- end}}{{end}}
</body></html>
`))

// render writes the page with headers that keep it private: no caching
// (it shows who is logged in), no framing, no referrer (the callback's
// URL carries a one-time code), nothing loaded from anywhere.
func render(w http.ResponseWriter, status int, v view) {
	var buf bytes.Buffer
	if err := pageTmpl.Execute(&buf, v); err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", "default-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// writeJSON answers v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// jsonError answers an error in the API's shape.
func jsonError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, map[string]any{"error": map[string]string{"code": code, "message": msg}})
}
