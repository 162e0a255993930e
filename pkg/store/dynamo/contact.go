package dynamo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/portalpass/portalpass/pkg/login"
)

// CreateContact stores a new contact and its identifier items in one
// transaction; login.ErrConflict when its id exists or its email or phone
// is already a contact's in the tenant.
func (s *Store) CreateContact(ctx context.Context, c login.Contact, events []login.AuditEvent) error {
	t := newTx(3 + len(events))
	s.txPutNew(t, contactItem(c), roleConflict)
	for _, k := range c.IdentKeys() {
		s.txPutNew(t, identItem(k, c), roleConflict)
	}
	s.txEvents(t, events)
	return s.run(ctx, "create contact", t, time.Time{}, nil, nil)
}

// GetContact returns a contact of the tenant (read consistently) or
// login.ErrNotFound.
func (s *Store) GetContact(ctx context.Context, tenantID, id string) (login.Contact, error) {
	m, err := s.get(ctx, contactPK(tenantID, id), skMeta)
	if err != nil {
		return login.Contact{}, fmt.Errorf("dynamo: get contact: %w", err)
	}
	if m == nil {
		return login.Contact{}, login.ErrNotFound
	}
	c, err := contactFrom(m)
	if err != nil {
		return login.Contact{}, fmt.Errorf("dynamo: get contact: %w", err)
	}
	return c, nil
}

// UpdateContact replaces old with c if the stored version is still
// old.Version (else login.ErrStale, also when the contact is gone), moving
// its identifier items when email or phone change (login.ErrConflict when
// taken) and copying c's fields to the others, in one transaction.
//
// The contact item is updated rather than put: the fields an admin edits
// are set from c, while LastLoginAt, SessionsNotBefore and the two slots
// are written only where c differs from old. Every store write to a
// contact (slot, redeem, code failure, revocation) also adds one to its
// version, so an update from an earlier read fails with ErrStale instead
// of undoing such a write.
func (s *Store) UpdateContact(ctx context.Context, old, c login.Contact, events []login.AuditEvent) error {
	if old.TenantID != c.TenantID || old.ID != c.ID {
		return errors.New("dynamo: update contact: tenant or id changed")
	}
	t := newTx(5 + len(events))
	u := contactUpdate(old, c)
	u.names["#pv"] = attrVersion
	u.values[":pv"] = avInt(old.Version)
	t.add(types.TransactWriteItem{Update: &types.Update{
		TableName:                 s.table,
		Key:                       contactKey(c.TenantID, c.ID),
		UpdateExpression:          aws.String(u.expr()),
		ConditionExpression:       aws.String("#pv = :pv"),
		ExpressionAttributeNames:  u.names,
		ExpressionAttributeValues: u.values,
	}}, roleStale, 0)
	s.txMoveIdent(t, login.EmailKey, old.Email, c.Email, c)
	s.txMoveIdent(t, login.PhoneKey, old.Phone, c.Phone, c)
	s.txEvents(t, events)
	return s.run(ctx, "update contact", t, time.Time{}, nil, nil)
}

var namesIdentOwner = map[string]string{"#pk": attrPK, "#cid": attrContactID}

// txMoveIdent updates, deletes or creates one identifier item of c.
func (s *Store) txMoveIdent(t *tx, identKey func(string) string, was, is string, c login.Contact) {
	if was == is {
		if is == "" {
			return
		}
		u := newUpdate()
		u.set(attrContactID, avS(c.ID))
		u.setS(attrAccess, string(c.Access))
		u.setS(attrEmail, c.Email)
		u.setS(attrPhone, c.Phone)
		u.setS(attrName, c.Name)
		if c.Login == nil {
			u.remove(attrLogin)
		}
		t.add(types.TransactWriteItem{Update: &types.Update{
			TableName:                 s.table,
			Key:                       key(identKeyPK(identKey(is)), identTenantSK(c.TenantID)),
			UpdateExpression:          aws.String(u.expr()),
			ExpressionAttributeNames:  u.names,
			ExpressionAttributeValues: u.values,
		}}, roleNone, 0)
		return
	}
	owner := map[string]types.AttributeValue{":cid": avS(c.ID)}
	if was != "" {
		t.add(types.TransactWriteItem{Delete: &types.Delete{
			TableName:                 s.table,
			Key:                       key(identKeyPK(identKey(was)), identTenantSK(c.TenantID)),
			ConditionExpression:       aws.String("attribute_not_exists(#pk) OR #cid = :cid"),
			ExpressionAttributeNames:  namesIdentOwner,
			ExpressionAttributeValues: owner,
		}}, roleStale, 0)
	}
	if is != "" {
		t.add(types.TransactWriteItem{Put: &types.Put{
			TableName:                 s.table,
			Item:                      identItem(identKey(is), c),
			ConditionExpression:       aws.String("attribute_not_exists(#pk) OR #cid = :cid"),
			ExpressionAttributeNames:  namesIdentOwner,
			ExpressionAttributeValues: owner,
		}}, roleConflict, 0)
	}
}

