package login

import (
	"context"
	"errors"
	"strings"
	"time"
)

// ErrUnauthorized is a missing, malformed, unknown or revoked API key.
var ErrUnauthorized = &Error{Code: CodeUnauthorized, Msg: "A valid API key is required: Authorization: Bearer <key>."}

// NewAPIKey makes a key for a tenant and stores its hash. The key is
// returned once and never stored.
func (s *Service) NewAPIKey(ctx context.Context, tenantID, name string) (string, APIKey, error) {
	id, err := newID(s.d.Random, "k")
	if err != nil {
		return "", APIKey{}, err
	}
	id = id[:apiKeyIDLen]
	secret, err := newSecret(s.d.Random)
	if err != nil {
		return "", APIKey{}, err
	}
	key := tokenParts{kind: kindAPIKey, id: id, secret: secret}.String()
	k := APIKey{Hash: HashToken(key), ID: id, TenantID: tenantID, Name: name, CreatedAt: s.now()}
	if err := s.d.Keys.PutAPIKey(ctx, k); err != nil {
		return "", APIKey{}, err
	}
	return key, k, nil
}

// PutAPIKey stores a key chosen by the operator (the dev server's
// DEV_API_KEY); it succeeds when the key is already stored for the tenant.
func (s *Service) PutAPIKey(ctx context.Context, tenantID, key, name string) (APIKey, error) {
	h := HashToken(key)
	if k, err := s.d.Keys.GetAPIKey(ctx, h); err == nil {
		if k.TenantID != tenantID {
			return APIKey{}, Errorf(CodeConflict, "that key belongs to another tenant")
		}
		return k, nil
	}
	id := IdentHash(key)[:10]
	k := APIKey{Hash: h, ID: "k" + strings.ToLower(id), TenantID: tenantID, Name: name, CreatedAt: s.now()}
	if err := s.d.Keys.PutAPIKey(ctx, k); err != nil {
		return APIKey{}, err
	}
	return k, nil
}

// Authenticate returns the API key behind a bearer token. It does not
// parse the key: an operator's key (PutAPIKey) may have any shape, and
// only its hash decides.
func (s *Service) Authenticate(ctx context.Context, key string) (APIKey, error) {
	if key == "" || len(key) > 200 {
		return APIKey{}, ErrUnauthorized
	}
	k, err := s.d.Keys.GetAPIKey(ctx, HashToken(key))
	if errors.Is(err, ErrNotFound) {
		return APIKey{}, ErrUnauthorized
	}
	if err != nil {
		return APIKey{}, internal("get api key", err)
	}
	if k.Revoked {
		return APIKey{}, ErrUnauthorized
	}
	// Keep "last used" to the hour: one write per key per hour, not per call.
	if now := s.now(); now.Sub(k.LastUsedAt) > time.Hour {
		if err := s.d.Keys.TouchAPIKey(ctx, k.Hash, now); err != nil {
			s.d.Logger.WarnContext(ctx, "touch api key", "err", err)
		}
	}
	return k, nil
}

// Actor is how an API key appears in the audit log; the key of the
// operator tooling (Operator) is "system".
func (k APIKey) Actor() string {
	if k.Subject != "" {
		return "user:" + k.Subject
	}
	if k.ID == "" {
		return "system"
	}
	return "apikey:" + k.ID
}

// Operator is the authority of the operator tooling over one tenant: it
// acts like that tenant's API key and is audited as "system".
func Operator(tenantID string) APIKey { return APIKey{TenantID: tenantID} }

// ListAPIKeys returns a tenant's API keys (hashes only, never keys).
func (s *Service) ListAPIKeys(ctx context.Context, tenantID string) ([]APIKey, error) {
	ks, err := s.d.Keys.ListAPIKeys(ctx, tenantID)
	if err != nil {
		return nil, internal("list api keys", err)
	}
	return ks, nil
}

