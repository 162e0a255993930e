package httpapi

import (
	"context"
	"time"

	"github.com/portalpass/portalpass/pkg/login"
)

// The core's flows, by the role the HTTP layer calls them in. Each route
// group uses only its roles, and a function sets only those of the routes
// it serves; *login.Service plays every one.

// TenantSource reads a tenant (the core caches it per container).
type TenantSource interface {
	Tenant(ctx context.Context, id string) (login.Tenant, error)
}

// KeyChecker authenticates admin API keys.
type KeyChecker interface {
	Authenticate(ctx context.Context, key string) (login.APIKey, error)
}

// LoginFlows are a customer's ways in: the login request, the link, the
// code, the tenant picker and action links.
type LoginFlows interface {
	RequestLogin(ctx context.Context, r login.LoginRequest) error
	PeekLink(ctx context.Context, token string, requestHash []byte) (login.LinkInfo, error)
	RedeemLink(ctx context.Context, token string, o login.LoginOpts) (login.Outcome, error)
	LoginWithCode(ctx context.Context, in login.CodeLogin, o login.LoginOpts) (login.Outcome, error)
	PickerTenants(ctx context.Context, token string) ([]login.Tenant, error)
	PickTenant(ctx context.Context, token, tenantID string, o login.LoginOpts) (login.Outcome, error)
	UseActionLink(ctx context.Context, token string, o login.LoginOpts) (login.Outcome, error)
}

// SessionFlows read and end sessions and hand them to portals.
type SessionFlows interface {
	Session(ctx context.Context, token string) (login.SessionView, error)
	Logout(ctx context.Context, token string, m login.Meta) error
	ExchangeHandoff(ctx context.Context, in login.Exchange) (login.Exchanged, error)
	SessionToken(ctx context.Context, sessionToken string) (string, time.Time, error)
	JWKS(ctx context.Context) ([]byte, error)
}

// ContactAdmin is the admin API's contacts and invitations.
type ContactAdmin interface {
	CreateContact(ctx context.Context, k login.APIKey, in login.ContactInput, m login.Meta) (login.Contact, error)
	GetContact(ctx context.Context, k login.APIKey, id string) (login.Contact, error)
	UpdateContact(ctx context.Context, k login.APIKey, id string, in login.ContactInput, m login.Meta) (login.Contact, error)
	EraseContact(ctx context.Context, k login.APIKey, id string, m login.Meta) error
	FindContacts(ctx context.Context, k login.APIKey, id login.Identifier) ([]login.Contact, error)
	ListContacts(ctx context.Context, k login.APIKey, q string, limit int, cursor string) ([]login.Contact, string, error)
	Invite(ctx context.Context, k login.APIKey, in login.InviteInput, m login.Meta) (login.Contact, login.Delivery, error)
}

// LinkAdmin is the admin API's links: login and recovery links, login
// emails, the Portal link, action links and ending sessions.
type LinkAdmin interface {
	GenerateLink(ctx context.Context, k login.APIKey, in login.LinkInput, m login.Meta) (login.LinkResult, error)
	SendLoginEmail(ctx context.Context, k login.APIKey, contactID string, m login.Meta) (login.Delivery, error)
	PortalLink(k login.APIKey) string
	CreateActionLink(ctx context.Context, k login.APIKey, in login.ActionLinkInput, m login.Meta) (login.ActionLink, string, error)
	RevokeActionLinks(ctx context.Context, k login.APIKey, id, ref string, m login.Meta) (int, error)
	RevokeSessions(ctx context.Context, k login.APIKey, contactID string, m login.Meta) (int, error)
}

// AuditReader reads a tenant's audit log.
type AuditReader interface {
	ListEvents(ctx context.Context, k login.APIKey, contactID, typ string, limit int, cursor string) ([]login.AuditEvent, string, error)
}

// SettingsAdmin changes a tenant's settings and its logo.
type SettingsAdmin interface {
	UpdateSettings(ctx context.Context, k login.APIKey, change func(*login.Tenant) error, m login.Meta) (login.Tenant, error)
	SetLogo(ctx context.Context, k login.APIKey, contentType string, data []byte, m login.Meta) (login.Tenant, error)
	RemoveLogo(ctx context.Context, k login.APIKey, m login.Meta) (login.Tenant, error)
}

// LogoSource reads a tenant's logo by its name (cached per container).
type LogoSource interface {
	Logo(ctx context.Context, tenantID, name string) (login.Logo, error)
}

// Roles are the flows the HTTP layer calls, one field per role.
type Roles struct {
	Tenants  TenantSource
	Keys     KeyChecker
	Logins   LoginFlows
	Sessions SessionFlows
	Contacts ContactAdmin
	Links    LinkAdmin
	Audit    AuditReader
	Settings SettingsAdmin
	Logos    LogoSource
}

// fill lets svc play every role left nil.
func (r *Roles) fill(svc *login.Service) {
	if svc == nil {
		return
	}
	if r.Tenants == nil {
		r.Tenants = svc
	}
	if r.Keys == nil {
		r.Keys = svc
	}
	if r.Logins == nil {
		r.Logins = svc
	}
	if r.Sessions == nil {
		r.Sessions = svc
	}
	if r.Contacts == nil {
		r.Contacts = svc
	}
	if r.Links == nil {
		r.Links = svc
	}
	if r.Audit == nil {
		r.Audit = svc
	}
	if r.Settings == nil {
		r.Settings = svc
	}
	if r.Logos == nil {
		r.Logos = svc
	}
}
