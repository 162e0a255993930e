package login

import (
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"
)

// This file holds the rules of a tenant's look: brandColor, supportEmail
// and supportUrl (API.md "Tenant settings"). The logo is not a setting
// one can PATCH: it is uploaded (logo.go).

// MinBrandContrast is the least contrast of white text on the brand
// colour: WCAG 2 AA for normal text, since buttons carry white text.
const MinBrandContrast = 4.5

// checkBrandColor returns why c is not an allowed brandColor, "" when
// it is ("" means the default).
func checkBrandColor(c string) string {
	if c == "" {
		return ""
	}
	if !validHexColor(c) {
		return `must be a colour like "#2d5bd7"`
	}
	if r := WhiteContrast(c); r < MinBrandContrast {
		return fmt.Sprintf("must be dark enough for white text: %s has contrast %.2f:1 with white, at least %.1f:1 is needed",
			strings.ToLower(c), math.Floor(r*100)/100, MinBrandContrast)
	}
	return ""
}

// validHexColor reports whether c is "#RRGGBB" in hex digits.
func validHexColor(c string) bool {
	if len(c) != 7 || c[0] != '#' {
		return false
	}
	for _, x := range c[1:] {
		if !(x >= '0' && x <= '9' || x >= 'a' && x <= 'f' || x >= 'A' && x <= 'F') {
			return false
		}
	}
	return true
}

// WhiteContrast returns the WCAG 2 contrast ratio of white on the colour
// "#RRGGBB": (1 + 0.05) / (L + 0.05), L its relative luminance.
func WhiteContrast(c string) float64 {
	lin := func(hex string) float64 {
		v, _ := strconv.ParseUint(hex, 16, 8)
		s := float64(v) / 255
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	l := 0.2126*lin(c[1:3]) + 0.7152*lin(c[3:5]) + 0.0722*lin(c[5:7])
	return 1.05 / (l + 0.05)
}

// validSupportEmail reports whether s looks like an email address a
// customer can write to: one @, a local part, a domain of two or more
// labels, no spaces or control characters. (Package identifier owns the
// full rules of login addresses; it imports this package.)
func validSupportEmail(s string) bool {
	local, domain, ok := strings.Cut(s, "@")
	if !ok || len(s) > 254 || local == "" || len(local) > 64 || !validText(s) {
		return false
	}
	if strings.ContainsAny(s, " \"<>()[]\\,;:") || strings.Contains(domain, "@") {
		return false
	}
	return validDomain(strings.ToLower(domain))
}

// validSupportURL reports whether s is an absolute https URL of at most
// 500 characters with a host and no user info: a page links to it and a
// customer follows it, so nothing else may hide behind it.
func validSupportURL(s string) bool {
	if len(s) > 500 || !validText(s) || strings.ContainsAny(s, " \\") {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && u.Scheme == "https" && u.Host != "" && u.User == nil && u.Opaque == ""
}

// LogoPath returns the path the tenant's logo is served at on the API's
// own origin, "" when it has none. The name changes with the content
// (Settings.Logo holds the hash), so the URL may be cached for ever.
func LogoPath(t Tenant) string {
	if t.Settings.Logo == "" {
		return ""
	}
	return "/logos/" + t.ID + "/" + t.Settings.Logo
}

// Brand is a tenant's look as a message carries it: what an email shows
// beside the tenant's name.
type Brand struct {
	// Color is the brand colour, "#RRGGBB"; "" reads as the default.
	Color string
	// LogoURL is the logo's absolute URL on the API's own origin, ""
	// when the tenant has none.
	LogoURL string
	// SupportEmail and SupportURL are the support contact, "" when none.
	SupportEmail, SupportURL string
}

// BrandOf returns the look of tenant t, its logo's URL on baseURL (the
// API's public base URL).
func BrandOf(t Tenant, baseURL string) Brand {
	b := Brand{Color: t.Settings.Color(), SupportEmail: t.Settings.SupportEmail, SupportURL: t.Settings.SupportURL}
	if p := LogoPath(t); p != "" {
		b.LogoURL = strings.TrimRight(baseURL, "/") + p
	}
	return b
}

// SafeBrandColor returns c lower-cased when it is an allowed brandColor
// (see checkBrandColor), else DefaultBrandColor. Renderers call it on
// whatever reaches them, so a colour that did not pass the setting's
// check (an old item, a queued message) never lands in a page or email.
func SafeBrandColor(c string) string {
	if c == "" || checkBrandColor(c) != "" {
		return DefaultBrandColor
	}
	return strings.ToLower(c)
}

// LinkTenant returns the tenant id a login or action link's token names,
// "" for a link of several tenants or anything that is not a link. It
// reads the token only: the tenant may not exist, and the token may be
// used, expired or forged. Pages use it for the look of an error page,
// which the tenant's Portal link shows anyone anyway.
func LinkTenant(token string) string {
	p, ok := parseToken(token)
	if !ok {
		return ""
	}
	switch p.kind {
	case kindLink, kindShort, kindAction:
		return p.tenant
	}
	return ""
}
