package login

import (
	"errors"
	"slices"
	"strings"
)

// ParseCountries checks a comma-separated list of ISO 3166 alpha-2 codes
// (two ASCII letters, each once; "" is none) and returns them upper-case.
// It checks the form, not that ISO assigned the code: an unassigned one
// matches no number.
func ParseCountries(list string) ([]string, error) {
	if list == "" {
		return nil, nil
	}
	var out []string
	for _, c := range strings.Split(list, ",") {
		c = strings.ToUpper(strings.TrimSpace(c))
		if len(c) != 2 || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z' {
			return nil, errors.New("login: a country code is two letters")
		}
		if slices.Contains(out, c) {
			return nil, errors.New("login: a country code is repeated")
		}
		out = append(out, c)
	}
	return out, nil
}

// smsAllowed reports whether a tenant's SMS may go to a number of region:
// the stack's countries (Deps.SMSCountries), narrowed by the tenant's own
// list where it set one. A country the stack dropped since stays out.
func (s *Service) smsAllowed(t Tenant, region string) bool {
	if region == "" || !slices.Contains(s.d.SMSCountries, region) {
		return false
	}
	if t.Settings.SMSCountries == "" {
		return true
	}
	for c := range strings.SplitSeq(t.Settings.SMSCountries, ",") {
		if c == region {
			return true
		}
	}
	return false
}

// checkSMSCountries requires a tenant's own SMS countries to be a subset
// of the stack's, when they are new or changed (before nil: a new tenant).
func (s *Service) checkSMSCountries(before *Tenant, t Tenant) error {
	if before != nil && before.Settings.SMSCountries == t.Settings.SMSCountries {
		return nil
	}
	cs, _ := ParseCountries(t.Settings.SMSCountries) // CheckTenant has checked the form
	for _, c := range cs {
		if !slices.Contains(s.d.SMSCountries, c) {
			return invalidSetting("smsCountries", "must be a subset of the stack's SMS countries ("+strings.Join(s.d.SMSCountries, ", ")+"); "+c+" is not one")
		}
	}
	return nil
}
