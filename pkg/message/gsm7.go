package message

import (
	"strings"
	"unicode/utf16"
)

// GSM 03.38: the 7-bit default alphabet an SMS is cheapest in. A text
// of basic characters only goes as GSM-7, 160 characters in one segment
// or 153 in each part of a longer one; the extension characters take an
// escape and count two; any other character sends the whole text as
// UCS-2, 70 characters in one segment or 67 in each part.
const (
	gsmBasic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
		"¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
	gsmExtension = "\f^{}\\[~]|€"
)

// Segment sizes of GSM 03.40 (with the concatenation header).
const (
	gsmSingle = 160
	gsmPart   = 153
	ucsSingle = 70
	ucsPart   = 67
)

// gsmSeptets is what r costs in GSM-7: 1 for a basic character, 2 for an
// extension character, 0 when r has no GSM-7 form.
func gsmSeptets(r rune) int {
	switch {
	case strings.ContainsRune(gsmBasic, r):
		return 1
	case strings.ContainsRune(gsmExtension, r):
		return 2
	}
	return 0
}

// IsGSM7 reports whether s can go as GSM-7: every character is in the
// basic set or its extension.
func IsGSM7(s string) bool {
	for _, r := range s {
		if gsmSeptets(r) == 0 {
			return false
		}
	}
	return true
}

// SMSSegments counts the segments an SMS of text s is billed as, and
// whether it goes as GSM-7 (else UCS-2). A concatenated text never splits
// an extension character's escape from it, nor (in UCS-2) a surrogate
// pair, so a part may hold one less. The empty text is one segment.
func SMSSegments(s string) (segments int, gsm bool) {
	if IsGSM7(s) {
		return pack(s, gsmSingle, gsmPart, gsmSeptets), true
	}
	return pack(s, ucsSingle, ucsPart, func(r rune) int { return len(utf16.Encode([]rune{r})) }), false
}

func pack(s string, single, part int, cost func(rune) int) int {
	total := 0
	for _, r := range s {
		total += cost(r)
	}
	if total <= single {
		return 1
	}
	n, used := 1, 0
	for _, r := range s {
		c := cost(r)
		if used+c > part {
			n, used = n+1, 0
		}
		used += c
	}
	return n
}

// translit spells the Latin letters that GSM-7 lacks with ones it has:
// the letter without its accent (NFD, then the mark dropped), or the
// usual spelling of a ligature. A letter GSM-7 has (é, ñ, ü, Ç, ß...) is
// kept as it is and never looked up here.
var translit = buildTranslit(map[string]string{
	"a": "áâãāăąǎ", "A": "ÀÁÂÃĀĂĄǍ", "c": "çćĉċč", "C": "ĆĈĊČ", "d": "ďđ", "D": "ĎĐ",
	"e": "êëēĕėęě", "E": "ÈÊËĒĔĖĘĚ", "g": "ĝğġģ", "G": "ĜĞĠĢ", "h": "ĥħ", "H": "ĤĦ",
	"i": "íîïĩīĭįı", "I": "ÌÍÎÏĨĪĬĮİ", "j": "ĵ", "J": "Ĵ", "k": "ķ", "K": "Ķ",
	"l": "ĺļľŀł", "L": "ĹĻĽĿŁ", "n": "ńņňŉ", "N": "ŃŅŇ", "o": "óôõōŏőǒ", "O": "ÒÓÔÕŌŎŐǑ",
	"r": "ŕŗř", "R": "ŔŖŘ", "s": "śŝşšș", "S": "ŚŜŞŠȘ", "t": "ţťŧț", "T": "ŢŤŦȚ",
	"u": "úûũūŭůűųǔ", "U": "ÙÚÛŨŪŬŮŰŲǓ", "w": "ŵ", "W": "Ŵ", "y": "ýÿŷ", "Y": "ÝŶŸ",
	"z": "źżž", "Z": "ŹŻŽ", "oe": "œ", "OE": "Œ", "ae": "ǽ", "ss": "ẞ", "th": "þ", "Th": "Þ", "dh": "ð", "Dh": "Ð",
	"'": "‘’‚′`´", "\"": "“”„″«»", "-": "‐‑‒–—―−", "...": "…", " ": "\u00a0\u2007\u202f\u2009",
})

func buildTranslit(groups map[string]string) map[rune]string {
	m := map[rune]string{}
	for to, from := range groups {
		for _, r := range from {
			m[r] = to
		}
	}
	return m
}

// toGSM7 writes s in GSM-7: characters it has stay, Latin letters it
// lacks lose their accent (translit), and anything else (other scripts,
// emoji) is dropped. Runs of spaces left behind collapse.
func toGSM7(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case gsmSeptets(r) > 0:
			b.WriteRune(r)
		case translit[r] != "":
			b.WriteString(translit[r])
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}
