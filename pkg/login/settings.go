package login

import (
	"fmt"
	"math"
	"net/netip"
	"strings"
	"time"
	"unicode/utf8"
)

// IntegrationCookie is the default portalIntegration setting: the portal
// learns the session by the session cookie.
const IntegrationCookie = "cookie"

// SettingsPatch is a tenant's settings in API.md's names, as
// GET/PATCH /v1/admin/settings, ppctl and POST /dev/tenants read and
// write them. In a change every field is optional: nil leaves a setting
// as it is.
type SettingsPatch struct {
	Name               *string `json:"name,omitempty"`
	PortalURL          *string `json:"portalUrl,omitempty"`
	LinkTTLSeconds     *int64  `json:"linkTtlSeconds,omitempty"`
	InviteTTLSeconds   *int64  `json:"inviteTtlSeconds,omitempty"`
	RecoveryTTLSeconds *int64  `json:"recoveryTtlSeconds,omitempty"`
	SessionTTLSeconds  *int64  `json:"sessionTtlSeconds,omitempty"`
	CodeLength         *int    `json:"codeLength,omitempty"`
	CodeAlsoBySMS      *bool   `json:"codeAlsoBySms,omitempty"`
	SMSLogin           *bool   `json:"smsLogin,omitempty"`
	SenderName         *string `json:"senderName,omitempty"`
	PortalIntegration  *string `json:"portalIntegration,omitempty"`
	CookieDomain       *string `json:"cookieDomain,omitempty"`
	// SMSCountries narrows the stack's SMS countries; [] goes back to
	// the stack's list, which the view shows as no field.
	SMSCountries *[]string `json:"smsCountries,omitempty"`
	SMSPerHour   *int      `json:"smsPerHour,omitempty"`
	// SMSLink: a login SMS also carries the magic link (two segments,
	// billed as two SMS); false: the code only, one segment.
	SMSLink *bool `json:"smsLink,omitempty"`
	// Locales are the languages the tenant offers, its default first.
	Locales *[]string `json:"locales,omitempty"`
	// BrandColor is "#RRGGBB"; white text on it must reach 4.5:1.
	BrandColor *string `json:"brandColor,omitempty"`
	// SupportEmail and SupportURL name the support contact; "" clears.
	SupportEmail *string `json:"supportEmail,omitempty"`
	SupportURL   *string `json:"supportUrl,omitempty"`
	// LogoURL is read-only: the HTTP layer fills it in from Settings.Logo
	// (it knows the API's origin) and a change that names it is refused.
	LogoURL *string `json:"logoUrl,omitempty"`
}

// SettingsView returns every setting of t as API.md shows it: the sender
// name defaults to the tenant's name.
func SettingsView(t Tenant) SettingsPatch {
	st := t.Settings
	secs := func(d time.Duration) *int64 { v := int64(d / time.Second); return &v }
	sender := st.SenderName
	if sender == "" {
		sender = t.Name
	}
	var countries *[]string
	if st.SMSCountries != "" {
		c := strings.Split(st.SMSCountries, ",")
		countries = &c
	}
	locales := st.LocaleList()
	color := st.Color()
	return SettingsPatch{
		Name: &t.Name, PortalURL: &st.PortalURL,
		LinkTTLSeconds: secs(st.LinkTTL), InviteTTLSeconds: secs(st.InviteTTL),
		RecoveryTTLSeconds: secs(st.RecoveryTTL), SessionTTLSeconds: secs(st.SessionTTL),
		CodeLength: &st.CodeLength, CodeAlsoBySMS: &st.CodeAlsoBySMS, SMSLogin: &st.SMSLogin,
		SenderName: &sender, PortalIntegration: &st.PortalIntegration, CookieDomain: &st.CookieDomain,
		SMSCountries: countries, SMSPerHour: &st.SMSPerHour, SMSLink: &st.SMSLink, Locales: &locales,
		BrandColor: &color, SupportEmail: optional(st.SupportEmail), SupportURL: optional(st.SupportURL),
	}
}

