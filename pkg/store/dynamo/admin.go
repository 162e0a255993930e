package dynamo

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/portalpass/portalpass/pkg/login"
)

// pageLimit is a query's page size: a Limit below 1 is login.MaxPage.
func pageLimit(n int) int {
	if n < 1 {
		return login.MaxPage
	}
	return n
}

// queryLimit is a Query's Limit of n items, at most maxQueryLimit.
func queryLimit(n int) *int32 { return aws.Int32(int32(min(n, maxQueryLimit))) }

// maxQueryLimit bounds the items one Query asks for; a larger page is
// read on in further Queries.
const maxQueryLimit = 1000

// keyRange is a Query of one partition for the sort keys that start with
// prefix and come after after.
type keyRange struct {
	index      *string // nil for the table
	pkAttr, pk string
	skAttr     string
	prefix     string
	after      string
	consistent bool
}

// ListContacts returns up to q.Limit contacts of a tenant in the order of
// q.By and whether more follow, with as few Queries as the page needs
// (one, unless DynamoDB cuts a page at 1 MB). By "" reads the tenant's
// partition consistently (sort keys CONTACT#<id>); "name" reads GSI1 (sort
// key login.SortKeyName, q.Prefix lower-cased) and "email" GSI2 (sort key
// the email): those are eventually consistent, so a contact written a
// moment ago may be missing or show its previous name or email.
//
// One sort key condition cannot say both "starts with the prefix" and
// "after q.After": without After it is begins_with; with it, BETWEEN
// After and the least string above every one with the prefix (the prefix
// with its last character incremented), both inclusive, and the two keys
// that bound admits without belonging (After itself and that upper
// bound, only ever first and last) are dropped. The Query asks for
// Limit+2 items so that Limit+1 survive when more follow.
func (s *Store) ListContacts(ctx context.Context, tenantID string, q login.ContactQuery) ([]login.Contact, bool, error) {
	var r keyRange
	switch q.By {
	case "":
		r = keyRange{pkAttr: attrPK, pk: tenantPK(tenantID), skAttr: attrSK, prefix: contactSK(""), consistent: true}
		if q.After != "" {
			r.after = contactSK(q.After)
		}
	case "name":
		r = keyRange{index: aws.String("GSI1"), pkAttr: attrGSI1PK, pk: nameGSI1PK(tenantID), skAttr: attrGSI1SK,
			prefix: strings.ToLower(q.Prefix), after: q.After}
	case "email":
		r = keyRange{index: aws.String("GSI2"), pkAttr: attrGSI2PK, pk: emailGSI2PK(tenantID), skAttr: attrGSI2SK,
			prefix: q.Prefix, after: q.After}
	default:
		return nil, false, fmt.Errorf("dynamo: list contacts: unknown order %q", q.By)
	}
	limit := pageLimit(q.Limit)
	items, err := s.queryRange(ctx, &r, limit+1)
	if err != nil {
		return nil, false, fmt.Errorf("dynamo: list contacts: %w", err)
	}
	more := len(items) > limit
	items = items[:min(len(items), limit)]
	out := make([]login.Contact, len(items))
	for i, m := range items {
		if out[i], err = contactFrom(m); err != nil {
			return nil, false, fmt.Errorf("dynamo: list contacts: %w", err)
		}
	}
	return out, more, nil
}

// queryRange returns up to n items of r in sort key order.
func (s *Store) queryRange(ctx context.Context, r *keyRange, n int) ([]item, error) {
	names := map[string]string{"#pk": r.pkAttr}
	values := map[string]types.AttributeValue{":pk": avS(r.pk)}
	cond := "#pk = :pk"
	bounded := false // the BETWEEN form, whose ends need dropping
	if r.prefix != "" || r.after != "" {
		names["#sk"] = r.skAttr // DynamoDB refuses names an expression leaves unused
	}
	switch {
	case r.prefix == "" && r.after != "":
		cond += " AND #sk > :after"
		values[":after"] = avS(r.after)
	case r.prefix == "":
	case r.after < r.prefix:
		cond += " AND begins_with(#sk, :prefix)"
		values[":prefix"] = avS(r.prefix)
	default:
		hi, ok := successor(r.prefix)
		if !ok {
			return nil, errors.New("prefix has no successor")
		}
		if r.after >= hi {
			return nil, nil // after every key with the prefix
		}
		cond += " AND #sk BETWEEN :after AND :hi"
		values[":after"], values[":hi"] = avS(r.after), avS(hi)
		bounded = true
	}
	in := &dynamodb.QueryInput{
		TableName:                 s.table,
		IndexName:                 r.index,
		ConsistentRead:            aws.Bool(r.consistent),
		KeyConditionExpression:    aws.String(cond),
		ExpressionAttributeNames:  names,
		ExpressionAttributeValues: values,
	}
	var out []item
	for len(out) < n {
		in.Limit = queryLimit(n - len(out) + 1)
		page, err := s.db.Query(ctx, in)
		if err != nil {
			return nil, err
		}
		for _, m := range page.Items {
			sk := item(m).str(r.skAttr)
			if bounded && (sk == r.after || !strings.HasPrefix(sk, r.prefix)) {
				continue
			}
			out = append(out, m)
		}
		if len(page.LastEvaluatedKey) == 0 {
			break
		}
		in.ExclusiveStartKey = page.LastEvaluatedKey
	}
	return out[:min(len(out), n)], nil
}

