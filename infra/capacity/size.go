package main

import (
	"math"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Billing units (DynamoDB developer guide, "Read/write capacity mode").
const (
	writeUnitBytes = 1024 // one write unit: a write of up to 1 KB
	readUnitBytes  = 4096 // one read unit: a strongly consistent read of up to 4 KB
)

// ItemSize returns an item's size in bytes as DynamoDB counts it
// (developer guide, "DynamoDB item sizes and formats"): the sum over its
// attributes of the UTF-8 length of the name plus the value's size.
func ItemSize(item map[string]types.AttributeValue) int {
	n := 0
	for name, v := range item {
		n += len(name) + ValueSize(v)
	}
	return n
}

// ValueSize returns the size of one attribute value, without its name:
// S its UTF-8 bytes; N about one byte per two significant digits plus
// one; B its raw bytes; BOOL and NULL one byte; a set the sum of its
// elements; M and L three bytes plus, per element, one byte, the
// element's size and (in a map) the element's name.
func ValueSize(v types.AttributeValue) int {
	switch v := v.(type) {
	case *types.AttributeValueMemberS:
		return len(v.Value)
	case *types.AttributeValueMemberN:
		return NumberSize(v.Value)
	case *types.AttributeValueMemberB:
		return len(v.Value)
	case *types.AttributeValueMemberBOOL, *types.AttributeValueMemberNULL:
		return 1
	case *types.AttributeValueMemberSS:
		n := 0
		for _, s := range v.Value {
			n += len(s)
		}
		return n
	case *types.AttributeValueMemberNS:
		n := 0
		for _, s := range v.Value {
			n += NumberSize(s)
		}
		return n
	case *types.AttributeValueMemberBS:
		n := 0
		for _, b := range v.Value {
			n += len(b)
		}
		return n
	case *types.AttributeValueMemberM:
		n := 3
		for name, e := range v.Value {
			n += len(name) + ValueSize(e) + 1
		}
		return n
	case *types.AttributeValueMemberL:
		n := 3
		for _, e := range v.Value {
			n += ValueSize(e) + 1
		}
		return n
	}
	return 0
}

// NumberSize returns the approximate stored size of a number given as
// DynamoDB's decimal string: leading and trailing zeros are trimmed, then
// one byte per two significant digits, rounded up, plus one byte.
func NumberSize(s string) int {
	s = strings.TrimLeft(s, "+-")
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		s = s[:i]
	}
	s = strings.Replace(s, ".", "", 1)
	s = strings.Trim(s, "0")
	return (len(s)+1)/2 + 1
}

// WriteUnits returns the write units of one item write: the larger of
// the item's old and new sizes in 1 KB units, rounded up, at least one;
// twice that inside a transaction.
func WriteUnits(oldSize, newSize int, transactional bool) float64 {
	u := units(max(oldSize, newSize), writeUnitBytes)
	if transactional {
		u *= 2
	}
	return u
}

// ReadUnits returns the read units of reading size bytes in one request
// (one item, or the summed items of one Query or Scan page): 4 KB units,
// rounded up, at least one; half for an eventually consistent read, twice
// inside a transaction.
func ReadUnits(size int, consistent, transactional bool) float64 {
	u := units(size, readUnitBytes)
	switch {
	case transactional:
		u *= 2
	case !consistent:
		u /= 2
	}
	return u
}

func units(size, per int) float64 {
	return max(1, math.Ceil(float64(size)/float64(per)))
}
