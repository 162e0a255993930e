package logctx

import (
	"regexp"
	"strings"
	"sync"
)

// Redacted replaces what the handler will not log.
const Redacted = "[redacted]"

// secretKeys are attribute keys whose value is a secret whatever it
// looks like: a login code is six digits, which no pattern can tell.
var secretKeys = map[string]bool{
	"token": true, "code": true, "otp": true, "secret": true, "password": true,
	"cookie": true, "cookies": true, "set-cookie": true, "authorization": true,
	"session": true, "session_id": true, "sessionid": true, "session_token": true,
	"api_key": true, "apikey": true, "key": true, "link": true, "url": true,
	"verifier": true, "code_verifier": true, "handoff": true,
}

func secretKey(k string) bool { return secretKeys[strings.ToLower(k)] }

// patterns are compiled on the first log line, not at init: they must
// not weigh on a function's cold start.
var patterns = sync.OnceValue(func() []pattern {
	return []pattern{
		// A URL keeps its scheme and host: its path (/l/<token>) or query
		// (?token=) may hold a secret.
		{regexp.MustCompile(`([A-Za-z][A-Za-z0-9+.\-]*://[^/?#\s"'<>]*)[/?#][^\s"'<>]*`), "${1}/" + Redacted},
		// name=value pairs of a query, a form or a cookie header that
		// carry secrets.
		{regexp.MustCompile(`(?i)((?:token|code|code_verifier|verifier|session|pp_session|pp_req|pp_pick|key|secret|password|otp)=)[^&;,\s"'<>]+`), "${1}" + Redacted},
		// A link's path, without its host.
		{regexp.MustCompile(`/l/[^/?#\s"'<>]+`), "/l/" + Redacted},
		// Every secret we issue is 43 base64url characters (256 bits);
		// a token or API key holds one.
		{regexp.MustCompile(`[A-Za-z0-9_\-]{43,}`), Redacted},
	}
})

type pattern struct {
	re   *regexp.Regexp
	with string
}

// Redact returns s with what looks like a secret or a full URL replaced:
// a URL keeps only its scheme and host, a token=, code=, session= (and
// the like) value, a /l/ link path and any run of 43 or more base64url
// characters (every token's secret) become [redacted].
func Redact(s string) string {
	if !suspect(s) {
		return s
	}
	for _, p := range patterns() {
		s = p.re.ReplaceAllString(s, p.with)
	}
	return s
}

// suspect is a quick test that skips the patterns for most values: each
// pattern needs a '/' or '=' or a long run without a separator.
func suspect(s string) bool {
	if strings.ContainsAny(s, "/=") {
		return true
	}
	run := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' {
			run++
			if run >= 43 {
				return true
			}
		} else {
			run = 0
		}
	}
	return false
}
