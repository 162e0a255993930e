package apitest_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/portalpass/portalpass/pkg/apitest"
)

// recorder is a testing.TB that keeps the errors a check reports instead
// of failing the test; Fatalf still fails it.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func (r *recorder) Error(args ...any) { r.errs = append(r.errs, fmt.Sprint(args...)) }

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	io.WriteString(w, body)
}

func writeHTML(w http.ResponseWriter, status int) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	io.WriteString(w, "<!doctype html><title>Log in</title>")
}

// sent is the correct answer to POST /v1/login/request.
func sent(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: "pp_req", Value: "x", Path: "/", HttpOnly: true})
	writeJSON(w, http.StatusAccepted, `{"status":"sent"}`)
}

const contactJSON = `{"id":"cabc","email":"ana@example.com","phone":null,"name":null,` +
	`"portalAccess":"active","createdAt":"2026-01-02T03:04:05Z","updatedAt":"2026-01-02T03:04:05.123456789Z"}`

func newRequest(method, path, contentType, body string) func(base string) *http.Request {
	return func(base string) *http.Request {
		var rd io.Reader
		if body != "" {
			rd = strings.NewReader(body)
		}
		req, err := http.NewRequest(method, base+path, rd)
		if err != nil {
			panic(err)
		}
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		return req
	}
}

