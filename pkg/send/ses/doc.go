// Package ses is the login.Sender for email: it renders a login.Message
// with package message and sends its text and HTML parts through Amazon
// SES v2 from the stack's one verified address, under the tenant's
// display name.
//
// Its errors never hold the message's link, code or body, nor its
// recipient's address.
//
// Retries are the client's: Send makes one SendEmail call, which the
// client's retryer repeats, with the same request and so the same link
// and code, on a transient failure (throttling such as
// TooManyRequestsException, HTTP 5xx, a timeout). Package wire/senders
// bounds them (attempts, backoff, a per-send timeout). A refusal such as
// MessageRejected or BadRequestException is not retried. A failed send
// is a *login.DeliveryError whose reason (package send/fault) and SES
// error code the core audits as delivery.failed; never SES's message,
// which may quote the recipient.
package ses
