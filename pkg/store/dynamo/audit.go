package dynamo

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/portalpass/portalpass/pkg/login"
)

// The audit log is written on every login, so no one key may carry a
// tenant's log: its records spread over auditShards partitions
// (TENANT#<t>#AUDIT#<shard>), chosen by a hash of the record's first
// event id, and ListEvents merges them newest first. A record is what one
// write recorded about one contact (a login's "login.redeemed" and
// "session.created" travel together): one item, written once, with the
// fields its events share stored once. A record's sort key is the
// login.EventSortKey of its first event; its events are at that time or
// a moment after.
const auditShards = 16

// Attributes of an audit record.
const (
	attrEvents = "ev" // the record's events: a list of maps
	attrTypes  = "ty" // the types of its events, for the type filter
)

func auditShardPK(tenantID string, shard int) string {
	return fmt.Sprintf("TENANT#%s#AUDIT#%02d", tenantID, shard)
}

func auditByContactPK(t, c string) string { return "TENANT#" + t + "#AUDIT#C#" + c }

func shardOf(eventID string) int {
	h := fnv.New32a()
	h.Write([]byte(eventID))
	return int(h.Sum32() % auditShards)
}

// auditItems groups events into records (by tenant, contact, actor,
// address and user agent, in order of first appearance) and returns
// their items.
func (s *Store) auditItems(events []login.AuditEvent) []item {
	type group struct{ tenant, contact, actor, ip, ua string }
	var order []group
	by := map[group][]*login.AuditEvent{}
	for i := range events {
		e := &events[i]
		g := group{e.TenantID, e.ContactID, e.Actor, e.IP, e.UserAgent}
		if _, ok := by[g]; !ok {
			order = append(order, g)
		}
		by[g] = append(by[g], e)
	}
	out := make([]item, 0, len(order))
	for _, g := range order {
		out = append(out, s.auditRecord(by[g]))
	}
	return out
}

// auditRecord is the item of events that share tenant, contact, actor,
// address and user agent.
func (s *Store) auditRecord(es []*login.AuditEvent) item {
	first := es[0]
	sk := login.EventSortKey(*first)
	m := make(item, 14)
	m[attrPK] = avS(auditShardPK(first.TenantID, shardOf(first.ID)))
	m[attrSK] = avS(sk)
	if first.ContactID != "" {
		m[attrGSI1PK] = avS(auditByContactPK(first.TenantID, first.ContactID))
		m[attrGSI1SK] = avS(sk)
	}
	m.setS(attrTenantID, first.TenantID)
	m.setS(attrContactID, first.ContactID)
	m.setS(attrActor, first.Actor)
	m.setS(attrIP, first.IP)
	m.setS(attrUserAgent, first.UserAgent)
	list := make([]types.AttributeValue, len(es))
	var typesSeen []string
	var exp = es[0].ExpiresAt
	for i, e := range es {
		em := make(item, 6)
		em.setS(attrID, e.ID)
		em.setTime(attrAt, e.At)
		em.setS(attrType, string(e.Type))
		em.setS(attrChannel, e.Channel)
		if len(e.Detail) > 0 {
			d := make(item, len(e.Detail))
			for k, v := range e.Detail {
				d[k] = avS(v)
			}
			em[attrDetail] = &types.AttributeValueMemberM{Value: d}
		}
		list[i] = &types.AttributeValueMemberM{Value: em}
		if !slices.Contains(typesSeen, string(e.Type)) {
			typesSeen = append(typesSeen, string(e.Type))
		}
		e := e.ExpiresAt
		if e.IsZero() {
			e = first.At.Add(s.auditRetention)
		}
		if e.After(exp) {
			exp = e
		}
	}
	if exp.IsZero() {
		exp = first.At.Add(s.auditRetention)
	}
	m[attrEvents] = &types.AttributeValueMemberL{Value: list}
	m[attrTypes] = &types.AttributeValueMemberSS{Value: typesSeen}
	m.setExpiry(exp)
	return m
}

