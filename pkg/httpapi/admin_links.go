package httpapi

import (
	"net/http"
	"strconv"
	"time"

	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/redirect"
)

func linkRoutes(s *server, mux *http.ServeMux) {
	s.handle(mux, "POST /v1/admin/links", s.admin(s.generateLink))
	s.handle(mux, "POST /v1/admin/action-links", s.admin(s.createActionLink))
	s.handle(mux, "POST /v1/admin/action-links/revoke", s.admin(s.revokeActionLinks))
}

func auditRoutes(s *server, mux *http.ServeMux) {
	s.handle(mux, "GET /v1/admin/audit", s.admin(s.audit))
}

func accountRoutes(s *server, mux *http.ServeMux) {
	s.handle(mux, "POST /v1/admin/login-emails", s.admin(s.loginEmail))
	s.handle(mux, "POST /v1/admin/sessions/revoke", s.admin(s.revokeSessions))
	s.handle(mux, "GET /v1/admin/portal-link", s.admin(s.portalLinkURL))
	s.handle(mux, "GET /v1/admin/settings", s.admin(s.getSettings))
	s.handle(mux, "PATCH /v1/admin/settings", s.admin(s.patchSettings))
	s.handle(mux, "PUT /v1/admin/settings/logo", s.admin(s.putLogo))
	s.handle(mux, "DELETE /v1/admin/settings/logo", s.admin(s.deleteLogo))
}

// Links serves the admin link routes (generate-link).
func Links(c Config) http.Handler { return build(c, linkRoutes) }

// Audit serves the audit log route.
func Audit(c Config) http.Handler { return build(c, auditRoutes) }

type linkBody struct {
	ContactID string  `json:"contactId"`
	Send      *string `json:"send"`
	Redirect  *string `json:"redirect"`
	Purpose   *string `json:"purpose"`
}

func (s *server) generateLink(w http.ResponseWriter, r *http.Request, k login.APIKey) error {
	var b linkBody
	if err := decodeJSON(r, &b); err != nil {
		return err
	}
	in := login.LinkInput{ContactID: b.ContactID, Send: "none", Purpose: login.PurposeLogin}
	if b.Send != nil {
		if *b.Send != "none" && *b.Send != "email" && *b.Send != "sms" {
			return login.Errorf(login.CodeInvalidRequest, "send must be \"none\", \"email\" or \"sms\"")
		}
		in.Send = *b.Send
	}
	if b.Purpose != nil {
		switch *b.Purpose {
		case "login":
		case "recovery":
			in.Purpose = login.PurposeRecovery
		default:
			return login.Errorf(login.CodeInvalidRequest, "purpose must be \"login\" or \"recovery\"")
		}
	}
	if b.Redirect != nil {
		if err := redirect.Check(*b.Redirect); err != nil {
			return err
		}
		in.Redirect = *b.Redirect
	}
	res, err := s.Links.GenerateLink(r.Context(), k, in, s.meta(r))
	if err != nil {
		return err
	}
	out := map[string]any{"url": res.URL, "expiresAt": res.ExpiresAt}
	if res.Delivery != nil {
		out["delivery"] = deliveryJSON(*res.Delivery)
	}
	writeJSON(w, http.StatusCreated, out)
	return nil
}

func deliveryJSON(d login.Delivery) map[string]string {
	return map[string]string{"channel": string(d.Channel), "status": d.Status}
}

type actionLinkBody struct {
	ContactID  string  `json:"contactId"`
	Redirect   string  `json:"redirect"`
	Ref        *string `json:"ref"`
	TTLSeconds *int64  `json:"ttlSeconds"`
}

func (s *server) createActionLink(w http.ResponseWriter, r *http.Request, k login.APIKey) error {
	var b actionLinkBody
	if err := decodeJSON(r, &b); err != nil {
		return err
	}
	if b.Redirect == "" {
		return login.Errorf(login.CodeInvalidRequest, "redirect is required: the portal page the link opens")
	}
	if err := redirect.Check(b.Redirect); err != nil {
		return err
	}
	in := login.ActionLinkInput{ContactID: b.ContactID, Redirect: b.Redirect}
	if b.Ref != nil {
		in.Ref = *b.Ref
	}
	if b.TTLSeconds != nil {
		if *b.TTLSeconds < 1 || *b.TTLSeconds > int64(login.ActionLinkMaxTTL/time.Second) {
			return login.Errorf(login.CodeInvalidRequest, "ttlSeconds must be from 1 to %d (90 days)", int64(login.ActionLinkMaxTTL/time.Second))
		}
		in.TTL = time.Duration(*b.TTLSeconds) * time.Second
	}
	al, url, err := s.Links.CreateActionLink(r.Context(), k, in, s.meta(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]any{"id": al.ID, "url": url, "expiresAt": al.ExpiresAt})
	return nil
}

