package login

import (
	"context"
	"errors"
	"strings"
)

// EraseContact erases a contact of the key's tenant (API.md, DELETE
// /v1/admin/contacts/{id}): the contact, its identifiers and sessions go
// at once, and since a login needs its contact, every outstanding link
// and code of it is dead from then on. Its audit events keep only ids.
// Another tenant's contact, or one already erased, is not found.
//
// m is not recorded: the contact.erased event carries the acting key and
// the ids only, so it needs no scrubbing of its own.
func (s *Service) EraseContact(ctx context.Context, k APIKey, id string, m Meta) error {
	if !ValidContactID(id) {
		return Errorf(CodeNotFound, "No such contact.")
	}
	_, err := retryStale(func() (struct{}, error) {
		ev := s.event(EventContactErased, k.TenantID, id, k.Actor(), Meta{}, nil)
		err := s.d.Contacts.EraseContact(ctx, k.TenantID, id, s.now(), []AuditEvent{ev})
		if errors.Is(err, ErrStale) {
			return struct{}{}, err
		}
		if err != nil {
			return struct{}{}, contactErr(err)
		}
		return struct{}{}, nil
	})
	return err
}

// ScrubEvent returns e as an erased contact's audit keeps it: without IP
// and user agent, and without any detail value that holds one of addrs
// (the contact's email and phone) or looks like an email address or a
// phone number (an erase retried after the contact is gone no longer
// knows its addresses). Both stores scrub with it, so the rule has one
// home.
func ScrubEvent(e AuditEvent, addrs ...string) AuditEvent {
	e.IP, e.UserAgent = "", ""
	if len(e.Detail) == 0 {
		return e
	}
	d := make(map[string]string, len(e.Detail))
	for k, v := range e.Detail {
		if !holdsAddress(v, addrs) {
			d[k] = v
		}
	}
	if len(d) == 0 {
		d = nil
	}
	e.Detail = d
	return e
}

// NeedsScrub reports whether ScrubEvent would change e, so a store
// rewrites only what still holds something of the contact.
func NeedsScrub(e AuditEvent, addrs ...string) bool {
	if e.IP != "" || e.UserAgent != "" {
		return true
	}
	for _, v := range e.Detail {
		if holdsAddress(v, addrs) {
			return true
		}
	}
	return false
}

func holdsAddress(v string, addrs []string) bool {
	for _, a := range addrs {
		if a != "" && strings.Contains(strings.ToLower(v), strings.ToLower(a)) {
			return true
		}
	}
	return strings.Contains(v, "@") || looksLikePhone(v)
}

// looksLikePhone reports whether v is "+" and 7 to 15 digits (E.164).
func looksLikePhone(v string) bool {
	if len(v) < 8 || len(v) > 16 || v[0] != '+' {
		return false
	}
	for _, r := range v[1:] {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
