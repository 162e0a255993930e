package login

import (
	"context"
	"errors"
	"time"
)

// LinkInput is an admin's request for a one-time link for a contact.
type LinkInput struct {
	ContactID string
	Send      string  // "none", "email" or "sms"
	Redirect  string  // a checked portal path, or ""
	Purpose   Purpose // PurposeLogin or PurposeRecovery
}

// LinkResult is a generated link. URL is the only copy of its token: it
// goes back to the admin who asked, never to a log.
type LinkResult struct {
	URL       string
	ExpiresAt time.Time
	Delivery  *Delivery
}

var (
	errNoPortalAccess = &Error{Code: CodeNoPortalAccess, Msg: "This contact has no portal access. Invite them or set portalAccess to active first."}
	errNoEmail        = &Error{Code: CodeNoEmail, Msg: "This contact has no email address on file."}
	errNoPhone        = &Error{Code: CodeNoPhone, Msg: "This contact has no phone number on file."}
)

// issued is a one-time link just stored for a contact.
type issued struct {
	token, code string
	expiresAt   time.Time
	tenant      Tenant
}

// issueLink stores a new one-time link (and code, for login links) in
// the contact's slot for its purpose, replacing the previous one. It
// retries when the tenant's settings changed under the cache.
func (s *Service) issueLink(ctx context.Context, k APIKey, c Contact, p Purpose, redirect string, ev EventType, m Meta) (issued, error) {
	return retryStale(func() (issued, error) {
		t, err := s.Tenant(ctx, k.TenantID)
		if err != nil {
			return issued{}, internal("tenant", err)
		}
		now := s.now()
		secret, err := newSecret(s.d.Random)
		if err != nil {
			return issued{}, internal("secret", err)
		}
		out := issued{token: tokenParts{kind: kindLink, tenant: t.ID, contact: c.ID, purpose: p, redirect: redirect, secret: secret}.String(), tenant: t}
		ttl := t.Settings.LinkTTL
		if p == PurposeRecovery {
			ttl = t.Settings.RecoveryTTL
		}
		out.expiresAt = now.Add(ttl)
		slot := Slot{TokenHash: HashToken(out.token), ExpiresAt: out.expiresAt, Redirect: redirect}
		w := SlotWrite{TenantID: t.ID, ContactID: c.ID, Which: p.slot()}
		if p == PurposeLogin {
			if out.code, err = newCode(s.d.Random, t.Settings.CodeLength); err != nil {
				return issued{}, internal("code", err)
			}
			if slot.CodeSalt, err = randomBytes(s.d.Random, 16); err != nil {
				return issued{}, internal("salt", err)
			}
			slot.CodeHash, slot.TriesLeft = hashCode(slot.CodeSalt, out.code), CodeTries
			if c.Email != "" {
				w.IdentKey = EmailKey(c.Email)
			} else {
				w.IdentKey = PhoneKey(c.Phone)
			}
		}
		w.Slot = slot
		e := s.event(ev, t.ID, c.ID, k.Actor(), m, map[string]string{"purpose": p.via()})
		err = s.d.Attempts.SaveAttempt(ctx, AttemptWrite{Now: now, Versions: map[string]int64{t.ID: t.Version}, Slots: []SlotWrite{w}, Events: []AuditEvent{e}})
		if errors.Is(err, ErrStale) {
			s.forgetTenant(t.ID)
			return issued{}, err
		}
		if err != nil {
			return issued{}, internal("save link", err)
		}
		return out, nil
	})
}

// loginContact returns a contact of the key's tenant that may log in.
func (s *Service) loginContact(ctx context.Context, k APIKey, id string) (Contact, error) {
	c, err := s.GetContact(ctx, k, id)
	if err != nil {
		return Contact{}, err
	}
	if !c.Access.CanLogIn() {
		return Contact{}, errNoPortalAccess
	}
	return c, nil
}

