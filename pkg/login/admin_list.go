package login

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
)

// MaxPage is the largest page of contacts or audit events.
const MaxPage = 100

var errBadCursor = &Error{Code: CodeInvalidRequest, Msg: "cursor is not one this API returned"}

// errBadEventType is an audit filter naming no event type. It does not
// repeat the filter: that is the caller's own input.
var errBadEventType = &Error{Code: CodeInvalidRequest, Msg: "type is not an audit event type (such as login.redeemed or session.created)"}

// contactCursor is where a contact listing goes on: the phase of a q
// search (names, then emails) and the last sort key.
type contactCursor struct {
	By    string `json:"b"`
	After string `json:"a"`
}

func encodeCursor(v any) string {
	b, _ := json.Marshal(v)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string, v any) error {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || json.Unmarshal(b, v) != nil {
		return errBadCursor
	}
	return nil
}

// ListContacts pages through the key's tenant's contacts: all of them, or
// those whose name or email starts with q (names first, then emails not
// already listed by name).
func (s *Service) ListContacts(ctx context.Context, k APIKey, q string, limit int, cursor string) ([]Contact, string, error) {
	if limit <= 0 || limit > MaxPage {
		limit = MaxPage
	}
	cur := contactCursor{}
	if q != "" {
		cur.By = "name"
	}
	if cursor != "" {
		// A cursor of another listing, or of no phase of this one, is the
		// caller's mistake: the store would refuse an unknown order.
		if err := decodeCursor(cursor, &cur); err != nil || (q == "") != (cur.By == "") || (q != "" && cur.By != "name" && cur.By != "email") {
			return nil, "", errBadCursor
		}
	}
	prefix := q
	var out []Contact
	for {
		if cur.By == "name" {
			prefix = lowerName(q)
		} else {
			prefix = strings.ToLower(q)
		}
		page, more, err := s.d.Contacts.ListContacts(ctx, k.TenantID, ContactQuery{By: cur.By, Prefix: prefix, After: cur.After, Limit: limit - len(out)})
		if err != nil {
			return nil, "", internal("list contacts", err)
		}
		for _, c := range page {
			cur.After = sortKey(cur.By, c)
			if cur.By == "email" && strings.HasPrefix(lowerName(c.Name), lowerName(q)) {
				continue // listed with the names already
			}
			out = append(out, c)
		}
		if more && len(out) < limit {
			continue
		}
		if more {
			return out, encodeCursor(cur), nil
		}
		if cur.By != "name" {
			return out, "", nil
		}
		cur = contactCursor{By: "email"}
		if len(out) >= limit {
			return out, encodeCursor(cur), nil
		}
	}
}

func sortKey(by string, c Contact) string {
	switch by {
	case "name":
		return SortKeyName(c)
	case "email":
		return c.Email
	}
	return c.ID
}

// ListEvents pages through the key's tenant's audit log, newest first;
// typ, when not "", must be a known EventType.
func (s *Service) ListEvents(ctx context.Context, k APIKey, contactID, typ string, limit int, cursor string) ([]AuditEvent, string, error) {
	if limit <= 0 || limit > MaxPage {
		limit = MaxPage
	}
	q := EventQuery{ContactID: contactID, Type: EventType(typ), Limit: limit}
	if q.Type != "" && !q.Type.Known() {
		return nil, "", errBadEventType
	}
	if cursor != "" {
		b, err := base64.RawURLEncoding.DecodeString(cursor)
		if err != nil || len(b) > 200 {
			return nil, "", errBadCursor
		}
		q.Before = string(b)
	}
	events, more, err := s.d.Audit.ListEvents(ctx, k.TenantID, q)
	if err != nil {
		return nil, "", internal("list events", err)
	}
	next := ""
	if more && len(events) > 0 {
		next = base64.RawURLEncoding.EncodeToString([]byte(EventSortKey(events[len(events)-1])))
	}
	return events, next, nil
}

// UpdateSettings applies change to the key's tenant's settings under the
// settings version, retrying when another write came first. The settings
// the change touches must keep API.md's rules (CheckTenantChange),
// whoever calls.
func (s *Service) UpdateSettings(ctx context.Context, k APIKey, change func(*Tenant) error, m Meta) (Tenant, error) {
	return retryStale(func() (Tenant, error) {
		t, err := s.d.Tenants.GetTenant(ctx, k.TenantID)
		if err != nil {
			return Tenant{}, internal("get tenant", err)
		}
		before := t
		prev := t.Version
		if err := change(&t); err != nil {
			return Tenant{}, err
		}
		// The id, version and creation time are not settings: a change
		// cannot move the tenant or its history.
		t.ID, t.CreatedAt = before.ID, before.CreatedAt
		tidySettings(&t)
		if err := CheckTenantChange(before, t); err != nil {
			return Tenant{}, err
		}
		if err := s.checkSMSCountries(&before, t); err != nil {
			return Tenant{}, err
		}
		t.Version = prev + 1
		err = s.d.Tenants.UpdateTenant(ctx, t, prev)
		if errors.Is(err, ErrStale) {
			return Tenant{}, err
		}
		if err != nil {
			return Tenant{}, internal("update tenant", err)
		}
		s.forgetTenant(t.ID)
		s.record(ctx, s.event(EventSettingsUpdated, t.ID, "", k.Actor(), m, nil))
		return t, nil
	})
}
