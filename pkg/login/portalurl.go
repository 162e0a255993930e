package login

import (
	"errors"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
)

// MaxPortalURL is the longest portal URL ParsePortalURL accepts, in bytes.
const MaxPortalURL = 2048

// Messages for people about portal URLs.
const (
	msgPortal      = "Portal URL must be an absolute https URL with a host, like https://portal.example.com (http only for localhost)."
	msgPortalChars = "Portal URL must be ASCII without spaces, control characters or backslashes (write an international domain name in punycode)."
	msgPortalUser  = "Portal URL must not contain a user name or password."
	msgPortalQuery = "Portal URL must not have a query or fragment."
	msgPortalHTTP  = "Portal URL must use https; http is allowed only for localhost, 127.0.0.1 and [::1]."
	msgPortalHost  = "Portal URL must have a valid host name."
	msgPortalDots  = "Portal URL path must not contain . or .. segments."
	msgPortalLong  = "Portal URL must be at most 2048 characters long."
)

// ParsePortalURL checks s as a tenant's portal URL and returns it parsed:
// an absolute https URL with a host name or IP address, an optional port
// and path, and no user info, query or fragment. http is allowed only for
// localhost, 127.0.0.1 and [::1]. The URL must be printable ASCII (an
// international domain name in punycode) without backslashes, and its
// path must have no . or .. segments. Errors are CodeInvalidRequest with
// a message naming the problem.
//
// The rule lives in the core so that every tenant write checks it;
// package redirect uses it to join redirects to the portal.
func ParsePortalURL(s string) (*url.URL, error) {
	if s == "" {
		return nil, portalError(msgPortal, "empty")
	}
	if len(s) > MaxPortalURL {
		return nil, portalError(msgPortalLong, "too long")
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c >= 0x7f || c == '\\' {
			return nil, portalError(msgPortalChars, "character not allowed")
		}
	}
	u, err := url.Parse(s)
	if err != nil {
		return nil, portalError(msgPortal, "unparsable")
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Opaque != "" || u.Host == "" || !strings.HasPrefix(s[len(u.Scheme):], "://") {
		return nil, portalError(msgPortal, "not an absolute http(s) URL")
	}
	if u.User != nil {
		return nil, portalError(msgPortalUser, "user info")
	}
	if u.RawQuery != "" || u.ForceQuery || strings.IndexByte(s, '#') >= 0 {
		return nil, portalError(msgPortalQuery, "query or fragment")
	}
	host := u.Hostname()
	if !validHost(host) || !validPort(u.Port()) || strings.HasSuffix(u.Host, ":") {
		return nil, portalError(msgPortalHost, "host")
	}
	if u.Scheme == "http" && !isLoopback(host) {
		return nil, portalError(msgPortalHTTP, "http off localhost")
	}
	for _, seg := range strings.Split(u.Path, "/") {
		if seg == "." || seg == ".." {
			return nil, portalError(msgPortalDots, "dot segment")
		}
	}
	return u, nil
}

// validHost reports whether h is an IP address or a DNS name of letters,
// digits and inner hyphens, without a trailing dot or an all-digit last
// label.
func validHost(h string) bool {
	if h == "" {
		return false
	}
	if a, err := netip.ParseAddr(h); err == nil {
		return a.Zone() == ""
	}
	if len(h) > 253 {
		return false
	}
	labels := strings.Split(h, ".")
	for _, label := range labels {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			if c := label[i]; !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-') {
				return false
			}
		}
	}
	// A name whose last label is all digits would be read as an IPv4 address.
	return strings.Trim(labels[len(labels)-1], "0123456789") != ""
}

// validPort reports whether p is empty or a port number 1–65535.
func validPort(p string) bool {
	if p == "" {
		return true
	}
	n, err := strconv.Atoi(p)
	return err == nil && n >= 1 && n <= 65535 && p[0] != '0'
}

// isLoopback reports whether h is one of the hosts where http is allowed.
func isLoopback(h string) bool {
	return strings.EqualFold(h, "localhost") || h == "127.0.0.1" || h == "::1"
}

// portalError returns the invalid_request error about a portal URL.
func portalError(msg, reason string) error {
	e := Errorf(CodeInvalidRequest, "%s", msg)
	e.Err = errors.New("login: portal URL: " + reason)
	return e
}
