package message

import "strconv"

// The words of the hosted pages (login, code, continue, picker, error and
// logout), in English. They live here, beside the words of the emails and
// SMS, so that one message catalog can take all of them over; the HTTP
// layer only places them. Each is plain text: the pages escape it.
const (
	PageLogIn           = "Log in"
	PageIdentifierLabel = "Email address or phone number"
	PagePlaceholder     = "you@example.com or +14155550123"
	PageSendLink        = "Send me a login link"
	PageNoPassword      = "No password needed. We send you a link and a code."

	PageCheckTitle = "Check your messages"
	PageCheckEmail = "Check your email"
	PageCheckPhone = "Check your phone"
	PageCodeLabel  = "Login code"
	PageCodeButton = "Log in"
	PageOtherEmail = "Nothing arrived? Send it by email instead"
	PageOtherSMS   = "Nothing arrived? Send it by text message instead"
	PageUseAnother = "Use another address"

	// The check page after "send it by the other channel": the page
	// cannot know whether a contact has that channel on file, and must
	// read the same either way.
	PageFallbackSMS   = "If a phone number is on file, we sent a text message with a login link and a code. Follow the link, or enter the code here."
	PageFallbackEmail = "If an email address is on file, we sent an email with a login link and a code. Follow the link, or enter the code here."

	PageContinueButton = "Continue"
	PageContinueHint   = "This link works once. If you did not ask to log in, close this page."

	PagePickTitle = "Choose your portal"
	PagePickIntro = "Your address belongs to more than one business. Which portal do you want to open?"

	PageErrorTitle      = "Something went wrong"
	PageLinkExpired     = "This link has expired"
	PageLinkUsed        = "This link is no longer valid"
	PageLinkNotValid    = "This link is not valid"
	PageLinkNotValidMsg = "This link is not valid. Check that you opened all of it, or request a new one."
	PageRefused         = "Request refused"
	PageNewLinkLabel    = "Get a new login link"
	PageNewLinkButton   = "Send me a new link"
	PageToLogin         = "Go to the login page"

	PageLogOut         = "Log out"
	PageLogOutButton   = "Log out"
	PageLoggedOut      = "You are logged out"
	PageLoggedOutIntro = "You are not logged in on this browser."
	PageLogInAgain     = "Log in again"
)

// PageLogInTo is the login page's heading for a tenant.
func PageLogInTo(tenant string) string { return "Log in to " + tenant }

// PageLogOutOf is the logout page's question while a session is open.
func PageLogOutOf(tenant string) string { return "Log out of " + tenant + "?" }

// PageContinueTo is the continue page's heading: the tenant's portal, or
// "your portal" for a link that belongs to several tenants (the picker
// comes next, so no one name fits).
func PageContinueTo(tenant string, several bool) string {
	if several || tenant == "" {
		return "Continue to your portal"
	}
	return "Continue to " + tenant + " portal"
}

// PageCheckSent ends the check page's sentence that begins "If <the
// identifier>": what was sent, and by which channel.
func PageCheckSent(sms bool) string {
	what := "an email"
	if sms {
		what = "a text message"
	}
	return " belongs to an account, we sent " + what + " with a login link and a code. Follow the link, or enter the code here."
}

// PageWaitTitle is the rate-limited page's heading.
func PageWaitTitle(minutes int) string { return "Please wait " + Minutes(minutes) }

// PageWaitMsg is the rate-limited page's message.
func PageWaitMsg(minutes int) string {
	return "Too many requests. You can try again in " + Minutes(minutes) + "."
}

// Minutes says a whole number of minutes, at least one: "1 minute",
// "15 minutes".
func Minutes(n int) string {
	n = max(n, 1)
	s := strconv.Itoa(n) + " minute"
	if n != 1 {
		s += "s"
	}
	return s
}