// RevokeAPIKey revokes a tenant's API key by its id.
func (s *Service) RevokeAPIKey(ctx context.Context, tenantID, id string) error {
	if err := s.d.Keys.RevokeAPIKey(ctx, tenantID, id); err != nil {
		if errors.Is(err, ErrNotFound) {
			return Errorf(CodeNotFound, "tenant %s has no key %s", tenantID, id)
		}
		return internal("revoke api key", err)
	}
	return nil
}

// ListTenants returns every tenant.
func (s *Service) ListTenants(ctx context.Context) ([]Tenant, error) {
	ts, err := s.d.Tenants.ListTenants(ctx)
	if err != nil {
		return nil, internal("list tenants", err)
	}
	return ts, nil
}

// CreateTenant stores a new tenant with its settings, which must keep
// every rule of API.md (CheckTenant); opts may relax them for the dev
// server.
func (s *Service) CreateTenant(ctx context.Context, id, name string, st Settings, opts ...TenantOption) (Tenant, error) {
	if !ValidTenantID(id) {
		return Tenant{}, Errorf(CodeInvalidRequest, "tenant id must be 1-40 lower-case letters, digits or dashes")
	}
	t := Tenant{ID: id, Name: name, Settings: st, Version: 1, CreatedAt: s.now()}
	tidySettings(&t)
	if err := CheckTenant(t, opts...); err != nil {
		return Tenant{}, err
	}
	if err := s.checkSMSCountries(nil, t); err != nil {
		return Tenant{}, err
	}
	if err := s.d.Tenants.CreateTenant(ctx, t); err != nil {
		if errors.Is(err, ErrConflict) {
			return Tenant{}, Errorf(CodeConflict, "tenant %q already exists", id)
		}
		return Tenant{}, internal("create tenant", err)
	}
	return t, nil
}

// ContactInput is a contact's fields as an admin sets them: nil leaves
// a field alone, "" clears it. Email and phone are already normalised.
type ContactInput struct {
	Email, Phone, Name *string
	Access             *Access
	// Locale is the language of admin sends: one of the tenant's
	// locales, "" for the tenant's default.
	Locale *string
	// EmailStatus, only EmailOK, clears the address's delivery status.
	EmailStatus *EmailStatus
}

// CreateContact adds a contact to the key's tenant.
func (s *Service) CreateContact(ctx context.Context, k APIKey, in ContactInput, m Meta) (Contact, error) {
	if err := checkTextPtr("name", in.Name); err != nil {
		return Contact{}, err
	}
	if err := s.checkContactLocale(ctx, k, in.Locale); err != nil {
		return Contact{}, err
	}
	id, err := newID(s.d.Random, "c")
	if err != nil {
		return Contact{}, internal("new id", err)
	}
	now := s.now()
	c := Contact{TenantID: k.TenantID, ID: id, Access: AccessNone, CreatedAt: now, UpdatedAt: now, Version: 1}
	apply(&c, in)
	if c.Email == "" && c.Phone == "" {
		return Contact{}, Errorf(CodeInvalidRequest, "a contact needs an email or a phone")
	}
	ev := s.event(EventContactCreated, k.TenantID, id, k.Actor(), m, nil)
	if err := s.d.Contacts.CreateContact(ctx, c, []AuditEvent{ev}); err != nil {
		return Contact{}, contactErr(err)
	}
	return c, nil
}

func apply(c *Contact, in ContactInput) {
	if in.Email != nil {
		c.Email = *in.Email
	}
	if in.Phone != nil {
		c.Phone = *in.Phone
	}
	if in.Name != nil {
		c.Name = *in.Name
	}
	if in.Access != nil {
		c.Access = *in.Access
	}
	if in.Locale != nil {
		c.Locale = *in.Locale
	}
}

// checkContactLocale refuses a contact locale the tenant does not offer.
// A locale the tenant stops offering later is not an error: its sends
// fall back to the tenant's default (Settings.Locale).
func (s *Service) checkContactLocale(ctx context.Context, k APIKey, l *string) error {
	if l == nil || *l == "" {
		return nil
	}
	t, err := s.Tenant(ctx, k.TenantID)
	if err != nil {
		return internal("tenant", err)
	}
	if !ShippedLocale(*l) || !t.Settings.Offers(*l) {
		return Errorf(CodeInvalidRequest, "locale must be one of the tenant's locales: %s", strings.Join(t.Settings.LocaleList(), ", "))
	}
	return nil
}

