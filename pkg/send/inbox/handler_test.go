package inbox_test

import (
	"context"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/message"
	"github.com/portalpass/portalpass/pkg/send/inbox"
)

func get(h http.Handler, method, target string) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(method, target, nil))
	return w
}

const (
	notFound    = `{"error":{"code":"not_found","message":"Not found."}}`
	notAllowed  = `{"error":{"code":"method_not_allowed","message":"Method not allowed."}}`
	contentJSON = "application/json"
	contentHTML = "text/html; charset=utf-8"
	csp         = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"
)

func TestHandlerRoutes(t *testing.T) {
	h := inbox.New().Handler()
	tests := []struct {
		name        string
		method      string
		target      string
		wantStatus  int
		wantType    string
		wantBody    string // "": not checked
		wantAllow   string
		wantFraming bool // CSP and X-Frame-Options
	}{
		{"json", "GET", "/dev/inbox", 200, contentJSON, `{"messages":[]}`, "", false},
		{"json head", "HEAD", "/dev/inbox", 200, contentJSON, "", "", false},
		{"json query ignored", "GET", "/dev/inbox?x=1", 200, contentJSON, `{"messages":[]}`, "", false},
		{"html", "GET", "/dev/inbox.html", 200, contentHTML, "", "", true},
		{"html head", "HEAD", "/dev/inbox.html", 200, contentHTML, "", "", true},
		{"post json", "POST", "/dev/inbox", 405, contentJSON, notAllowed, "GET, HEAD", false},
		{"delete html", "DELETE", "/dev/inbox.html", 405, contentJSON, notAllowed, "GET, HEAD", false},
		{"options", "OPTIONS", "/dev/inbox", 405, contentJSON, notAllowed, "GET, HEAD", false},
		{"unknown path", "GET", "/dev/inboxes", 404, contentJSON, notFound, "", false},
		{"trailing slash", "GET", "/dev/inbox/", 404, contentJSON, notFound, "", false},
		{"root", "GET", "/", 404, contentJSON, notFound, "", false},
		{"unknown path post", "POST", "/dev/other", 404, contentJSON, notFound, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := get(h, tt.method, tt.target)
			if w.Code != tt.wantStatus {
				t.Errorf("status = %d; want %d", w.Code, tt.wantStatus)
			}
			if got := w.Header().Get("Content-Type"); got != tt.wantType {
				t.Errorf("Content-Type = %q; want %q", got, tt.wantType)
			}
			if got := strings.TrimSpace(w.Body.String()); tt.wantBody != "" && got != tt.wantBody {
				t.Errorf("body = %s; want %s", got, tt.wantBody)
			}
			if got := w.Header().Get("Allow"); got != tt.wantAllow {
				t.Errorf("Allow = %q; want %q", got, tt.wantAllow)
			}
			if got := w.Header().Get("Cache-Control"); got != "no-store" {
				t.Errorf("Cache-Control = %q; want no-store", got)
			}
			if got := w.Header().Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("X-Content-Type-Options = %q; want nosniff", got)
			}
			if !tt.wantFraming {
				return
			}
			if got := w.Header().Get("Content-Security-Policy"); got != csp {
				t.Errorf("Content-Security-Policy = %q; want %q", got, csp)
			}
			if got := w.Header().Get("X-Frame-Options"); got != "DENY" {
				t.Errorf("X-Frame-Options = %q; want DENY", got)
			}
		})
	}
}

