package dynamo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// batchTries bounds the BatchGetItem calls of one read while DynamoDB
// leaves keys unprocessed.
const batchTries = 8

// maxBatchGet is how many keys one BatchGetItem may ask for.
const maxBatchGet = 100

// getItems reads the items with these keys consistently, with one
// BatchGetItem per 100 keys (and again only for keys DynamoDB left
// unprocessed). The result is aligned with keys: nil where an item is
// missing.
func (s *Store) getItems(ctx context.Context, keys []map[string]types.AttributeValue) ([]item, error) {
	out := make([]item, len(keys))
	at := make(map[[2]string]int, len(keys))
	for i, k := range keys {
		at[[2]string{item(k).str(attrPK), item(k).str(attrSK)}] = i
	}
	for start := 0; start < len(keys); start += maxBatchGet {
		req := map[string]types.KeysAndAttributes{*s.table: {
			Keys:           keys[start:min(len(keys), start+maxBatchGet)],
			ConsistentRead: aws.Bool(true),
		}}
		for try := 0; len(req) > 0; try++ {
			if try > 0 {
				if try >= batchTries {
					return nil, errors.New("keys left unprocessed")
				}
				if err := wait(ctx, time.Duration(try*try)*10*time.Millisecond); err != nil {
					return nil, err
				}
			}
			page, err := s.db.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: req})
			if err != nil {
				return nil, err
			}
			for _, m := range page.Responses[*s.table] {
				if i, ok := at[[2]string{item(m).str(attrPK), item(m).str(attrSK)}]; ok {
					out[i] = m
				}
			}
			req = page.UnprocessedKeys
		}
	}
	return out, nil
}

// queryIndex runs in, a Query of one of the table's indexes, which
// project only keys, page by page. It reads the items each page names
// from the table and calls each with them in the index's order, until
// each returns false or the index has no more. An item gone since the
// index was written is skipped. in may not filter: the index holds no
// other attribute, so each filters instead.
func (s *Store) queryIndex(ctx context.Context, in *dynamodb.QueryInput, each func(item) (bool, error)) error {
	if in.FilterExpression != nil || in.ProjectionExpression != nil {
		return fmt.Errorf("query %s: keys-only indexes take no filter or projection", aws.ToString(in.IndexName))
	}
	for {
		page, err := s.db.Query(ctx, in)
		if err != nil {
			return err
		}
		keys := make([]map[string]types.AttributeValue, len(page.Items))
		for i, m := range page.Items {
			keys[i] = key(item(m).str(attrPK), item(m).str(attrSK))
		}
		items, err := s.getItems(ctx, keys)
		if err != nil {
			return err
		}
		for _, m := range items {
			if m == nil {
				continue
			}
			if goOn, err := each(m); err != nil || !goOn {
				return err
			}
		}
		if len(page.LastEvaluatedKey) == 0 {
			return nil
		}
		in.ExclusiveStartKey = page.LastEvaluatedKey
	}
}