func contactErr(err error) error {
	if errors.Is(err, ErrConflict) {
		return ErrConflict
	}
	if errors.Is(err, ErrNotFound) {
		return Errorf(CodeNotFound, "No such contact.")
	}
	return internal("contact", err)
}

// GetContact returns a contact of the key's tenant; another tenant's is not found.
func (s *Service) GetContact(ctx context.Context, k APIKey, id string) (Contact, error) {
	if !ValidContactID(id) {
		return Contact{}, Errorf(CodeNotFound, "No such contact.")
	}
	c, err := s.d.Contacts.GetContact(ctx, k.TenantID, id)
	if err != nil {
		return Contact{}, contactErr(err)
	}
	return s.withEmailStatus(ctx, c)
}

// UpdateContact changes a contact. A new email or phone ends its sessions
// and login links; disabling ends every session and link.
func (s *Service) UpdateContact(ctx context.Context, k APIKey, id string, in ContactInput, m Meta) (Contact, error) {
	if err := checkTextPtr("name", in.Name); err != nil {
		return Contact{}, err
	}
	if err := s.checkContactLocale(ctx, k, in.Locale); err != nil {
		return Contact{}, err
	}
	if in.EmailStatus != nil {
		return s.updateEmailStatus(ctx, k, id, in, m)
	}
	return retryStale(func() (Contact, error) {
		old, err := s.GetContact(ctx, k, id)
		if err != nil {
			return Contact{}, err
		}
		c := old
		apply(&c, in)
		if c.Email == "" && c.Phone == "" {
			return Contact{}, Errorf(CodeInvalidRequest, "a contact needs an email or a phone")
		}
		if c.Email != old.Email {
			// The status is the address's: a new one has its own.
			c.EmailStatus = ""
			if c, err = s.withEmailStatus(ctx, c); err != nil {
				return Contact{}, err
			}
		}
		now := s.now()
		c.UpdatedAt, c.Version = now, old.Version+1
		changed := c.Email != old.Email || c.Phone != old.Phone
		if changed || c.Access == AccessDisabled {
			c.Login, c.Link = nil, nil
			c.SessionsNotBefore = now
		}
		events := []AuditEvent{s.event(EventContactUpdated, k.TenantID, id, k.Actor(), m, changedFields(old, c))}
		err = s.d.Contacts.UpdateContact(ctx, old, c, events)
		if err != nil && !errors.Is(err, ErrStale) {
			return Contact{}, contactErr(err)
		}
		return c, err
	})
}

// changedFields names what an update changed, never the values of secrets.
func changedFields(old, c Contact) map[string]string {
	d := map[string]string{}
	var f []string
	if old.Email != c.Email {
		f = append(f, "email")
	}
	if old.Phone != c.Phone {
		f = append(f, "phone")
	}
	if old.Name != c.Name {
		f = append(f, "name")
	}
	if old.Locale != c.Locale {
		f = append(f, "locale")
	}
	if old.Access != c.Access {
		f = append(f, "portalAccess")
		d["portalAccess"] = string(c.Access)
	}
	d["fields"] = strings.Join(f, ",")
	return d
}

// FindContacts returns the key's tenant's contacts with an identifier.
func (s *Service) FindContacts(ctx context.Context, k APIKey, id Identifier) ([]Contact, error) {
	rec, err := s.d.Attempts.FindIdentity(ctx, id.Key())
	if err != nil {
		return nil, internal("find identity", err)
	}
	var out []Contact
	for _, m := range rec.Matches {
		if m.TenantID != k.TenantID {
			continue
		}
		c, err := s.d.Contacts.GetContact(ctx, k.TenantID, m.ContactID)
		if err != nil {
			return nil, contactErr(err)
		}
		if id.Kind == IdentEmail {
			c.EmailStatus = rec.EmailStatus // the address's, read with it
		}
		out = append(out, c)
	}
	return out, nil
}
