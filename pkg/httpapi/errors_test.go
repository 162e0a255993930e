package httpapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/portalpass/portalpass/pkg/httpapi"
	"github.com/portalpass/portalpass/pkg/login"
)

// jsonRoute is a route that takes a JSON body, with a valid body and the
// name of a string field of it.
type jsonRoute struct {
	method, path, valid, field string
	admin                      bool
	formOK                     bool // it also takes browser forms
}

var jsonRoutes = []jsonRoute{
	{method: "POST", path: "/v1/login/request", valid: `{"identifier":"ana@example.com"}`, field: "identifier"},
	{method: "POST", path: "/v1/login/code", valid: `{"identifier":"ana@example.com","code":"123456"}`, field: "identifier"},
	{method: "POST", path: "/v1/login/redeem", valid: `{"token":"x"}`, field: "token", formOK: true},
	{method: "POST", path: "/v1/login/tenants", valid: `{"tenant":"acme"}`, field: "tenant", formOK: true},
	{method: "POST", path: "/v1/admin/contacts", valid: `{"email":"ana@example.com"}`, field: "email", admin: true},
	{method: "POST", path: "/v1/admin/invites", valid: `{"email":"ana@example.com"}`, field: "email", admin: true},
	{method: "PATCH", path: "/v1/admin/settings", valid: `{"name":"Acme"}`, field: "name", admin: true},
}

// TestDecodeErrors sends every JSON route bodies and media types it must
// refuse: API.md's 400, 413 and 415, never a 500, always the exact body.
func TestDecodeErrors(t *testing.T) {
	big := `{"x":"` + strings.Repeat("a", 16<<10) + `"}`
	cases := []struct {
		name        string
		contentType string
		body        func(r jsonRoute) string
		wantStatus  int
		wantCode    login.Code
	}{
		{"malformed", "application/json", func(r jsonRoute) string { return r.valid[:len(r.valid)-3] }, 400, login.CodeInvalidRequest},
		{"not JSON", "application/json", func(jsonRoute) string { return "hello" }, 400, login.CodeInvalidRequest},
		{"empty", "application/json", func(jsonRoute) string { return "" }, 400, login.CodeInvalidRequest},
		{"array", "application/json", func(jsonRoute) string { return "[]" }, 400, login.CodeInvalidRequest},
		{"string", "application/json", func(jsonRoute) string { return `"x"` }, 400, login.CodeInvalidRequest},
		{"unknown field", "application/json", func(r jsonRoute) string { return r.valid[:len(r.valid)-1] + `,"extra":1}` }, 400, login.CodeInvalidRequest},
		{"unknown field only", "application/json", func(jsonRoute) string { return `{"zzz":"a"}` }, 400, login.CodeInvalidRequest},
		{"wrong type number", "application/json", func(r jsonRoute) string { return `{"` + r.field + `":5}` }, 400, login.CodeInvalidRequest},
		{"wrong type object", "application/json", func(r jsonRoute) string { return `{"` + r.field + `":{}}` }, 400, login.CodeInvalidRequest},
		{"trailing object", "application/json", func(r jsonRoute) string { return r.valid + `{}` }, 400, login.CodeInvalidRequest},
		{"trailing garbage", "application/json", func(r jsonRoute) string { return r.valid + ` x` }, 400, login.CodeInvalidRequest},
		{"two objects", "application/json", func(r jsonRoute) string { return r.valid + "\n" + r.valid }, 400, login.CodeInvalidRequest},
		{"text/plain", "text/plain", func(r jsonRoute) string { return r.valid }, 415, login.CodeUnsupportedMedia},
		{"text/plain;charset", "text/plain;charset=UTF-8", func(r jsonRoute) string { return r.valid }, 415, login.CodeUnsupportedMedia},
		{"multipart", "multipart/form-data; boundary=x", func(r jsonRoute) string { return r.valid }, 415, login.CodeUnsupportedMedia},
		{"no content type", "", func(r jsonRoute) string { return r.valid }, 415, login.CodeUnsupportedMedia},
		{"bad media type", "application/json; =", func(r jsonRoute) string { return r.valid }, 415, login.CodeUnsupportedMedia},
		{"json suffix", "application/merge-patch+json", func(r jsonRoute) string { return r.valid }, 415, login.CodeUnsupportedMedia},
		{"too large", "application/json", func(jsonRoute) string { return big }, 413, login.CodeBodyTooLarge},
	}
	for _, rt := range jsonRoutes {
		for _, tc := range cases {
			t.Run(rt.path+"/"+tc.name, func(t *testing.T) {
				e := newEnv(t)
				r := req(rt.method, rt.path, tc.body(rt), "Content-Type", tc.contentType)
				if tc.contentType == "" {
					r.Header.Del("Content-Type")
				}
				if rt.admin {
					r.Header.Set("Authorization", "Bearer "+e.key)
				}
				checkError(t, e.do(r), tc.wantStatus, string(tc.wantCode))
			})
		}
		if !rt.formOK {
			t.Run(rt.path+"/form", func(t *testing.T) {
				e := newEnv(t)
				r := req(rt.method, rt.path, rt.field+"=x", "Content-Type", "application/x-www-form-urlencoded",
					"Origin", baseURL, "Authorization", "Bearer "+e.key)
				checkError(t, e.do(r), 415, string(login.CodeUnsupportedMedia))
			})
		}
	}
}

