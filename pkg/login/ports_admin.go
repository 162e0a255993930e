package login

import (
	"strings"
	"time"
)

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
