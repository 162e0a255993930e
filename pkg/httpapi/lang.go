package httpapi

import (
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/message"
)

// pageLang picks a page's language among offered (the tenant's locales;
// nil: every shipped language, for a page that knows no tenant). An
// explicit choice wins: ?lang= in the URL, else the form's lang field
// (formLang, "" for none), when offered. Then the browser's
// Accept-Language, by q-value, a regional tag counting for its language
// (es-MX -> es). Else the first offered, the tenant's default. explicit
// says whether ?lang= or the form decided, so that the page's links keep
// it (a page's forms always carry their language).
func pageLang(r *http.Request, offered []string, formLang string) (lang string, explicit bool) {
	if len(offered) == 0 {
		offered = login.Locales
	}
	offers := func(l string) bool {
		for _, o := range offered {
			if o == l {
				return true
			}
		}
		return false
	}
	if q := r.URL.Query().Get("lang"); q != "" {
		if l, ok := login.ParseLocaleTag(q); ok && offers(l) {
			return l, true
		}
	}
	if l, ok := login.ParseLocaleTag(formLang); ok && offers(l) {
		return l, true
	}
	for _, l := range acceptLanguages(r.Header.Get("Accept-Language")) {
		if offers(l) {
			return l, false
		}
	}
	return offered[0], false
}

// acceptLanguages returns the primary languages of an Accept-Language
// header, most wanted first (by q-value, then order), leaving out "*",
// q=0 and anything malformed.
func acceptLanguages(h string) []string {
	type pref struct {
		lang string
		q    float64
	}
	var prefs []pref
	for i, part := range strings.Split(h, ",") {
		if i >= 20 { // a browser sends a handful; more is noise
			break
		}
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil || f < 0 || f > 1 {
				continue
			}
			q = f
		}
		l, ok := login.ParseLocaleTag(strings.TrimSpace(tag))
		if !ok || q == 0 {
			continue
		}
		prefs = append(prefs, pref{l, q})
	}
	sort.SliceStable(prefs, func(i, j int) bool { return prefs[i].q > prefs[j].q })
	out := make([]string, len(prefs))
	for i, p := range prefs {
		out[i] = p.lang
	}
	return out
}

// pageError is the error line of a page in lang: the API's own message in
// English, else the catalog's wording for the error's code (the API's
// messages are English, part of the JSON contract).
func pageError(lang string, code login.Code, msg string) string {
	if lang == "en" || msg == "" {
		return msg
	}
	k := message.PageErrOther
	switch code {
	case login.CodeInvalidRequest, login.CodeUnsupportedMedia, login.CodeBodyTooLarge:
		k = message.PageErrInvalidRequest
	case login.CodeInvalidIdentifier:
		k = message.PageErrInvalidIdentifier
	case login.CodeInvalidCode:
		k = message.PageErrInvalidCode
	case login.CodeLinkExpired:
		k = message.PageErrLinkExpired
	case login.CodeLinkInvalid:
		k = message.PageErrLinkInvalid
	case login.CodeForbidden:
		k = message.PageErrForbidden
	case login.CodeNotFound:
		k = message.PageErrNotFound
	}
	return message.T(lang, k)
}
