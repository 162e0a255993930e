package dynamo

import (
	"context"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
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
//
// A kept slot or several-tenant attempt (Keep) is not cleared but marked
// consumed in the same update (consumedBy: the new session's or picker's
// hash; consumedRequest: the consuming browser's request cookie hash) and
// loses its code. Every consumption requires it not to be consumed yet.
// When one is refused because it was, its old item tells whether this
// browser may take the scanner exception (login.Redemption.ExceptionEvents):
// then a second TransactWriteItems does it (exceptionTx).
//
// A picker's pick marks the picker used (pickedSession: the session it
// gave) instead of deleting it, so that the exception on its several-
// tenant attempt, which deletes the picker only while it is unused, learns
// from the refusal which session the other browser picked, and ends it in
// a third TransactWriteItems: the rarest path, a scanner that pressed
// Continue and then a tenant.
func (s *Store) Redeem(ctx context.Context, r login.Redemption) error {
	var exc, picked item
	t, consume, err := s.redeemTx(&r, nil, nil, &exc)
	if err != nil {
		return err
	}
	err = s.run(ctx, "redeem", t, r.Now, nil, consume)
	if !errors.Is(err, errException) {
		return err
	}
	t, consume, err = s.redeemTx(&r, exc, nil, &picked)
	if err != nil {
		return err
	}
	err = s.run(ctx, "redeem (scanner exception)", t, r.Now, nil, consume)
	if !errors.Is(err, errPicked) {
		return err
	}
	t, consume, err = s.redeemTx(&r, exc, picked, nil)
	if err != nil {
		return err
	}
	return s.run(ctx, "redeem (scanner exception, picked session)", t, r.Now, nil, consume)
}

// errException says that a redeem refused as its attempt was consumed
// may take the scanner exception; errPicked that the exception on a
// several-tenant attempt found its picker used, the session it gave in
// the picker's old item. Neither leaves Redeem.
var (
	errException = errors.New("dynamo: redeem: scanner exception")
	errPicked    = errors.New("dynamo: redeem: scanner exception: picker used")
)

// redeemTx builds a redeem's transaction. With exc, the old item of the
// consumed slot's contact or attempt, it is the scanner exception's
// instead (with picked, the used picker's old item, ending the session it
// gave too); otherwise a refusal that may take it stores the old item in
// *out and is errException. An exception refused as its picker was used
// stores the picker's old item in *out and is errPicked.
func (s *Store) redeemTx(r *login.Redemption, exc, picked item, out *item) (*tx, func(item) error, error) {
	if err := r.Check(); err != nil {
		return nil, nil, fmt.Errorf("dynamo: %w", err)
	}
	now := avTime(r.Now)
	t := newTx(7 + len(r.Events) + len(r.ExceptionEvents))
	var consume func(item) error
	merged := false
	switch {
	case r.Slot != nil && exc != nil:
		merged = true // Check: a kept slot goes only with its own contact's login
		consume = s.txSlotException(t, r, exc, now)
	case r.Multi != nil && exc != nil:
		consume = s.txMultiException(t, r, exc, picked, now, out)
	case r.Slot != nil:
		sr := r.Slot
		merged = r.Session != nil && r.Session.TenantID == sr.TenantID && r.Session.ContactID == sr.ContactID
		consume = s.txConsumeSlot(t, r, merged, now, out)
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
		names := map[string]string{"#th": attrTokenHash, "#exp": attrExp, "#by": attrConsumedBy}
		values := map[string]types.AttributeValue{":h": avB(mr.TokenHash), ":now": now}
		cond := "#th = :h AND #exp > :now AND attribute_not_exists(#by)"
		if mr.NeedTries {
			names["#tl"] = attrTriesLeft
			values[":zero"] = valZero
			cond += " AND #tl > :zero"
		}
		k := key(identPK(mr.IdentHash), skMulti)
		if mr.Keep {
			names["#ch"], names["#cs"] = attrCodeHash, attrCodeSalt
			values[":by"] = avB(r.NewPicker.Hash)
			upd := "SET #by = :by"
			if len(mr.RequestHash) > 0 {
				names["#cr"], values[":cr"] = attrConsumedReq, avB(mr.RequestHash)
				upd += ", #cr = :cr"
			}
			t.add(types.TransactWriteItem{Update: &types.Update{
				TableName:                           s.table,
				Key:                                 k,
				UpdateExpression:                    aws.String(upd + " REMOVE #ch, #cs"),
				ConditionExpression:                 aws.String(cond),
				ExpressionAttributeNames:            names,
				ExpressionAttributeValues:           values,
				ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
			}}, roleConsume, 0)
		} else {
			t.add(types.TransactWriteItem{Delete: &types.Delete{
				TableName:                           s.table,
				Key:                                 k,
				ConditionExpression:                 aws.String(cond),
				ExpressionAttributeNames:            names,
				ExpressionAttributeValues:           values,
				ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
			}}, roleConsume, 0)
		}
		consume = func(old item) error {
			if old == nil || !hashEqual(old.bin(attrTokenHash), mr.TokenHash) {
				return login.ErrLinkInvalid
			}
			if old[attrConsumedBy] != nil {
				if out != nil && r.ExceptionEvents != nil && mr.Keep {
					if a, err := multiFrom(old); err == nil && (!mr.NeedTries || a.TriesLeft > 0) && a.ExceptionFor(mr.RequestHash, r.Now) {
						*out = old
						return errException
					}
				}
				return login.ErrLinkInvalid
			}
			return judgeExpiry(old.expiry, r.Now)
		}
	case r.Action != nil:
		consume = s.txUseAction(t, r.Action, r.Session, now, r.Now)
	default:
		// Marked used, not deleted (Redeem): the same write units, and the
		// item goes by TTL. Check: a picker opens a session.
		ss := r.Session
		t.add(types.TransactWriteItem{Update: &types.Update{
			TableName:           s.table,
			Key:                 key(pickerPK(r.Picker), skMeta),
			UpdateExpression:    aws.String("SET #ps = :ps, #pt = :pt, #pc = :pc"),
			ConditionExpression: aws.String("attribute_exists(#pk) AND #exp > :now AND attribute_not_exists(#ps)"),
			ExpressionAttributeNames: map[string]string{"#pk": attrPK, "#exp": attrExp,
				"#ps": attrPickedSession, "#pt": attrPickedTenant, "#pc": attrPickedContact},
			ExpressionAttributeValues: map[string]types.AttributeValue{":now": now,
				":ps": avB(ss.Hash), ":pt": avS(ss.TenantID), ":pc": avS(ss.ContactID)},
			ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
		}}, roleConsume, 0)
		consume = func(old item) error {
			if old == nil || old[attrPickedSession] != nil {
				return login.ErrLinkInvalid
			}
			return judgeExpiry(old.expiry, r.Now)
		}
	}
	events := r.Events
	if exc != nil {
		events = r.ExceptionEvents
	}
	var pickedRef *login.SessionRef
	if picked != nil {
		pickedRef = &login.SessionRef{TenantID: picked.str(attrPickedTenant), ContactID: picked.str(attrPickedContact), Hash: picked.bin(attrPickedSession)}
		t.add(types.TransactWriteItem{Delete: &types.Delete{
			TableName: s.table, Key: key(sessionPK(pickedRef.TenantID, pickedRef.ContactID), hex.EncodeToString(pickedRef.Hash)),
		}}, roleNone, 0)
		for _, e := range r.PickedEvents {
			if e.TenantID == pickedRef.TenantID && e.ContactID == pickedRef.ContactID {
				events = append(events[:len(events):len(events)], e)
			}
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
	// The exception already deletes the consuming browser's session: one
	// transaction may not touch an item twice.
	var ended []byte
	if r.Slot != nil && exc != nil {
		ended = exc.sub(attrLogin).bin(attrConsumedBy)
		if r.Slot.Which == login.SlotLink {
			ended = exc.sub(attrLink).bin(attrConsumedBy)
		}
	}
	if e := r.EndSession; e != nil && !(r.Session != nil && e.TenantID == r.Session.TenantID &&
		e.ContactID == r.Session.ContactID && (string(e.Hash) == string(r.Session.Hash) || string(e.Hash) == string(ended))) &&
		!(pickedRef != nil && e.TenantID == pickedRef.TenantID && e.ContactID == pickedRef.ContactID && string(e.Hash) == string(pickedRef.Hash)) {
		t.add(types.TransactWriteItem{Delete: &types.Delete{
			TableName: s.table, Key: key(sessionPK(e.TenantID, e.ContactID), hex.EncodeToString(e.Hash)),
		}}, roleNone, 0)
	}
	s.txEvents(t, events)
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
func (s *Store) txConsumeSlot(t *tx, r *login.Redemption, merged bool, now types.AttributeValue, excOut *item) func(item) error {
	sr, at := r.Slot, r.Now
	attr, other := attrLogin, attrLink
	if sr.Which == login.SlotLink {
		attr, other = attrLink, attrLogin
	}
	names := map[string]string{"#s": attr, "#th": attrTokenHash, "#ex": attrExpiresAt, "#ver": attrVersion, "#by": attrConsumedBy}
	values := map[string]types.AttributeValue{":h": avB(sr.TokenHash), ":now": now, ":one": valOne}
	cond := "#s.#th = :h AND #s.#ex > :now AND attribute_not_exists(#s.#by)"
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
		if sr.Keep {
			// Check: a kept slot goes only with this login (merged, not KeepSlots).
			names["#ch"], names["#cs"] = attrCodeHash, attrCodeSalt
			values[":by"] = avB(r.Session.Hash)
			set := "SET #ll = :now, #s.#by = :by"
			if len(sr.RequestHash) > 0 {
				names["#cr"], values[":cr"] = attrConsumedReq, avB(sr.RequestHash)
				set += ", #s.#cr = :cr"
			}
			upd = set + " REMOVE #s.#ch, #s.#cs, #o ADD #ver :one"
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
		if slot[attrConsumedBy] != nil {
			if excOut != nil && r.ExceptionEvents != nil && sr.Keep {
				if sl, err := slotFrom(slot); err == nil && (!sr.NeedTries || sl.TriesLeft > 0) && sl.ExceptionFor(sr.RequestHash, at) {
					*excOut = old
					return errException
				}
			}
			return login.ErrLinkInvalid
		}
		return judgeExpiry(func() (time.Time, error) { return slot.time(attrExpiresAt) }, at)
	}
}

// txSlotException adds the scanner exception's update of the contact
// whose kept slot old shows consumed: it holds only while the slot is
// still that one (token, consumedBy, request cookie, exception unused,
// not expired, a try left for a login) and the contact can log in; it
// marks the exception used, logs the contact in and clears its other
// slot. The session the consuming browser got is deleted beside it.
func (s *Store) txSlotException(t *tx, r *login.Redemption, old item, now types.AttributeValue) func(item) error {
	sr := r.Slot
	attr, other := attrLogin, attrLink
	if sr.Which == login.SlotLink {
		attr, other = attrLink, attrLogin
	}
	by := old.sub(attr).bin(attrConsumedBy)
	names := map[string]string{
		"#pk": attrPK, "#acc": attrAccess, "#s": attr, "#o": other, "#th": attrTokenHash, "#ex": attrExpiresAt,
		"#by": attrConsumedBy, "#rh": attrRequestHash, "#used": attrExcUsed, "#ll": attrLastLoginAt, "#ver": attrVersion,
	}
	values := map[string]types.AttributeValue{
		":inv": valInvited, ":act": valActive, ":h": avB(sr.TokenHash), ":now": now, ":by": avB(by),
		":rh": avB(sr.RequestHash), ":true": valTrue, ":one": valOne,
	}
	cond := condCanLogIn + " AND #s.#th = :h AND #s.#ex > :now AND #s.#by = :by AND #s.#rh = :rh AND attribute_not_exists(#s.#used)"
	if sr.NeedTries {
		names["#tl"], values[":zero"] = attrTriesLeft, valZero
		cond += " AND #s.#tl > :zero"
	}
	if !r.NotBefore.IsZero() {
		names["#nb"], values[":nb"] = attrNotBefore, avTime(r.NotBefore)
		cond += " AND " + condNotBefore
	}
	t.add(types.TransactWriteItem{Update: &types.Update{
		TableName:                           s.table,
		Key:                                 contactKey(sr.TenantID, sr.ContactID),
		UpdateExpression:                    aws.String("SET #ll = :now, #s.#used = :true REMOVE #o ADD #ver :one"),
		ConditionExpression:                 aws.String(cond),
		ExpressionAttributeNames:            names,
		ExpressionAttributeValues:           values,
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
	}}, roleConsume, 0)
	t.add(types.TransactWriteItem{Delete: &types.Delete{
		TableName: s.table, Key: key(sessionPK(sr.TenantID, sr.ContactID), hex.EncodeToString(by)),
	}}, roleNone, 0)
	return func(item) error { return login.ErrLinkInvalid }
}

// txMultiException is txSlotException for a kept several-tenant
// attempt: it marks the exception used and deletes the picker the
// consuming browser got.
func (s *Store) txMultiException(t *tx, r *login.Redemption, old, picked item, now types.AttributeValue, out *item) func(item) error {
	mr := r.Multi
	by := old.bin(attrConsumedBy)
	names := map[string]string{"#th": attrTokenHash, "#exp": attrExp, "#by": attrConsumedBy, "#rh": attrRequestHash, "#used": attrExcUsed}
	values := map[string]types.AttributeValue{":h": avB(mr.TokenHash), ":now": now, ":by": avB(by), ":rh": avB(mr.RequestHash), ":true": valTrue}
	cond := "#th = :h AND #exp > :now AND #by = :by AND #rh = :rh AND attribute_not_exists(#used)"
	if mr.NeedTries {
		names["#tl"], values[":zero"] = attrTriesLeft, valZero
		cond += " AND #tl > :zero"
	}
	t.add(types.TransactWriteItem{Update: &types.Update{
		TableName:                 s.table,
		Key:                       key(identPK(mr.IdentHash), skMulti),
		UpdateExpression:          aws.String("SET #used = :true"),
		ConditionExpression:       aws.String(cond),
		ExpressionAttributeNames:  names,
		ExpressionAttributeValues: values,
	}}, roleConsume, 0)
	// The picker goes while unused; once used (the other browser picked
	// a tenant) the refusal returns it, naming the session that pick gave,
	// and the next call (picked) ends that session too.
	del := &types.Delete{TableName: s.table, Key: key(pickerPK(by), skMeta)}
	if picked == nil {
		del.ConditionExpression = aws.String("attribute_not_exists(#ps)")
		del.ExpressionAttributeNames = map[string]string{"#ps": attrPickedSession}
		del.ReturnValuesOnConditionCheckFailure = types.ReturnValuesOnConditionCheckFailureAllOld
	}
	t.add(types.TransactWriteItem{Delete: del}, roleConsume, 0)
	return func(o item) error {
		if out != nil && o != nil && o[attrPickedSession] != nil && strings.HasPrefix(o.str(attrPK), "PICKER#") {
			*out = o
			return errPicked
		}
		return login.ErrLinkInvalid
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
