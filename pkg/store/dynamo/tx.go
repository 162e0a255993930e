package dynamo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/portalpass/portalpass/pkg/login"
)

// maxTxItems is DynamoDB's limit of items in one transaction.
const maxTxItems = 100

// role says what a failed condition on a transaction item means. When
// the conditions of several items fail, the lowest role other than
// roleNone decides (classify).
type role uint8

const (
	// roleNone: no condition, or one whose failure is none of the port's
	// errors (classify returns nil, run wraps the SDK's error).
	roleNone role = iota
	// roleConsume: the item a write consumes or checks by its token (a
	// login slot, attempt, picker, hand-off code or action link); run's
	// consume callback judges its old item, ErrLinkInvalid without one.
	roleConsume
	// roleCounter: a rate counter at its limit, a rate_limited
	// *login.Error whose RetryAfter runs to the counter's expiry.
	roleCounter
	// roleStale: what the write read has changed (a settings or contact
	// version, a contact's access, an identifier's mirror): ErrStale.
	roleStale
	// roleConflict: an id or identifier taken: ErrConflict.
	roleConflict
	// roleLogin: what a login needs besides the token (the contact still
	// exists with portal access, its sessions were not revoked after the
	// token was issued, its identifier mirror is there): ErrLinkInvalid.
	roleLogin
	// roleMissing: the item must exist: ErrNotFound.
	roleMissing
)

// tx is a TransactWriteItems under construction, with the role of each
// item and, for counters, its index in the write's counters (refs; 0 for
// the other roles).
type tx struct {
	items []types.TransactWriteItem
	roles []role
	refs  []int
}

func newTx(n int) *tx {
	return &tx{items: make([]types.TransactWriteItem, 0, n), roles: make([]role, 0, n), refs: make([]int, 0, n)}
}

func (t *tx) add(it types.TransactWriteItem, r role, ref int) {
	t.items = append(t.items, it)
	t.roles = append(t.roles, r)
	t.refs = append(t.refs, ref)
}

// txPut adds an unconditional Put.
func (s *Store) txPut(t *tx, m item) {
	t.add(types.TransactWriteItem{Put: &types.Put{TableName: s.table, Item: m}}, roleNone, 0)
}

// txPutNew adds a Put that requires the item not to exist; r says what
// its failure means.
func (s *Store) txPutNew(t *tx, m item, r role) {
	t.add(types.TransactWriteItem{Put: &types.Put{
		TableName: s.table, Item: m,
		ConditionExpression:      aws.String("attribute_not_exists(#pk)"),
		ExpressionAttributeNames: namesPK,
	}}, r, 0)
}

// txEvents adds a Put of each audit event (expiring after its ExpiresAt,
// or the store's audit retention).
func (s *Store) txEvents(t *tx, events []login.AuditEvent) {
	for _, m := range s.auditItems(events) {
		s.txPut(t, m)
	}
}

var (
	namesPK      = map[string]string{"#pk": attrPK}
	namesCounter = map[string]string{"#n": attrCount, "#e": attrExpiresAt}
)

// txCounters bumps counters by one and sets their expiry. A counter
// with a Limit fails its condition (roleCounter) when its count has
// reached it; a zero Limit only counts.
func (s *Store) txCounters(t *tx, cs []login.Counter) {
	for i, c := range cs {
		pk, sk := counterKey(c)
		u := &types.Update{
			TableName:                s.table,
			Key:                      key(pk, sk),
			UpdateExpression:         aws.String("ADD #n :one SET #e = :exp"),
			ExpressionAttributeNames: namesCounter,
			ExpressionAttributeValues: map[string]types.AttributeValue{
				":one": valOne, ":exp": avInt(ceilSeconds(c.ExpiresAt)),
			},
		}
		if c.Limit > 0 {
			u.ConditionExpression = aws.String("attribute_not_exists(#n) OR #n < :lim")
			u.ExpressionAttributeValues[":lim"] = avInt(int64(c.Limit))
		}
		t.add(types.TransactWriteItem{Update: u}, roleCounter, i)
	}
}

