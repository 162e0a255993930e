// Package redact keeps secrets and personal data out of the errors that
// the senders (packages ses and sns) get back from their providers: a
// provider may quote the request it refused, and that error is logged.
package redact
