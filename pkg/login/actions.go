package login

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf8"
)

// Action link limits of API.md.
const (
	ActionLinkMaxTTL  = 90 * 24 * time.Hour
	ActionSessionTTL  = 24 * time.Hour
	actionRefMaxChars = 100
)

// ActionLinkInput is an admin's request for a deep link.
type ActionLinkInput struct {
	ContactID string
	Redirect  string // a checked portal path
	Ref       string
	TTL       time.Duration // 0 for the default, ActionLinkMaxTTL
}

// CreateActionLink makes a reusable deep link that logs the contact into
// one portal page with a narrow session.
func (s *Service) CreateActionLink(ctx context.Context, k APIKey, in ActionLinkInput, m Meta) (ActionLink, string, error) {
	if in.TTL == 0 {
		in.TTL = ActionLinkMaxTTL
	}
	if in.TTL < time.Second || in.TTL > ActionLinkMaxTTL {
		return ActionLink{}, "", Errorf(CodeInvalidRequest, "ttlSeconds must be from 1 to %d", int(ActionLinkMaxTTL/time.Second))
	}
	if utf8.RuneCountInString(in.Ref) > actionRefMaxChars || strings.ContainsRune(in.Ref, '#') || !validText(in.Ref) {
		return ActionLink{}, "", Errorf(CodeInvalidRequest, "ref must be at most 100 characters, without control characters, bidirectional formatting characters or #")
	}
	c, err := s.loginContact(ctx, k, in.ContactID)
	if err != nil {
		return ActionLink{}, "", err
	}
	id, err := newID(s.d.Random, "a")
	if err != nil {
		return ActionLink{}, "", internal("id", err)
	}
	secret, err := newSecret(s.d.Random)
	if err != nil {
		return ActionLink{}, "", internal("secret", err)
	}
	token := tokenParts{kind: kindAction, tenant: k.TenantID, id: id, secret: secret}.String()
	now := s.now()
	al := ActionLink{ID: id, TenantID: k.TenantID, ContactID: c.ID, Hash: HashToken(token), Redirect: in.Redirect,
		Ref: in.Ref, CreatedAt: now, ExpiresAt: now.Add(in.TTL)}
	detail := map[string]string{"actionLinkId": id}
	if in.Ref != "" {
		detail["ref"] = in.Ref
	}
	ev := s.event(EventActionLinkCreated, k.TenantID, c.ID, k.Actor(), m, detail)
	if err := s.d.Actions.PutActionLink(ctx, al, []AuditEvent{ev}); err != nil {
		return ActionLink{}, "", internal("put action link", err)
	}
	return al, s.d.BaseURL + "/v1/login/action?token=" + token, nil
}

// UseActionLink follows a deep link: while it is neither expired nor
// revoked, each use gives a narrow session (at most 24 hours, via
// action_link), or keeps the browser's own session for that contact.
func (s *Service) UseActionLink(ctx context.Context, token string, o LoginOpts) (Outcome, error) {
	p, ok := parseTokenOf(token, kindAction)
	if !ok {
		return Outcome{}, ErrLinkInvalid
	}
	tenantID, id := p.tenant, p.id
	al, err := s.d.Actions.GetActionLink(ctx, tenantID, id)
	if err != nil || !hashesEqual(al.Hash, HashToken(token)) || al.Revoked {
		return Outcome{}, linkErr(err)
	}
	now := s.now()
	if !now.Before(al.ExpiresAt) {
		return Outcome{}, ErrLinkExpired
	}
	t, err := s.Tenant(ctx, tenantID)
	if err != nil {
		return Outcome{}, linkErr(err)
	}
	used := s.event(EventActionLinkUsed, t.ID, al.ContactID, "customer", o.Meta, map[string]string{"actionLinkId": al.ID})
	// A portal that takes sessions by hand-off needs a new code: it gets a
	// new session too, never the browser's own.
	if t.Settings.PortalIntegration != IntegrationHandoff {
		if v, err := s.Session(ctx, o.PrevSession); err == nil && v.Session.TenantID == t.ID && v.Session.ContactID == al.ContactID &&
			!v.Contact.SessionsNotBefore.After(al.CreatedAt) {
			s.record(ctx, used)
			return Outcome{Session: &NewSession{Tenant: t, Session: v.Session}, Redirect: al.Redirect}, nil
		}
	}
	ns, err := s.newSession(t, al.ContactID, "action_link", now, ActionSessionTTL)
	if err != nil {
		return Outcome{}, internal("new session", err)
	}
	r := Redemption{
		Now: now, Action: &ActionRef{TenantID: t.ID, ID: al.ID, Hash: al.Hash},
		Session: &ns.Session, KeepSlots: true, NotBefore: al.CreatedAt, EndSession: sessionRef(o.PrevSession),
		Events: []AuditEvent{used, s.event(EventSessionCreated, t.ID, al.ContactID, "customer", o.Meta, map[string]string{"via": "action_link"})},
	}
	code, err := s.addHandoff(t, &r, "")
	if err != nil {
		return Outcome{}, err
	}
	if err := s.d.Attempts.Redeem(ctx, r); err != nil {
		return Outcome{}, s.loginFailed(ctx, err, t.ID, al.ContactID, o.Meta)
	}
	return Outcome{Session: ns, Redirect: al.Redirect, HandoffCode: code}, nil
}

// RevokeActionLinks revokes a tenant's action link by id, or all of a ref.
func (s *Service) RevokeActionLinks(ctx context.Context, k APIKey, id, ref string, m Meta) (int, error) {
	if (id == "") == (ref == "") {
		return 0, Errorf(CodeInvalidRequest, "give either id or ref")
	}
	detail := map[string]string{}
	if id != "" {
		detail["actionLinkId"] = id
	} else {
		detail["ref"] = ref
	}
	ev := s.event(EventActionLinkRevoked, k.TenantID, "", k.Actor(), m, detail)
	n, err := s.d.Actions.RevokeActionLinks(ctx, k.TenantID, id, ref, s.now(), []AuditEvent{ev})
	if errors.Is(err, ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, internal("revoke action links", err)
	}
	return n, nil
}
