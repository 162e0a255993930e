package dynamo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/portalpass/portalpass/pkg/login"
)

// An action link is the item ACTION#<t>#<id> / META with its token's hash
// (hash), contactId, redirect, ref, createdAt, the exact expiry exp beside
// the TTL expiresAt, and revoked (always written). One with a ref is on
// GSI1 at TENANT#<t>#REF#<ref> / <id>, for revoking by ref.

// condUnrevoked holds for an action link that is not revoked.
const condUnrevoked = "(attribute_not_exists(#rv) OR #rv = :false)"

var (
	valTrue  = avBool(true)
	valFalse = avBool(false)
)

func actionItem(a login.ActionLink) item {
	m := make(item, 14)
	m[attrPK] = avS(actionPK(a.TenantID, a.ID))
	m[attrSK] = avS(skMeta)
	m.setS(attrID, a.ID)
	m.setS(attrTenantID, a.TenantID)
	m.setS(attrContactID, a.ContactID)
	m.setB(attrHash, a.Hash)
	m.setS(attrRedirect, a.Redirect)
	m.setS(attrRef, a.Ref)
	m.setTime(attrCreatedAt, a.CreatedAt)
	m.setExpiry(a.ExpiresAt)
	m[attrRevoked] = avBool(a.Revoked)
	if a.Ref != "" {
		m[attrGSI1PK] = avS(actionRefGSI1PK(a.TenantID, a.Ref))
		m[attrGSI1SK] = avS(a.ID)
	}
	return m
}

func actionFrom(m item) (login.ActionLink, error) {
	a := login.ActionLink{
		ID:        m.str(attrID),
		TenantID:  m.str(attrTenantID),
		ContactID: m.str(attrContactID),
		Hash:      m.bin(attrHash),
		Redirect:  m.str(attrRedirect),
		Ref:       m.str(attrRef),
		Revoked:   m.boolean(attrRevoked),
	}
	var err1, err2 error
	a.CreatedAt, err1 = m.time(attrCreatedAt)
	a.ExpiresAt, err2 = m.expiry()
	return a, errors.Join(err1, err2)
}

// PutActionLink stores a new action link with its events in one
// transaction; login.ErrConflict when the tenant has one with that id.
func (s *Store) PutActionLink(ctx context.Context, a login.ActionLink, events []login.AuditEvent) error {
	t := newTx(1 + len(events))
	s.txPutNew(t, actionItem(a), roleConflict)
	s.txEvents(t, events)
	return s.run(ctx, "put action link", t, time.Time{}, nil, nil)
}

// GetActionLink returns a tenant's action link by id (read consistently)
// or login.ErrNotFound. Expiry and revocation are the caller's to check.
func (s *Store) GetActionLink(ctx context.Context, tenantID, id string) (login.ActionLink, error) {
	m, err := s.get(ctx, actionPK(tenantID, id), skMeta)
	if err != nil {
		return login.ActionLink{}, fmt.Errorf("dynamo: get action link: %w", err)
	}
	if m == nil {
		return login.ActionLink{}, login.ErrNotFound
	}
	a, err := actionFrom(m)
	if err != nil {
		return login.ActionLink{}, fmt.Errorf("dynamo: get action link: %w", err)
	}
	return a, nil
}

// errNotLive: the action link to revoke exists but is revoked or expired.
var errNotLive = errors.New("dynamo: action link not live")

// RevokeActionLinks revokes the tenant's action link with that id, or
// every one with that ref, records the events and returns how many were
// live (neither revoked nor expired) at now. Exactly one of id and ref is
// given.
//
// By id it is one transaction that sets revoked only while the link is
// live, so that the count is exact under concurrent revocations; when that
// condition fails, the old item (ALL_OLD) tells login.ErrNotFound (no such
// link) from a link already dead, which a second transaction marks
// revoked with the events (count 0).
//
// By ref a Query of GSI1 finds the links (eventually consistent: one
// created a moment ago may be missed, and the count is as that read saw
// it), then one transaction sets revoked on every one not yet revoked and
// records the events; beyond what one transaction holds, further ones
// follow. A ref with no links is no error.
func (s *Store) RevokeActionLinks(ctx context.Context, tenantID, id, ref string, now time.Time, events []login.AuditEvent) (int, error) {
	if (id == "") == (ref == "") {
		return 0, errors.New("dynamo: revoke action links: want one of id and ref")
	}
	if id != "" {
		return s.revokeAction(ctx, tenantID, id, now, events)
	}
	return s.revokeActionRef(ctx, tenantID, ref, now, events)
}

