package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/portalpass/portalpass/pkg/store/dynamo"
)

// migration moves a table from the layout before the version it is
// registered under to that version. It must be idempotent: it runs while
// the code that reads both layouts serves traffic, and when it fails
// halfway, or the version is not recorded after it, it is run again from
// the start.
type migration func(ctx context.Context, db *dynamodb.Client, table string) error

// migrations are the table's layout migrations, keyed by the version each
// produces. There are none yet: version 2 is the first layout deployed, so
// no table has an older one to migrate from.
var migrations = map[int]migration{}

// noLayoutItem explains a table that records no layout version.
const noLayoutItem = `the table records no layout version (no item pk=LAYOUT, sk=META): it was made
before dynamo.CreateTable wrote one, or by other means (the stack's template). No migration starts
from an unrecorded layout. A new stack's table is one: run ppctl layout init once after the first
deploy. An older table: check its items against pkg/store/dynamo/doc.go; if they follow layout %d,
record that with ppctl layout init (table %s; the code's layout is %d)`

// layout prints the table's layout version beside the code's and fails
// when they differ, so that a deploy script can stop on it.
func (c command) layout() error {
	have, err := c.store.LayoutVersion(c.ctx)
	if err != nil {
		return err
	}
	want := dynamo.LayoutVersion
	fmt.Fprintf(c.out, "table layout: %d\ncode layout:  %d\n", have, want)
	switch {
	case have == want:
		fmt.Fprintln(c.out, "up to date")
		return nil
	case have == 0:
		return fmt.Errorf(noLayoutItem, want, c.table, want)
	case have < want:
		return fmt.Errorf("the table is at layout %d, the code at %d: run ppctl layout migrate", have, want)
	default:
		return fmt.Errorf("the table is at layout %d, newer than this code's %d: use the ppctl of the deployed code", have, want)
	}
}

// migrate runs the registered migrations from the table's layout version
// up to the code's, in order, recording each version as it is reached. It
// checks that every step is registered before it runs any, so that a
// missing one leaves the table as it found it.
func (c command) migrate() error {
	have, err := c.store.LayoutVersion(c.ctx)
	if err != nil {
		return err
	}
	want := dynamo.LayoutVersion
	switch {
	case have == want:
		fmt.Fprintf(c.out, "table layout %d: up to date\n", have)
		return nil
	case have == 0:
		return fmt.Errorf(noLayoutItem, want, c.table, want)
	case have > want:
		return fmt.Errorf("the table is at layout %d, newer than this code's %d: nothing to migrate; use the ppctl of the deployed code", have, want)
	}
	for v := have + 1; v <= want; v++ {
		if migrations[v] == nil {
			return fmt.Errorf("the table is at layout %d and the code at %d, but no migration to layout %d is registered (infra/ppctl/layout.go); nothing was changed", have, want, v)
		}
	}
	for v := have + 1; v <= want; v++ {
		fmt.Fprintf(c.out, "migrating layout %d to %d\n", v-1, v)
		if err := migrations[v](c.ctx, c.db, c.table); err != nil {
			return fmt.Errorf("migration to layout %d: %w (the table stays at %d; the migration is safe to run again)", v, err, v-1)
		}
		if err := c.store.SetLayoutVersion(c.ctx, v-1, v); err != nil {
			if errors.Is(err, dynamo.ErrLayoutChanged) {
				return fmt.Errorf("migration to layout %d: another migration moved the table meanwhile; run ppctl layout again: %w", v, err)
			}
			return err
		}
	}
	fmt.Fprintf(c.out, "table layout %d: up to date\n", want)
	return nil
}

// layoutInit records the code's layout version on a table that records
// none: the stack's table, which CloudFormation makes (dynamo.CreateTable,
// which records it, runs only for the dev server and tests). It never
// changes a recorded version.
func (c command) layoutInit() error {
	have, err := c.store.LayoutVersion(c.ctx)
	if err != nil {
		return err
	}
	if have != 0 {
		return fmt.Errorf("the table already records layout %d; layout init only records a first version", have)
	}
	if err := c.store.SetLayoutVersion(c.ctx, 0, dynamo.LayoutVersion); err != nil {
		return err
	}
	fmt.Fprintf(c.out, "table layout %d recorded\n", dynamo.LayoutVersion)
	return nil
}