func TestHandlerHeadHasNoBody(t *testing.T) {
	b := inbox.New()
	_ = b.Send(context.Background(), email("ana@example.com"))
	srv := httptest.NewServer(b.Handler())
	defer srv.Close()
	for _, path := range []string{inbox.PathJSON, inbox.PathHTML} {
		resp, err := http.Head(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || len(body) != 0 {
			t.Errorf("HEAD %s = %d with %d bytes; want 200 with none", path, resp.StatusCode, len(body))
		}
	}
}

func TestHandlerJSON(t *testing.T) {
	b := inbox.New()
	_ = b.Send(context.Background(), email("ana@example.com"))
	_ = b.Send(context.Background(), sms("+14155550100"))
	w := get(b.Handler(), "GET", inbox.PathJSON)
	var got struct {
		Messages []inbox.Entry `json:"messages"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
		t.Fatalf("decode %s: %v", w.Body, err)
	}
	if want := b.Messages(); !reflect.DeepEqual(got.Messages, want) {
		t.Errorf("messages = %+v; want %+v", got.Messages, want)
	}
	// The JSON names of API.md; subject and html only for email.
	var raw struct {
		Messages []map[string]any `json:"messages"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &raw); err != nil {
		t.Fatal(err)
	}
	keys := func(m map[string]any) []string {
		var out []string
		for _, k := range []string{"channel", "to", "subject", "text", "html", "at"} {
			if _, ok := m[k]; ok {
				out = append(out, k)
			}
		}
		return out
	}
	if got, want := keys(raw.Messages[0]), []string{"channel", "to", "text", "at"}; !reflect.DeepEqual(got, want) {
		t.Errorf("sms keys = %v; want %v", got, want)
	}
	if got, want := keys(raw.Messages[1]), []string{"channel", "to", "subject", "text", "html", "at"}; !reflect.DeepEqual(got, want) {
		t.Errorf("email keys = %v; want %v", got, want)
	}
}

func TestHandlerHTML(t *testing.T) {
	const evil = `<script>alert(1)</script>`
	tests := []struct {
		name   string
		m      login.Message
		want   []string
		absent []string
	}{
		{
			name: "email link clickable",
			m:    email("ana@example.com"),
			want: []string{
				`<a href="` + html.EscapeString(link) + `">` + html.EscapeString(link) + `</a>`,
				"Your login link for Acme", "ana@example.com", "Or enter this code: 123456",
			},
		},
		{
			name: "sms link clickable",
			m: login.Message{Channel: login.ChannelSMS, To: "+14155550100", Kind: login.KindLogin,
				TenantName: "Acme", Link: link, Code: "654321", TTL: 600e9},
			want: []string{`Or tap <a href="` + html.EscapeString(link) + `">`, "14155550100", "(expires in 10 minutes)"},
		},
		{
			name:   "escaped",
			m:      login.Message{Channel: login.ChannelEmail, To: `"<b>"@example.com`, TenantName: evil, Link: link, Code: "1"},
			want:   []string{"&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;b&gt;"},
			absent: []string{"<script", "<b>"},
		},
		{
			name:   "only http links",
			m:      login.Message{Channel: login.ChannelSMS, To: "+14155550100", TenantName: "Acme", Link: "javascript:alert(1)", Code: "1"},
			absent: []string{`href="javascript:`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := inbox.New()
			if err := b.Send(context.Background(), tt.m); err != nil {
				t.Fatal(err)
			}
			page := get(b.Handler(), "GET", inbox.PathHTML).Body.String()
			for _, w := range tt.want {
				if !strings.Contains(page, w) {
					t.Errorf("page lacks %q:\n%s", w, page)
				}
			}
			for _, a := range append(tt.absent, "<script", "src=", "<link", "<iframe", "@import", "url(") {
				if strings.Contains(page, a) {
					t.Errorf("page holds %q:\n%s", a, page)
				}
			}
		})
	}
}

func TestHandlerHTMLEmpty(t *testing.T) {
	page := get(inbox.New().Handler(), "GET", inbox.PathHTML).Body.String()
	if !strings.Contains(page, "No messages yet.") {
		t.Errorf("empty page lacks its note:\n%s", page)
	}
}

// TestHandlerHTMLPart: an email's HTML part is served as sent, under a
// sandboxed CSP that allows its inline styles and our own images only;
// the list links to it; an SMS, an unknown id or a bad path is a 404.
func TestHandlerHTMLPart(t *testing.T) {
	b := inbox.New()
	for _, m := range []login.Message{email("ana@example.com"), sms("+14155550100")} {
		if err := b.Send(context.Background(), m); err != nil {
			t.Fatal(err)
		}
	}
	_, _, want := message.Email(email("ana@example.com"))
	w := get(b.Handler(), "GET", inbox.PathPart+"1.html")
	if w.Code != http.StatusOK || w.Body.String() != want {
		t.Fatalf("GET /dev/inbox/1.html = %d %q; want 200 and the HTML part", w.Code, w.Body.String())
	}
	if csp := w.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "sandbox") || !strings.Contains(csp, "img-src 'self'") || strings.Contains(csp, "script") {
		t.Errorf("CSP = %q", csp)
	}
	if page := get(b.Handler(), "GET", inbox.PathHTML).Body.String(); !strings.Contains(page, `href="/dev/inbox/1.html"`) || strings.Contains(page, `href="/dev/inbox/2.html"`) {
		t.Errorf("the list links to the email's HTML part only:\n%s", page)
	}
	for _, p := range []string{"2.html", "3.html", "0.html", "x.html", "1", "1.html/", "-1.html", "99999999999999999999.html"} {
		if w := get(b.Handler(), "GET", inbox.PathPart+p); w.Code != http.StatusNotFound {
			t.Errorf("GET %s%s = %d; want 404", inbox.PathPart, p, w.Code)
		}
	}
}
