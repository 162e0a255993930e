package message

import "strconv"

// The hosted pages (login, code, continue, picker, error and logout) take
// their words from the catalog (keys.go, Page*); the HTTP layer only
// places them. These helpers fill in the texts whose wording depends on
// more than one value.

// ContinueTitle is the continue page's heading in lang: the tenant's
// portal, or "your portal" for a link that belongs to several tenants
// (the picker comes next, so no one name fits).
func ContinueTitle(lang, tenant string, several bool) string {
	if several || tenant == "" {
		return T(lang, PageContinueYours)
	}
	return F(lang, PageContinueTo, "tenant", tenant)
}

// WaitTitle is the rate-limited page's heading in lang.
func WaitTitle(lang string, minutes int) string {
	return F(lang, PageWaitTitle, "minutes", Minutes(lang, minutes))
}

// WaitMsg is the rate-limited page's message in lang.
func WaitMsg(lang string, minutes int) string {
	return F(lang, PageWaitMsg, "minutes", Minutes(lang, minutes))
}

// Minutes says a whole number of minutes, at least one, in lang:
// "1 minute", "15 minutes".
func Minutes(lang string, n int) string {
	return units(lang, int64(max(n, 1)), UnitMinute, UnitMinutes)
}

// units says n of a unit in lang, singular or plural by the language's rule.
func units(lang string, n int64, one, other Key) string {
	k := other
	if n == 1 || (n == 0 && lang == "fr") {
		k = one
	}
	return F(lang, k, "n", strconv.FormatInt(n, 10))
}