func TestCheck(t *testing.T) {
	const jsonCT, formCT = "application/json", "application/x-www-form-urlencoded"
	tests := []struct {
		name    string
		req     func(base string) *http.Request
		serve   http.HandlerFunc
		wantErr string // "": the exchange matches; else a part of the message
	}{
		{"login request sent",
			newRequest("POST", "/v1/login/request", jsonCT, `{"identifier":"ana@example.com","tenant":"acme","redirect":"/invoices/42"}`),
			sent, ""},
		{"login request without its cookie",
			newRequest("POST", "/v1/login/request", jsonCT, `{"identifier":"ana@example.com"}`),
			func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 202, `{"status":"sent"}`) },
			"Set-Cookie"},
		{"login request wrong body",
			newRequest("POST", "/v1/login/request", jsonCT, `{"identifier":"ana@example.com"}`),
			func(w http.ResponseWriter, r *http.Request) {
				http.SetCookie(w, &http.Cookie{Name: "pp_req", Value: "x"})
				writeJSON(w, 202, `{"status":"queued"}`)
			},
			"response"},
		{"session with a wrong body",
			newRequest("GET", "/v1/session", "", ""),
			func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, 200, `{"tenant":{"id":"acme"},"contact":{"id":"c1"},"expiresAt":"2026-01-01T00:00:00Z","via":"magic"}`)
			},
			"response body doesn't match"},
		{"session",
			newRequest("GET", "/v1/session", "", ""),
			func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, 200, `{"tenant":{"id":"acme","name":"Acme"},"contact":{"id":"c1","name":null,"email":"ana@example.com","phone":null},"expiresAt":"2026-01-01T00:00:00Z","via":"link"}`)
			},
			""},
		{"no session",
			newRequest("GET", "/v1/session", "", ""),
			func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, 401, `{"error":{"code":"no_session","message":"You are not logged in."}}`)
			},
			""},
		{"error with a code of another status",
			newRequest("GET", "/v1/session", "", ""),
			func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, 401, `{"error":{"code":"link_expired","message":"x"}}`)
			},
			"response body doesn't match"},
		{"undocumented status",
			newRequest("GET", "/v1/session", "", ""),
			func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 418, `{}`) },
			"status 418 is not documented"},
		{"unknown route",
			newRequest("GET", "/v1/nope?token=secret", "", ""),
			func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, 404, `{"error":{"code":"not_found","message":"No such route."}}`)
			},
			"GET /v1/nope → 404"},
		{"unknown method",
			newRequest("DELETE", "/v1/session", "", ""),
			func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(204) },
			"no such operation"},
		{"logout 204",
			newRequest("POST", "/v1/logout", "", ""),
			func(w http.ResponseWriter, r *http.Request) {
				http.SetCookie(w, &http.Cookie{Name: "pp_session", MaxAge: -1})
				w.WriteHeader(204)
			},
			""},
		{"unknown field refused",
			newRequest("POST", "/v1/login/request", jsonCT, `{"identifier":"ana@example.com","extra":1}`),
			func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, 400, `{"error":{"code":"invalid_request","message":"unknown field \"extra\""}}`)
			},
			""},
		{"unknown field accepted",
			newRequest("POST", "/v1/login/request", jsonCT, `{"identifier":"ana@example.com","extra":1}`),
			sent, "request body has an error"},
		{"wrong media type refused",
			newRequest("POST", "/v1/login/request", "text/plain", `identifier=ana`),
			func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, 415, `{"error":{"code":"unsupported_media_type","message":"Send JSON."}}`)
			},
			""},
		{"rate limited",
			newRequest("POST", "/v1/login/request", jsonCT, `{"identifier":"ana@example.com"}`),
			func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Retry-After", "30")
				writeJSON(w, 429, `{"error":{"code":"rate_limited","message":"Wait."}}`)
			},
			""},
		{"rate limited without Retry-After",
			newRequest("POST", "/v1/login/request", jsonCT, `{"identifier":"ana@example.com"}`),
			func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, 429, `{"error":{"code":"rate_limited","message":"Wait."}}`)
			},
			"Retry-After"},
		{"login page",
			newRequest("GET", "/login?tenant=acme", "", ""),
			func(w http.ResponseWriter, r *http.Request) { writeHTML(w, 200) },
			""},
		{"login page as JSON",
			newRequest("GET", "/login", "", ""),
			func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, `{}`) },
			"Content-Type"},
		{"login page HEAD",
			newRequest("HEAD", "/login", "", ""),
			func(w http.ResponseWriter, r *http.Request) { writeHTML(w, 200) },
			""},
		{"code form redirects",
			newRequest("POST", "/login/code", formCT, url.Values{"identifier": {"ana@example.com"}, "code": {"123456"}}.Encode()),
			func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, "https://portal.example.com/", http.StatusSeeOther)
			},
			""},
		{"code form wrong code page",
			newRequest("POST", "/login/code", formCT, url.Values{"identifier": {"ana@example.com"}, "code": {"1"}}.Encode()),
			func(w http.ResponseWriter, r *http.Request) { writeHTML(w, 400) },
			""},
		{"redeem form redirect",
			newRequest("POST", "/v1/login/redeem", formCT, "token=abc"),
			func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, "/v1/login/tenants", http.StatusSeeOther)
			},
			""},
		{"redeem JSON picker",
			newRequest("POST", "/v1/login/redeem", jsonCT, `{"token":"abc"}`),
			func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, 200, `{"next":"select_tenant","tenants":[{"id":"acme","name":"Acme"},{"id":"globex","name":"Globex"}]}`)
			},
			""},
		{"redeem JSON expired",
			newRequest("POST", "/v1/login/redeem", jsonCT, `{"token":"abc"}`),
			func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, 410, `{"error":{"code":"link_expired","message":"This link has expired."}}`)
			},
			""},
		{"unknown form field accepted",
			newRequest("POST", "/login/code", formCT, "identifier=ana%40example.com&code=123456&evil=1"),
			func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, "https://portal.example.com/", http.StatusSeeOther)
			},
			`form field "evil" is not in the schema`},
		{"repeated form field accepted",
			newRequest("POST", "/v1/login/redeem", formCT, "token=a&token=b"),
			func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, "https://portal.example.com/", http.StatusSeeOther)
			},
			`form field "token" is repeated`},
		{"bad request answered 500",
			newRequest("POST", "/v1/login/code", jsonCT, `{"identifier":"ana@example.com"}`),
			func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, 500, `{"error":{"code":"internal","message":"Something went wrong."}}`)
			},
			"property \"code\" is missing"},
		{"admin contact",
			newRequest("GET", "/v1/admin/contacts/cabc", "", ""),
			func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, contactJSON) },
			""},
		{"admin contact without nullable fields",
			newRequest("GET", "/v1/admin/contacts/cabc", "", ""),
			func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, 200, `{"id":"cabc","portalAccess":"active","createdAt":"2026-01-02T03:04:05Z","updatedAt":"2026-01-02T03:04:05Z"}`)
			},
			"response body doesn't match"},
		{"admin contacts page",
			newRequest("GET", "/v1/admin/contacts?limit=10&q=an", "", ""),
			func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, 200, `{"contacts":[`+contactJSON+`],"nextCursor":null}`)
			},
			""},
		{"admin limit out of range refused",
			newRequest("GET", "/v1/admin/contacts?limit=500", "", ""),
			func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, 400, `{"error":{"code":"invalid_request","message":"limit must be from 1 to 100"}}`)
			},
			""},
		{"asset",
			newRequest("GET", "/assets/app.css", "", ""),
			func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/css; charset=utf-8")
				io.WriteString(w, "body{}")
			},
			""},
		{"logout 200 with a body",
			newRequest("POST", "/v1/logout", "", ""),
			func(w http.ResponseWriter, r *http.Request) {
				http.SetCookie(w, &http.Cookie{Name: "pp_session", MaxAge: -1})
				w.WriteHeader(200)
				io.WriteString(w, "bye")
			},
			"status 200 is not documented"},
	}
	spec := apitest.Load(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(tt.serve)
			defer srv.Close()
			rec := &recorder{TB: t}
			resp, _ := spec.Do(rec, srv.Client(), tt.req(srv.URL))
			got := strings.Join(rec.errs, "\n")
			if got != "" {
				t.Logf("report: %s", got)
			}
			switch {
			case tt.wantErr == "" && got != "":
				t.Errorf("Do(%s) reported:\n%s\nwant no error", tt.name, got)
			case tt.wantErr != "" && !strings.Contains(got, tt.wantErr):
				t.Errorf("Do(%s) (status %d) reported %q; want an error containing %q", tt.name, resp.StatusCode, got, tt.wantErr)
			}
			if strings.Contains(got, "secret") {
				t.Errorf("the report shows the query: %s", got)
			}
		})
	}
}

