package login

import "errors"

// DeliveryReason is the short class of a failed send that a
// delivery.failed audit event and the "delivery failed" log line carry:
// what an operator and an alarm need, never the provider's message.
type DeliveryReason string

// Delivery reasons. Senders classify their provider's errors into these.
const (
	// ReasonThrottled: the provider throttled the send (after the
	// sender's own retries).
	ReasonThrottled DeliveryReason = "throttled"
	// ReasonProviderError: the provider failed (HTTP 5xx) or could not be
	// reached.
	ReasonProviderError DeliveryReason = "provider_error"
	// ReasonTimeout: the send took longer than its time allows.
	ReasonTimeout DeliveryReason = "timeout"
	// ReasonRejected: the provider refused the message itself (an invalid
	// parameter, a rejected message, a paused account); a retry would
	// fail the same way.
	ReasonRejected DeliveryReason = "rejected"
	// ReasonCanceled: the request ended before the send did.
	ReasonCanceled DeliveryReason = "canceled"
	// ReasonUnknown: the error did not say (a sender that does not
	// classify, or none for the channel).
	ReasonUnknown DeliveryReason = "unknown"
)

// DeliveryError is a Sender's failed send, classified. Senders return it
// so that the core, which knows no provider SDK, can audit why a send
// failed. Err must already hold no link, code, text or recipient.
type DeliveryError struct {
	Reason DeliveryReason
	// Code is the provider's error code (such as "MessageRejected" or
	// "503"), never its message, which may quote the recipient; "" when
	// the provider gave none.
	Code string
	Err  error
}

// Error is the sender's redacted error's text, as it was before the
// classification: Reason and Code are fields, for the audit and the log.
func (e *DeliveryError) Error() string { return e.Err.Error() }

// Unwrap returns the sender's redacted error.
func (e *DeliveryError) Unwrap() error { return e.Err }

// deliveryReason returns the reason and provider code of a send's error:
// its DeliveryError's, or ReasonUnknown.
func deliveryReason(err error) (DeliveryReason, string) {
	var de *DeliveryError
	if errors.As(err, &de) && de.Reason != "" {
		return de.Reason, de.Code
	}
	return ReasonUnknown, ""
}
