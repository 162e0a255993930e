package dynamo

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/portalpass/portalpass/pkg/login"
)

// GetSession reads a session and its contact with one consistent
// BatchGetItem (again only for keys DynamoDB left unprocessed);
// login.ErrNotFound when either is missing.
func (s *Store) GetSession(ctx context.Context, tenantID, contactID string, hash []byte) (login.Session, login.Contact, error) {
	items, err := s.getItems(ctx, []map[string]types.AttributeValue{
		key(sessionPK(tenantID, contactID), hex.EncodeToString(hash)),
		contactKey(tenantID, contactID),
	})
	if err != nil {
		return login.Session{}, login.Contact{}, fmt.Errorf("dynamo: get session: %w", err)
	}
	sess, cont := items[0], items[1]
	if sess == nil || cont == nil {
		return login.Session{}, login.Contact{}, login.ErrNotFound
	}
	ss, err := sessionFrom(tenantID, contactID, hash, sess)
	if err != nil {
		return login.Session{}, login.Contact{}, fmt.Errorf("dynamo: get session: %w", err)
	}
	c, err := contactFrom(cont)
	if err != nil {
		return login.Session{}, login.Contact{}, fmt.Errorf("dynamo: get session: %w", err)
	}
	return ss, c, nil
}

func wait(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// DeleteSession ends one session that is live at now, with its events,
// in one call: a delete conditioned on the session being there and
// unexpired, in one transaction with the events (a plain conditional
// DeleteItem without events). When the condition fails nothing is
// written, the events neither, and it returns no error: a token that
// names no live session records no logout.
func (s *Store) DeleteSession(ctx context.Context, tenantID, contactID string, hash []byte, now time.Time, events []login.AuditEvent) error {
	k := key(sessionPK(tenantID, contactID), hex.EncodeToString(hash))
	cond := aws.String("attribute_exists(#pk) AND #exp > :now")
	names := map[string]string{"#pk": attrPK, "#exp": attrExp}
	values := map[string]types.AttributeValue{":now": avTime(now)}
	if len(events) == 0 {
		_, err := s.db.DeleteItem(ctx, &dynamodb.DeleteItemInput{
			TableName: s.table, Key: k,
			ConditionExpression: cond, ExpressionAttributeNames: names, ExpressionAttributeValues: values,
		})
		if _, failed := isCondFailed(err); err != nil && !failed {
			return fmt.Errorf("dynamo: delete session: %w", err)
		}
		return nil
	}
	t := newTx(1 + len(events))
	t.add(types.TransactWriteItem{Delete: &types.Delete{
		TableName: s.table, Key: k,
		ConditionExpression: cond, ExpressionAttributeNames: names, ExpressionAttributeValues: values,
	}}, roleMissing, 0)
	s.txEvents(t, events)
	if err := s.run(ctx, "delete session", t, now, nil, nil); err != nil && !errors.Is(err, login.ErrNotFound) {
		return err
	}
	return nil
}

// RevokeSessions ends every session of a contact: one consistent Query of
// its session partition counts those live at now, then one transaction
// sets SessionsNotBefore = now and adds one to the contact's version
// (login.ErrNotFound when the contact is gone), deletes them and records the events. Beyond what one transaction
// holds, the remaining deletes follow in further transactions: the
// sessions are already revoked by SessionsNotBefore.
func (s *Store) RevokeSessions(ctx context.Context, tenantID, contactID string, now time.Time, events []login.AuditEvent) (int, error) {
	var sks []string
	live := 0
	in := &dynamodb.QueryInput{
		TableName:                 s.table,
		ConsistentRead:            aws.Bool(true),
		KeyConditionExpression:    aws.String("#pk = :pk"),
		ProjectionExpression:      aws.String("#sk, #exp, #ea"),
		ExpressionAttributeNames:  map[string]string{"#pk": attrPK, "#sk": attrSK, "#exp": attrExp, "#ea": attrExpiresAt},
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": avS(sessionPK(tenantID, contactID))},
	}
	for {
		out, err := s.db.Query(ctx, in)
		if err != nil {
			return 0, fmt.Errorf("dynamo: revoke sessions: %w", err)
		}
		for _, m := range out.Items {
			exp, err := item(m).expiry()
			if err != nil {
				return 0, fmt.Errorf("dynamo: revoke sessions: %w", err)
			}
			if now.Before(exp) {
				live++
			}
			sks = append(sks, item(m).str(attrSK))
		}
		if len(out.LastEvaluatedKey) == 0 {
			break
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}

	pk := sessionPK(tenantID, contactID)
	t := newTx(min(maxTxItems, 1+len(events)+len(sks)))
	t.add(types.TransactWriteItem{Update: &types.Update{
		TableName:                 s.table,
		Key:                       contactKey(tenantID, contactID),
		UpdateExpression:          aws.String("SET #nb = :now ADD #ver :one"),
		ConditionExpression:       aws.String("attribute_exists(#pk)"),
		ExpressionAttributeNames:  map[string]string{"#pk": attrPK, "#nb": attrNotBefore, "#ver": attrVersion},
		ExpressionAttributeValues: map[string]types.AttributeValue{":now": avTime(now), ":one": valOne},
	}}, roleMissing, 0)
	s.txEvents(t, events)
	for len(sks) > 0 && len(t.items) < maxTxItems {
		t.add(types.TransactWriteItem{Delete: &types.Delete{TableName: s.table, Key: key(pk, sks[0])}}, roleNone, 0)
		sks = sks[1:]
	}
	if err := s.run(ctx, "revoke sessions", t, now, nil, nil); err != nil {
		return 0, err
	}
	for len(sks) > 0 {
		t := newTx(min(maxTxItems, len(sks)))
		for len(sks) > 0 && len(t.items) < maxTxItems {
			t.add(types.TransactWriteItem{Delete: &types.Delete{TableName: s.table, Key: key(pk, sks[0])}}, roleNone, 0)
			sks = sks[1:]
		}
		if err := s.run(ctx, "revoke sessions", t, now, nil, nil); err != nil {
			return 0, err
		}
	}
	return live, nil
}

// RecordEvents appends audit events on their own: one PutItem, or one
// transaction for several.
func (s *Store) RecordEvents(ctx context.Context, events []login.AuditEvent) error {
	items := s.auditItems(events)
	switch len(items) {
	case 0:
		return nil
	case 1:
		if _, err := s.db.PutItem(ctx, &dynamodb.PutItemInput{TableName: s.table, Item: items[0]}); err != nil {
			return fmt.Errorf("dynamo: record events: %w", err)
		}
		return nil
	}
	t := newTx(len(items))
	s.txEvents(t, events)
	return s.run(ctx, "record events", t, time.Time{}, nil, nil)
}