// GenerateLink makes a login or recovery link for a contact, to paste
// into a support reply or to send by email or SMS.
func (s *Service) GenerateLink(ctx context.Context, k APIKey, in LinkInput, m Meta) (LinkResult, error) {
	c, err := s.loginContact(ctx, k, in.ContactID)
	if err != nil {
		return LinkResult{}, err
	}
	var ch Channel
	switch in.Send {
	case "email":
		if c.Email == "" {
			return LinkResult{}, errNoEmail
		}
		if err := s.checkDeliverable(ctx, k, c, m); err != nil {
			return LinkResult{}, err
		}
		ch = ChannelEmail
	case "sms":
		if c.Phone == "" {
			return LinkResult{}, errNoPhone
		}
		ch = ChannelSMS
		if err := s.adminSMSCheck(ctx, c); err != nil {
			return LinkResult{}, err
		}
	}
	is, err := s.issueLink(ctx, k, c, in.Purpose, in.Redirect, EventLinkGenerated, m)
	if err != nil {
		return LinkResult{}, err
	}
	res := LinkResult{URL: s.linkURL(is.token), ExpiresAt: is.expiresAt}
	if ch == "" {
		return res, nil
	}
	kind := KindLogin
	if in.Purpose == PurposeRecovery {
		kind = KindRecovery
	}
	msg := Message{Channel: ch, Kind: kind, TenantName: is.tenant.Name, SenderName: is.tenant.Settings.SenderName,
		Link: res.URL, Code: is.code, TTL: is.expiresAt.Sub(s.now()), TenantID: c.TenantID, ContactID: c.ID,
		Locale: is.tenant.Settings.Locale(c.Locale), Brand: BrandOf(is.tenant, s.d.BaseURL)}
	msg.To = c.Email
	if ch == ChannelSMS {
		msg.To = c.Phone
		msg.Link = s.smsLinkFor(is.tenant, is.token, is.code != "")
	}
	if err := s.sendAdmin(ctx, k, c.TenantID, c.ID, msg, m); err != nil {
		return LinkResult{}, err
	}
	res.Delivery = &Delivery{Channel: ch, Status: "sent"}
	return res, nil
}

// SendLoginEmail emails a contact a login link and code on their behalf.
func (s *Service) SendLoginEmail(ctx context.Context, k APIKey, contactID string, m Meta) (Delivery, error) {
	c, err := s.loginContact(ctx, k, contactID)
	if err != nil {
		return Delivery{}, err
	}
	if c.Email == "" {
		return Delivery{}, errNoEmail
	}
	if err := s.checkDeliverable(ctx, k, c, m); err != nil {
		return Delivery{}, err
	}
	is, err := s.issueLink(ctx, k, c, PurposeLogin, "", EventLoginEmailSent, m)
	if err != nil {
		return Delivery{}, err
	}
	msg := Message{Channel: ChannelEmail, To: c.Email, Kind: KindLogin, TenantName: is.tenant.Name,
		SenderName: is.tenant.Settings.SenderName, Link: s.linkURL(is.token), Code: is.code, TTL: is.tenant.Settings.LinkTTL,
		TenantID: c.TenantID, ContactID: c.ID, Locale: is.tenant.Settings.Locale(c.Locale), Brand: BrandOf(is.tenant, s.d.BaseURL)}
	if err := s.sendAdmin(ctx, k, c.TenantID, c.ID, msg, m); err != nil {
		return Delivery{}, err
	}
	return Delivery{Channel: ChannelEmail, Status: "sent"}, nil
}

// PortalLink is the tenant's non-expiring Portal link.
func (s *Service) PortalLink(k APIKey) string { return s.d.BaseURL + "/p/" + k.TenantID }

// RevokeSessions ends every session of a contact.
func (s *Service) RevokeSessions(ctx context.Context, k APIKey, contactID string, m Meta) (int, error) {
	c, err := s.GetContact(ctx, k, contactID)
	if err != nil {
		return 0, err
	}
	ev := s.event(EventSessionRevoked, k.TenantID, c.ID, k.Actor(), m, nil)
	n, err := s.d.Sessions.RevokeSessions(ctx, k.TenantID, c.ID, s.now(), []AuditEvent{ev})
	if err != nil {
		return 0, contactErr(err)
	}
	return n, nil
}
