package dynamo

import (
	"context"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/portalpass/portalpass/pkg/login"
)

// condNotBefore holds for a contact whose sessions were not revoked after
// :nb (times are numbers, so they compare as such).
const condNotBefore = "(attribute_not_exists(#nb) OR #nb <= :nb)"

// Redeem consumes one slot, several-tenant attempt or picker, or uses an
// action link, and creates a session or a picker in exactly one
// TransactWriteItems. The consuming item holds only while it still
// carries the token's hash, has not expired and, for a code, has a try
// left; when it fails, its old item (ALL_OLD) tells login.ErrLinkExpired
// (the hash matches, the time is up) from login.ErrLinkInvalid (unknown,
// used or replaced). An action link is a ConditionCheck instead (hash,
// not revoked, not expired, the session's tenant and contact): it stays
// valid.
//
// A session also needs its contact to exist with access that can log in
// and, when r.NotBefore is set, a sessionsNotBefore not after it (else
// login.ErrLinkInvalid). It updates the contact, LastLoginAt = Now and
// both slots removed, in the same update as the consumption when the slot
// is that contact's; with r.KeepSlots it only checks the contact (a
// ConditionCheck, or only the consumed slot removed). Every change to a
// contact adds one to its version.
func (s *Store) Redeem(ctx context.Context, r login.Redemption) error {
	t, consume, err := s.redeemTx(&r)
	if err != nil {
		return err
	}
	return s.run(ctx, "redeem", t, r.Now, nil, consume)
}

func (s *Store) redeemTx(r *login.Redemption) (*tx, func(item) error, error) {
	if err := r.Check(); err != nil {
		return nil, nil, fmt.Errorf("dynamo: %w", err)
	}
	now := avTime(r.Now)
	t := newTx(6 + len(r.Events))
	var consume func(item) error
	merged := false
	switch {
	case r.Slot != nil:
		sr := r.Slot
		merged = r.Session != nil && r.Session.TenantID == sr.TenantID && r.Session.ContactID == sr.ContactID
		consume = s.txConsumeSlot(t, r, merged, now)
		if sr.IdentKey != "" {
			t.add(types.TransactWriteItem{Update: &types.Update{
				TableName:                s.table,
				Key:                      key(identKeyPK(sr.IdentKey), identTenantSK(sr.TenantID)),
				UpdateExpression:         aws.String("REMOVE #s"),
				ConditionExpression:      aws.String(condMirrorExist),
				ExpressionAttributeNames: namesMirror,
			}}, roleLogin, 0)
		}
	case r.Multi != nil:
		mr := r.Multi
		names := map[string]string{"#th": attrTokenHash, "#exp": attrExp}
		values := map[string]types.AttributeValue{":h": avB(mr.TokenHash), ":now": now}
		cond := "#th = :h AND #exp > :now"
		if mr.NeedTries {
			names["#tl"] = attrTriesLeft
			values[":zero"] = valZero
			cond += " AND #tl > :zero"
		}
		t.add(types.TransactWriteItem{Delete: &types.Delete{
			TableName:                           s.table,
			Key:                                 key(identPK(mr.IdentHash), skMulti),
			ConditionExpression:                 aws.String(cond),
			ExpressionAttributeNames:            names,
			ExpressionAttributeValues:           values,
			ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
		}}, roleConsume, 0)
		consume = func(old item) error {
			if old == nil || !hashEqual(old.bin(attrTokenHash), mr.TokenHash) {
				return login.ErrLinkInvalid
			}
			return judgeExpiry(old.expiry, r.Now)
		}
	case r.Action != nil:
		consume = s.txUseAction(t, r.Action, r.Session, now, r.Now)
	default:
		t.add(types.TransactWriteItem{Delete: &types.Delete{
			TableName:                           s.table,
			Key:                                 key(pickerPK(r.Picker), skMeta),
			ConditionExpression:                 aws.String("attribute_exists(#pk) AND #exp > :now"),
			ExpressionAttributeNames:            map[string]string{"#pk": attrPK, "#exp": attrExp},
			ExpressionAttributeValues:           map[string]types.AttributeValue{":now": now},
			ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
		}}, roleConsume, 0)
		consume = func(old item) error {
			if old == nil {
				return login.ErrLinkInvalid
			}
			return judgeExpiry(old.expiry, r.Now)
		}
	}
	if ss := r.Session; ss != nil {
		if !merged {
			s.txLogin(t, r, now)
		}
		s.txPutNew(t, sessionItem(ss), roleNone)
		if r.Handoff != nil {
			s.txPutNew(t, handoffItem(r.Handoff), roleNone)
		}
	} else {
		s.txPutNew(t, pickerItem(r.NewPicker), roleNone)
	}
	if e := r.EndSession; e != nil && !(r.Session != nil && e.TenantID == r.Session.TenantID &&
		e.ContactID == r.Session.ContactID && string(e.Hash) == string(r.Session.Hash)) {
		t.add(types.TransactWriteItem{Delete: &types.Delete{
			TableName: s.table, Key: key(sessionPK(e.TenantID, e.ContactID), hex.EncodeToString(e.Hash)),
		}}, roleNone, 0)
	}
	s.txEvents(t, r.Events)
	return t, consume, nil
}

