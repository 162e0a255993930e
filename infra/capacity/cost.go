package main

import (
	"encoding/hex"
	"reflect"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// KeyWrite is one write that consumed capacity on one partition key of
// the table or of an index.
type KeyWrite struct {
	Where string // "table" or the index name
	PK    string // the partition key value
	Kind  string // the item's kind, from its key ("TENANT/CONTACT")
	Op    string // put, update, delete or check (a transaction's ConditionCheck)
	Units float64
}

// Item write kinds.
const (
	opPut    = "put"
	opUpdate = "update"
	opDelete = "delete"
	opCheck  = "check"
)

// WriteCost returns the writes one item write makes, given the item's
// key and its images before and after (nil: absent).
//
// The table write costs WriteUnits of the larger image, doubled in a
// transaction. A ConditionCheck costs the item's size in write units,
// doubled (it is always transactional), and writes no index. Each index
// whose key the old or new image carries is written when its entry
// changes: an entry whose key stays and whose projected attributes
// change is one update of the larger entry; an entry that appears, goes
// or changes its key is a put of the new entry and a delete of the old.
// Index writes are not doubled in a transaction (the doubling is the
// transaction protocol's second write of the table item).
func (s *Schema) WriteCost(op string, key, old, new map[string]types.AttributeValue, tx bool) []KeyWrite {
	kind := Kind(s, key)
	if op == opCheck {
		return []KeyWrite{{Where: "table", PK: render(key[s.PK]), Kind: kind, Op: opCheck, Units: WriteUnits(ItemSize(old), 0, true)}}
	}
	out := []KeyWrite{{Where: "table", PK: render(key[s.PK]), Kind: kind, Op: op, Units: WriteUnits(ItemSize(old), ItemSize(new), tx)}}
	for i := range s.Indexes {
		ix := &s.Indexes[i]
		inOld, inNew := ix.Holds(old), ix.Holds(new)
		var po, pn map[string]types.AttributeValue
		if inOld {
			po = s.Project(ix, old)
		}
		if inNew {
			pn = s.Project(ix, new)
		}
		sameKey := inOld && inNew && same(old[ix.PK], new[ix.PK]) && (ix.SK == "" || same(old[ix.SK], new[ix.SK]))
		switch {
		case sameKey && reflect.DeepEqual(po, pn):
			// Neither the index key nor a projected attribute changed:
			// the index is not written.
		case sameKey:
			out = append(out, KeyWrite{Where: ix.Name, PK: render(new[ix.PK]), Kind: kind, Op: opUpdate,
				Units: units(max(ItemSize(po), ItemSize(pn)), writeUnitBytes)})
		default:
			if inOld {
				out = append(out, KeyWrite{Where: ix.Name, PK: render(old[ix.PK]), Kind: kind, Op: opDelete,
					Units: units(ItemSize(po), writeUnitBytes)})
			}
			if inNew {
				out = append(out, KeyWrite{Where: ix.Name, PK: render(new[ix.PK]), Kind: kind, Op: opPut,
					Units: units(ItemSize(pn), writeUnitBytes)})
			}
		}
	}
	return out
}

func same(a, b types.AttributeValue) bool { return reflect.DeepEqual(a, b) }

// Kind names an item by the fixed parts of its key: in each key value,
// the '#'-separated segments that are upper-case words are kept and the
// others (ids, hashes, times) become '*' ("TENANT#acme" / "CONTACT#c1"
// is "TENANT#* CONTACT#*").
func Kind(s *Schema, key map[string]types.AttributeValue) string {
	k := shape(render(key[s.PK]))
	if s.SK != "" {
		k += " " + shape(render(key[s.SK]))
	}
	return k
}

func shape(v string) string {
	segs := strings.Split(v, "#")
	for i, seg := range segs {
		if !word(seg) {
			segs[i] = "*"
		}
	}
	return strings.Join(segs, "#")
}

// word reports whether a key segment is a fixed upper-case word.
func word(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if !(r >= 'A' && r <= 'Z' || r == '_' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// render prints a key value.
func render(v types.AttributeValue) string {
	switch v := v.(type) {
	case *types.AttributeValueMemberS:
		return v.Value
	case *types.AttributeValueMemberN:
		return v.Value
	case *types.AttributeValueMemberB:
		return hex.EncodeToString(v.Value)
	}
	return ""
}
