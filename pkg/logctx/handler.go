package logctx

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
)

// Keys of the attributes the handler adds from the context.
const (
	KeyLambdaRequestID = "lambda_request_id"
	KeyRequestID       = "request_id"
	KeyRoute           = "route"
	KeyTenant          = "tenant"
	// KeyError is the attribute an error is logged under by convention;
	// the handler adds KeyErrorCode and KeyCause beside any error value.
	KeyError     = "err"
	KeyErrorCode = "error_code"
	KeyCause     = "cause"
)

// Options tune the handler.
type Options struct {
	// ErrorDetail returns the code of an error logged as an attribute
	// value and its cause (what it wraps), both "" when it has none.
	// pkg/wire passes one that reads login's *Error, which this package
	// does not import. Nil: errors are logged by their message only.
	ErrorDetail func(error) (code, cause string)
}

// Handler writes each record through an inner handler (JSON in every
// function) with the request's fields from the context first, and with
// every attribute value, message and error redacted (Redact) as a safety
// net: call sites log no secret in the first place.
type Handler struct {
	inner slog.Handler
	opts  Options
}

// NewHandler returns a Handler over inner.
func NewHandler(inner slog.Handler, opts Options) *Handler {
	return &Handler{inner: inner, opts: opts}
}

// Enabled reports whether the inner handler logs at level.
func (h *Handler) Enabled(ctx context.Context, level slog.Level) bool {
	return h.inner.Enabled(ctx, level)
}

// WithAttrs redacts attrs before the inner handler keeps them.
func (h *Handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	var out []slog.Attr
	for _, a := range attrs {
		out = h.clean(out, a)
	}
	return &Handler{inner: h.inner.WithAttrs(out), opts: h.opts}
}

// WithGroup opens a group in the inner handler. The context's fields of
// later records then land in that group too: no function uses groups.
func (h *Handler) WithGroup(name string) slog.Handler {
	return &Handler{inner: h.inner.WithGroup(name), opts: h.opts}
}

// Handle writes r with the context's fields and redacted attributes. A
// field the record sets itself (the request line's route) is not repeated.
func (h *Handler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, Redact(r.Message), r.PC)
	var own map[string]bool
	if r.NumAttrs() > 0 {
		own = make(map[string]bool, r.NumAttrs())
		r.Attrs(func(a slog.Attr) bool {
			own[a.Key] = true
			return true
		})
	}
	f := From(ctx)
	for _, kv := range [...][2]string{
		{KeyLambdaRequestID, f.LambdaRequestID},
		{KeyRequestID, f.RequestID},
		{KeyRoute, f.Route},
		{KeyTenant, f.Tenant},
	} {
		if kv[1] != "" && !own[kv[0]] {
			out.AddAttrs(slog.String(kv[0], Redact(kv[1])))
		}
	}
	var attrs []slog.Attr
	r.Attrs(func(a slog.Attr) bool {
		attrs = h.clean(attrs, a)
		return true
	})
	out.AddAttrs(attrs...)
	return h.inner.Handle(ctx, out)
}

// clean appends a, redacted, to out: an error becomes its message, its
// code and its cause; a group is cleaned member by member.
func (h *Handler) clean(out []slog.Attr, a slog.Attr) []slog.Attr {
	a.Value = a.Value.Resolve()
	if a.Equal(slog.Attr{}) {
		return out
	}
	if secretKey(a.Key) {
		return append(out, slog.String(a.Key, Redacted))
	}
	v := a.Value
	switch v.Kind() {
	case slog.KindString:
		return append(out, slog.String(a.Key, Redact(v.String())))
	case slog.KindGroup:
		var members []slog.Attr
		for _, m := range v.Group() {
			members = h.clean(members, m)
		}
		return append(out, slog.Attr{Key: a.Key, Value: slog.GroupValue(members...)})
	case slog.KindAny:
		return h.cleanAny(out, a.Key, v.Any())
	}
	return append(out, a) // numbers, booleans, times, durations
}

func (h *Handler) cleanAny(out []slog.Attr, key string, v any) []slog.Attr {
	switch x := v.(type) {
	case nil:
		return append(out, slog.Any(key, nil))
	case error:
		out = append(out, slog.String(key, Redact(x.Error())))
		if h.opts.ErrorDetail != nil {
			code, cause := h.opts.ErrorDetail(x)
			if code != "" {
				out = append(out, slog.String(KeyErrorCode, Redact(code)))
			}
			if cause != "" {
				out = append(out, slog.String(KeyCause, Redact(cause)))
			}
		}
		return out
	case fmt.Stringer:
		return append(out, slog.String(key, Redact(x.String())))
	case []string:
		c := make([]string, len(x))
		for i, s := range x {
			c[i] = Redact(s)
		}
		return append(out, slog.Any(key, c))
	}
	// Anything else is logged as the JSON it encodes to, redacted as
	// one string when the redaction changed it.
	b, err := json.Marshal(v)
	if err != nil {
		return append(out, slog.String(key, Redact(fmt.Sprint(v))))
	}
	if s := string(b); Redact(s) != s {
		return append(out, slog.String(key, Redact(s)))
	}
	return append(out, slog.Any(key, v))
}

// ErrorDetailOf is an Options.ErrorDetail for errors that carry a code
// through a method Code() string of some error in their chain, the cause
// being what that error unwraps to. Callers with richer errors pass their own.
func ErrorDetailOf(err error) (code, cause string) {
	var c interface{ Code() string }
	if errors.As(err, &c) {
		code = c.Code()
	}
	if u := errors.Unwrap(err); u != nil {
		cause = u.Error()
	}
	return code, cause
}
