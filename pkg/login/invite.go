package login

import (
	"context"
	"errors"
)

// Delivery says how a message went out.
type Delivery struct {
	Channel Channel
	Status  string // "sent"
}

// InviteInput names whom to invite: an existing contact, or an email
// address (a contact of the tenant with it, or a new one).
type InviteInput struct {
	ContactID string
	Email     string // normalised
	Name      string
}

// Invite grants a contact portal access (never admin rights) and emails
// an invitation whose link logs them in, valid for the tenant's invite
// lifetime. A refused send is delivery_failed, with the link still valid.
func (s *Service) Invite(ctx context.Context, k APIKey, in InviteInput, m Meta) (Contact, Delivery, error) {
	if err := CheckText("name", in.Name); err != nil {
		return Contact{}, Delivery{}, err
	}
	t, err := s.Tenant(ctx, k.TenantID)
	if err != nil {
		return Contact{}, Delivery{}, internal("tenant", err)
	}
	w, err := retryStale(func() (invited, error) { return s.writeInvite(ctx, k, t, in, m) })
	if err != nil {
		return Contact{}, Delivery{}, err
	}
	msg := Message{
		Channel: ChannelEmail, To: w.contact.Email, Kind: KindInvite, TenantName: t.Name,
		SenderName: t.Settings.SenderName, Link: s.linkURL(w.token), TTL: t.Settings.InviteTTL,
		TenantID: t.ID, ContactID: w.contact.ID, Locale: t.Settings.Locale(w.contact.Locale),
		Brand: BrandOf(t, s.d.BaseURL),
	}
	if err := s.sendAdmin(ctx, k, t.ID, w.contact.ID, msg, m); err != nil {
		return Contact{}, Delivery{}, err
	}
	return w.contact, Delivery{Channel: ChannelEmail, Status: "sent"}, nil
}

// invited is an invitation written: the contact and its link's token.
type invited struct {
	contact Contact
	token   string
}

func (s *Service) writeInvite(ctx context.Context, k APIKey, t Tenant, in InviteInput, m Meta) (invited, error) {
	now := s.now()
	var old *Contact
	var status EmailStatus // of in.Email, for a new contact
	switch {
	case in.ContactID != "":
		c, err := s.GetContact(ctx, k, in.ContactID)
		if err != nil {
			return invited{}, err
		}
		old = &c
	case in.Email != "":
		rec, err := s.d.Attempts.FindIdentity(ctx, EmailKey(in.Email))
		if err != nil {
			return invited{}, internal("find identity", err)
		}
		status = rec.EmailStatus
		for _, mt := range rec.Matches {
			if mt.TenantID == k.TenantID {
				c, err := s.GetContact(ctx, k, mt.ContactID)
				if err != nil {
					return invited{}, err
				}
				old = &c
			}
		}
	default:
		return invited{}, Errorf(CodeInvalidRequest, "give contactId or email")
	}
	var c Contact
	if old != nil {
		c = *old
		c.Version, c.UpdatedAt = old.Version+1, now
	} else {
		id, err := newID(s.d.Random, "c")
		if err != nil {
			return invited{}, internal("new id", err)
		}
		c = Contact{TenantID: t.ID, ID: id, Email: in.Email, Name: in.Name, CreatedAt: now, UpdatedAt: now, Version: 1, EmailStatus: status}
	}
	if c.Email == "" {
		return invited{}, Errorf(CodeNoEmail, "This contact has no email address to send an invitation to.")
	}
	if err := s.checkDeliverable(ctx, k, c, m); err != nil {
		return invited{}, err
	}
	if c.Access != AccessActive {
		c.Access = AccessInvited
	}
	secret, err := newSecret(s.d.Random)
	if err != nil {
		return invited{}, internal("new secret", err)
	}
	token := tokenParts{kind: kindLink, tenant: t.ID, contact: c.ID, purpose: PurposeInvite, secret: secret}.String()
	c.Link = &Slot{TokenHash: HashToken(token), ExpiresAt: now.Add(t.Settings.InviteTTL)}
	ev := s.event(EventInviteSent, t.ID, c.ID, k.Actor(), m, nil)
	ev.Channel = string(ChannelEmail)
	if old == nil {
		err = s.d.Contacts.CreateContact(ctx, c, []AuditEvent{ev})
	} else {
		err = s.d.Contacts.UpdateContact(ctx, *old, c, []AuditEvent{ev})
	}
	if err != nil {
		if errors.Is(err, ErrStale) || (old == nil && errors.Is(err, ErrConflict)) {
			return invited{}, ErrStale // raced with another write: read again
		}
		return invited{}, contactErr(err)
	}
	return invited{c, token}, nil
}

// sendAdmin sends a message an admin asked for: a refusal is
// delivery_failed (audited), never a silent loss.
func (s *Service) sendAdmin(ctx context.Context, k APIKey, tenantID, contactID string, msg Message, m Meta) error {
	err := s.send(ctx, msg)
	if err == nil {
		return nil
	}
	reason, code := deliveryReason(err)
	s.d.Logger.ErrorContext(ctx, "delivery failed", "reason", reason, "provider_code", code, "channel", msg.Channel, "kind", msg.Kind, "tenant", tenantID, "err", err)
	detail := map[string]string{"kind": string(msg.Kind), "reason": string(reason)}
	if code != "" {
		detail["providerCode"] = code
	}
	ev := s.event(EventDeliveryFailed, tenantID, contactID, k.Actor(), m, detail)
	ev.Channel = string(msg.Channel)
	s.record(ctx, ev)
	return &Error{Code: CodeDeliveryFailed, Msg: "The email or SMS provider refused the message. The link is still valid; try again later.", Err: err}
}