// txLogin adds what a session does to its contact when that is not the
// contact whose slot is consumed: an update that logs it in, or with
// KeepSlots a ConditionCheck, both requiring it to exist with access that
// can log in and, with NotBefore, sessions not revoked after it.
func (s *Store) txLogin(t *tx, r *login.Redemption, now types.AttributeValue) {
	ss := r.Session
	names := map[string]string{"#pk": attrPK, "#acc": attrAccess}
	values := map[string]types.AttributeValue{":inv": valInvited, ":act": valActive}
	cond := condCanLogIn
	if !r.NotBefore.IsZero() {
		names["#nb"], values[":nb"] = attrNotBefore, avTime(r.NotBefore)
		cond += " AND " + condNotBefore
	}
	k := contactKey(ss.TenantID, ss.ContactID)
	if r.KeepSlots {
		t.add(types.TransactWriteItem{ConditionCheck: &types.ConditionCheck{
			TableName:                 s.table,
			Key:                       k,
			ConditionExpression:       aws.String(cond),
			ExpressionAttributeNames:  names,
			ExpressionAttributeValues: values,
		}}, roleLogin, 0)
		return
	}
	names["#ll"], names["#lg"], names["#lk"], names["#ver"] = attrLastLoginAt, attrLogin, attrLink, attrVersion
	values[":now"], values[":one"] = now, valOne
	t.add(types.TransactWriteItem{Update: &types.Update{
		TableName:                 s.table,
		Key:                       k,
		UpdateExpression:          aws.String("SET #ll = :now REMOVE #lg, #lk ADD #ver :one"),
		ConditionExpression:       aws.String(cond),
		ExpressionAttributeNames:  names,
		ExpressionAttributeValues: values,
	}}, roleLogin, 0)
}

// txConsumeSlot adds the update that consumes a contact's slot; merged, it
// also does what the session does to that contact (see txLogin).
func (s *Store) txConsumeSlot(t *tx, r *login.Redemption, merged bool, now types.AttributeValue) func(item) error {
	sr, at := r.Slot, r.Now
	attr, other := attrLogin, attrLink
	if sr.Which == login.SlotLink {
		attr, other = attrLink, attrLogin
	}
	names := map[string]string{"#s": attr, "#th": attrTokenHash, "#ex": attrExpiresAt, "#ver": attrVersion}
	values := map[string]types.AttributeValue{":h": avB(sr.TokenHash), ":now": now, ":one": valOne}
	cond := "#s.#th = :h AND #s.#ex > :now"
	if sr.NeedTries {
		names["#tl"] = attrTriesLeft
		values[":zero"] = valZero
		cond += " AND #s.#tl > :zero"
	}
	upd := "REMOVE #s ADD #ver :one"
	if merged {
		names["#pk"], names["#acc"] = attrPK, attrAccess
		values[":inv"], values[":act"] = valInvited, valActive
		cond = condCanLogIn + " AND " + cond
		if !r.NotBefore.IsZero() {
			names["#nb"], values[":nb"] = attrNotBefore, avTime(r.NotBefore)
			cond += " AND " + condNotBefore
		}
		if !r.KeepSlots {
			names["#ll"], names["#o"] = attrLastLoginAt, other
			upd = "SET #ll = :now REMOVE #s, #o ADD #ver :one"
		}
	}
	t.add(types.TransactWriteItem{Update: &types.Update{
		TableName:                           s.table,
		Key:                                 contactKey(sr.TenantID, sr.ContactID),
		UpdateExpression:                    aws.String(upd),
		ConditionExpression:                 aws.String(cond),
		ExpressionAttributeNames:            names,
		ExpressionAttributeValues:           values,
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
	}}, roleConsume, 0)
	return func(old item) error {
		slot := old.sub(attr)
		if slot == nil || !hashEqual(slot.bin(attrTokenHash), sr.TokenHash) {
			return login.ErrLinkInvalid
		}
		return judgeExpiry(func() (time.Time, error) { return slot.time(attrExpiresAt) }, at)
	}
}

// judgeExpiry tells why a consumption whose hash matched failed: expired,
// or else (no try left, no access) invalid.
func judgeExpiry(exp func() (time.Time, error), now time.Time) error {
	t, err := exp()
	if err == nil && !t.IsZero() && !now.Before(t) {
		return login.ErrLinkExpired
	}
	return login.ErrLinkInvalid
}

func hashEqual(a, b []byte) bool {
	return len(a) > 0 && subtle.ConstantTimeCompare(a, b) == 1
}
