package httpapi

import (
	"net/http"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/portalpass/portalpass/pkg/identifier"
	"github.com/portalpass/portalpass/pkg/login"
)

func contactRoutes(s *server, mux *http.ServeMux) {
	s.handle(mux, "POST /v1/admin/contacts", s.admin(s.createContact))
	s.handle(mux, "GET /v1/admin/contacts", s.admin(s.findContacts))
	s.handle(mux, "GET /v1/admin/contacts/{id}", s.admin(s.getContact))
	s.handle(mux, "PATCH /v1/admin/contacts/{id}", s.admin(s.updateContact))
	s.handle(mux, "DELETE /v1/admin/contacts/{id}", s.admin(s.eraseContact))
	s.handle(mux, "POST /v1/admin/invites", s.admin(s.invite))
}

type adminHandler func(w http.ResponseWriter, r *http.Request, k login.APIKey) error

// admin authenticates a dashboard JWT (AdminClaims) or else the API key;
// everything the handler does is confined to that tenant. A JWT that
// AdminClaims rejects falls to the key check, which turns it away.
func (s *server) admin(h adminHandler) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		if s.AdminClaims != nil {
			if tenant, sub, ok := s.AdminClaims(r); ok {
				if _, err := s.Tenants.Tenant(r.Context(), tenant); err != nil {
					return login.ErrUnauthorized
				}
				tenantKnown(r, tenant)
				return h(w, r, login.APIKey{TenantID: tenant, Subject: sub})
			}
		}
		k, err := s.Keys.Authenticate(r.Context(), bearer(r))
		if err != nil {
			return err
		}
		tenantKnown(r, k.TenantID)
		return h(w, r, k)
	}
}

// ContactJSON is a contact as API.md shows it.
type ContactJSON struct {
	ID           string  `json:"id"`
	Email        *string `json:"email"`
	Phone        *string `json:"phone"`
	Name         *string `json:"name"`
	PortalAccess string  `json:"portalAccess"`
	// Locale is the language of admin sends; absent for the tenant's default.
	Locale string `json:"locale,omitempty"`
	// EmailStatus is the delivery status of the email address: "ok",
	// "bounced" or "complained"; absent without an address, and in list
	// pages, which do not read it.
	EmailStatus string    `json:"emailStatus,omitempty"`
	CreatedAt   time.Time `json:"createdAt"`
	UpdatedAt   time.Time `json:"updatedAt"`
}

func strPtr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func contactOut(c login.Contact) ContactJSON {
	return ContactJSON{
		ID: c.ID, Email: strPtr(c.Email), Phone: strPtr(c.Phone), Name: strPtr(c.Name),
		PortalAccess: string(c.PortalAccess()), Locale: c.Locale, EmailStatus: emailStatus(c), CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt,
	}
}

func emailStatus(c login.Contact) string {
	if c.Email == "" {
		return ""
	}
	return string(c.EmailStatus.Shown())
}

type contactBody struct {
	Email        *string `json:"email"`
	Phone        *string `json:"phone"`
	Name         *string `json:"name"`
	PortalAccess *string `json:"portalAccess"`
	EmailStatus  *string `json:"emailStatus"`
	Locale       *string `json:"locale"`
}

// parseContact checks and normalises a contact body. "" clears a field.
func (s *server) parseContact(b contactBody, patch bool) (login.ContactInput, error) {
	var in login.ContactInput
	if b.Email != nil {
		v := ""
		if *b.Email != "" {
			e, err := identifier.ParseEmail(*b.Email)
			if err != nil {
				return in, err
			}
			v = e
		}
		in.Email = &v
	}
	if b.Phone != nil {
		v := ""
		if *b.Phone != "" {
			p, err := s.Identifiers.ParseStoredPhone(*b.Phone)
			if err != nil {
				return in, err
			}
			v = p
		}
		in.Phone = &v
	}
	if b.Name != nil {
		if err := checkName(*b.Name); err != nil {
			return in, err
		}
		in.Name = b.Name
	}
	// Whether the tenant offers the locale is the Service's to check.
	in.Locale = b.Locale
	if b.PortalAccess != nil {
		if !patch {
			return in, login.Errorf(login.CodeInvalidRequest, "unknown field \"portalAccess\"")
		}
		a := login.Access(*b.PortalAccess)
		if a != login.AccessDisabled && a != login.AccessActive {
			return in, login.Errorf(login.CodeInvalidRequest, "portalAccess must be \"disabled\" or \"active\"")
		}
		in.Access = &a
	}
	if b.EmailStatus != nil {
		if !patch {
			return in, login.Errorf(login.CodeInvalidRequest, "unknown field \"emailStatus\"")
		}
		if login.EmailStatus(*b.EmailStatus) != login.EmailOK {
			return in, login.Errorf(login.CodeInvalidRequest, "emailStatus can only be set to \"ok\"")
		}
		st := login.EmailOK
		in.EmailStatus = &st
	}
	return in, nil
}