// contactUpdate sets c's fields over old's.
func contactUpdate(old, c login.Contact) *update {
	u := newUpdate()
	u.setS(attrEmail, c.Email)
	u.setS(attrPhone, c.Phone)
	u.setS(attrName, c.Name)
	u.setS(attrLocale, c.Locale)
	u.setS(attrAccess, string(c.Access))
	u.setTime(attrCreatedAt, c.CreatedAt)
	u.setTime(attrUpdatedAt, c.UpdatedAt)
	u.set(attrVersion, avInt(c.Version))
	if c.Name != "" {
		u.set(attrGSI1PK, avS(nameGSI1PK(c.TenantID)))
		u.set(attrGSI1SK, avS(nameGSI1SK(c.Name, c.ID)))
	} else {
		u.remove(attrGSI1PK)
		u.remove(attrGSI1SK)
	}
	if c.Email != "" {
		u.set(attrGSI2PK, avS(emailGSI2PK(c.TenantID)))
		u.set(attrGSI2SK, avS(c.Email))
	} else {
		u.remove(attrGSI2PK)
		u.remove(attrGSI2SK)
	}
	if !old.LastLoginAt.Equal(c.LastLoginAt) {
		u.setTime(attrLastLoginAt, c.LastLoginAt)
	}
	if !old.SessionsNotBefore.Equal(c.SessionsNotBefore) {
		u.setTime(attrNotBefore, c.SessionsNotBefore)
	}
	for _, x := range [2]struct {
		attr    string
		was, is *login.Slot
	}{{attrLogin, old.Login, c.Login}, {attrLink, old.Link, c.Link}} {
		switch {
		case slotsEqual(x.was, x.is):
		case x.is == nil:
			u.remove(x.attr)
		default:
			u.set(x.attr, slotAV(x.is))
		}
	}
	return u
}

func slotsEqual(a, b *login.Slot) bool {
	if a == nil || b == nil {
		return a == b
	}
	return bytes.Equal(a.TokenHash, b.TokenHash) && bytes.Equal(a.CodeHash, b.CodeHash) &&
		bytes.Equal(a.CodeSalt, b.CodeSalt) && a.TriesLeft == b.TriesLeft &&
		a.ExpiresAt.Equal(b.ExpiresAt) && a.Multi == b.Multi &&
		bytes.Equal(a.RequestHash, b.RequestHash) && a.CodeChallenge == b.CodeChallenge &&
		a.Redirect == b.Redirect && bytes.Equal(a.ConsumedBy, b.ConsumedBy) &&
		bytes.Equal(a.ConsumedRequest, b.ConsumedRequest) && a.ExceptionUsed == b.ExceptionUsed
}

// FindIdentity reads an identifier's partition with one consistent Query
// (more only when it spans pages): its contacts in every tenant, its
// several-tenant attempt and its counters. An unknown identifier is an
// empty record.
func (s *Store) FindIdentity(ctx context.Context, identKey string) (login.IdentityRecord, error) {
	rec := login.IdentityRecord{Key: identKey}
	in := &dynamodb.QueryInput{
		TableName:                 s.table,
		ConsistentRead:            aws.Bool(true),
		KeyConditionExpression:    aws.String("#pk = :pk"),
		ExpressionAttributeNames:  namesPK,
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": avS(identKeyPK(identKey))},
	}
	for {
		out, err := s.db.Query(ctx, in)
		if err != nil {
			return login.IdentityRecord{}, fmt.Errorf("dynamo: find identity: %w", err)
		}
		for _, m := range out.Items {
			if err := addToRecord(&rec, m); err != nil {
				return login.IdentityRecord{}, fmt.Errorf("dynamo: find identity: %w", err)
			}
		}
		if len(out.LastEvaluatedKey) == 0 {
			return rec, nil
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
}

func addToRecord(rec *login.IdentityRecord, m item) error {
	sk := item(m).str(attrSK)
	switch {
	case sk == skStatus:
		statusFrom(rec, m)
	case sk == skMulti:
		a, err := multiFrom(m)
		if err != nil {
			return err
		}
		rec.Multi = a
	case strings.HasPrefix(sk, "TENANT#"):
		x, err := matchFrom(m)
		if err != nil {
			return err
		}
		rec.Matches = append(rec.Matches, x)
	case strings.HasPrefix(sk, "RATE#"):
		n, err := item(m).int(attrCount)
		if err != nil {
			return err
		}
		if rec.Counters == nil {
			rec.Counters = make(map[string]int)
		}
		rec.Counters[sk[len("RATE#"):]] = int(n)
	}
	return nil
}