// TestBodyLimit checks the 16 KiB limit at its edge: a well-formed body
// of exactly 16 KiB is read, one byte more is 413.
func TestBodyLimit(t *testing.T) {
	body := func(size int) string {
		b := `{"identifier":"ana@example.com"}`
		return b + strings.Repeat(" ", size-len(b))
	}
	for _, tc := range []struct {
		name string
		size int
		want int
	}{
		{"16 KiB", 16 << 10, http.StatusAccepted},
		{"16 KiB + 1", 16<<10 + 1, http.StatusRequestEntityTooLarge},
		{"1 MiB", 1 << 20, http.StatusRequestEntityTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			w := e.do(jsonReq("POST", "/v1/login/request", body(tc.size)))
			if w.Code != tc.want {
				t.Fatalf("status = %d; want %d (%s)", w.Code, tc.want, w.Body)
			}
		})
	}
}

// TestAcceptedMediaTypes checks the JSON media type's spellings that are the
// same type.
func TestAcceptedMediaTypes(t *testing.T) {
	for _, ct := range []string{"application/json", "application/json; charset=utf-8", "Application/JSON", "application/json;charset=UTF-8"} {
		t.Run(ct, func(t *testing.T) {
			e := newEnv(t)
			w := e.do(req("POST", "/v1/login/request", `{"identifier":"ana@example.com"}`+"\n", "Content-Type", ct))
			if w.Code != http.StatusAccepted {
				t.Fatalf("status = %d; want 202 (%s)", w.Code, w.Body)
			}
		})
	}
}

// TestInvalidIdentifiers sends identifiers that are not one valid email
// address or phone number to every route that parses one.
func TestInvalidIdentifiers(t *testing.T) {
	bad := []struct{ name, value string }{
		{"empty", ""},
		{"spaces", "   "},
		{"list comma", "ana@example.com, bob@example.com"},
		{"list semicolon", "ana@example.com;bob@example.com"},
		{"two at signs", "ana@bob@example.com"},
		{"CRLF header", "ana@example.com\r\nBcc: eve@example.com"},
		{"LF", "ana@example.com\nx"},
		{"NUL", "ana@example.com\x00"},
		{"fullwidth at", "ana＠example.com"},
		{"small at", "ana﹫example.com"},
		{"display name", "Ana <ana@example.com>"},
		{"no domain", "ana@"},
		{"no local part", "@example.com"},
		{"phone letters", "+1 415 555 01x3"},
		{"phone no plus", "415-555-0123"},
		{"phone two plus", "+1+4155550123"},
		{"phone too long", "+1234567890123456789"},
		{"word", "hello"},
	}
	routes := []struct {
		path, body string
	}{
		{"/v1/login/request", `{"identifier":%s}`},
		{"/v1/login/code", `{"identifier":%s,"code":"123456"}`},
	}
	for _, rt := range routes {
		for _, tc := range bad {
			t.Run(rt.path+"/"+tc.name, func(t *testing.T) {
				e := newEnv(t)
				body := strings.Replace(rt.body, "%s", quote(tc.value), 1)
				checkError(t, e.do(jsonReq("POST", rt.path, body)), 400, string(login.CodeInvalidIdentifier))
			})
		}
	}
	for _, tc := range bad[1:12] { // the email ones, on the admin routes
		t.Run("admin/"+tc.name, func(t *testing.T) {
			e := newEnv(t)
			checkError(t, e.admin("POST", "/v1/admin/contacts", `{"email":`+quote(tc.value)+`}`), 400, string(login.CodeInvalidIdentifier))
			checkError(t, e.admin("POST", "/v1/admin/invites", `{"email":`+quote(tc.value)+`}`), 400, string(login.CodeInvalidIdentifier))
		})
	}
}