// optional returns a pointer to s, nil for "" (a setting that is not set
// is no field in the view).
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// Apply writes p's settings to t as they are. It checks nothing: the
// Service checks every tenant it writes (CheckTenant, CheckTenantChange),
// so that the rules have one home whoever changes a tenant.
func (p SettingsPatch) Apply(t *Tenant) {
	st := &t.Settings
	setS := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	setS(&t.Name, p.Name)
	setS(&st.PortalURL, p.PortalURL)
	setS(&st.SenderName, p.SenderName)
	setS(&st.PortalIntegration, p.PortalIntegration)
	setS(&st.CookieDomain, p.CookieDomain)
	setS(&st.BrandColor, p.BrandColor)
	setS(&st.SupportEmail, p.SupportEmail)
	setS(&st.SupportURL, p.SupportURL)
	for _, f := range []struct {
		v   *int64
		dst *time.Duration
	}{
		{p.LinkTTLSeconds, &st.LinkTTL}, {p.InviteTTLSeconds, &st.InviteTTL},
		{p.RecoveryTTLSeconds, &st.RecoveryTTL}, {p.SessionTTLSeconds, &st.SessionTTL},
	} {
		if f.v != nil {
			*f.dst = seconds(*f.v)
		}
	}
	if p.CodeLength != nil {
		st.CodeLength = *p.CodeLength
	}
	if p.CodeAlsoBySMS != nil {
		st.CodeAlsoBySMS = *p.CodeAlsoBySMS
	}
	if p.SMSLogin != nil {
		st.SMSLogin = *p.SMSLogin
	}
	if p.SMSCountries != nil {
		// Joined as given: the rule checks each code, tidySettings
		// upper-cases them.
		st.SMSCountries = strings.Join(*p.SMSCountries, ",")
	}
	if p.SMSPerHour != nil {
		st.SMSPerHour = *p.SMSPerHour
	}
	if p.SMSLink != nil {
		st.SMSLink = *p.SMSLink
	}
	if p.Locales != nil {
		// Joined as given, like smsCountries: the rule checks each. An
		// empty list is not the default but a mistake: "," fails the rule.
		st.Locales = strings.Join(*p.Locales, ",")
		switch {
		case len(*p.Locales) == 0:
			st.Locales = ","
		case st.Locales == DefaultLocale:
			st.Locales = "" // the default is stored as none, as the view reads it
		}
	}
}

// seconds converts n seconds to a Duration, saturating instead of
// wrapping, so that a huge number in a body fails the range check
// instead of wrapping round into the allowed range.
func seconds(n int64) time.Duration {
	const maxSecs = int64(math.MaxInt64 / time.Second)
	switch {
	case n > maxSecs:
		return math.MaxInt64
	case n < -maxSecs:
		return math.MinInt64
	}
	return time.Duration(n) * time.Second
}

// TenantOption changes how a new tenant's settings are checked.
type TenantOption int

const (
	// RelaxedLifetimes lowers every lifetime's minimum to one second so
	// that expiry can be tried by hand. Only the dev server passes it
	// (API.md "POST /dev/tenants"); no Lambda function creates tenants,
	// and no request body can ask for it.
	RelaxedLifetimes TenantOption = iota + 1
)

// lifetime is a lifetime setting and its allowed range in seconds.
type lifetime struct {
	name     string
	min, max int64
	get      func(Settings) time.Duration
}

// lifetimes are API.md's lifetime settings.
var lifetimes = []lifetime{
	{"linkTtlSeconds", 60, 3600, func(s Settings) time.Duration { return s.LinkTTL }},
	{"inviteTtlSeconds", 3600, 2592000, func(s Settings) time.Duration { return s.InviteTTL }},
	{"recoveryTtlSeconds", 600, 604800, func(s Settings) time.Duration { return s.RecoveryTTL }},
	{"sessionTtlSeconds", 300, 7776000, func(s Settings) time.Duration { return s.SessionTTL }},
}

