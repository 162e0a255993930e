// Package message renders the emails and SMS that carry a login link and
// code (login.Message) into subject, text and HTML parts, for every
// sender: SES, SNS and the dev inbox.
//
// The HTML part is plain and self-contained: inline styles only, nothing
// loaded from another origin, every interpolated value escaped by
// html/template. Rendering never fails; a Message's text fields are
// cleaned of control characters before they are used.
package message
