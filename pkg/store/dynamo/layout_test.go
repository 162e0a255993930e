package dynamo

import (
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/portalpass/portalpass/pkg/awstest"
)

func TestLayoutVersionStampedByCreateTable(t *testing.T) {
	c := client(t, false, nil)
	table := newTable(t, c)
	s := New(c, table)
	got, err := s.LayoutVersion(awstest.Ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if got != LayoutVersion {
		t.Errorf("LayoutVersion() on a new table = %d; want %d", got, LayoutVersion)
	}
}

// TestLayoutVersionKeptByCreateTable: CreateTable on a table that exists
// leaves the version it records; only a migration moves it.
func TestLayoutVersionKeptByCreateTable(t *testing.T) {
	ctx := awstest.Ctx(t)
	c := client(t, false, nil)
	table := newTable(t, c)
	s := New(c, table)
	if err := s.SetLayoutVersion(ctx, LayoutVersion, 1); err != nil {
		t.Fatal(err)
	}
	if err := CreateTable(ctx, c, table); err != nil {
		t.Fatal(err)
	}
	if got, err := s.LayoutVersion(ctx); err != nil || got != 1 {
		t.Errorf("LayoutVersion() after CreateTable on a table at 1 = %d, %v; want 1", got, err)
	}
}

func TestLayoutVersionMissingItem(t *testing.T) {
	ctx := awstest.Ctx(t)
	c := client(t, false, nil)
	table := newTable(t, c)
	deleteLayoutItem(t, c, table)
	s := New(c, table)
	if got, err := s.LayoutVersion(ctx); err != nil || got != 0 {
		t.Fatalf("LayoutVersion() without the item = %d, %v; want 0", got, err)
	}
	// From 0 means "no item": it holds only while there is none.
	if err := s.SetLayoutVersion(ctx, 0, 2); err != nil {
		t.Fatal(err)
	}
	if err := s.SetLayoutVersion(ctx, 0, 2); !errors.Is(err, ErrLayoutChanged) {
		t.Errorf("SetLayoutVersion(0, 2) with an item = %v; want ErrLayoutChanged", err)
	}
	if got, err := s.LayoutVersion(ctx); err != nil || got != 2 {
		t.Errorf("LayoutVersion() = %d, %v; want 2", got, err)
	}
}

func TestLayoutSetVersionConditional(t *testing.T) {
	ctx := awstest.Ctx(t)
	c := client(t, false, nil)
	s := New(c, newTable(t, c))
	if err := s.SetLayoutVersion(ctx, LayoutVersion, LayoutVersion+1); err != nil {
		t.Fatal(err)
	}
	// A second operator, still believing the table at LayoutVersion.
	if err := s.SetLayoutVersion(ctx, LayoutVersion, LayoutVersion+1); !errors.Is(err, ErrLayoutChanged) {
		t.Errorf("SetLayoutVersion from a stale version = %v; want ErrLayoutChanged", err)
	}
	if got, err := s.LayoutVersion(ctx); err != nil || got != LayoutVersion+1 {
		t.Errorf("LayoutVersion() = %d, %v; want %d", got, err, LayoutVersion+1)
	}
	if err := s.SetLayoutVersion(ctx, LayoutVersion+1, 0); err == nil {
		t.Error("SetLayoutVersion(_, 0) = nil; want an error")
	}
}

func TestLayoutVersionUnreadable(t *testing.T) {
	ctx := awstest.Ctx(t)
	c := client(t, false, nil)
	table := newTable(t, c)
	for name, v := range map[string]types.AttributeValue{
		"string":   avS("2"),
		"fraction": avN("2.5"),
		"zero":     avN("0"),
	} {
		_, err := c.PutItem(ctx, &dynamodb.PutItemInput{
			TableName: aws.String(table),
			Item:      map[string]types.AttributeValue{attrPK: avS(pkLayout), attrSK: avS(skMeta), attrVersion: v},
		})
		if err != nil {
			t.Fatal(err)
		}
		if got, err := New(c, table).LayoutVersion(ctx); err == nil {
			t.Errorf("%s: LayoutVersion() = %d, nil; want an error", name, got)
		}
	}
}

func deleteLayoutItem(t *testing.T, c *dynamodb.Client, table string) {
	t.Helper()
	_, err := c.DeleteItem(awstest.Ctx(t), &dynamodb.DeleteItemInput{TableName: aws.String(table), Key: key(pkLayout, skMeta)})
	if err != nil {
		t.Fatal(err)
	}
}
