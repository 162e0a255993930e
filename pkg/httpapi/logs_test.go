package httpapi_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestLogsHoldNoSecrets runs every flow that handles a secret and checks
// that no token, code, session, cookie or key reaches the log, and that
// each request has one line with its id, route, status and latency.
func TestLogsHoldNoSecrets(t *testing.T) {
	e := newEnv(t)
	var secrets []string
	requests := 0
	var errorBodies []string
	do := func(r *http.Request) *http.Response {
		t.Helper()
		requests++
		w := e.do(r)
		if w.Code >= 400 {
			errorBodies = append(errorBodies, w.Body.String())
		}
		return w.Result()
	}
	secrets = append(secrets, e.key)

	// invite, and the invite link
	e.invite("ana@example.com")
	requests++
	invite, _ := e.lastLogin()
	secrets = append(secrets, invite)
	res := do(jsonReq("POST", "/v1/login/redeem", `{"token":`+quote(invite)+`}`))
	for _, c := range res.Cookies() {
		secrets = append(secrets, c.Value)
	}

	// a login request, its page, the link as a form, the used link again
	res = do(jsonReq("POST", "/v1/login/request", `{"identifier":"ana@example.com","redirect":"/invoices/42"}`))
	reqCookie := res.Cookies()[0]
	tok, code := e.lastLogin()
	secrets = append(secrets, reqCookie.Value, tok, code)
	page := req("GET", "/v1/login/redeem?token="+url.QueryEscape(tok), "")
	page.AddCookie(reqCookie)
	do(page)
	do(req("HEAD", "/v1/login/redeem?token="+url.QueryEscape(tok), ""))
	res = do(formReq("/v1/login/redeem", url.Values{"token": {tok}}, "Origin", baseURL))
	for _, c := range res.Cookies() {
		secrets = append(secrets, c.Value)
	}
	do(formReq("/v1/login/redeem", url.Values{"token": {tok}}, "Origin", baseURL))
	do(jsonReq("POST", "/v1/login/redeem", `{"token":`+quote(tok)+`}`))

	// a code login after a wrong code
	do(jsonReq("POST", "/v1/login/request", `{"identifier":"ana@example.com"}`))
	tok2, code2 := e.lastLogin()
	secrets = append(secrets, tok2, code2, wrongCode(code2))
	do(jsonReq("POST", "/v1/login/code", codeBody("ana@example.com", wrongCode(code2))))
	res = do(jsonReq("POST", "/v1/login/code", codeBody("ana@example.com", code2)))
	var sess string
	for _, c := range res.Cookies() {
		if c.Name == sessionCookie {
			sess = c.Value
		}
	}
	secrets = append(secrets, sess)

	// the session, by Bearer and cookie, then logout
	do(req("GET", "/v1/session", "", "Authorization", "Bearer "+sess))
	r := req("GET", "/v1/session", "")
	r.AddCookie(&http.Cookie{Name: sessionCookie, Value: sess})
	do(r)
	r = req("POST", "/v1/logout", "")
	r.AddCookie(&http.Cookie{Name: sessionCookie, Value: sess})
	do(r)
	do(req("GET", "/v1/session", "", "Authorization", "Bearer "+sess))

	// a bad key
	do(req("GET", "/v1/admin/contacts", "", "Authorization", "Bearer "+e.key+"x"))
	checkLog(t, e.logs.String(), secrets, requests)

	// nor an error answer, nor the audit log
	if len(errorBodies) < 5 {
		t.Fatalf("only %d error answers; the flow above has more", len(errorBodies))
	}
	w := e.admin("GET", "/v1/admin/audit", "")
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "session.created") {
		t.Fatalf("audit: %d %s", w.Code, w.Body)
	}
	for _, b := range append(errorBodies, w.Body.String()) {
		for _, s := range secrets {
			if s != "" && containsSecret(b, s) {
				t.Errorf("answer holds a secret (%d characters): %s", len(s), b)
			}
		}
	}
}

// TestLogsUnknownRouteHoldsNoToken: a link mangled on its way (a mail
// filter that encodes the ?, a client that turns it into /) reaches no
// route, and its token must still not reach the log.
func TestLogsUnknownRouteHoldsNoToken(t *testing.T) {
	e := newEnv(t)
	e.invite("ana@example.com")
	e.requestLogin(`{"identifier":"ana@example.com"}`)
	tok, _ := e.lastLogin()
	before := e.logs.String()
	for _, target := range []string{
		"/v1/login/redeem%3Ftoken=" + tok,
		"/v1/login/redeem/" + tok,
		"/v1/login/redeem?token=" + tok + "/x",
	} {
		w := e.do(req("GET", target, ""))
		if w.Code >= 500 {
			t.Errorf("GET %s: status %d", target, w.Code)
		}
	}
	checkLog(t, strings.TrimPrefix(e.logs.String(), before), []string{tok}, 3)
	if w := e.redeemJSON(tok); w.Code != http.StatusOK {
		t.Errorf("the link after the mangled requests: %d; want 200", w.Code)
	}
}

// checkLog checks the JSON log lines: none holds a secret, a query or a
// cookie, and there are requests request lines, each with its fields.
func checkLog(t *testing.T, log string, secrets []string, requests int) {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(log), "\n")
	seen := 0
	for _, line := range lines {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line is not JSON: %q", line)
		}
		// a timestamp's or a random id's digits may spell a code by chance
		id, _ := rec["request_id"].(string)
		if len(id) != 16 || strings.Trim(id, "0123456789abcdef") != "" {
			id = "" // not the middleware's random id: check it as well
		} else {
			delete(rec, "request_id")
		}
		delete(rec, "time")
		flat, _ := json.Marshal(rec)
		for _, s := range secrets {
			if s != "" && containsSecret(string(flat), s) {
				t.Errorf("log line holds a secret (%d characters): %s", len(s), line)
			}
		}
		if strings.Contains(line, "token=") || strings.Contains(line, "pp_session") || strings.Contains(line, "pp_req") {
			t.Errorf("log line holds a query or cookie: %s", line)
		}
		if rec["msg"] != "request" {
			continue
		}
		seen++
		route, _ := rec["route"].(string)
		_, isStatus := rec["status"].(float64)
		_, isLatency := rec["latency_ms"].(float64)
		if id == "" || route == "" || !isStatus || !isLatency {
			t.Errorf("request line lacks request_id, route, status or latency_ms: %s", line)
		}
	}
	if seen != requests {
		t.Errorf("%d request lines; want %d", seen, requests)
	}
}

// containsSecret reports whether s holds secret; a code counts only
// where it is not part of a longer number.
func containsSecret(s, secret string) bool {
	if strings.Trim(secret, "0123456789") != "" {
		return strings.Contains(s, secret)
	}
	return regexp.MustCompile(`(^|[^0-9])` + secret + `([^0-9]|$)`).MatchString(s)
}