// TestServe checks an exchange with a handler run in process.
func TestServe(t *testing.T) {
	spec := apitest.Load(t)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/v1/login/request":
			sent(w, r)
			return
		case "/v1/logout":
			w.Header().Set("Set-Cookie", "pp_session=; Max-Age=0")
			w.WriteHeader(http.StatusNoContent)
			io.WriteString(w, "bye") // a real server drops it; a recorder keeps it
			return
		}
		writeJSON(w, 200, `{"url":42}`)
	})
	tests := []struct {
		name, method, path, body string
		wantErr                  bool
	}{
		{"good", "POST", "/v1/login/request", `{"identifier":"+14155550123"}`, false},
		{"wrong body", "GET", "/v1/admin/portal-link", "", true},
		{"204 with a body", "POST", "/v1/logout", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, tt.path, strings.NewReader(tt.body))
			if tt.body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			rec := &recorder{TB: t}
			resp, body := spec.Serve(rec, h, req)
			if got := len(rec.errs) > 0; got != tt.wantErr {
				t.Errorf("Serve(%s %s) = %d %s, errors %q; want errors: %v", tt.method, tt.path, resp.StatusCode, body, rec.errs, tt.wantErr)
			}
		})
	}
}

// TestDoKeepsBody checks that Do hands back a readable body and does not
// follow redirects.
func TestDoKeepsBody(t *testing.T) {
	spec := apitest.Load(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/login?tenant=acme", http.StatusSeeOther)
	}))
	defer srv.Close()
	req, _ := http.NewRequest("GET", srv.URL+"/p/acme", nil)
	resp, body := spec.Do(t, srv.Client(), req)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("status = %d; want 303 (no redirect followed)", resp.StatusCode)
	}
	again, _ := io.ReadAll(resp.Body)
	if string(again) != string(body) {
		t.Errorf("resp.Body = %q; want %q", again, body)
	}
}