// successor returns the least string that is greater than every string
// starting with p: p with its last character incremented (dropping
// trailing characters that cannot be). DynamoDB orders strings by their
// UTF-8 bytes, which is code point order.
func successor(p string) (string, bool) {
	for p != "" {
		r, size := utf8.DecodeLastRuneInString(p)
		p = p[:len(p)-size]
		switch {
		case r == utf8.RuneError && size <= 1, r == utf8.MaxRune:
			continue
		case r == 0xD7FF:
			return p + string(rune(0xE000)), true // skip the surrogates
		}
		return p + string(r+1), true
	}
	return "", false
}

// eventPageScan is how many audit items one Query reads when a Type
// filter may drop most of them.
const eventPageScan = 250

// ListEvents returns up to q.Limit audit events of a tenant, newest first,
// and whether more follow. Without q.ContactID it reads the tenant's audit
// partition consistently; with it, GSI1 (eventually consistent). q.Before
// bounds the sort key (login.EventSortKey); q.Type is a filter, so the
// Query reads on, page by page, until it has Limit+1 events or reaches
// the oldest.
func (s *Store) ListEvents(ctx context.Context, tenantID string, q login.EventQuery) ([]login.AuditEvent, bool, error) {
	limit := pageLimit(q.Limit)
	names := map[string]string{"#pk": attrPK}
	values := map[string]types.AttributeValue{":pk": avS(auditPK(tenantID))}
	in := &dynamodb.QueryInput{
		TableName:        s.table,
		ConsistentRead:   aws.Bool(true),
		ScanIndexForward: aws.Bool(false),
	}
	if q.ContactID != "" {
		in.IndexName, in.ConsistentRead = aws.String("GSI1"), nil
		names["#pk"] = attrGSI1PK
		values[":pk"] = avS(auditByContactPK(tenantID, q.ContactID))
	}
	cond := "#pk = :pk"
	if q.Before != "" {
		names["#sk"] = attrSK
		if q.ContactID != "" {
			names["#sk"] = attrGSI1SK
		}
		cond += " AND #sk < :before"
		values[":before"] = avS(q.Before)
	}
	if q.Type != "" {
		in.FilterExpression = aws.String("#ty = :ty")
		names["#ty"] = attrType
		values[":ty"] = avS(string(q.Type))
	}
	in.KeyConditionExpression = aws.String(cond)
	in.ExpressionAttributeNames, in.ExpressionAttributeValues = names, values
	var out []login.AuditEvent
	for len(out) <= limit {
		n := limit + 1 - len(out)
		if q.Type != "" {
			n = max(n, eventPageScan)
		}
		in.Limit = queryLimit(n)
		page, err := s.db.Query(ctx, in)
		if err != nil {
			return nil, false, fmt.Errorf("dynamo: list events: %w", err)
		}
		for _, m := range page.Items {
			e, err := auditFrom(m)
			if err != nil {
				return nil, false, fmt.Errorf("dynamo: list events: %w", err)
			}
			out = append(out, e)
		}
		if len(page.LastEvaluatedKey) == 0 {
			break
		}
		in.ExclusiveStartKey = page.LastEvaluatedKey
	}
	more := len(out) > limit
	return out[:min(len(out), limit)], more, nil
}

func auditFrom(m item) (login.AuditEvent, error) {
	e := login.AuditEvent{
		ID:        m.str(attrID),
		TenantID:  m.str(attrTenantID),
		Type:      login.EventType(m.str(attrType)),
		ContactID: m.str(attrContactID),
		Actor:     m.str(attrActor),
		Channel:   m.str(attrChannel),
		IP:        m.str(attrIP),
		UserAgent: m.str(attrUserAgent),
	}
	if d := m.sub(attrDetail); len(d) > 0 {
		e.Detail = make(map[string]string, len(d))
		for k := range d {
			e.Detail[k] = d.str(k)
		}
	}
	var err1, err2 error
	e.At, err1 = m.time(attrAt)
	e.ExpiresAt, err2 = m.expiry()
	return e, errors.Join(err1, err2)
}
