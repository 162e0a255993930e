package main

import (
	"context"
	"fmt"
	"maps"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Schema is what billing needs of a table: its key and its secondary
// indexes with their projections, as DescribeTable reports them, so the
// tool follows a layout change without being edited.
type Schema struct {
	Table   string
	PK, SK  string // SK "" when the table has no sort key
	Indexes []Index
}

// Index is one secondary index.
type Index struct {
	Name       string
	PK, SK     string
	Projection types.ProjectionType
	NonKey     []string // INCLUDE's projected attributes
}

// describe reads a table's Schema.
func describe(ctx context.Context, db *dynamodb.Client, table string) (*Schema, error) {
	out, err := db.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(table)})
	if err != nil {
		return nil, fmt.Errorf("capacity: describe %s: %w", table, err)
	}
	d := out.Table
	s := &Schema{Table: table}
	s.PK, s.SK = keyNames(d.KeySchema)
	for _, g := range d.GlobalSecondaryIndexes {
		s.Indexes = append(s.Indexes, index(aws.ToString(g.IndexName), g.KeySchema, g.Projection))
	}
	for _, l := range d.LocalSecondaryIndexes {
		s.Indexes = append(s.Indexes, index(aws.ToString(l.IndexName), l.KeySchema, l.Projection))
	}
	return s, nil
}

func keyNames(ks []types.KeySchemaElement) (hash, rng string) {
	for _, k := range ks {
		if k.KeyType == types.KeyTypeHash {
			hash = aws.ToString(k.AttributeName)
		} else {
			rng = aws.ToString(k.AttributeName)
		}
	}
	return hash, rng
}

func index(name string, ks []types.KeySchemaElement, p *types.Projection) Index {
	ix := Index{Name: name, Projection: types.ProjectionTypeAll}
	ix.PK, ix.SK = keyNames(ks)
	if p != nil {
		if p.ProjectionType != "" {
			ix.Projection = p.ProjectionType
		}
		ix.NonKey = p.NonKeyAttributes
	}
	return ix
}

// Key returns an item's primary key attributes.
func (s *Schema) Key(item map[string]types.AttributeValue) map[string]types.AttributeValue {
	k := map[string]types.AttributeValue{}
	for _, a := range []string{s.PK, s.SK} {
		if v, ok := item[a]; ok && a != "" {
			k[a] = v
		}
	}
	return k
}

// Index returns the named index, or nil.
func (s *Schema) Index(name string) *Index {
	for i := range s.Indexes {
		if s.Indexes[i].Name == name {
			return &s.Indexes[i]
		}
	}
	return nil
}

// Holds reports whether an item appears in the index: a sparse index
// holds only items that carry its key attributes.
func (ix *Index) Holds(item map[string]types.AttributeValue) bool {
	if item == nil {
		return false
	}
	if _, ok := item[ix.PK]; !ok {
		return false
	}
	if ix.SK != "" {
		if _, ok := item[ix.SK]; !ok {
			return false
		}
	}
	return true
}

// Project returns the index entry of an item: the table's key, the
// index's key and the projected attributes.
func (s *Schema) Project(ix *Index, item map[string]types.AttributeValue) map[string]types.AttributeValue {
	if ix.Projection == types.ProjectionTypeAll {
		return maps.Clone(item)
	}
	out := s.Key(item)
	names := []string{ix.PK, ix.SK}
	if ix.Projection == types.ProjectionTypeInclude {
		names = append(names, ix.NonKey...)
	}
	for _, a := range names {
		if v, ok := item[a]; ok && a != "" {
			out[a] = v
		}
	}
	return out
}
