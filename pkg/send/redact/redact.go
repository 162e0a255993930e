package redact

import (
	"errors"
	"sort"
	"strings"
)

// Mark replaces each secret in a redacted error's text.
const Mark = "[redacted]"

// Error returns err unchanged when its text holds none of the non-empty
// secrets; otherwise an error with only the text, every secret in it
// replaced by Mark, and without the original in its chain: a provider's
// error never carries a link, a code or a recipient into a log, not even
// through Unwrap.
//
// Secrets match regardless of ASCII case (a provider may lower-case an
// address it quotes), longest first, so a secret that holds another (a
// message text holding its link) is replaced whole whatever the order
// given. A nil err gives nil.
func Error(err error, secrets ...string) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	ss := make([]string, 0, len(secrets))
	for _, s := range secrets {
		if s != "" {
			ss = append(ss, s)
		}
	}
	sort.SliceStable(ss, func(i, j int) bool { return len(ss[i]) > len(ss[j]) })
	found := false
	for _, s := range ss {
		if out, ok := replaceFold(msg, s); ok {
			msg, found = out, true
		}
	}
	if !found {
		return err
	}
	return errors.New(msg)
}

// Phone returns the spellings of an E.164 number that a provider's error
// may quote: as given and without its leading plus. The second holds the
// first's digits, so Error replaces the whole number either way.
func Phone(e164 string) []string {
	return []string{e164, strings.TrimPrefix(e164, "+")}
}

// replaceFold replaces every occurrence of s in msg, comparing ASCII
// letters without case, and reports whether there was one. Only ASCII is
// folded so that byte offsets in the folded copy are msg's own.
func replaceFold(msg, s string) (string, bool) {
	low, ls := lowerASCII(msg), lowerASCII(s)
	i := strings.Index(low, ls)
	if i < 0 {
		return msg, false
	}
	var b strings.Builder
	for i >= 0 {
		b.WriteString(msg[:i])
		b.WriteString(Mark)
		msg, low = msg[i+len(s):], low[i+len(s):]
		i = strings.Index(low, ls)
	}
	b.WriteString(msg)
	return b.String(), true
}

// lowerASCII lower-cases the ASCII letters of s, leaving every other byte
// (invalid UTF-8 included, and so the length) as it is.
func lowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