type revokeActionBody struct {
	ID  *string `json:"id"`
	Ref *string `json:"ref"`
}

func (s *server) revokeActionLinks(w http.ResponseWriter, r *http.Request, k login.APIKey) error {
	var b revokeActionBody
	if err := decodeJSON(r, &b); err != nil {
		return err
	}
	var id, ref string
	if b.ID != nil {
		id = *b.ID
	}
	if b.Ref != nil {
		ref = *b.Ref
	}
	n, err := s.Links.RevokeActionLinks(r.Context(), k, id, ref, s.meta(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]int{"revoked": n})
	return nil
}

// useActionLink follows a deep link: a session for its page, then 303 to
// the portal. HEAD creates nothing.
func (s *server) useActionLink(w http.ResponseWriter, r *http.Request) error {
	if r.Method == http.MethodHead {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		return nil
	}
	out, err := s.Logins.UseActionLink(r.Context(), r.URL.Query().Get("token"), s.loginOpts(r))
	if err != nil {
		return s.linkErrorPage(w, r, r.URL.Query().Get("token"), err)
	}
	return s.finishLogin(w, r, out, true)
}

type contactIDBody struct {
	ContactID string `json:"contactId"`
}

func (s *server) loginEmail(w http.ResponseWriter, r *http.Request, k login.APIKey) error {
	var b contactIDBody
	if err := decodeJSON(r, &b); err != nil {
		return err
	}
	d, err := s.Links.SendLoginEmail(r.Context(), k, b.ContactID, s.meta(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusAccepted, map[string]any{"delivery": deliveryJSON(d)})
	return nil
}

func (s *server) revokeSessions(w http.ResponseWriter, r *http.Request, k login.APIKey) error {
	var b contactIDBody
	if err := decodeJSON(r, &b); err != nil {
		return err
	}
	n, err := s.Links.RevokeSessions(r.Context(), k, b.ContactID, s.meta(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]int{"revoked": n})
	return nil
}

func (s *server) portalLinkURL(w http.ResponseWriter, r *http.Request, k login.APIKey) error {
	writeJSON(w, http.StatusOK, map[string]string{"url": s.Links.PortalLink(k)})
	return nil
}

func (s *server) getSettings(w http.ResponseWriter, r *http.Request, k login.APIKey) error {
	t, err := s.Tenants.Tenant(r.Context(), k.TenantID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.settingsView(t))
	return nil
}

// patchSettings decodes the change and leaves its rules to the core,
// whose errors name the setting (400 invalid_request).
func (s *server) patchSettings(w http.ResponseWriter, r *http.Request, k login.APIKey) error {
	var b login.SettingsPatch
	if err := decodeJSON(r, &b); err != nil {
		return err
	}
	if b.LogoURL != nil {
		return errLogoURLReadOnly
	}
	t, err := s.Settings.UpdateSettings(r.Context(), k, func(t *login.Tenant) error { b.Apply(t); return nil }, s.meta(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.settingsView(t))
	return nil
}

// EventJSON is an audit event as API.md shows it.
type EventJSON struct {
	ID        string            `json:"id"`
	At        time.Time         `json:"at"`
	Type      login.EventType   `json:"type"`
	ContactID string            `json:"contactId,omitempty"`
	Actor     string            `json:"actor"`
	Channel   string            `json:"channel,omitempty"`
	IP        string            `json:"ip,omitempty"`
	UserAgent string            `json:"userAgent,omitempty"`
	Detail    map[string]string `json:"detail,omitempty"`
}

func (s *server) audit(w http.ResponseWriter, r *http.Request, k login.APIKey) error {
	q := r.URL.Query()
	limit, err := parseLimit(q.Get("limit"))
	if err != nil {
		return err
	}
	if id := q.Get("contactId"); id != "" && !login.ValidContactID(id) {
		return login.Errorf(login.CodeInvalidRequest, "contactId is not a contact id")
	}
	events, next, err := s.Audit.ListEvents(r.Context(), k, q.Get("contactId"), q.Get("type"), limit, q.Get("cursor"))
	if err != nil {
		return err
	}
	out := make([]EventJSON, 0, len(events))
	for _, e := range events {
		out = append(out, EventJSON{e.ID, e.At, e.Type, e.ContactID, e.Actor, e.Channel, e.IP, e.UserAgent, e.Detail})
	}
	writeJSON(w, http.StatusOK, map[string]any{"events": out, "nextCursor": nullable(next)})
	return nil
}

func parseLimit(s string) (int, error) {
	if s == "" {
		return login.MaxPage, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > login.MaxPage {
		return 0, login.Errorf(login.CodeInvalidRequest, "limit must be from 1 to %d", login.MaxPage)
	}
	return n, nil
}
