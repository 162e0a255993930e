// Package message renders the emails and SMS that carry a login link and
// code (login.Message) into subject, text and HTML parts, for every
// sender: SES, SNS and the dev inbox.
//
// The HTML part is plain and self-contained: inline styles only, nothing
// loaded from another origin, every interpolated value escaped with
// html.EscapeString into text or a double-quoted attribute, and only an
// http or https link put in an href. Rendering never fails; a Message's
// text fields are cleaned of control characters before they are used.
//
// The package imports neither text/template nor html/template, nor
// anything that does (a test checks): a binary that uses either keeps
// every exported method of every reachable type, since templates call
// methods by name, which nearly doubles the size of the Lambda functions
// that send messages.
package message
