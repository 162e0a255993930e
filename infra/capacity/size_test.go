package main

import (
	"context"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

func s(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }
func n(v string) types.AttributeValue { return &types.AttributeValueMemberN{Value: v} }

type item = map[string]types.AttributeValue

func TestItemSize(t *testing.T) {
	tests := []struct {
		name string
		item item
		want int
	}{
		{"string", item{"pk": s("TENANT#acme")}, 2 + 11},
		{"utf-8 string", item{"name": s("José")}, 4 + 5},
		{"number", item{"n": n("12345")}, 1 + 3 + 1},
		{"binary", item{"hash": &types.AttributeValueMemberB{Value: make([]byte, 32)}}, 4 + 32},
		{"bool", item{"ok": &types.AttributeValueMemberBOOL{Value: true}}, 2 + 1},
		{"null", item{"gone": &types.AttributeValueMemberNULL{Value: true}}, 4 + 1},
		{"empty map", item{"m": &types.AttributeValueMemberM{}}, 1 + 3},
		{"map", item{"m": &types.AttributeValueMemberM{Value: item{"a": s("xy")}}}, 1 + 3 + (1 + 2 + 1)},
		{"list", item{"l": &types.AttributeValueMemberL{Value: []types.AttributeValue{s("a"), n("1")}}}, 1 + 3 + (1 + 1) + (2 + 1)},
		{"string set", item{"ss": &types.AttributeValueMemberSS{Value: []string{"ab", "c"}}}, 2 + 3},
		{"several", item{"pk": s("TENANT#acme"), "sk": s("META"), "version": n("3")}, 13 + 6 + 7 + 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ItemSize(tt.item); got != tt.want {
				t.Errorf("ItemSize = %d; want %d", got, tt.want)
			}
		})
	}
}

func TestNumberSize(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"0", 1},
		{"7", 2},
		{"12", 2},
		{"123", 3},
		{"1000", 2}, // trailing zeros trimmed
		{"0.001", 2},
		{"-1.50", 2},
		{"1700000000", 2},
		{"1733312345", 6}, // epoch seconds: 10 significant digits
		{"1.7e9", 2},
	}
	for _, tt := range tests {
		if got := NumberSize(tt.in); got != tt.want {
			t.Errorf("NumberSize(%q) = %d; want %d", tt.in, got, tt.want)
		}
	}
}

// The developer guide's examples: a write of up to 1 KB is one unit, of
// 1.5 KB two, doubled in a transaction; an update bills the larger
// image; a strongly consistent read of up to 4 KB is one unit, half when
// eventually consistent, twice in a transaction.
func TestUnits(t *testing.T) {
	const kb = 1024
	writes := []struct {
		name     string
		old, new int
		tx       bool
		want     float64
	}{
		{"500 B put", 0, 500, false, 1},
		{"1 KB put", 0, kb, false, 1},
		{"1.5 KB put", 0, kb + kb/2, false, 2},
		{"3.5 KB put", 0, 3*kb + kb/2, false, 4},
		{"update shrinking 1.5 KB to 0.5 KB", kb + kb/2, kb / 2, false, 2},
		{"delete of a missing item", 0, 0, false, 1},
		{"transactional 1 KB", 0, kb, true, 2},
		{"transactional 1.5 KB", 0, kb + kb/2, true, 4},
	}
	for _, tt := range writes {
		if got := WriteUnits(tt.old, tt.new, tt.tx); got != tt.want {
			t.Errorf("WriteUnits(%s) = %g; want %g", tt.name, got, tt.want)
		}
	}
	reads := []struct {
		name           string
		size           int
		consistent, tx bool
		want           float64
	}{
		{"3.5 KB strongly consistent", 3*kb + kb/2, true, false, 1},
		{"3.5 KB eventually consistent", 3*kb + kb/2, false, false, 0.5},
		{"7 KB strongly consistent", 7 * kb, true, false, 2},
		{"7 KB eventually consistent", 7 * kb, false, false, 1},
		{"7 KB transactional", 7 * kb, true, true, 4},
		{"missing item", 0, true, false, 1},
		{"query of 10 items of 500 B", 10 * 500, true, false, 2},
	}
	for _, tt := range reads {
		if got := ReadUnits(tt.size, tt.consistent, tt.tx); got != tt.want {
			t.Errorf("ReadUnits(%s) = %g; want %g", tt.name, got, tt.want)
		}
	}
}

