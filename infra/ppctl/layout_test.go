package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/portalpass/portalpass/pkg/awstest"
	"github.com/portalpass/portalpass/pkg/store/dynamo"
)

var layoutTables atomic.Int64

// layoutTable creates a fresh table on moto and returns the endpoint, its
// name and a Store on it.
func layoutTable(t *testing.T) (string, string, *dynamo.Store) {
	t.Helper()
	ep := awstest.Endpoint(t)
	db := dynamodb.NewFromConfig(awstest.Config(ep))
	table := fmt.Sprintf("ppctl-layout-%d-%d", os.Getpid(), layoutTables.Add(1))
	ctx := awstest.Ctx(t)
	if err := dynamo.CreateTable(ctx, db, table); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = db.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String(table)}) })
	return ep, table, dynamo.New(db, table)
}

// runErr runs ppctl against moto and returns its output and error (main
// exits 1 on an error).
func runErr(ep, table string, args ...string) (string, error) {
	var out bytes.Buffer
	err := Run(context.Background(), append([]string{"-endpoint", ep, "-table", table}, args...), &out)
	return out.String(), err
}

// setMigrations registers ms for the test only.
func setMigrations(t *testing.T, ms map[int]migration) {
	old := migrations
	migrations = ms
	t.Cleanup(func() { migrations = old })
}

func TestLayoutUpToDate(t *testing.T) {
	ep, table, _ := layoutTable(t)
	out, err := runErr(ep, table, "layout")
	if err != nil {
		t.Fatalf("ppctl layout on a new table: %v\n%s", err, out)
	}
	want := fmt.Sprintf("table layout: %d\ncode layout:  %d\nup to date\n", dynamo.LayoutVersion, dynamo.LayoutVersion)
	if out != want {
		t.Errorf("ppctl layout = %q; want %q", out, want)
	}
	out, err = runErr(ep, table, "layout", "migrate")
	if err != nil || !strings.Contains(out, "up to date") {
		t.Errorf("ppctl layout migrate on a new table = %q, %v; want up to date", out, err)
	}
}

func TestLayoutBehind(t *testing.T) {
	ep, table, s := layoutTable(t)
	ctx := awstest.Ctx(t)
	if err := s.SetLayoutVersion(ctx, dynamo.LayoutVersion, 1); err != nil {
		t.Fatal(err)
	}
	out, err := runErr(ep, table, "layout")
	if err == nil {
		t.Fatalf("ppctl layout on a table at 1 succeeded:\n%s", out)
	}
	if !strings.Contains(out, "table layout: 1\n") || !strings.Contains(err.Error(), "ppctl layout migrate") {
		t.Errorf("ppctl layout on a table at 1 = %q, %v", out, err)
	}

	out, err = runErr(ep, table, "layout", "migrate")
	if err == nil {
		t.Fatalf("ppctl layout migrate from 1 with no migration succeeded:\n%s", out)
	}
	if msg := err.Error(); !strings.Contains(msg, "no migration to layout 2 is registered") || !strings.Contains(msg, "nothing was changed") {
		t.Errorf("ppctl layout migrate from 1: %v; want it to name the missing migration", err)
	}
	if v, err := s.LayoutVersion(ctx); err != nil || v != 1 {
		t.Errorf("after a refused migrate the table is at %d, %v; want 1", v, err)
	}
}

func TestLayoutMissingItem(t *testing.T) {
	ep, table, s := layoutTable(t)
	ctx := awstest.Ctx(t)
	db := dynamodb.NewFromConfig(awstest.Config(ep))
	_, err := db.DeleteItem(ctx, &dynamodb.DeleteItemInput{
		TableName: aws.String(table),
		Key:       map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: "LAYOUT"}, "sk": &types.AttributeValueMemberS{Value: "META"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if out, err := runErr(ep, table, "layout"); err == nil || !strings.Contains(out, "table layout: 0\n") {
		t.Errorf("ppctl layout without the item = %q, %v; want version 0 and an error", out, err)
	}
	// Even with every step registered, 0 names no layout to start from.
	var ran atomic.Int64
	step := func(context.Context, *dynamodb.Client, string) error { ran.Add(1); return nil }
	setMigrations(t, map[int]migration{1: step, 2: step})
	_, err = runErr(ep, table, "layout", "migrate")
	if err == nil || !strings.Contains(err.Error(), "records no layout version") || !strings.Contains(err.Error(), "ppctl layout init") {
		t.Errorf("ppctl layout migrate without the item: %v; want a refusal that explains", err)
	}
	if ran.Load() != 0 {
		t.Errorf("%d migrations ran from version 0; want none", ran.Load())
	}
	if v, err := s.LayoutVersion(ctx); err != nil || v != 0 {
		t.Errorf("the table is at %d, %v; want 0", v, err)
	}
	// A stack's table records no version until layout init.
	if out, err := runErr(ep, table, "layout", "init"); err != nil || !strings.Contains(out, "recorded") {
		t.Errorf("ppctl layout init = %q, %v", out, err)
	}
	if v, err := s.LayoutVersion(ctx); err != nil || v != dynamo.LayoutVersion {
		t.Errorf("after layout init the table is at %d, %v; want %d", v, err, dynamo.LayoutVersion)
	}
	if _, err := runErr(ep, table, "layout", "init"); err == nil {
		t.Error("a second layout init succeeded; want a refusal")
	}
}

// TestLayoutMigrateRuns registers a stand-in migration to the code's
// version and runs it from the version before.
func TestLayoutMigrateRuns(t *testing.T) {
	ep, table, s := layoutTable(t)
	ctx := awstest.Ctx(t)
	if err := s.SetLayoutVersion(ctx, dynamo.LayoutVersion, dynamo.LayoutVersion-1); err != nil {
		t.Fatal(err)
	}
	fail := true
	var ran []string
	setMigrations(t, map[int]migration{dynamo.LayoutVersion: func(_ context.Context, _ *dynamodb.Client, tb string) error {
		ran = append(ran, tb)
		if fail {
			return errors.New("throttled")
		}
		return nil
	}})

	// A failing step leaves the version where it was.
	if out, err := runErr(ep, table, "layout", "migrate"); err == nil || !strings.Contains(err.Error(), "throttled") {
		t.Fatalf("ppctl layout migrate with a failing step = %q, %v; want its error", out, err)
	}
	if v, err := s.LayoutVersion(ctx); err != nil || v != dynamo.LayoutVersion-1 {
		t.Errorf("after a failed step the table is at %d, %v; want %d", v, err, dynamo.LayoutVersion-1)
	}

	fail = false
	out, err := runErr(ep, table, "layout", "migrate")
	if err != nil {
		t.Fatalf("ppctl layout migrate: %v\n%s", err, out)
	}
	if !strings.Contains(out, fmt.Sprintf("migrating layout %d to %d\n", dynamo.LayoutVersion-1, dynamo.LayoutVersion)) || !strings.Contains(out, "up to date") {
		t.Errorf("ppctl layout migrate = %q", out)
	}
	if len(ran) != 2 || ran[1] != table {
		t.Errorf("migration ran on %q; want twice on %q", ran, table)
	}
	if out, err := runErr(ep, table, "layout"); err != nil {
		t.Errorf("ppctl layout after migrate = %q, %v; want up to date", out, err)
	}
	if _, err := runErr(ep, table, "layout", "migrate"); err != nil || len(ran) != 2 {
		t.Errorf("a second migrate: %v, %d runs; want nothing run", err, len(ran))
	}
}
