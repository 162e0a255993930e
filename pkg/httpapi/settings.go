package httpapi

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/redirect"
)

// SettingsJSON is a tenant's settings as API.md names them. In a body
// every field is optional: nil leaves a setting as it is.
type SettingsJSON struct {
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
}

// SettingsOut shows a tenant's settings.
func SettingsOut(t login.Tenant) SettingsJSON {
	st := t.Settings
	secs := func(d time.Duration) *int64 { v := int64(d / time.Second); return &v }
	sender := st.SenderName
	if sender == "" {
		sender = t.Name
	}
	return SettingsJSON{
		Name: &t.Name, PortalURL: &st.PortalURL,
		LinkTTLSeconds: secs(st.LinkTTL), InviteTTLSeconds: secs(st.InviteTTL),
		RecoveryTTLSeconds: secs(st.RecoveryTTL), SessionTTLSeconds: secs(st.SessionTTL),
		CodeLength: &st.CodeLength, CodeAlsoBySMS: &st.CodeAlsoBySMS, SMSLogin: &st.SMSLogin,
		SenderName: &sender, PortalIntegration: &st.PortalIntegration, CookieDomain: &st.CookieDomain,
	}
}

// ttlRange is a lifetime's allowed range in seconds.
type ttlRange struct {
	name     string
	min, max int64
}

// ApplySettings checks b and applies it to t. Each setting is checked
// against API.md's range; dev (the dev server only) lowers every minimum
// to one second so that expiry can be tried by hand.
func ApplySettings(t *login.Tenant, b SettingsJSON, dev bool) error {
	st := &t.Settings
	if b.Name != nil {
		if n := utf8.RuneCountInString(*b.Name); n < 1 || n > 100 {
			return invalidSetting("name", "must be 1-100 characters")
		}
		t.Name = *b.Name
	}
	if b.PortalURL != nil {
		if err := redirect.CheckPortalURL(*b.PortalURL); err != nil {
			return invalidSetting("portalUrl", "must be an https URL (http only for localhost)")
		}
		st.PortalURL = *b.PortalURL
	}
	for _, f := range []struct {
		v   *int64
		r   ttlRange
		dst *time.Duration
	}{
		{b.LinkTTLSeconds, ttlRange{"linkTtlSeconds", 60, 3600}, &st.LinkTTL},
		{b.InviteTTLSeconds, ttlRange{"inviteTtlSeconds", 3600, 2592000}, &st.InviteTTL},
		{b.RecoveryTTLSeconds, ttlRange{"recoveryTtlSeconds", 600, 604800}, &st.RecoveryTTL},
		{b.SessionTTLSeconds, ttlRange{"sessionTtlSeconds", 300, 7776000}, &st.SessionTTL},
	} {
		if f.v == nil {
			continue
		}
		lo := f.r.min
		if dev {
			lo = 1
		}
		if *f.v < lo || *f.v > f.r.max {
			return invalidSetting(f.r.name, "must be from %d to %d seconds", lo, f.r.max)
		}
		*f.dst = time.Duration(*f.v) * time.Second
	}
	if b.CodeLength != nil {
		if *b.CodeLength < 4 || *b.CodeLength > 8 {
			return invalidSetting("codeLength", "must be from 4 to 8")
		}
		st.CodeLength = *b.CodeLength
	}
	if b.CodeAlsoBySMS != nil {
		st.CodeAlsoBySMS = *b.CodeAlsoBySMS
	}
	if b.SMSLogin != nil {
		st.SMSLogin = *b.SMSLogin
	}
	if b.SenderName != nil {
		if n := utf8.RuneCountInString(*b.SenderName); n > 100 || containsControl(*b.SenderName) {
			return invalidSetting("senderName", "must be at most 100 characters, with no control characters")
		}
		st.SenderName = *b.SenderName
	}
	if b.PortalIntegration != nil {
		if *b.PortalIntegration != "cookie" && *b.PortalIntegration != "handoff" {
			return invalidSetting("portalIntegration", "must be \"cookie\" or \"handoff\"")
		}
		st.PortalIntegration = *b.PortalIntegration
	}
	if b.CookieDomain != nil {
		d := strings.TrimPrefix(strings.ToLower(*b.CookieDomain), ".")
		if d != "" && !validDomain(d) {
			return invalidSetting("cookieDomain", "must be a parent domain shared by the API and the portal, like example.com")
		}
		st.CookieDomain = d
	}
	return nil
}

func invalidSetting(name, format string, args ...any) error {
	e := login.Errorf(login.CodeInvalidRequest, format, args...)
	e.Msg = name + " " + e.Msg
	return e
}

func containsControl(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return true
		}
	}
	return false
}

// validDomain reports whether d is a DNS name of at least two labels.
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
