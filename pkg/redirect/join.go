package redirect

import (
	"fmt"
	"net/url"
	"path"
	"strings"

	"github.com/portalpass/portalpass/pkg/login"
)

// CheckPortalURL reports whether s may be a tenant's portal URL: an
// absolute https URL with a host name or IP address, an optional port and
// path, and no user info, query or fragment. http is allowed only for
// localhost, 127.0.0.1 and [::1]. The URL must be printable ASCII (an
// international domain name in punycode) without backslashes, and its path
// must have no . or .. segments. The rule is the core's
// (login.ParsePortalURL), which every tenant write checks.
func CheckPortalURL(s string) error {
	_, err := parsePortal(s)
	return err
}

// Join returns the URL that redirect p leads to on the portal at portalURL:
// the portal URL itself for "", else the portal URL (without a trailing /)
// followed by p, its query and fragment kept, with non-ASCII bytes and the
// characters " < > ` { } | ^ percent-encoded. p must pass Check. The
// result is parsed again and must keep the portal's scheme and host, and a
// path, dot segments resolved, inside the portal's path.
//
// A portal URL that fails CheckPortalURL is a login.CodeInternal error
// (tenant settings are checked when they are saved); a bad p is
// login.CodeInvalidRequest.
func Join(portalURL, p string) (string, error) {
	base, err := parsePortal(portalURL)
	if err != nil {
		return "", &login.Error{Code: login.CodeInternal, Err: fmt.Errorf("redirect: join: portal URL: %w", err)}
	}
	if err := Check(p); err != nil {
		return "", err
	}
	if p == "" {
		return portalURL, nil
	}
	out := strings.TrimSuffix(portalURL, "/") + escape(p)
	if !onPortal(base, out) {
		return "", invalid(msgShape, "join: result leaves the portal")
	}
	return out, nil
}

// onPortal reports whether the URL s has base's scheme and host, no user
// info, and a path that stays inside base's path once dot segments are
// resolved.
func onPortal(base *url.URL, s string) bool {
	u, err := url.Parse(s)
	if err != nil || u.Scheme != base.Scheme || u.Host != base.Host || u.User != nil || u.Opaque != "" {
		return false
	}
	root := path.Clean("/" + base.Path)
	got := path.Clean("/" + u.Path)
	return root == "/" || got == root || strings.HasPrefix(got, root+"/")
}

// escape percent-encodes the bytes of p that are not ASCII and the ASCII
// characters that browsers would encode in a path, leaving p's own %XX
// sequences, / ? # and the rest as they are.
func escape(p string) string {
	const hex = "0123456789ABCDEF"
	var b []byte
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c < 0x80 && strings.IndexByte("\"<>`{}|^", c) < 0 {
			if b != nil {
				b = append(b, c)
			}
			continue
		}
		if b == nil {
			b = make([]byte, 0, len(p)+32)
			b = append(b, p[:i]...)
		}
		b = append(b, '%', hex[c>>4], hex[c&15])
	}
	if b == nil {
		return p
	}
	return string(b)
}

// parsePortal checks s as CheckPortalURL does and returns it parsed.
func parsePortal(s string) (*url.URL, error) { return login.ParsePortalURL(s) }
