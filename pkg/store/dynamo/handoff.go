package dynamo

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/portalpass/portalpass/pkg/login"
)

// A hand-off is the item HANDOFF#<hex SHA-256 of the code> / META, with
// the TTL attribute and the exact expiry like every one-time item. Redeem
// writes it in the login's own transaction; ExchangeHandoff deletes it.

// attrSessionExp is a hand-off's login session expiry.
const attrSessionExp = "sessionExp"

func handoffPK(hash []byte) string { return "HANDOFF#" + hex.EncodeToString(hash) }

func handoffItem(h *login.Handoff) item {
	m := make(item, 10)
	m[attrPK] = avS(handoffPK(h.Hash))
	m[attrSK] = avS(skMeta)
	m.setS(attrTenantID, h.TenantID)
	m.setS(attrContactID, h.ContactID)
	m.setS(attrVia, h.Via)
	m.setS(attrChallenge, h.CodeChallenge)
	m.setTime(attrSessionExp, h.SessionExpiresAt)
	m.setTime(attrCreatedAt, h.CreatedAt)
	m.setExpiry(h.ExpiresAt)
	return m
}

func handoffFrom(hash []byte, m item) (login.Handoff, error) {
	h := login.Handoff{
		Hash: hash, TenantID: m.str(attrTenantID), ContactID: m.str(attrContactID),
		Via: m.str(attrVia), CodeChallenge: m.str(attrChallenge),
	}
	var errs [3]error
	h.SessionExpiresAt, errs[0] = m.time(attrSessionExp)
	h.CreatedAt, errs[1] = m.time(attrCreatedAt)
	h.ExpiresAt, errs[2] = m.expiry()
	return h, errors.Join(errs[:]...)
}

// GetHandoff reads a hand-off consistently; login.ErrNotFound when there
// is none. It may have expired.
func (s *Store) GetHandoff(ctx context.Context, hash []byte) (login.Handoff, error) {
	m, err := s.get(ctx, handoffPK(hash), skMeta)
	if err != nil {
		return login.Handoff{}, fmt.Errorf("dynamo: get hand-off: %w", err)
	}
	if m == nil {
		return login.Handoff{}, login.ErrNotFound
	}
	h, err := handoffFrom(hash, m)
	if err != nil {
		return login.Handoff{}, fmt.Errorf("dynamo: get hand-off: %w", err)
	}
	return h, nil
}

// ExchangeHandoff consumes a hand-off and creates the session in one
// TransactWriteItems: a conditional Delete of the hand-off (it must still
// be there, of the session's tenant and contact, unexpired; its old item,
// ALL_OLD, tells login.ErrLinkExpired from login.ErrLinkInvalid), a
// ConditionCheck of the contact (access that can log in, sessions not
// revoked after w.NotBefore: else login.ErrLinkInvalid), the new session
// and the events.
func (s *Store) ExchangeHandoff(ctx context.Context, w login.HandoffExchange) error {
	ss := w.Session
	if ss == nil {
		return errors.New("dynamo: exchange hand-off: no session to create")
	}
	now := avTime(w.Now)
	t := newTx(3 + len(w.Events))
	t.add(types.TransactWriteItem{Delete: &types.Delete{
		TableName:                s.table,
		Key:                      key(handoffPK(w.Hash), skMeta),
		ConditionExpression:      aws.String("attribute_exists(#pk) AND #exp > :now AND #tid = :t AND #cid = :c"),
		ExpressionAttributeNames: map[string]string{"#pk": attrPK, "#exp": attrExp, "#tid": attrTenantID, "#cid": attrContactID},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":now": now, ":t": avS(ss.TenantID), ":c": avS(ss.ContactID),
		},
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
	}}, roleConsume, 0)
	names := map[string]string{"#pk": attrPK, "#acc": attrAccess}
	values := map[string]types.AttributeValue{":inv": valInvited, ":act": valActive}
	cond := condCanLogIn
	if !w.NotBefore.IsZero() {
		names["#nb"], values[":nb"] = attrNotBefore, avTime(w.NotBefore)
		cond += " AND " + condNotBefore
	}
	t.add(types.TransactWriteItem{ConditionCheck: &types.ConditionCheck{
		TableName:                 s.table,
		Key:                       contactKey(ss.TenantID, ss.ContactID),
		ConditionExpression:       aws.String(cond),
		ExpressionAttributeNames:  names,
		ExpressionAttributeValues: values,
	}}, roleLogin, 0)
	s.txPutNew(t, sessionItem(ss), roleNone)
	s.txEvents(t, w.Events)
	return s.run(ctx, "exchange hand-off", t, w.Now, nil, func(old item) error {
		if old == nil || old.str(attrTenantID) != ss.TenantID || old.str(attrContactID) != ss.ContactID {
			return login.ErrLinkInvalid
		}
		return judgeExpiry(old.expiry, w.Now)
	})
}
