package main

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go/middleware"
)

// Call is one metered DynamoDB operation.
type Call struct {
	Flow   string // the flow it belongs to ("email login", ...)
	Step   string // the flow's step ("request", "redeem", ...)
	Sample int    // which login (or session check) of the flow
	Op     string // "TransactWriteItems", "Query", ...
	Failed bool
	WU, RU float64
	Writes []KeyWrite
	Items  map[string]int // item kind → largest size seen (bytes)
	Notes  []string       // where the figures are approximate
}

// Meter is a DynamoDB client middleware that records each operation of a
// labelled step with the write and read units it consumes. It sits in
// the Initialize step, where the typed input is visible, so it sees one
// operation per API call whatever the retries (moto does not throttle).
//
// It cannot see item images: for each item a write touches it reads the
// item before and after the call with a separate, un-instrumented client
// (consistent GetItem), and it reads every item a read returned in full
// the same way. This is exact when the steps run one at a time, as Run
// does; concurrent writers to the same items would blur it.
type Meter struct {
	plain *dynamodb.Client

	mu      sync.Mutex
	flow    string
	step    string
	sample  int
	calls   []Call
	schemas map[string]*Schema
}

// NewMeter returns a Meter that reads items and schemas with plain,
// which must not carry the Meter.
func NewMeter(plain *dynamodb.Client) *Meter {
	return &Meter{plain: plain, schemas: map[string]*Schema{}}
}

// Add installs the Meter on a client's middleware stack; use it as an
// APIOptions entry of dynamodb.Options.
func (m *Meter) Add(stack *middleware.Stack) error {
	return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("portalpass.Capacity", m.handle), middleware.After)
}

// Begin labels the calls that follow; calls outside Begin and End (the
// setup) pass through unmetered.
func (m *Meter) Begin(flow, step string, sample int) {
	m.mu.Lock()
	m.flow, m.step, m.sample = flow, step, sample
	m.mu.Unlock()
}

// End stops labelling.
func (m *Meter) End() { m.Begin("", "", 0) }

// Calls returns the metered calls so far.
func (m *Meter) Calls() []Call {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]Call(nil), m.calls...)
}

// Schema returns a table's schema, described once.
func (m *Meter) Schema(ctx context.Context, table string) (*Schema, error) {
	m.mu.Lock()
	s := m.schemas[table]
	m.mu.Unlock()
	if s != nil {
		return s, nil
	}
	s, err := describe(ctx, m.plain, table)
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	m.schemas[table] = s
	m.mu.Unlock()
	return s, nil
}

// pendingWrite is one item a write operation touches.
type pendingWrite struct {
	table string
	op    string
	key   map[string]types.AttributeValue
	tx    bool
	old   map[string]types.AttributeValue
}

func (m *Meter) handle(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
	m.mu.Lock()
	flow, step, sample := m.flow, m.step, m.sample
	m.mu.Unlock()
	if step == "" {
		return next.HandleInitialize(ctx, in)
	}
	c := Call{Flow: flow, Step: step, Sample: sample, Op: awsmiddleware.GetOperationName(ctx), Items: map[string]int{}}
	if c.Op == "" {
		c.Op = strings.TrimSuffix(strings.TrimPrefix(fmt.Sprintf("%T", in.Parameters), "*dynamodb."), "Input")
	}
	writes, err := m.writesOf(ctx, in.Parameters)
	if err != nil {
		return middleware.InitializeOutput{}, middleware.Metadata{}, err
	}
	for i := range writes {
		if writes[i].old, err = m.get(ctx, writes[i].table, writes[i].key); err != nil {
			return middleware.InitializeOutput{}, middleware.Metadata{}, err
		}
	}
	out, md, callErr := next.HandleInitialize(ctx, in)
	c.Failed = callErr != nil
	for _, w := range writes {
		s, err := m.Schema(ctx, w.table)
		if err != nil {
			return out, md, err
		}
		newImage := w.old
		if w.op != opCheck {
			if newImage, err = m.get(ctx, w.table, w.key); err != nil {
				return out, md, err
			}
		}
		kind := Kind(s, w.key)
		c.seen(kind, ItemSize(w.old))
		c.seen(kind, ItemSize(newImage))
		for _, kw := range s.WriteCost(w.op, w.key, w.old, newImage, w.tx) {
			c.WU += kw.Units
			c.Writes = append(c.Writes, kw)
		}
	}
	if callErr == nil {
		if err := m.reads(ctx, &c, in.Parameters, out.Result); err != nil {
			return out, md, err
		}
	}
	m.mu.Lock()
	m.calls = append(m.calls, c)
	m.mu.Unlock()
	return out, md, callErr
}

func (c *Call) seen(kind string, size int) {
	if size > c.Items[kind] {
		c.Items[kind] = size
	}
}