// TestInvalidRedirects sends redirects that are not a path inside the portal.
func TestInvalidRedirects(t *testing.T) {
	for _, tc := range []struct{ name, redirect string }{
		{"protocol relative", "//evil.com"},
		{"protocol relative path", "//evil.com/x"},
		{"absolute", "https://evil.com"},
		{"javascript", "javascript:alert(1)"},
		{"no leading slash", "invoices/42"},
		{"backslash", "/\\evil"},
		{"backslash inside", "/a\\b"},
		{"encoded slashes", "/%2f%2fevil"},
		{"encoded slashes upper", "/%2F%2Fevil"},
		{"encoded backslash", "/a%5cb"},
		{"encoded backslash upper", "/a%5Cb"},
		{"NUL", "/a\x00b"},
		{"CR LF", "/a\r\nSet-Cookie: x=1"},
		{"encoded CR LF", "/a%0d%0aSet-Cookie:x=1"},
		{"tab", "/a\tb"},
		{"DEL", "/a\x7fb"},
		{"climbs out", "/../../evil"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			body := `{"identifier":"ana@example.com","redirect":` + quote(tc.redirect) + `}`
			checkError(t, e.do(jsonReq("POST", "/v1/login/request", body)), 400, string(login.CodeInvalidRequest))
		})
	}
}

// TestUnknownRoutes checks that unknown routes and methods are JSON errors.
func TestUnknownRoutes(t *testing.T) {
	for _, tc := range []struct{ method, path string }{
		{"GET", "/nope"},
		{"GET", "/"},
		{"POST", "/v1/login/nope"},
		{"GET", "/v1/login/request"},
		{"PUT", "/v1/session"},
		{"DELETE", "/v1/admin/contacts"},
		{"GET", "/assets/nope.js"},
		{"GET", "/assets/..%2fdoc.go"},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			e := newEnv(t)
			w := e.do(req(tc.method, tc.path, ""))
			if w.Code != http.StatusNotFound && w.Code != http.StatusMethodNotAllowed {
				t.Fatalf("status = %d; want 404 or 405 (%s)", w.Code, w.Body)
			}
			code := errorCode(t, w.Body.Bytes())
			if httpapi.StatusOf(login.Code(code)) != w.Code {
				t.Fatalf("code %q does not map to status %d", code, w.Code)
			}
		})
	}
}

// TestStatusOf checks that every code maps to its status.
func TestStatusOf(t *testing.T) {
	for _, tc := range []struct {
		code login.Code
		want int
	}{
		{login.CodeInvalidRequest, 400}, {login.CodeInvalidIdentifier, 400}, {login.CodeInvalidCode, 400},
		{login.CodeUnauthorized, 401}, {login.CodeNoSession, 401}, {login.CodeForbidden, 403},
		{login.CodeNotFound, 404}, {login.CodeConflict, 409}, {login.CodeLinkExpired, 410},
		{login.CodeLinkInvalid, 410}, {login.CodeBodyTooLarge, 413}, {login.CodeUnsupportedMedia, 415},
		{login.CodeNoEmail, 422}, {login.CodeNoPhone, 422}, {login.CodeNoPortalAccess, 422},
		{login.CodeRateLimited, 429}, {login.CodeDeliveryFailed, 502}, {login.CodeInternal, 500},
		{"something_new", 500},
	} {
		if got := httpapi.StatusOf(tc.code); got != tc.want {
			t.Errorf("StatusOf(%q) = %d; want %d", tc.code, got, tc.want)
		}
	}
}

// TestSecurityHeaders checks the headers every answer carries.
func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t)
	for _, r := range []*http.Request{
		jsonReq("POST", "/v1/login/request", `{"identifier":"ana@example.com"}`),
		req("GET", "/nope", ""),
		req("GET", "/login", ""),
		req("GET", "/v1/login/redeem?token=x", ""),
	} {
		w := e.do(r)
		for name, want := range map[string]string{
			"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer",
			"Cache-Control": "no-store", "Strict-Transport-Security": "max-age=31536000",
		} {
			if got := w.Header().Get(name); got != want {
				t.Errorf("%s %s: %s = %q; want %q", r.Method, r.URL.Path, name, got, want)
			}
		}
		if csp := w.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s %s: CSP %q lacks frame-ancestors 'none'", r.Method, r.URL.Path, csp)
		}
	}
}
