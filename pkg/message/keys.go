package message

// The keys of the message catalog. Page* are the hosted pages' words,
// Email* the emails', SMS* the text messages', Unit* the units Duration says a lifetime in. Every
// text is plain text: the pages and the HTML part escape it.
const (
	// SMS* are a text message's words. Every one must be GSM-7 (a test
	// checks): one character outside it (á, í, ó, ú, ê, ç...) sends the
	// whole SMS as UCS-2 at less than half the characters per segment, so
	// the texts are written around them. A language whose word for days
	// is not GSM-7 (Spanish días) says a lifetime in hours instead.
	SMSCodeLogin    Key = "sms.codeLogin"    // what precedes the code
	SMSCodeInvite   Key = "sms.codeInvite"   // what precedes the code
	SMSCodeRecovery Key = "sms.codeRecovery" // what precedes the code
	SMSLinkLogin    Key = "sms.linkLogin"    // what precedes a link sent without a code
	SMSLinkInvite   Key = "sms.linkInvite"
	SMSLinkRecovery Key = "sms.linkRecovery"
	SMSOrTap        Key = "sms.orTap"   // between the code and the link
	SMSExpires      Key = "sms.expires" // {ttl}
	SMSSecond       Key = "sms.second"  // {n}
	SMSSeconds      Key = "sms.seconds" // {n}
	SMSMinute       Key = "sms.minute"  // {n}
	SMSMinutes      Key = "sms.minutes" // {n}
	SMSHour         Key = "sms.hour"    // {n}
	SMSHours        Key = "sms.hours"   // {n}
	SMSDay          Key = "sms.day"     // {n}
	SMSDays         Key = "sms.days"    // {n}

	PageLogIn           Key = "page.logIn"
	PageLogInTo         Key = "page.logInTo" // {tenant}
	PageIdentifierLabel Key = "page.identifierLabel"
	PagePlaceholder     Key = "page.placeholder"
	PageSendLink        Key = "page.sendLink"
	PageNoPassword      Key = "page.noPassword"

	PageCheckTitle     Key = "page.checkTitle"
	PageCheckEmail     Key = "page.checkEmail"
	PageCheckPhone     Key = "page.checkPhone"
	PageCheckSentEmail Key = "page.checkSentEmail" // {identifier}
	PageCheckSentSMS   Key = "page.checkSentSms"   // {identifier}
	PageCodeLabel      Key = "page.codeLabel"
	PageCodeButton     Key = "page.codeButton"
	PageOtherEmail     Key = "page.otherEmail"
	PageOtherSMS       Key = "page.otherSms"
	PageUseAnother     Key = "page.useAnother"
	// The check page after "send it by the other channel": the page
	// cannot know whether a contact has that channel on file, and must
	// read the same either way.
	PageFallbackSMS   Key = "page.fallbackSms"
	PageFallbackEmail Key = "page.fallbackEmail"

	PageContinueTo     Key = "page.continueTo" // {tenant}
	PageContinueYours  Key = "page.continueYours"
	PageContinueButton Key = "page.continueButton"
	PageContinueHint   Key = "page.continueHint"

	PagePickTitle Key = "page.pickTitle"
	PagePickIntro Key = "page.pickIntro"

	PageErrorTitle      Key = "page.errorTitle"
	PageLinkExpired     Key = "page.linkExpired"
	PageLinkUsed        Key = "page.linkUsed"
	PageLinkNotValid    Key = "page.linkNotValid"
	PageLinkNotValidMsg Key = "page.linkNotValidMsg"
	PageRefused         Key = "page.refused"
	PageNewLinkLabel    Key = "page.newLinkLabel"
	PageNewLinkButton   Key = "page.newLinkButton"
	PageToLogin         Key = "page.toLogin"
	PageWaitTitle       Key = "page.waitTitle" // {minutes}
	PageWaitMsg         Key = "page.waitMsg"   // {minutes}
	PageNoPortal        Key = "page.noPortal"

	// The error line of a page, by error code, in every language but
	// English, where the page shows the API's own (more precise) message.
	PageErrInvalidRequest    Key = "page.err.invalidRequest"
	PageErrInvalidIdentifier Key = "page.err.invalidIdentifier"
	PageErrInvalidCode       Key = "page.err.invalidCode"
	PageErrLinkExpired       Key = "page.err.linkExpired"
	PageErrLinkInvalid       Key = "page.err.linkInvalid"
	PageErrForbidden         Key = "page.err.forbidden"
	PageErrNotFound          Key = "page.err.notFound"
	PageErrOther             Key = "page.err.other"

	PageLogOut         Key = "page.logOut"
	PageLogOutOf       Key = "page.logOutOf" // {tenant}
	PageLogOutButton   Key = "page.logOutButton"
	PageLoggedOut      Key = "page.loggedOut"
	PageLoggedOutIntro Key = "page.loggedOutIntro"
	PageLogInAgain     Key = "page.logInAgain"

	EmailLoginSubjectLink    Key = "email.login.subjectLink" // {tenant}
	EmailLoginSubjectCode    Key = "email.login.subjectCode" // {tenant}
	EmailLoginUseLink        Key = "email.login.useLink"     // {tenant}
	EmailLoginUseCode        Key = "email.login.useCode"     // {tenant}
	EmailLoginButton         Key = "email.login.button"
	EmailInviteSubject       Key = "email.invite.subject" // {tenant}
	EmailInviteSubjectAny    Key = "email.invite.subjectAny"
	EmailInviteIntro         Key = "email.invite.intro" // {tenant}
	EmailInviteIntroAny      Key = "email.invite.introAny"
	EmailInviteUseLink       Key = "email.invite.useLink"
	EmailInviteUseCode       Key = "email.invite.useCode"
	EmailInviteButton        Key = "email.invite.button"
	EmailRecoverySubjectLink Key = "email.recovery.subjectLink" // {tenant}
	EmailRecoverySubjectCode Key = "email.recovery.subjectCode" // {tenant}
	EmailRecoveryUseLink     Key = "email.recovery.useLink"     // {tenant}
	EmailRecoveryUseCode     Key = "email.recovery.useCode"     // {tenant}
	EmailRecoveryButton      Key = "email.recovery.button"
	EmailYourPortal          Key = "email.yourPortal"
	EmailCodeLine            Key = "email.codeLine"    // {code}
	EmailCodeLineOr          Key = "email.codeLineOr"  // {code}
	EmailLinkExpires         Key = "email.linkExpires" // {ttl}
	EmailCodeExpires         Key = "email.codeExpires" // {ttl}
	EmailIgnore              Key = "email.ignore"
	EmailCopyLink            Key = "email.copyLink"

	UnitSecond  Key = "unit.second"  // {n}
	UnitSeconds Key = "unit.seconds" // {n}
	UnitMinute  Key = "unit.minute"  // {n}
	UnitMinutes Key = "unit.minutes" // {n}
	UnitHour    Key = "unit.hour"    // {n}
	UnitHours   Key = "unit.hours"   // {n}
	UnitDay     Key = "unit.day"     // {n}
	UnitDays    Key = "unit.days"    // {n}
)

// The tenant's look (issue 11): the support contact that error pages and
// emails name when the tenant set one.
const (
	SupportLine Key = "support.line" // {tenant}
)
