package inbox

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

// Paths the Handler serves.
const (
	PathJSON = "/dev/inbox"
	PathHTML = "/dev/inbox.html"
	// PathPart prefixes an email's HTML part: /dev/inbox/{id}.html.
	PathPart = "/dev/inbox/"
)

// csp lets the page use its own inline styles and nothing else: no
// scripts, no loads, no framing.
const csp = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"

// partCSP shows an email's HTML part as a mail client would: its inline
// styles and images from our own origin (the logo), sandboxed, so that
// nothing in it runs.
const partCSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'; sandbox"

// Handler serves GET and HEAD of PathJSON, {"messages": [...]} newest
// first, of PathHTML, the same messages on a page for people, and of
// PathPart{id}.html, the HTML part of one email as it was sent. Any other
// path is a 404 and any other method a 405, both JSON errors.
func (b *Inbox) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Cache-Control", "no-store")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		part, isPart := partID(r.URL.Path)
		if r.URL.Path != PathJSON && r.URL.Path != PathHTML && !isPart {
			writeError(w, http.StatusNotFound, "not_found", "Not found.")
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			h.Set("Allow", "GET, HEAD")
			writeError(w, http.StatusMethodNotAllowed, "method_not_allowed", "Method not allowed.")
			return
		}
		if isPart {
			e, ok := b.Message(part)
			if !ok || e.HTML == "" {
				writeError(w, http.StatusNotFound, "not_found", "No email with an HTML part has that id (the inbox keeps the last 500 messages).")
				return
			}
			h.Set("Content-Type", "text/html; charset=utf-8")
			h.Set("Content-Security-Policy", partCSP)
			h.Set("X-Frame-Options", "DENY")
			w.WriteHeader(http.StatusOK)
			_, _ = w.Write([]byte(e.HTML))
			return
		}
		msgs := b.Messages()
		if r.URL.Path == PathJSON {
			writeJSON(w, http.StatusOK, struct {
				Messages []Entry `json:"messages"`
			}{msgs})
			return
		}
		var buf bytes.Buffer
		if err := page.Execute(&buf, view(msgs)); err != nil {
			writeError(w, http.StatusInternalServerError, "internal", "Something went wrong on our side. Please try again.")
			return
		}
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Frame-Options", "DENY")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(buf.Bytes())
	})
}

// partID reads the id of PathPart{id}.html.
func partID(path string) (int64, bool) {
	rest, ok := strings.CutPrefix(path, PathPart)
	if !ok {
		return 0, false
	}
	digits, ok := strings.CutSuffix(rest, ".html")
	if !ok || digits == "" || len(digits) > 18 || strings.Trim(digits, "0123456789") != "" {
		return 0, false
	}
	id, err := strconv.ParseInt(digits, 10, 64)
	return id, err == nil
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	type body struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	}
	writeJSON(w, status, struct {
		Error body `json:"error"`
	}{body{code, msg}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"error":{"code":"internal","message":"Something went wrong on our side. Please try again."}}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}
