package httpapi

import (
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/portalpass/portalpass/pkg/login"
)

// logoRoutes serve the tenants' logos on the API's own origin, for the
// hosted pages and the emails (API.md "Tenant branding").
func logoRoutes(s *server, mux *http.ServeMux) {
	s.handle(mux, "GET /logos/{tenant}/{file}", s.logo)
}

var errLogoURLReadOnly = login.Errorf(login.CodeInvalidRequest, "logoUrl is read-only; upload with PUT /v1/admin/settings/logo")

// settingsView is the tenant's settings as API.md shows them, with the
// logo's absolute URL on the API's own origin.
func (s *server) settingsView(t login.Tenant) login.SettingsPatch {
	v := login.SettingsView(t)
	if p := login.LogoPath(t); p != "" {
		u := strings.TrimSuffix(s.BaseURL, "/") + p
		v.LogoURL = &u
	}
	return v
}

// putLogo stores the body, the raw image, as the tenant's logo. The core
// checks it (size, then type by content); the body is read only up to one
// byte past the limit, so a larger one costs no more than that.
func (s *server) putLogo(w http.ResponseWriter, r *http.Request, k login.APIKey) error {
	body, err := io.ReadAll(io.LimitReader(r.Body, login.MaxLogoBytes+1))
	if err != nil {
		return login.Errorf(login.CodeInvalidRequest, "could not read the request body")
	}
	t, err := s.Settings.SetLogo(r.Context(), k, mediaType(r), body, s.meta(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.settingsView(t))
	return nil
}

func (s *server) deleteLogo(w http.ResponseWriter, r *http.Request, k login.APIKey) error {
	t, err := s.Settings.RemoveLogo(r.Context(), k, s.meta(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.settingsView(t))
	return nil
}

// logoCSP forbids everything to a logo opened on its own: it is an image,
// never a document that may run or load anything.
const logoCSP = "default-src 'none'; frame-ancestors 'none'; sandbox"

// logo serves a tenant's logo with its stored type. Its name changes with
// its content, so it may be cached for ever; an unknown, replaced or
// removed one is 404.
func (s *server) logo(w http.ResponseWriter, r *http.Request) error {
	l, err := s.Logos.Logo(r.Context(), r.PathValue("tenant"), r.PathValue("file"))
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", l.ContentType)
	h.Set("Content-Length", strconv.Itoa(len(l.Data)))
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("Content-Security-Policy", logoCSP)
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return nil
	}
	_, err = w.Write(l.Data)
	return err
}