// settingRule is the rule of one setting. key returns what the rule
// depends on, so that a change may skip rules whose inputs it left
// alone; check returns a message after the setting's name, "" when t
// keeps the rule.
type settingRule struct {
	name  string
	key   func(t Tenant) any
	check func(t Tenant, relaxed bool) string
}

// settingRules are API.md's rules, in the order a change reports them.
var settingRules = buildRules()

func buildRules() []settingRule {
	rules := []settingRule{
		{"name", func(t Tenant) any { return t.Name }, func(t Tenant, _ bool) string {
			if n := utf8.RuneCountInString(t.Name); n < 1 || n > 100 {
				return "must be 1-100 characters"
			}
			if !validText(t.Name) {
				return msgText
			}
			return ""
		}},
		{"portalUrl", func(t Tenant) any { return t.Settings.PortalURL }, func(t Tenant, _ bool) string {
			if _, err := ParsePortalURL(t.Settings.PortalURL); err != nil {
				return "must be an https URL (http only for localhost)"
			}
			return ""
		}},
	}
	for _, l := range lifetimes {
		rules = append(rules, settingRule{l.name, func(t Tenant) any { return l.get(t.Settings) }, func(t Tenant, relaxed bool) string {
			lo := l.min
			if relaxed {
				lo = 1
			}
			if d := l.get(t.Settings); d < time.Duration(lo)*time.Second || d > time.Duration(l.max)*time.Second {
				return fmt.Sprintf("must be from %d to %d seconds", lo, l.max)
			}
			return ""
		}})
	}
	return append(rules,
		settingRule{"codeLength", func(t Tenant) any { return t.Settings.CodeLength }, func(t Tenant, _ bool) string {
			if n := t.Settings.CodeLength; n < 4 || n > 8 {
				return "must be from 4 to 8"
			}
			return ""
		}},
		settingRule{"senderName", func(t Tenant) any { return t.Settings.SenderName }, func(t Tenant, _ bool) string {
			if s := t.Settings.SenderName; utf8.RuneCountInString(s) > 100 || !validText(s) {
				return "must be at most 100 characters, with no control characters or bidirectional formatting characters"
			}
			return ""
		}},
		settingRule{"portalIntegration", func(t Tenant) any { return t.Settings.PortalIntegration }, func(t Tenant, _ bool) string {
			if p := t.Settings.PortalIntegration; p != IntegrationCookie && p != IntegrationHandoff {
				return `must be "cookie" or "handoff"`
			}
			return ""
		}},
		// cookieDomain depends on the portal URL too: moving the portal
		// out from under the domain breaks the rule as much as changing
		// the domain does.
		settingRule{"cookieDomain", func(t Tenant) any { return [2]string{t.Settings.CookieDomain, t.Settings.PortalURL} }, checkCookieDomain},
		// Whether the codes are the stack's is the Service's to check
		// (Deps.SMSCountries): the rules do not know the stack.
		settingRule{"smsCountries", func(t Tenant) any { return t.Settings.SMSCountries }, func(t Tenant, _ bool) string {
			if _, err := ParseCountries(t.Settings.SMSCountries); err != nil {
				return "must be ISO 3166 alpha-2 country codes, like [\"US\", \"CA\"], each once"
			}
			return ""
		}},
		settingRule{"locales", func(t Tenant) any { return t.Settings.Locales }, func(t Tenant, _ bool) string {
			if !validLocales(t.Settings.Locales) {
				return `must list 1 to 4 distinct languages of "en", "es", "de", "fr"; the first is the default`
			}
			return ""
		}},
		settingRule{"brandColor", func(t Tenant) any { return t.Settings.BrandColor }, func(t Tenant, _ bool) string {
			return checkBrandColor(t.Settings.BrandColor)
		}},
		settingRule{"supportEmail", func(t Tenant) any { return t.Settings.SupportEmail }, func(t Tenant, _ bool) string {
			if s := t.Settings.SupportEmail; s != "" && !validSupportEmail(s) {
				return "must be an email address, like help@example.com"
			}
			return ""
		}},
		settingRule{"supportUrl", func(t Tenant) any { return t.Settings.SupportURL }, func(t Tenant, _ bool) string {
			if s := t.Settings.SupportURL; s != "" && !validSupportURL(s) {
				return "must be an https URL of at most 500 characters"
			}
			return ""
		}},
		settingRule{"smsPerHour", func(t Tenant) any { return t.Settings.SMSPerHour }, func(t Tenant, _ bool) string {
			if n := t.Settings.SMSPerHour; n < 0 || n > 100000 {
				return "must be from 0 to 100000"
			}
			return ""
		}},
	)
}