// eventsOf reads the events of a record.
func eventsOf(m item) ([]login.AuditEvent, error) {
	l, ok := m[attrEvents].(*types.AttributeValueMemberL)
	if !ok {
		return nil, errors.New("audit record without events")
	}
	exp, err := m.expiry()
	if err != nil {
		return nil, err
	}
	out := make([]login.AuditEvent, 0, len(l.Value))
	for _, v := range l.Value {
		em, ok := v.(*types.AttributeValueMemberM)
		if !ok {
			return nil, errors.New("audit record with a malformed event")
		}
		ev := item(em.Value)
		e := login.AuditEvent{
			ID: ev.str(attrID), TenantID: m.str(attrTenantID), Type: login.EventType(ev.str(attrType)),
			ContactID: m.str(attrContactID), Actor: m.str(attrActor), Channel: ev.str(attrChannel),
			IP: m.str(attrIP), UserAgent: m.str(attrUserAgent), ExpiresAt: exp,
		}
		if d := ev.sub(attrDetail); len(d) > 0 {
			e.Detail = make(map[string]string, len(d))
			for k := range d {
				e.Detail[k] = d.str(k)
			}
		}
		if e.At, err = ev.time(attrAt); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// eventPageScan is how many records one Query reads when a type filter
// may drop most of them.
const eventPageScan = 250

// ListEvents returns up to q.Limit audit events of a tenant, newest first,
// older than q.Before (a login.EventSortKey), of q.ContactID and q.Type
// when set, and whether more follow. Without q.ContactID it queries every
// shard of the tenant's log consistently, at once, and merges them; with
// it, the contact's records on GSI1 (eventually consistent). Each source
// is read until it holds Limit+1 matching events or ends, so the merged
// page is exact.
func (s *Store) ListEvents(ctx context.Context, tenantID string, q login.EventQuery) ([]login.AuditEvent, bool, error) {
	limit := pageLimit(q.Limit)
	var (
		mu  sync.Mutex
		all []login.AuditEvent
	)
	keep := func(es []login.AuditEvent) {
		mu.Lock()
		all = append(all, es...)
		mu.Unlock()
	}
	if q.ContactID != "" {
		es, err := s.eventsFrom(ctx, tenantID, -1, q, limit+1)
		if err != nil {
			return nil, false, fmt.Errorf("dynamo: list events: %w", err)
		}
		keep(es)
	} else {
		errs := make([]error, auditShards)
		var wg sync.WaitGroup
		for shard := range auditShards {
			wg.Add(1)
			go func() {
				defer wg.Done()
				es, err := s.eventsFrom(ctx, tenantID, shard, q, limit+1)
				errs[shard] = err
				keep(es)
			}()
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			return nil, false, fmt.Errorf("dynamo: list events: %w", err)
		}
	}
	slices.SortFunc(all, func(a, b login.AuditEvent) int {
		return strings.Compare(login.EventSortKey(b), login.EventSortKey(a))
	})
	more := len(all) > limit
	return all[:min(len(all), limit)], more, nil
}

// eventsFrom reads, newest first, up to n events matching q from one
// shard of a tenant's log, or (shard < 0) from q.ContactID's records.
func (s *Store) eventsFrom(ctx context.Context, tenantID string, shard int, q login.EventQuery, n int) ([]login.AuditEvent, error) {
	names := map[string]string{"#pk": attrPK, "#sk": attrSK}
	values := map[string]types.AttributeValue{":pk": avS(auditShardPK(tenantID, shard))}
	in := &dynamodb.QueryInput{TableName: s.table, ScanIndexForward: aws.Bool(false), ConsistentRead: aws.Bool(true)}
	if shard < 0 {
		in.IndexName, in.ConsistentRead = aws.String("GSI1"), nil
		names = map[string]string{"#pk": attrGSI1PK, "#sk": attrGSI1SK}
		values[":pk"] = avS(auditByContactPK(tenantID, q.ContactID))
	}
	cond := "#pk = :pk"
	if q.Before != "" {
		// A record's events are at its sort key or after: every record
		// that may hold an event before q.Before sorts before it.
		cond += " AND #sk < :before"
		values[":before"] = avS(q.Before)
	} else {
		delete(names, "#sk")
	}
	if q.Type != "" && shard >= 0 {
		in.FilterExpression = aws.String("contains(#ty, :ty)")
		names["#ty"] = attrTypes
		values[":ty"] = avS(string(q.Type))
	}
	in.KeyConditionExpression = aws.String(cond)
	in.ExpressionAttributeNames, in.ExpressionAttributeValues = names, values
	var out []login.AuditEvent
	take := func(m item) (bool, error) {
		es, err := eventsOf(m)
		if err != nil {
			return false, err
		}
		for _, e := range es {
			if (q.Type == "" || e.Type == q.Type) && (q.Before == "" || login.EventSortKey(e) < q.Before) {
				out = append(out, e)
			}
		}
		return len(out) < n, nil
	}
	if shard < 0 {
		in.Limit = queryLimit(n)
		return out, s.queryIndex(ctx, in, take)
	}
	for len(out) < n {
		in.Limit = queryLimit(n - len(out))
		if q.Type != "" {
			in.Limit = queryLimit(eventPageScan)
		}
		page, err := s.db.Query(ctx, in)
		if err != nil {
			return nil, err
		}
		for _, m := range page.Items {
			if _, err := take(m); err != nil {
				return nil, err
			}
		}
		if len(page.LastEvaluatedKey) == 0 {
			break
		}
		in.ExclusiveStartKey = page.LastEvaluatedKey
	}
	return out, nil
}