// writesOf lists the items a write operation touches.
func (m *Meter) writesOf(ctx context.Context, params any) ([]pendingWrite, error) {
	var ws []pendingWrite
	add := func(table *string, op string, key map[string]types.AttributeValue, tx bool) {
		ws = append(ws, pendingWrite{table: aws.ToString(table), op: op, key: key, tx: tx})
	}
	// A Put names its item, not its key: the schema tells which
	// attributes are the key.
	putKey := func(table *string, item map[string]types.AttributeValue) (map[string]types.AttributeValue, error) {
		s, err := m.Schema(ctx, aws.ToString(table))
		if err != nil {
			return nil, err
		}
		return s.Key(item), nil
	}
	switch p := params.(type) {
	case *dynamodb.PutItemInput:
		k, err := putKey(p.TableName, p.Item)
		if err != nil {
			return nil, err
		}
		add(p.TableName, opPut, k, false)
	case *dynamodb.UpdateItemInput:
		add(p.TableName, opUpdate, p.Key, false)
	case *dynamodb.DeleteItemInput:
		add(p.TableName, opDelete, p.Key, false)
	case *dynamodb.TransactWriteItemsInput:
		for _, t := range p.TransactItems {
			switch {
			case t.Put != nil:
				k, err := putKey(t.Put.TableName, t.Put.Item)
				if err != nil {
					return nil, err
				}
				add(t.Put.TableName, opPut, k, true)
			case t.Update != nil:
				add(t.Update.TableName, opUpdate, t.Update.Key, true)
			case t.Delete != nil:
				add(t.Delete.TableName, opDelete, t.Delete.Key, true)
			case t.ConditionCheck != nil:
				add(t.ConditionCheck.TableName, opCheck, t.ConditionCheck.Key, true)
			}
		}
	case *dynamodb.BatchWriteItemInput:
		for table, reqs := range p.RequestItems {
			for _, r := range reqs {
				switch {
				case r.PutRequest != nil:
					k, err := putKey(aws.String(table), r.PutRequest.Item)
					if err != nil {
						return nil, err
					}
					add(aws.String(table), opPut, k, false)
				case r.DeleteRequest != nil:
					add(aws.String(table), opDelete, r.DeleteRequest.Key, false)
				}
			}
		}
	}
	return ws, nil
}

// get reads an item in full, consistently, with the plain client.
func (m *Meter) get(ctx context.Context, table string, key map[string]types.AttributeValue) (map[string]types.AttributeValue, error) {
	out, err := m.plain.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(table), Key: key, ConsistentRead: aws.Bool(true)})
	if err != nil {
		return nil, fmt.Errorf("capacity: read item back: %w", err)
	}
	return out.Item, nil
}

// reads adds the read units of a read operation. Items are re-read in
// full because a ProjectionExpression does not lower what DynamoDB
// bills; a Query or Scan bills the items it read, summed per request.
func (m *Meter) reads(ctx context.Context, c *Call, params, result any) error {
	one := func(table *string, key map[string]types.AttributeValue, consistent, tx bool) error {
		s, err := m.Schema(ctx, aws.ToString(table))
		if err != nil {
			return err
		}
		item, err := m.get(ctx, aws.ToString(table), key)
		if err != nil {
			return err
		}
		c.seen(Kind(s, key), ItemSize(item))
		c.RU += ReadUnits(ItemSize(item), consistent, tx)
		return nil
	}
	many := func(table, index *string, items []map[string]types.AttributeValue, consistent bool, scanned, count int32) error {
		s, err := m.Schema(ctx, aws.ToString(table))
		if err != nil {
			return err
		}
		var ix *Index
		if index != nil {
			if ix = s.Index(aws.ToString(index)); ix == nil {
				return fmt.Errorf("capacity: no index %s on %s", aws.ToString(index), s.Table)
			}
		}
		size := 0
		for _, it := range items {
			key := s.Key(it)
			full, err := m.get(ctx, s.Table, key)
			if err != nil {
				return err
			}
			c.seen(Kind(s, key), ItemSize(full))
			if ix != nil {
				full = s.Project(ix, full)
			}
			size += ItemSize(full)
		}
		if scanned > count {
			c.Notes = append(c.Notes, fmt.Sprintf("%s: %d items filtered out are not counted", c.Op, scanned-count))
		}
		c.RU += ReadUnits(size, consistent, false)
		return nil
	}
	switch p := params.(type) {
	case *dynamodb.GetItemInput:
		return one(p.TableName, p.Key, aws.ToBool(p.ConsistentRead), false)
	case *dynamodb.BatchGetItemInput:
		for table, ka := range p.RequestItems {
			for _, k := range ka.Keys {
				if err := one(aws.String(table), k, aws.ToBool(ka.ConsistentRead), false); err != nil {
					return err
				}
			}
		}
	case *dynamodb.TransactGetItemsInput:
		for _, t := range p.TransactItems {
			if t.Get != nil {
				if err := one(t.Get.TableName, t.Get.Key, true, true); err != nil {
					return err
				}
			}
		}
	case *dynamodb.QueryInput:
		if o, ok := result.(*dynamodb.QueryOutput); ok {
			return many(p.TableName, p.IndexName, o.Items, aws.ToBool(p.ConsistentRead), o.ScannedCount, o.Count)
		}
	case *dynamodb.ScanInput:
		if o, ok := result.(*dynamodb.ScanOutput); ok {
			return many(p.TableName, p.IndexName, o.Items, aws.ToBool(p.ConsistentRead), o.ScannedCount, o.Count)
		}
	}
	return nil
}