// validLocales reports whether a stored locales setting ("" for the
// default) names 1-4 distinct shipped languages.
func validLocales(s string) bool {
	if s == "" {
		return true
	}
	seen := map[string]bool{}
	for _, l := range strings.Split(s, ",") {
		if !ShippedLocale(l) || seen[l] {
			return false
		}
		seen[l] = true
	}
	return len(seen) <= len(Locales)
}

// checkCookieDomain is the rule of cookieDomain: none, or a DNS name of
// at least two labels that is the portal's host or a parent of it (API.md:
// a parent domain shared by the API's domain and the portal). Whether the
// API's own host is under it is the HTTP layer's to see: the core does
// not know the custom domain the API is served on, and a domain the API
// is not under only falls back to the API's own cookie.
func checkCookieDomain(t Tenant, _ bool) string {
	d := t.Settings.CookieDomain
	if d == "" {
		return ""
	}
	if !validDomain(d) {
		return "must be a parent domain shared by the API and the portal, like example.com"
	}
	u, err := ParsePortalURL(t.Settings.PortalURL)
	if err != nil {
		return "must be a parent domain of the portal's host; the portal URL is not valid"
	}
	host := strings.ToLower(u.Hostname())
	if _, err := netip.ParseAddr(host); err == nil || host != d && !strings.HasSuffix(host, "."+d) {
		return fmt.Sprintf("must be the portal's host %s or a parent domain of it", host)
	}
	return ""
}

// CheckTenant checks the name and every setting of t, as a new tenant
// must pass. The error is CodeInvalidRequest with a message that starts
// with the setting's API.md name.
func CheckTenant(t Tenant, opts ...TenantOption) error {
	relaxed := false
	for _, o := range opts {
		relaxed = relaxed || o == RelaxedLifetimes
	}
	return checkRules(nil, t, relaxed)
}

// CheckTenantChange checks the settings that differ between before and
// after (those whose rule depends on anything that changed). Settings a
// change leaves alone are not checked again: a tenant the dev server made
// with a two-second link may still be renamed.
func CheckTenantChange(before, after Tenant) error {
	return checkRules(&before, after, false)
}

func checkRules(before *Tenant, t Tenant, relaxed bool) error {
	for _, r := range settingRules {
		if before != nil && r.key(*before) == r.key(t) {
			continue
		}
		if msg := r.check(t, relaxed); msg != "" {
			return invalidSetting(r.name, msg)
		}
	}
	return nil
}

// tidySettings brings t's settings to the form they are stored in: a
// cookie domain lower-case without a leading dot, as browsers read it.
func tidySettings(t *Tenant) {
	t.Settings.CookieDomain = strings.TrimPrefix(strings.ToLower(t.Settings.CookieDomain), ".")
	if len(t.Settings.BrandColor) == 7 {
		t.Settings.BrandColor = strings.ToLower(t.Settings.BrandColor)
	}
	if c, err := ParseCountries(t.Settings.SMSCountries); err == nil {
		t.Settings.SMSCountries = strings.Join(c, ",")
	}
}

// invalidSetting returns the invalid_request error about one setting,
// its message starting with the setting's name.
func invalidSetting(name, msg string) error {
	return Errorf(CodeInvalidRequest, "%s %s", name, msg)
}

// validDomain reports whether d is a lower-case DNS name of at least two labels.
func validDomain(d string) bool {
	labels := strings.Split(d, ".")
	if len(d) > 253 || len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if len(l) < 1 || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for _, c := range l {
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}
