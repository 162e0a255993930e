// Package sns is the login.Sender for SMS: it renders a login.Message with
// message.SMS and publishes it straight to the phone number through
// Amazon SNS as a transactional SMS.
//
// Its errors never hold the message's text, link or code, nor its
// recipient's phone number.
//
// Retries are the client's: Send makes one Publish call, which the
// client's retryer repeats, with the same request and so the same link
// and code, on a transient failure (throttling such as Throttling or
// ThrottledException, HTTP 5xx, a timeout). Package wire/senders bounds
// them (attempts, backoff, a per-send timeout). A refusal such as
// InvalidParameter is not retried. A failed send is a
// *login.DeliveryError whose reason (package send/fault) and SNS error
// code the core audits as delivery.failed; never SNS's message, which
// may quote the number.
package sns
