package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"reflect"
	"unicode/utf8"

	"github.com/portalpass/portalpass/pkg/login"
)

// maxBody is API.md's limit on request bodies.
const maxBody = 16 << 10

var (
	errTooLarge    = &login.Error{Code: login.CodeBodyTooLarge, Msg: "The request body is larger than 16 KiB."}
	errUnsupported = &login.Error{Code: login.CodeUnsupportedMedia, Msg: "Send the body as Content-Type: application/json."}
)

func asError(err error, target **login.Error) bool { return errors.As(err, target) }

// mediaType returns the request's media type, lower-cased, "" if none.
func mediaType(r *http.Request) string {
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return ""
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return "invalid"
	}
	return mt
}

func isJSON(r *http.Request) bool { return mediaType(r) == "application/json" }
func isForm(r *http.Request) bool { return mediaType(r) == "application/x-www-form-urlencoded" }

// readBody reads at most maxBody bytes of the body.
func readBody(r *http.Request) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return nil, login.Errorf(login.CodeInvalidRequest, "could not read the request body")
	}
	if len(b) > maxBody {
		return nil, errTooLarge
	}
	return b, nil
}

// decodeJSON decodes a JSON body strictly into v: JSON media type only,
// at most 16 KiB, valid UTF-8, no unknown fields, no wrong types, no
// trailing data, no repeated keys, and keys spelled exactly as v's json
// tags (see unmarshalStrict).
func decodeJSON(r *http.Request, v any) error {
	if !isJSON(r) {
		return errUnsupported
	}
	b, err := readBody(r)
	if err != nil {
		return err
	}
	return unmarshalStrict(b, v)
}

// unmarshalStrict decodes the JSON text b into v, which must be a pointer,
// as API.md asks of every body. encoding/json alone is too lenient for
// that: it replaces invalid UTF-8 and lone surrogate escapes with U+FFFD,
// keeps the last of repeated keys, and matches keys to fields without
// regard to case; so b is checked for those before and after it decodes.
func unmarshalStrict(b []byte, v any) error {
	if !utf8.Valid(b) {
		return login.Errorf(login.CodeInvalidRequest, "the body is not valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return login.Errorf(login.CodeInvalidRequest, "%s", jsonProblem(err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return login.Errorf(login.CodeInvalidRequest, "unexpected data after the JSON body")
	}
	// Decode has checked the syntax, so the scan only looks at keys and
	// escapes.
	s := keyScan{b: b}
	if problem := s.value(reflect.TypeOf(v)); problem != "" {
		return login.Errorf(login.CodeInvalidRequest, "%s", problem)
	}
	return nil
}

// jsonProblem explains a decoding error without echoing the input.
func jsonProblem(err error) string {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr):
		if typeErr.Field != "" {
			return fmt.Sprintf("field %q has the wrong type", typeErr.Field)
		}
		return "the body must be a JSON object"
	case errors.As(err, &syntaxErr), errors.Is(err, io.ErrUnexpectedEOF):
		return "the body is not valid JSON"
	case errors.Is(err, io.EOF):
		return "the body is empty"
	}
	if msg := err.Error(); len(msg) > 20 && msg[:20] == "json: unknown field " {
		return "unknown field " + msg[20:]
	}
	return "the body is not valid JSON"
}

// decodeForm parses a url-encoded form body of at most 16 KiB, allowing
// only the named fields, each at most once.
func decodeForm(r *http.Request, allowed ...string) (url.Values, error) {
	b, err := readBody(r)
	if err != nil {
		return nil, err
	}
	v, err := url.ParseQuery(string(b))
	if err != nil {
		return nil, login.Errorf(login.CodeInvalidRequest, "the form is malformed")
	}
	ok := map[string]bool{}
	for _, a := range allowed {
		ok[a] = true
	}
	for k, vals := range v {
		if !ok[k] {
			return nil, login.Errorf(login.CodeInvalidRequest, "unknown field %q", k)
		}
		if len(vals) > 1 {
			return nil, login.Errorf(login.CodeInvalidRequest, "field %q is repeated", k)
		}
	}
	return v, nil
}
