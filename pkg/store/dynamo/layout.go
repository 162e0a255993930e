package dynamo

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// The layout item, LAYOUT / META, records which layout the table's items
// follow, in its attribute version (N). No other item's pk lacks a '#',
// so it meets none of them.
const pkLayout = "LAYOUT"

// ErrLayoutChanged reports that SetLayoutVersion found the table at
// another version than the one it was told to move from: someone else
// migrated, or is migrating, the same table.
var ErrLayoutChanged = errors.New("dynamo: layout version changed meanwhile")

// stampLayout writes the layout item with this code's LayoutVersion unless
// the table already has one: a table that exists keeps the version it
// records, which only a migration raises. CreateTable calls it once the
// table is ACTIVE.
func stampLayout(ctx context.Context, client *dynamodb.Client, table string) error {
	_, err := client.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: aws.String(table),
		Item: map[string]types.AttributeValue{
			attrPK:      avS(pkLayout),
			attrSK:      avS(skMeta),
			attrVersion: avInt(LayoutVersion),
		},
		ConditionExpression:      aws.String("attribute_not_exists(#pk)"),
		ExpressionAttributeNames: map[string]string{"#pk": attrPK},
	})
	var cf *types.ConditionalCheckFailedException
	if err != nil && !errors.As(err, &cf) {
		return fmt.Errorf("dynamo: create table: layout: %w", err)
	}
	return nil
}

// LayoutVersion returns the layout version the table records, or 0 when
// it has no layout item (a table made before the item existed, or by
// other means than CreateTable). The read is strongly consistent, so a
// migration sees the version the previous step wrote.
func (s *Store) LayoutVersion(ctx context.Context) (int, error) {
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:      s.table,
		Key:            key(pkLayout, skMeta),
		ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return 0, fmt.Errorf("dynamo: layout version: %w", err)
	}
	if out.Item == nil {
		return 0, nil
	}
	// A layout item without a readable version is not "version 0": an
	// operator must look at it rather than have a migration guess.
	v, ok := out.Item[attrVersion].(*types.AttributeValueMemberN)
	if !ok {
		return 0, errors.New("dynamo: layout version: the layout item has no numeric version")
	}
	n, err := strconv.Atoi(v.Value)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("dynamo: layout version: the layout item's version %q is not a positive integer", v.Value)
	}
	return n, nil
}

// SetLayoutVersion records that the table now follows layout to, provided
// it still records from (0: no layout item). It is what a migration writes
// once its step is done; a table found at another version gives
// ErrLayoutChanged, so two operators migrating at once cannot both move it.
func (s *Store) SetLayoutVersion(ctx context.Context, from, to int) error {
	if to < 1 {
		return fmt.Errorf("dynamo: set layout version: %d is not a positive version", to)
	}
	in := &dynamodb.PutItemInput{
		TableName: s.table,
		Item: map[string]types.AttributeValue{
			attrPK:      avS(pkLayout),
			attrSK:      avS(skMeta),
			attrVersion: avInt(int64(to)),
		},
	}
	if from == 0 {
		in.ConditionExpression = aws.String("attribute_not_exists(#pk)")
		in.ExpressionAttributeNames = map[string]string{"#pk": attrPK}
	} else {
		in.ConditionExpression = aws.String("#v = :from")
		in.ExpressionAttributeNames = map[string]string{"#v": attrVersion}
		in.ExpressionAttributeValues = map[string]types.AttributeValue{":from": avInt(int64(from))}
	}
	_, err := s.db.PutItem(ctx, in)
	var cf *types.ConditionalCheckFailedException
	if errors.As(err, &cf) {
		return fmt.Errorf("dynamo: set layout version %d to %d: %w", from, to, ErrLayoutChanged)
	}
	if err != nil {
		return fmt.Errorf("dynamo: set layout version %d to %d: %w", from, to, err)
	}
	return nil
}
