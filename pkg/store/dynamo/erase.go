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

// EraseContact erases a contact of the tenant. One consistent read of
// the contact (for its identifiers and version) and one Query of its
// session partition, then one transaction deletes the contact item
// (under its version: login.ErrStale when it changed or went meanwhile),
// its identifier items (email and phone) and as many sessions as fit, and
// records events. The contact goes in that first transaction, so no login
// succeeds after it: every redeem requires the contact. Sessions beyond
// what one transaction holds follow in further transactions, and then
// the contact's audit records are rewritten by login.ScrubEvent.
//
// Its action links (keyed by tenant and id, with no index by contact)
// and any several-tenant attempt naming it stay until they expire: both
// are dead without the contact, and neither holds an address.
//
// A contact already gone is login.ErrNotFound, after deleting any
// sessions and scrubbing any records an interrupted erase left behind.
func (s *Store) EraseContact(ctx context.Context, tenantID, contactID string, now time.Time, events []login.AuditEvent) error {
	c, err := s.GetContact(ctx, tenantID, contactID)
	if errors.Is(err, login.ErrNotFound) {
		sks, err := s.sessionKeys(ctx, tenantID, contactID)
		if err != nil {
			return fmt.Errorf("dynamo: erase contact: %w", err)
		}
		if err := s.deleteSessions(ctx, tenantID, contactID, sks); err != nil {
			return err
		}
		if err := s.scrubAudit(ctx, tenantID, contactID); err != nil {
			return fmt.Errorf("dynamo: erase contact: %w", err)
		}
		return fmt.Errorf("dynamo: erase contact: %w", login.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("dynamo: erase contact: %w", err)
	}
	sks, err := s.sessionKeys(ctx, tenantID, contactID)
	if err != nil {
		return fmt.Errorf("dynamo: erase contact: %w", err)
	}

	t := newTx(min(maxTxItems, 3+len(events)+len(sks)))
	t.add(types.TransactWriteItem{Delete: &types.Delete{
		TableName:                 s.table,
		Key:                       contactKey(tenantID, contactID),
		ConditionExpression:       aws.String("#ver = :ver"),
		ExpressionAttributeNames:  map[string]string{"#ver": attrVersion},
		ExpressionAttributeValues: map[string]types.AttributeValue{":ver": avInt(c.Version)},
	}}, roleStale, 0)
	owner := map[string]types.AttributeValue{":cid": avS(contactID)}
	for _, k := range c.IdentKeys() {
		t.add(types.TransactWriteItem{Delete: &types.Delete{
			TableName:                 s.table,
			Key:                       key(identKeyPK(k), identTenantSK(tenantID)),
			ConditionExpression:       aws.String("attribute_not_exists(#pk) OR #cid = :cid"),
			ExpressionAttributeNames:  namesIdentOwner,
			ExpressionAttributeValues: owner,
		}}, roleStale, 0)
	}
	s.txEvents(t, events)
	if len(t.items) > maxTxItems {
		return fmt.Errorf("dynamo: erase contact: %w", errTooMany)
	}
	pk := sessionPK(tenantID, contactID)
	for len(sks) > 0 && len(t.items) < maxTxItems {
		t.add(types.TransactWriteItem{Delete: &types.Delete{TableName: s.table, Key: key(pk, sks[0])}}, roleNone, 0)
		sks = sks[1:]
	}
	if err := s.run(ctx, "erase contact", t, now, nil, nil); err != nil {
		return err
	}
	if err := s.deleteSessions(ctx, tenantID, contactID, sks); err != nil {
		return err
	}
	if err := s.scrubAudit(ctx, tenantID, contactID, c.Email, c.Phone); err != nil {
		return fmt.Errorf("dynamo: erase contact: %w", err)
	}
	return nil
}

// sessionKeys returns the sort keys of a contact's sessions, read with
// one consistent Query (more only when they span pages).
func (s *Store) sessionKeys(ctx context.Context, tenantID, contactID string) ([]string, error) {
	in := &dynamodb.QueryInput{
		TableName:                 s.table,
		ConsistentRead:            aws.Bool(true),
		KeyConditionExpression:    aws.String("#pk = :pk"),
		ProjectionExpression:      aws.String("#sk"),
		ExpressionAttributeNames:  map[string]string{"#pk": attrPK, "#sk": attrSK},
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": avS(sessionPK(tenantID, contactID))},
	}
	var sks []string
	for {
		out, err := s.db.Query(ctx, in)
		if err != nil {
			return nil, err
		}
		for _, m := range out.Items {
			sks = append(sks, item(m).str(attrSK))
		}
		if len(out.LastEvaluatedKey) == 0 {
			return sks, nil
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
}

// deleteSessions deletes these sessions of a contact, maxTxItems to a
// transaction.
func (s *Store) deleteSessions(ctx context.Context, tenantID, contactID string, sks []string) error {
	pk := sessionPK(tenantID, contactID)
	for len(sks) > 0 {
		t := newTx(min(maxTxItems, len(sks)))
		for len(sks) > 0 && len(t.items) < maxTxItems {
			t.add(types.TransactWriteItem{Delete: &types.Delete{TableName: s.table, Key: key(pk, sks[0])}}, roleNone, 0)
			sks = sks[1:]
		}
		if err := s.run(ctx, "erase contact sessions", t, time.Time{}, nil, nil); err != nil {
			return err
		}
	}
	return nil
}

// scrubAudit rewrites each of a contact's audit records that still holds
// an address, a user agent or one of addrs, as login.ScrubEvent leaves
// its events. The records are found on GSI1 (keys only) and read with
// BatchGetItem; each is put back under the same keys, only if it still
// exists (one TTL removed meanwhile stays gone). Running it again
// rewrites nothing more.
func (s *Store) scrubAudit(ctx context.Context, tenantID, contactID string, addrs ...string) error {
	in := &dynamodb.QueryInput{
		TableName:                 s.table,
		IndexName:                 aws.String("GSI1"),
		KeyConditionExpression:    aws.String("#pk = :pk"),
		ExpressionAttributeNames:  map[string]string{"#pk": attrGSI1PK},
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": avS(auditByContactPK(tenantID, contactID))},
	}
	return s.queryIndex(ctx, in, func(m item) (bool, error) {
		es, err := eventsOf(m)
		if err != nil || len(es) == 0 {
			return err == nil, err
		}
		dirty := false
		for _, e := range es {
			dirty = dirty || login.NeedsScrub(e, addrs...)
		}
		if !dirty {
			return true, nil
		}
		scrubbed := make([]*login.AuditEvent, len(es))
		for i, e := range es {
			e := login.ScrubEvent(e, addrs...)
			scrubbed[i] = &e
		}
		rec := s.auditRecord(scrubbed)
		rec[attrPK], rec[attrSK] = m[attrPK], m[attrSK] // the record's own keys, whatever wrote them
		_, err = s.db.PutItem(ctx, &dynamodb.PutItemInput{
			TableName:                s.table,
			Item:                     rec,
			ConditionExpression:      aws.String("attribute_exists(#pk)"),
			ExpressionAttributeNames: namesPK,
		})
		if _, gone := isCondFailed(err); gone {
			err = nil
		}
		return true, err
	})
}
