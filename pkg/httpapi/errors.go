package httpapi

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/portalpass/portalpass/pkg/login"
)

// statusOf is the one map from error codes to HTTP statuses.
var statusOf = map[login.Code]int{
	login.CodeInvalidRequest:     http.StatusBadRequest,
	login.CodeInvalidIdentifier:  http.StatusBadRequest,
	login.CodeInvalidCode:        http.StatusBadRequest,
	login.CodeUnauthorized:       http.StatusUnauthorized,
	login.CodeNoSession:          http.StatusUnauthorized,
	login.CodeForbidden:          http.StatusForbidden,
	login.CodeNotFound:           http.StatusNotFound,
	login.CodeConflict:           http.StatusConflict,
	login.CodeLinkExpired:        http.StatusGone,
	login.CodeLinkInvalid:        http.StatusGone,
	login.CodeBodyTooLarge:       http.StatusRequestEntityTooLarge,
	login.CodeUnsupportedMedia:   http.StatusUnsupportedMediaType,
	login.CodeNoEmail:            http.StatusUnprocessableEntity,
	login.CodeNoPhone:            http.StatusUnprocessableEntity,
	login.CodeNoPortalAccess:     http.StatusUnprocessableEntity,
	login.CodeEmailUndeliverable: http.StatusUnprocessableEntity,
	login.CodeRateLimited:        http.StatusTooManyRequests,
	login.CodeDeliveryFailed:     http.StatusBadGateway,
	login.CodeInternal:           http.StatusInternalServerError,
}

// StatusOf returns the HTTP status for an error code.
func StatusOf(c login.Code) int {
	if s, ok := statusOf[c]; ok {
		return s
	}
	return http.StatusInternalServerError
}

type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    login.Code `json:"code"`
	Message string     `json:"message"`
}

// writeError answers err as API.md's JSON error. Internal causes are
// logged, never shown.
func (s *server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	code, msg := s.describe(r, err)
	setRetryAfter(w, err)
	writeJSON(w, StatusOf(code), errorBody{errorDetail{code, msg}})
}

// describe logs internal errors and returns what a client may see.
func (s *server) describe(r *http.Request, err error) (login.Code, string) {
	code := login.ErrorCode(err)
	if code == login.CodeInternal {
		s.log.ErrorContext(r.Context(), "internal error", "route", r.Pattern, "err", err)
		return code, "Something went wrong on our side. Please try again."
	}
	return code, login.ErrorMessage(err)
}

func setRetryAfter(w http.ResponseWriter, err error) {
	var e *login.Error
	if asError(err, &e) && e.Code == login.CodeRateLimited {
		secs := int((e.RetryAfter + 999_999_999) / 1_000_000_000)
		w.Header().Set("Retry-After", strconv.Itoa(max(secs, 1)))
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	if v != nil {
		if err := json.NewEncoder(w).Encode(v); err != nil {
			slog.Default().Error("write json", "err", err)
		}
	}
}
