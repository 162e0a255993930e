package message

import (
	"strings"
	"sync"
)

// Key names one text of the message catalog: every word a hosted page or
// an email shows. Each language keeps its texts in a file of its own
// (catalog_en.go, catalog_es.go, …), a map from Key to text; a text may
// hold placeholders in braces ("{tenant}"), which F fills in. The SMS
// texts are in the same maps, at the top. TestCatalogComplete holds every
// language to the English keys and placeholders.
type Key string

// Languages are the shipped languages, English first. login.Locales lists
// the same (a test checks), since the tenant settings that choose among
// them live there and cannot import this package.
var Languages = []string{"en", "es", "de", "fr"}

// catalogs maps a shipped language to its texts.
var catalogs = map[string]map[Key]string{
	"en": catalogEN,
	"es": catalogES,
	"de": catalogDE,
	"fr": catalogFR,
}

// Shipped reports whether lang is one of Languages.
func Shipped(lang string) bool {
	_, ok := catalogs[lang]
	return ok
}

// PseudoLang is a pseudo-locale for tests only: every text is the English
// one between ⟦ and ⟧, so that a rendering checked in it shows any word
// that did not come from the catalog. It is not shipped: no page offers
// it and no tenant can choose it.
const PseudoLang = "qps"

// Pseudo-locale brackets.
const (
	PseudoOpen  = "⟦"
	PseudoClose = "⟧"
)

var pseudo = sync.OnceValue(func() map[Key]string {
	m := make(map[Key]string, len(catalogEN))
	for k, v := range catalogEN {
		m[k] = PseudoOpen + v + PseudoClose
	}
	return m
})

// T returns key's text in lang; English when lang is not shipped or
// lacks the key (the tests see that none does).
func T(lang string, k Key) string {
	if lang == PseudoLang {
		return pseudo()[k]
	}
	if c, ok := catalogs[lang]; ok {
		if s, ok := c[k]; ok {
			return s
		}
	}
	return catalogEN[k]
}

// F returns key's text in lang with its placeholders filled in from
// name, value pairs: F("es", PageLogInTo, "tenant", "Acme").
func F(lang string, k Key, nameValues ...string) string {
	s := T(lang, k)
	for i := 0; i+1 < len(nameValues); i += 2 {
		s = strings.ReplaceAll(s, "{"+nameValues[i]+"}", nameValues[i+1])
	}
	return s
}

// Lang returns lang when it is shipped (or the pseudo-locale), else "en":
// the language a rendering of a login.Message uses.
func Lang(lang string) string {
	if Shipped(lang) || lang == PseudoLang {
		return lang
	}
	return "en"
}
