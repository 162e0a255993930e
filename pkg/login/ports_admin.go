package login

import (
	"context"
	"strings"
	"time"
)

// AdminStore is what the admin API adds to Store: listing and searching
// contacts, reading the audit log, managing API keys and action links.
type AdminStore interface {
	// ListContacts returns up to q.Limit contacts of a tenant in the
	// order of q.By, starting after the sort key q.After, and whether
	// more follow. By "" lists every contact by id (sort key: the id);
	// "name" those whose lower-cased name starts with q.Prefix (sort key:
	// SortKeyName); "email" those whose email starts with q.Prefix (sort
	// key: the email).
	ListContacts(ctx context.Context, tenantID string, q ContactQuery) ([]Contact, bool, error)
	// ListEvents returns up to q.Limit audit events of a tenant, newest
	// first, older than the sort key q.Before ("" from the newest), of
	// q.ContactID and q.Type when set, and whether more follow.
	ListEvents(ctx context.Context, tenantID string, q EventQuery) ([]AuditEvent, bool, error)

	// ListAPIKeys returns a tenant's keys (never their hashes' secrets).
	ListAPIKeys(ctx context.Context, tenantID string) ([]APIKey, error)
	// RevokeAPIKey marks a tenant's key revoked; ErrNotFound when the
	// tenant has no key with that id.
	RevokeAPIKey(ctx context.Context, tenantID, id string) error
	// TouchAPIKey sets a key's LastUsedAt.
	TouchAPIKey(ctx context.Context, hash []byte, at time.Time) error

	// PutActionLink stores a new action link.
	PutActionLink(ctx context.Context, a ActionLink, events []AuditEvent) error
	// GetActionLink returns a tenant's action link by id, or ErrNotFound.
	GetActionLink(ctx context.Context, tenantID, id string) (ActionLink, error)
	// RevokeActionLinks revokes the tenant's action link with that id, or
	// every one with that ref, returning how many were live (not revoked,
	// not expired) at now.
	RevokeActionLinks(ctx context.Context, tenantID, id, ref string, now time.Time, events []AuditEvent) (int, error)
}

// ContactQuery selects a page of contacts.
type ContactQuery struct {
	By     string // "", "name" or "email"
	Prefix string
	After  string
	Limit  int
}

// SortKeyName is the sort key of a contact by name.
func SortKeyName(c Contact) string { return lowerName(c.Name) + "#" + c.ID }

// EventQuery selects a page of audit events.
type EventQuery struct {
	ContactID string
	Type      EventType
	Before    string // EventSortKey of the last event of the previous page
	Limit     int
}

// EventSortKey orders audit events by time: a fixed-width UTC time and the id.
func EventSortKey(e AuditEvent) string {
	return e.At.UTC().Format("2006-01-02T15:04:05.000000000Z") + "#" + e.ID
}

// ActionLink is a reusable deep link of a tenant's transactional email:
// it logs its contact into one portal page until it expires or is revoked.
type ActionLink struct {
	ID        string
	TenantID  string
	ContactID string
	Hash      []byte // SHA-256 of the token
	Redirect  string
	Ref       string
	CreatedAt time.Time
	ExpiresAt time.Time
	Revoked   bool
}

// ActionRef names an action link a Redemption uses without consuming it:
// it must exist with that hash, unrevoked and unexpired at Now.
type ActionRef struct {
	TenantID string
	ID       string
	Hash     []byte
}

// lowerName is how names are compared and searched: lower-cased.
func lowerName(n string) string { return strings.ToLower(n) }
