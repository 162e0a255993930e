package dynamo

import (
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

var (
	namesVersion    = map[string]string{"#v": attrVersion}
	namesSetLogin   = map[string]string{"#pk": attrPK, "#acc": attrAccess, "#s": attrLogin, "#ver": attrVersion}
	namesSetLink    = map[string]string{"#pk": attrPK, "#acc": attrAccess, "#s": attrLink, "#ver": attrVersion}
	namesMirror     = map[string]string{"#pk": attrPK, "#s": attrLogin}
	namesTryLogin   = map[string]string{"#s": attrLogin, "#th": attrTokenHash, "#tl": attrTriesLeft, "#ex": attrExpiresAt, "#ver": attrVersion}
	namesTryLink    = map[string]string{"#s": attrLink, "#th": attrTokenHash, "#tl": attrTriesLeft, "#ex": attrExpiresAt, "#ver": attrVersion}
	namesTryMirror  = map[string]string{"#s": attrLogin, "#th": attrTokenHash, "#tl": attrTriesLeft}
	namesTryMulti   = map[string]string{"#th": attrTokenHash, "#tl": attrTriesLeft, "#exp": attrExp}
	condCanLogIn    = "attribute_exists(#pk) AND #acc IN (:inv, :act)"
	condMirrorExist = "attribute_exists(#pk)"
)

// SaveAttempt writes a login request in one TransactWriteItems: counter
// bumps (a full one fails it with a rate_limited error running to the
// counter's expiry), condition checks on tenant versions, slot updates on
// contacts that can log in and their identifier mirrors (both
// login.ErrStale when they fail), the several-tenant attempt and events.
// A slot write adds one to its contact's version, so that an UpdateContact
// from an earlier read fails instead of bringing back an older slot.
func (s *Store) SaveAttempt(ctx context.Context, w login.AttemptWrite) error {
	t := newTx(len(w.Counters) + len(w.Versions) + 2*len(w.Slots) + 2 + len(w.Events))
	var own []login.Counter
	hosted := map[[2]string]*login.Counter{} // by identifier key and tenant
	for i, c := range w.Counters {
		if c.Host == "" {
			own = append(own, c)
		} else {
			hosted[[2]string{c.Subject, c.Host}] = &w.Counters[i]
		}
	}
	s.txCounters(t, own)
	for id, v := range w.Versions {
		t.add(types.TransactWriteItem{ConditionCheck: &types.ConditionCheck{
			TableName:                 s.table,
			Key:                       key(tenantPK(id), skMeta),
			ConditionExpression:       aws.String("#v = :v"),
			ExpressionAttributeNames:  namesVersion,
			ExpressionAttributeValues: map[string]types.AttributeValue{":v": avInt(v)},
		}}, roleStale, 0)
	}
	for i := range w.Slots {
		sw := &w.Slots[i]
		slot := slotAV(&sw.Slot)
		names := namesSetLogin
		if sw.Which == login.SlotLink {
			names = namesSetLink
		}
		t.add(types.TransactWriteItem{Update: &types.Update{
			TableName:                 s.table,
			Key:                       contactKey(sw.TenantID, sw.ContactID),
			UpdateExpression:          aws.String("SET #s = :slot ADD #ver :one"),
			ConditionExpression:       aws.String(condCanLogIn),
			ExpressionAttributeNames:  names,
			ExpressionAttributeValues: map[string]types.AttributeValue{":slot": slot, ":inv": valInvited, ":act": valActive, ":one": valOne},
		}}, roleStale, 0)
		if sw.IdentKey != "" && sw.Which == login.SlotLogin {
			u := s.identUpdate(sw.IdentKey, sw.TenantID)
			u.UpdateExpression = aws.String("SET #s = :slot")
			u.ExpressionAttributeNames["#s"] = attrLogin
			u.ExpressionAttributeValues[":slot"] = slot
			if c := hosted[[2]string{sw.IdentKey, sw.TenantID}]; c != nil {
				hostCounter(u, c) // the same item: one update
				delete(hosted, [2]string{sw.IdentKey, sw.TenantID})
			}
			t.add(types.TransactWriteItem{Update: u}, roleStale, 0)
		}
	}
	for _, c := range hosted {
		u := s.identUpdate(c.Subject, c.Host)
		hostCounter(u, c)
		t.add(types.TransactWriteItem{Update: u}, roleStale, 0)
	}
	if w.Multi != nil {
		s.txPut(t, multiItem(w.Multi))
	}
	if w.DropMulti != "" && (w.Multi == nil || w.Multi.IdentKey != w.DropMulti) {
		t.add(types.TransactWriteItem{Delete: &types.Delete{
			TableName: s.table, Key: key(identKeyPK(w.DropMulti), skMulti),
		}}, roleNone, 0)
	}
	s.txEvents(t, w.Events)
	return s.run(ctx, "save attempt", t, w.Now, w.Counters, nil)
}

// RecordCodeFailure spends one try of every live slot it names (and of
// its identifier mirror; the contact's version goes up) and of the
// several-tenant attempt, and bumps the counters, in one
// TransactWriteItems; with no slot or attempt it only bumps the counters.
// A slot or attempt that is gone, replaced, expired or out of tries fails
// it with login.ErrLinkInvalid, a counter at its Limit with a
// rate_limited error: the counter's condition is what caps wrong codes,
// however many requests read it at once.
func (s *Store) RecordCodeFailure(ctx context.Context, f login.CodeFailure) error {
	for _, c := range f.Counters {
		if c.Host != "" {
			return errors.New("dynamo: record code failure: a hosted counter")
		}
	}
	// One transaction may not touch an item twice.
	seen := map[[2]string]bool{}
	for _, r := range f.Slots {
		k := [2]string{r.TenantID, r.ContactID}
		if seen[k] {
			return errors.New("dynamo: record code failure: two slots of one contact")
		}
		seen[k] = true
	}
	now := avTime(f.Now)
	t := newTx(2*len(f.Slots) + 1 + len(f.Counters) + len(f.Events))
	for _, r := range f.Slots {
		names := namesTryLogin
		if r.Which == login.SlotLink {
			names = namesTryLink
		}
		t.add(types.TransactWriteItem{Update: &types.Update{
			TableName:                 s.table,
			Key:                       contactKey(r.TenantID, r.ContactID),
			UpdateExpression:          aws.String("SET #s.#tl = #s.#tl - :one ADD #ver :one"),
			ConditionExpression:       aws.String("#s.#th = :h AND #s.#tl > :zero AND #s.#ex > :now"),
			ExpressionAttributeNames:  names,
			ExpressionAttributeValues: map[string]types.AttributeValue{":one": valOne, ":zero": valZero, ":h": avB(r.TokenHash), ":now": now},
		}}, roleConsume, 0)
		if r.IdentKey != "" && r.Which == login.SlotLogin {
			t.add(types.TransactWriteItem{Update: &types.Update{
				TableName:                 s.table,
				Key:                       key(identKeyPK(r.IdentKey), identTenantSK(r.TenantID)),
				UpdateExpression:          aws.String("SET #s.#tl = #s.#tl - :one"),
				ConditionExpression:       aws.String("#s.#th = :h AND #s.#tl > :zero"),
				ExpressionAttributeNames:  namesTryMirror,
				ExpressionAttributeValues: map[string]types.AttributeValue{":one": valOne, ":zero": valZero, ":h": avB(r.TokenHash)},
			}}, roleConsume, 0)
		}
	}
	if r := f.Multi; r != nil {
		t.add(types.TransactWriteItem{Update: &types.Update{
			TableName:                 s.table,
			Key:                       key(identPK(r.IdentHash), skMulti),
			UpdateExpression:          aws.String("SET #tl = #tl - :one"),
			ConditionExpression:       aws.String("#th = :h AND #tl > :zero AND #exp > :now"),
			ExpressionAttributeNames:  namesTryMulti,
			ExpressionAttributeValues: map[string]types.AttributeValue{":one": valOne, ":zero": valZero, ":h": avB(r.TokenHash), ":now": now},
		}}, roleConsume, 0)
	}
	s.txCounters(t, f.Counters)
	s.txEvents(t, f.Events)
	return s.run(ctx, "record code failure", t, f.Now, f.Counters, nil)
}

// GetMulti returns the several-tenant attempt of the identifier whose
// login.IdentHash is identHash (read consistently) or login.ErrNotFound.
// Expiry is the caller's to check.
func (s *Store) GetMulti(ctx context.Context, identHash string) (login.MultiAttempt, error) {
	m, err := s.get(ctx, identPK(identHash), skMulti)
	if err != nil {
		return login.MultiAttempt{}, fmt.Errorf("dynamo: get multi: %w", err)
	}
	if m == nil {
		return login.MultiAttempt{}, login.ErrNotFound
	}
	a, err := multiFrom(m)
	if err != nil {
		return login.MultiAttempt{}, fmt.Errorf("dynamo: get multi: %w", err)
	}
	return *a, nil
}

// GetPicker returns the picker with that hash (read consistently) or
// login.ErrNotFound, also for a used one. Expiry is the caller's to check.
func (s *Store) GetPicker(ctx context.Context, hash []byte) (login.Picker, error) {
	m, err := s.get(ctx, pickerPK(hash), skMeta)
	if err != nil {
		return login.Picker{}, fmt.Errorf("dynamo: get picker: %w", err)
	}
	if m == nil || m[attrPickedSession] != nil { // a used picker is kept only for the scanner exception
		return login.Picker{}, login.ErrNotFound
	}
	p, err := pickerFrom(hash, m)
	if err != nil {
		return login.Picker{}, fmt.Errorf("dynamo: get picker: %w", err)
	}
	return p, nil
}

// identUpdate is an update of an identifier's item in a tenant, which
// must exist.
func (s *Store) identUpdate(identKey, tenantID string) *types.Update {
	return &types.Update{
		TableName:                 s.table,
		Key:                       key(identKeyPK(identKey), identTenantSK(tenantID)),
		ConditionExpression:       aws.String(condMirrorExist),
		ExpressionAttributeNames:  map[string]string{"#pk": attrPK},
		ExpressionAttributeValues: map[string]types.AttributeValue{},
	}
}

// hostCounter adds a hosted counter (login.Counter.Host) to u, an update
// of its host: the host's counters become {c.Key: c.Seen+1} (older
// windows go), while it still counts c.Seen.
func hostCounter(u *types.Update, c *login.Counter) {
	set := "#rc = :rc"
	if u.UpdateExpression != nil {
		set = strings.TrimPrefix(*u.UpdateExpression, "SET ") + ", " + set
	}
	u.UpdateExpression = aws.String("SET " + set)
	u.ExpressionAttributeNames["#rc"] = attrRate
	u.ExpressionAttributeNames["#rk"] = c.Key
	u.ExpressionAttributeValues[":rc"] = &types.AttributeValueMemberM{Value: map[string]types.AttributeValue{c.Key: avInt(int64(c.Seen + 1))}}
	cond := "attribute_not_exists(#rc.#rk)"
	if c.Seen > 0 {
		cond = "#rc.#rk = :seen"
		u.ExpressionAttributeValues[":seen"] = avInt(int64(c.Seen))
	}
	u.ConditionExpression = aws.String(*u.ConditionExpression + " AND " + cond)
}

// ReadCounters returns the count of each counter of cs live at now, with
// one consistent BatchGetItem (again only for keys DynamoDB left
// unprocessed).
func (s *Store) ReadCounters(ctx context.Context, now time.Time, cs []login.Counter) ([]int, error) {
	keys := make([]map[string]types.AttributeValue, len(cs))
	for i, c := range cs {
		if c.Host != "" {
			return nil, errors.New("dynamo: read counters: a hosted counter")
		}
		pk, sk := counterKey(c)
		keys[i] = key(pk, sk)
	}
	out := make([]int, len(cs))
	if len(cs) == 0 {
		return out, nil
	}
	items, err := s.getItems(ctx, keys)
	if err != nil {
		return nil, fmt.Errorf("dynamo: read counters: %w", err)
	}
	for i, it := range items {
		if it == nil {
			continue
		}
		exp, err := it.expiry()
		if err != nil {
			return nil, fmt.Errorf("dynamo: read counters: %w", err)
		}
		if !exp.IsZero() && !now.Before(exp) {
			continue // expired: TTL deletes it days late
		}
		n, err := it.int(attrCount)
		if err != nil {
			return nil, fmt.Errorf("dynamo: read counters: %w", err)
		}
		out[i] = int(n)
	}
	return out, nil
}

// AddCounter bumps c with one conditional UpdateItem, not a transaction:
// 1 write unit where a transaction's item costs 2. At its Limit the
// condition fails: a rate_limited *login.Error running to its expiry.
func (s *Store) AddCounter(ctx context.Context, now time.Time, c login.Counter) error {
	if c.Host != "" {
		return errors.New("dynamo: add counter: a hosted counter")
	}
	t := newTx(1)
	s.txCounters(t, []login.Counter{c})
	u := t.items[0].Update
	_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: u.TableName, Key: u.Key,
		UpdateExpression:          u.UpdateExpression,
		ConditionExpression:       u.ConditionExpression,
		ExpressionAttributeNames:  u.ExpressionAttributeNames,
		ExpressionAttributeValues: u.ExpressionAttributeValues,
	})
	if _, full := isCondFailed(err); full {
		return login.RateLimited(c.ExpiresAt.Sub(now))
	}
	if err != nil {
		return fmt.Errorf("dynamo: add counter: %w", err)
	}
	return nil
}
