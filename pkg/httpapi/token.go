package httpapi

import (
	"net/http"
	"time"
)

// jwksMaxAge is how long clients may cache the key set: as long as a
// session JWT lives, so a key listed before it signs is seen in time.
const jwksMaxAge = "public, max-age=300"

type sessionJWTJSON struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expiresAt"`
}

// sessionJWT mints a short-lived JWT for the session of the cookie or
// Bearer token. A body is optional; one that is sent must be JSON (an
// empty object: the endpoint takes no fields).
func (s *server) sessionJWT(w http.ResponseWriter, r *http.Request) error {
	if ct := mediaType(r); ct != "" && ct != "application/json" {
		return errUnsupported
	}
	b, err := readBody(r)
	if err != nil {
		return err
	}
	if len(b) > 0 {
		if !isJSON(r) {
			return errUnsupported
		}
		if err := unmarshalStrict(b, &struct{}{}); err != nil {
			return err
		}
	}
	jwt, exp, err := s.Sessions.SessionToken(r.Context(), s.sessionToken(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, sessionJWTJSON{Token: jwt, ExpiresAt: exp})
	return nil
}

// jwks serves the public keys that verify session JWTs, cacheable.
func (s *server) jwks(w http.ResponseWriter, r *http.Request) error {
	doc, err := s.Sessions.JWKS(r.Context())
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", jwksMaxAge)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(doc)
	return nil
}