func (s *Store) revokeAction(ctx context.Context, tenantID, id string, now time.Time, events []login.AuditEvent) (int, error) {
	k := key(actionPK(tenantID, id), skMeta)
	t := newTx(1 + len(events))
	t.add(types.TransactWriteItem{Update: &types.Update{
		TableName:                           s.table,
		Key:                                 k,
		UpdateExpression:                    aws.String("SET #rv = :true"),
		ConditionExpression:                 aws.String("attribute_exists(#pk) AND " + condUnrevoked + " AND #exp > :now"),
		ExpressionAttributeNames:            map[string]string{"#pk": attrPK, "#rv": attrRevoked, "#exp": attrExp},
		ExpressionAttributeValues:           map[string]types.AttributeValue{":true": valTrue, ":false": valFalse, ":now": avTime(now)},
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
	}}, roleConsume, 0)
	s.txEvents(t, events)
	err := s.run(ctx, "revoke action links", t, now, nil, func(old item) error {
		if old == nil {
			return login.ErrNotFound
		}
		return errNotLive
	})
	if !errors.Is(err, errNotLive) {
		if err != nil {
			return 0, err
		}
		return 1, nil
	}
	t = newTx(1 + len(events))
	t.add(types.TransactWriteItem{Update: &types.Update{
		TableName:                 s.table,
		Key:                       k,
		UpdateExpression:          aws.String("SET #rv = :true"),
		ConditionExpression:       aws.String("attribute_exists(#pk)"),
		ExpressionAttributeNames:  map[string]string{"#pk": attrPK, "#rv": attrRevoked},
		ExpressionAttributeValues: map[string]types.AttributeValue{":true": valTrue},
	}}, roleMissing, 0)
	s.txEvents(t, events)
	if err := s.run(ctx, "revoke action links", t, now, nil, nil); err != nil {
		return 0, err
	}
	return 0, nil
}

func (s *Store) revokeActionRef(ctx context.Context, tenantID, ref string, now time.Time, events []login.AuditEvent) (int, error) {
	in := &dynamodb.QueryInput{
		TableName:                 s.table,
		IndexName:                 aws.String("GSI1"),
		KeyConditionExpression:    aws.String("#g = :g"),
		ExpressionAttributeNames:  map[string]string{"#g": attrGSI1PK},
		ExpressionAttributeValues: map[string]types.AttributeValue{":g": avS(actionRefGSI1PK(tenantID, ref))},
	}
	var pks []string
	live := 0
	err := s.queryIndex(ctx, in, func(m item) (bool, error) {
		if m.boolean(attrRevoked) {
			return true, nil
		}
		exp, err := m.expiry()
		if err != nil {
			return false, err
		}
		if now.Before(exp) {
			live++
		}
		pks = append(pks, m.str(attrPK))
		return true, nil
	})
	if err != nil {
		return 0, fmt.Errorf("dynamo: revoke action links: %w", err)
	}
	add := func(t *tx) {
		for len(pks) > 0 && len(t.items) < maxTxItems {
			t.add(types.TransactWriteItem{Update: &types.Update{
				TableName:                 s.table,
				Key:                       key(pks[0], skMeta),
				UpdateExpression:          aws.String("SET #rv = :true"),
				ConditionExpression:       aws.String("attribute_exists(#pk)"),
				ExpressionAttributeNames:  map[string]string{"#pk": attrPK, "#rv": attrRevoked},
				ExpressionAttributeValues: map[string]types.AttributeValue{":true": valTrue},
			}}, roleNone, 0)
			pks = pks[1:]
		}
	}
	t := newTx(min(maxTxItems, len(events)+len(pks)))
	s.txEvents(t, events)
	add(t)
	for {
		if err := s.run(ctx, "revoke action links", t, now, nil, nil); err != nil {
			return 0, err
		}
		if len(pks) == 0 {
			return live, nil
		}
		t = newTx(min(maxTxItems, len(pks)))
		add(t)
	}
}

// txUseAction adds the check that an action link may open the session
// ss: it carries the token's hash, is neither revoked nor expired, and is
// of the session's tenant and contact. It writes nothing: the link stays
// valid. The old item (ALL_OLD) of a failed check tells
// login.ErrLinkExpired from login.ErrLinkInvalid.
func (s *Store) txUseAction(t *tx, a *login.ActionRef, ss *login.Session, now types.AttributeValue, at time.Time) func(item) error {
	t.add(types.TransactWriteItem{ConditionCheck: &types.ConditionCheck{
		TableName:           s.table,
		Key:                 key(actionPK(a.TenantID, a.ID), skMeta),
		ConditionExpression: aws.String("#h = :h AND " + condUnrevoked + " AND #exp > :now AND #tid = :tid AND #cid = :cid"),
		ExpressionAttributeNames: map[string]string{
			"#h": attrHash, "#rv": attrRevoked, "#exp": attrExp, "#tid": attrTenantID, "#cid": attrContactID,
		},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":h": avB(a.Hash), ":false": valFalse, ":now": now, ":tid": avS(ss.TenantID), ":cid": avS(ss.ContactID),
		},
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
	}}, roleConsume, 0)
	return func(old item) error {
		if old == nil || !hashEqual(old.bin(attrHash), a.Hash) || old.boolean(attrRevoked) ||
			old.str(attrTenantID) != ss.TenantID || old.str(attrContactID) != ss.ContactID {
			return login.ErrLinkInvalid
		}
		return judgeExpiry(old.expiry, at)
	}
}
