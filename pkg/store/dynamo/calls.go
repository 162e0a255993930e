package dynamo

import (
	"context"
	"maps"
	"sync"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/smithy-go/middleware"
)

// Calls counts the DynamoDB operations a client is asked for, by
// operation name ("TransactWriteItems", "Query", ...), so tests can hold
// each flow to its call budget. It counts once per operation, in the
// Initialize step, before the SDK's retry middleware: the budget is the
// calls the code makes, and a retry the SDK makes of a transient failure
// (a throttle, a dropped connection of an overloaded moto_server) is not
// one of them; the store's own resends of a conflicted transaction are
// operations of their own and count. It is safe for concurrent use; the
// zero value is ready.
//
//	var calls dynamo.Calls
//	client := dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) {
//		o.APIOptions = append(o.APIOptions, calls.Add)
//	})
type Calls struct {
	mu    sync.Mutex
	byOp  map[string]int64
	total int64
}

// Add installs the counter on a client's middleware stack; use it as an
// APIOptions entry of aws.Config or dynamodb.Options.
func (c *Calls) Add(stack *middleware.Stack) error {
	return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("portalpass.CountCalls",
		func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
			c.inc(awsmiddleware.GetOperationName(ctx))
			return next.HandleInitialize(ctx, in)
		}), middleware.After)
}

func (c *Calls) inc(op string) {
	c.mu.Lock()
	if c.byOp == nil {
		c.byOp = make(map[string]int64)
	}
	c.byOp[op]++
	c.total++
	c.mu.Unlock()
}

// Total returns how many calls were sent since the last Reset.
func (c *Calls) Total() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.total
}

// Count returns how many calls of one operation were sent since the last Reset.
func (c *Calls) Count(op string) int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.byOp[op]
}

// Snapshot returns the counts by operation since the last Reset.
func (c *Calls) Snapshot() map[string]int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return maps.Clone(c.byOp)
}

// Reset sets every count to zero.
func (c *Calls) Reset() {
	c.mu.Lock()
	c.byOp, c.total = nil, 0
	c.mu.Unlock()
}
