// Package ses is the login.Sender for email: it renders a login.Message
// with package message and sends its text and HTML parts through Amazon
// SES v2 from the stack's one verified address, under the tenant's
// display name.
//
// Its errors never hold the message's link, code or body, nor its
// recipient's address.
package ses