var errTooMany = fmt.Errorf("more than %d items in one write", maxTxItems)

// transact runs the transaction as one TransactWriteItems; an empty one
// is a no-op and one of more than maxTxItems items is refused. A
// cancellation caused only by conflicts with other transactions wrote
// nothing and is tried again after a short random pause (at most
// conflictTries calls in all, 3 by default); any other cancellation comes
// back as a *types.TransactionCanceledException for classify. The SDK
// gives each call its own idempotency token (ClientRequestToken is
// cleared before each call, since the SDK fills it in on the input), so
// its own retries of a call that may have committed do not apply it
// twice.
func (s *Store) transact(ctx context.Context, t *tx) error {
	switch {
	case len(t.items) == 0:
		return nil
	case len(t.items) > maxTxItems:
		return errTooMany
	}
	in := &dynamodb.TransactWriteItemsInput{TransactItems: t.items}
	for try := 1; ; try++ {
		in.ClientRequestToken = nil // a new call is a new request
		_, err := s.db.TransactWriteItems(ctx, in)
		var tc *types.TransactionCanceledException
		if err == nil || try >= s.conflictTries || !errors.As(err, &tc) || !onlyConflicts(tc) {
			return err
		}
		d := time.Duration(10+rand.IntN(20*try)) * time.Millisecond
		select {
		case <-ctx.Done():
			return err
		case <-time.After(d):
		}
	}
}

func onlyConflicts(tc *types.TransactionCanceledException) bool {
	seen := false
	for _, r := range tc.CancellationReasons {
		switch aws.ToString(r.Code) {
		case "", "None":
		case "TransactionConflict":
			seen = true
		default:
			return false
		}
	}
	return seen
}

// classify turns a cancelled transaction into the port's error by the
// roles of the items whose condition failed; nil when it is none of the
// port's errors. counters are the write's counters, which refs index, for
// the RetryAfter of a rate_limited error; consume judges the old item of
// a failed roleConsume item (nil: ErrLinkInvalid).
func (t *tx) classify(err error, now time.Time, counters []login.Counter, consume func(item) error) error {
	var tc *types.TransactionCanceledException
	if !errors.As(err, &tc) {
		return nil
	}
	best, at := role(255), -1
	for i, r := range tc.CancellationReasons {
		if i >= len(t.roles) || aws.ToString(r.Code) != "ConditionalCheckFailed" {
			continue
		}
		if t.roles[i] < best && t.roles[i] != roleNone {
			best, at = t.roles[i], i
		}
	}
	if at < 0 {
		return nil
	}
	switch best {
	case roleConsume:
		if consume != nil {
			return consume(tc.CancellationReasons[at].Item)
		}
		return login.ErrLinkInvalid
	case roleCounter:
		c := counters[t.refs[at]]
		return login.RateLimited(c.ExpiresAt.Sub(now))
	case roleStale:
		return login.ErrStale
	case roleConflict:
		return login.ErrConflict
	case roleLogin:
		return login.ErrLinkInvalid
	case roleMissing:
		return login.ErrNotFound
	}
	return nil
}

// run runs t and maps its failure: the port's error as is, anything else
// wrapped as "dynamo: <op>: ...".
func (s *Store) run(ctx context.Context, op string, t *tx, now time.Time, counters []login.Counter, consume func(item) error) error {
	err := s.transact(ctx, t)
	if err == nil {
		return nil
	}
	if perr := t.classify(err, now, counters, consume); perr != nil {
		return perr
	}
	return fmt.Errorf("dynamo: %s: %w", op, err)
}

// isCondFailed reports a failed condition of a single-item write, with
// the old item when it was asked for.
func isCondFailed(err error) (item, bool) {
	var cf *types.ConditionalCheckFailedException
	if errors.As(err, &cf) {
		return cf.Item, true
	}
	return nil, false
}