func checkName(n string) error {
	if !utf8.ValidString(n) || utf8.RuneCountInString(n) > 200 {
		return login.Errorf(login.CodeInvalidRequest, "name must be at most 200 characters")
	}
	for _, r := range n {
		if unicode.IsControl(r) {
			return login.Errorf(login.CodeInvalidRequest, "name must not contain control characters")
		}
	}
	return nil
}

func (s *server) createContact(w http.ResponseWriter, r *http.Request, k login.APIKey) error {
	var b contactBody
	if err := decodeJSON(r, &b); err != nil {
		return err
	}
	in, err := s.parseContact(b, false)
	if err != nil {
		return err
	}
	c, err := s.Contacts.CreateContact(r.Context(), k, in, s.meta(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, contactOut(c))
	return nil
}

func (s *server) getContact(w http.ResponseWriter, r *http.Request, k login.APIKey) error {
	c, err := s.Contacts.GetContact(r.Context(), k, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, contactOut(c))
	return nil
}

func (s *server) updateContact(w http.ResponseWriter, r *http.Request, k login.APIKey) error {
	var b contactBody
	if err := decodeJSON(r, &b); err != nil {
		return err
	}
	in, err := s.parseContact(b, true)
	if err != nil {
		return err
	}
	c, err := s.Contacts.UpdateContact(r.Context(), k, r.PathValue("id"), in, s.meta(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, contactOut(c))
	return nil
}

// eraseContact erases a contact: 204 with no body.
func (s *server) eraseContact(w http.ResponseWriter, r *http.Request, k login.APIKey) error {
	if err := s.Contacts.EraseContact(r.Context(), k, r.PathValue("id"), s.meta(r)); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// findContacts looks contacts up by exact email or phone, or pages
// through them by a name or email prefix (q), or all of them.
func (s *server) findContacts(w http.ResponseWriter, r *http.Request, k login.APIKey) error {
	q := r.URL.Query()
	limit, err := parseLimit(q.Get("limit"))
	if err != nil {
		return err
	}
	var cs []login.Contact
	next := ""
	listed := true // a page of contacts, whose emailStatus is not read
	switch {
	case q.Get("email") != "" || q.Get("phone") != "":
		listed = q.Get("email") == "" // a phone's contacts: their addresses' status is not read
		var id login.Identifier
		if e := q.Get("email"); e != "" {
			v, err := identifier.ParseEmail(e)
			if err != nil {
				return err
			}
			id = login.Identifier{Kind: login.IdentEmail, Value: v}
		} else {
			v, err := s.Identifiers.ParsePhone(q.Get("phone"))
			if err != nil {
				return err
			}
			id = login.Identifier{Kind: login.IdentPhone, Value: v}
		}
		cs, err = s.Contacts.FindContacts(r.Context(), k, id)
	default:
		if n := q.Get("q"); len(n) > 200 {
			return login.Errorf(login.CodeInvalidRequest, "q must be at most 200 characters")
		}
		cs, next, err = s.Contacts.ListContacts(r.Context(), k, q.Get("q"), limit, q.Get("cursor"))
	}
	if err != nil {
		return err
	}
	out := make([]ContactJSON, 0, len(cs))
	for _, c := range cs {
		o := contactOut(c)
		if listed {
			o.EmailStatus = ""
		}
		out = append(out, o)
	}
	writeJSON(w, http.StatusOK, map[string]any{"contacts": out, "nextCursor": nullable(next)})
	return nil
}

type inviteBody struct {
	ContactID *string `json:"contactId"`
	Email     *string `json:"email"`
	Name      *string `json:"name"`
}

func (s *server) invite(w http.ResponseWriter, r *http.Request, k login.APIKey) error {
	var b inviteBody
	if err := decodeJSON(r, &b); err != nil {
		return err
	}
	var in login.InviteInput
	switch {
	case b.ContactID != nil && b.Email == nil && b.Name == nil:
		in.ContactID = *b.ContactID
		if !login.ValidContactID(in.ContactID) {
			return login.Errorf(login.CodeNotFound, "No such contact.")
		}
	case b.ContactID == nil && b.Email != nil:
		e, err := identifier.ParseEmail(*b.Email)
		if err != nil {
			return err
		}
		in.Email = e
		if b.Name != nil {
			if err := checkName(*b.Name); err != nil {
				return err
			}
			in.Name = *b.Name
		}
	default:
		return login.Errorf(login.CodeInvalidRequest, "give either contactId or email (with an optional name)")
	}
	c, d, err := s.Contacts.Invite(r.Context(), k, in, s.meta(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]any{
		"contact":  contactOut(c),
		"delivery": map[string]string{"channel": string(d.Channel), "status": d.Status},
	})
	return nil
}