func TestWriteCost(t *testing.T) {
	sch := &Schema{Table: "t", PK: "pk", SK: "sk", Indexes: []Index{
		{Name: "ALLIX", PK: "gpk", SK: "gsk", Projection: types.ProjectionTypeAll},
		{Name: "KEYSIX", PK: "kpk", Projection: types.ProjectionTypeKeysOnly},
	}}
	key := item{"pk": s("TENANT#acme"), "sk": s("CONTACT#c1")}
	with := func(extra item) item {
		out := item{"pk": key["pk"], "sk": key["sk"]}
		for k, v := range extra {
			out[k] = v
		}
		return out
	}
	base := with(item{"gpk": s("G#1"), "gsk": s("x"), "kpk": s("K#1"), "name": s("Ana")})
	tests := []struct {
		name     string
		op       string
		old, new item
		tx       bool
		want     []string // where:op:pk:units
	}{
		{"put new item", opPut, nil, base, false,
			[]string{"table:put:TENANT#acme:1", "ALLIX:put:G#1:1", "KEYSIX:put:K#1:1"}},
		{"update of a projected attribute", opUpdate, base, with(item{"gpk": s("G#1"), "gsk": s("x"), "kpk": s("K#1"), "name": s("Bo")}), false,
			[]string{"table:update:TENANT#acme:1", "ALLIX:update:G#1:1"}},
		{"update changing nothing indexed", opUpdate, base, base, false,
			[]string{"table:update:TENANT#acme:1"}},
		{"index key change", opUpdate, base, with(item{"gpk": s("G#1"), "gsk": s("x"), "kpk": s("K#2"), "name": s("Ana")}), false,
			// ALLIX projects kpk, so its entry changes too.
			[]string{"table:update:TENANT#acme:1", "ALLIX:update:G#1:1", "KEYSIX:delete:K#1:1", "KEYSIX:put:K#2:1"}},
		{"sparse index left", opUpdate, base, with(item{"kpk": s("K#1"), "name": s("Ana")}), false,
			[]string{"table:update:TENANT#acme:1", "ALLIX:delete:G#1:1"}},
		{"transactional put doubles the table only", opPut, nil, base, true,
			[]string{"table:put:TENANT#acme:2", "ALLIX:put:G#1:1", "KEYSIX:put:K#1:1"}},
		{"delete", opDelete, base, nil, true,
			[]string{"table:delete:TENANT#acme:2", "ALLIX:delete:G#1:1", "KEYSIX:delete:K#1:1"}},
		{"condition check", opCheck, base, base, true,
			[]string{"table:check:TENANT#acme:2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, w := range sch.WriteCost(tt.op, key, tt.old, tt.new, tt.tx) {
				got = append(got, strings.Join([]string{w.Where, w.Op, w.PK, ftoa(w.Units)}, ":"))
			}
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("WriteCost = %q; want %q", got, tt.want)
			}
		})
	}
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

func TestKind(t *testing.T) {
	sch := &Schema{PK: "pk", SK: "sk"}
	tests := []struct{ pk, sk, want string }{
		{"TENANT#acme", "CONTACT#c1", "TENANT#* CONTACT#*"},
		{"TENANT#acme#AUDIT", "2026-01-01T00:00:00Z#e1", "TENANT#*#AUDIT *#*"},
		{"TENANT#acme", "META", "TENANT#* META"},
		{"SESSION#acme#c1", "S#ab12", "SESSION#*#* S#*"},
	}
	for _, tt := range tests {
		if got := Kind(sch, item{"pk": s(tt.pk), "sk": s(tt.sk)}); got != tt.want {
			t.Errorf("Kind(%q, %q) = %q; want %q", tt.pk, tt.sk, got, tt.want)
		}
	}
}

func TestRunFlags(t *testing.T) {
	if err := run(context.Background(), []string{"-n", "0"}, io.Discard, io.Discard); err == nil {
		t.Error("run -n 0 = nil; want an error")
	}
}
