package login

import (
	"errors"
	"fmt"
	"time"
)

// Code classifies an Error. Clients see it: never rename a code.
type Code string

// Codes of API.md. Append only.
const (
	CodeInvalidRequest    Code = "invalid_request"
	CodeInvalidIdentifier Code = "invalid_identifier"
	CodeInvalidCode       Code = "invalid_code"
	CodeUnauthorized      Code = "unauthorized"
	CodeNoSession         Code = "no_session"
	CodeForbidden         Code = "forbidden"
	CodeNotFound          Code = "not_found"
	CodeConflict          Code = "conflict"
	CodeLinkExpired       Code = "link_expired"
	CodeLinkInvalid       Code = "link_invalid" // unknown or already used
	CodeBodyTooLarge      Code = "body_too_large"
	CodeUnsupportedMedia  Code = "unsupported_media_type"
	CodeNoEmail           Code = "no_email"
	CodeNoPhone           Code = "no_phone"
	CodeNoPortalAccess    Code = "no_portal_access"
	CodeRateLimited       Code = "rate_limited"
	CodeDeliveryFailed    Code = "delivery_failed"
	CodeInternal          Code = "internal"
	// CodeEmailUndeliverable: the address bounced or complained and
	// stays suppressed until an admin clears it (API.md "Delivery status").
	CodeEmailUndeliverable Code = "email_undeliverable"
)

// Error carries a Code. Msg is shown to people; Err is only logged and
// never holds a token, code or session id.
type Error struct {
	Code Code
	Msg  string
	Err  error
	// RetryAfter is set with CodeRateLimited.
	RetryAfter time.Duration
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("login: %s: %s: %v", e.Code, e.Msg, e.Err)
	}
	return fmt.Sprintf("login: %s: %s", e.Code, e.Msg)
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the code and a message for people.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Msg: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the Code of the first *Error in err's chain,
// "" for nil and CodeInternal for any other error.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// ErrorMessage returns the message for people of err's *Error, or a
// generic one that reveals nothing for any other error.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Msg != "" {
		return e.Msg
	}
	return "Something went wrong on our side. Please try again."
}

// Errors the stores return; the flows turn them into messages for people.
var (
	ErrNotFound    = &Error{Code: CodeNotFound, Msg: "Not found."}
	ErrConflict    = &Error{Code: CodeConflict, Msg: "That email address or phone number is already used by another contact."}
	ErrLinkInvalid = &Error{Code: CodeLinkInvalid, Msg: "This link is no longer valid. Request a new one."}
	ErrLinkExpired = &Error{Code: CodeLinkExpired, Msg: "This link has expired. Request a new one."}
	// ErrStale reports that a write's condition on a version (tenant
	// settings, contact) failed: the caller re-reads and retries.
	ErrStale = errors.New("login: stale version")
)

// RateLimited returns the rate_limited error with its retry delay.
func RateLimited(retryAfter time.Duration) *Error {
	if retryAfter < time.Second {
		retryAfter = time.Second
	}
	return &Error{Code: CodeRateLimited, Msg: "Too many requests. Please wait a moment and try again.", RetryAfter: retryAfter}
}
