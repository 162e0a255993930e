package message

import (
	"strings"

	"github.com/portalpass/portalpass/pkg/login"
)

// smsText is an SMS's words in one language. Every string is GSM-7 (a
// test checks): a single character outside it (á, í, ó, ú, ê, ç...)
// would send the whole text as UCS-2, at less than half the characters
// per segment, so the texts are written around them.
type smsText struct {
	// code is what precedes the code, by kind; link what precedes a link
	// sent without a code.
	code, link map[login.MessageKind]string
	orTap      string // between the code and the link
	expires    string // the lifetime's words, %s the lifetime
	// units are second, minute, hour and day, singular and plural; a
	// language without a GSM-7 word for days ("" day) counts hours.
	units [4][2]string
}

// smsTexts are the languages SMS ship in, by locale; English is the
// fallback.
var smsTexts = map[string]smsText{
	"en": {
		code: map[login.MessageKind]string{
			login.KindLogin: "your login code is ", login.KindInvite: "your invitation code is ",
			login.KindRecovery: "your account recovery code is ",
		},
		link: map[login.MessageKind]string{
			login.KindLogin: "tap to log in: ", login.KindInvite: "tap to accept your invitation: ",
			login.KindRecovery: "tap to recover your account: ",
		},
		orTap:   ". Or tap ",
		expires: "expires in %s",
		units:   [4][2]string{{"second", "seconds"}, {"minute", "minutes"}, {"hour", "hours"}, {"day", "days"}},
	},
	// Spanish without acute accents: "clave" for código, "pulsa", and
	// hours for días.
	"es": {
		code: map[login.MessageKind]string{
			login.KindLogin: "tu clave de acceso es ", login.KindInvite: "tu clave para unirte es ",
			login.KindRecovery: "tu clave para recuperar tu cuenta es ",
		},
		link: map[login.MessageKind]string{
			login.KindLogin: "pulsa para entrar: ", login.KindInvite: "pulsa para unirte: ",
			login.KindRecovery: "pulsa para recuperar tu cuenta: ",
		},
		orTap:   ". O pulsa ",
		expires: "caduca en %s",
		units:   [4][2]string{{"segundo", "segundos"}, {"minuto", "minutos"}, {"hora", "horas"}, {"", ""}},
	},
	"de": {
		code: map[login.MessageKind]string{
			login.KindLogin: "Ihr Anmeldecode lautet ", login.KindInvite: "Ihr Einladungscode lautet ",
			login.KindRecovery: "Ihr Wiederherstellungscode lautet ",
		},
		link: map[login.MessageKind]string{
			login.KindLogin: "hier anmelden: ", login.KindInvite: "Einladung annehmen: ",
			login.KindRecovery: "Konto wiederherstellen: ",
		},
		orTap:   ". Oder direkt: ",
		expires: "gültig für %s",
		units:   [4][2]string{{"Sekunde", "Sekunden"}, {"Minute", "Minuten"}, {"Stunde", "Stunden"}, {"Tag", "Tage"}},
	},
	// French with é and è only: "touchez", "récupération".
	"fr": {
		code: map[login.MessageKind]string{
			login.KindLogin: "votre code de connexion est ", login.KindInvite: "votre code d'invitation est ",
			login.KindRecovery: "votre code de récupération est ",
		},
		link: map[login.MessageKind]string{
			login.KindLogin: "connectez-vous ici : ", login.KindInvite: "acceptez l'invitation ici : ",
			login.KindRecovery: "récupérez votre compte ici : ",
		},
		orTap:   ". Ou touchez ",
		expires: "expire dans %s",
		units:   [4][2]string{{"seconde", "secondes"}, {"minute", "minutes"}, {"heure", "heures"}, {"jour", "jours"}},
	},
}

// SMSLocales are the languages SMS are written in.
var SMSLocales = []string{"en", "es", "de", "fr"}

// smsTextFor returns the words of locale ("es", or "es-MX" for the
// same), English for "" or any other.
func smsTextFor(locale string) smsText {
	lang, _, _ := strings.Cut(strings.ToLower(locale), "-")
	if t, ok := smsTexts[lang]; ok {
		return t
	}
	return smsTexts["en"]
}
