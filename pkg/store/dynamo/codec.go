package dynamo

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Attribute value constructors. They build types.AttributeValue directly:
// no reflection on the hot paths.

func avS(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }

func avN(v string) types.AttributeValue { return &types.AttributeValueMemberN{Value: v} }

func avInt(v int64) types.AttributeValue {
	return &types.AttributeValueMemberN{Value: strconv.FormatInt(v, 10)}
}

func avB(v []byte) types.AttributeValue { return &types.AttributeValueMemberB{Value: v} }

func avBool(v bool) types.AttributeValue { return &types.AttributeValueMemberBOOL{Value: v} }

func avTime(t time.Time) types.AttributeValue { return avN(fmtTime(t)) }

// Shared read-only values used in many expressions.
var (
	valOne     = avN("1")
	valZero    = avN("0")
	valInvited = avS("invited")
	valActive  = avS("active")
)

// item is a DynamoDB item under construction or read back.
type item map[string]types.AttributeValue

// setS sets a string attribute, or leaves it out when v is empty.
func (m item) setS(name, v string) {
	if v != "" {
		m[name] = avS(v)
	}
}

// setB sets a binary attribute, or leaves it out when v is empty.
func (m item) setB(name string, v []byte) {
	if len(v) > 0 {
		m[name] = avB(v)
	}
}

// setTime sets an exact time, or leaves it out when t is zero.
func (m item) setTime(name string, t time.Time) {
	if !t.IsZero() {
		m[name] = avTime(t)
	}
}

// setExpiry sets the TTL attribute expiresAt (whole seconds, rounded up)
// and the exact expiry exp.
func (m item) setExpiry(t time.Time) {
	if t.IsZero() {
		return
	}
	m[attrExpiresAt] = avInt(ceilSeconds(t))
	m[attrExp] = avTime(t)
}

func (m item) str(name string) string {
	if v, ok := m[name].(*types.AttributeValueMemberS); ok {
		return v.Value
	}
	return ""
}

func (m item) bin(name string) []byte {
	if v, ok := m[name].(*types.AttributeValueMemberB); ok {
		return v.Value
	}
	return nil
}

func (m item) boolean(name string) bool {
	v, ok := m[name].(*types.AttributeValueMemberBOOL)
	return ok && v.Value
}

func (m item) int(name string) (int64, error) {
	v, ok := m[name].(*types.AttributeValueMemberN)
	if !ok {
		return 0, nil
	}
	i, err := strconv.ParseInt(v.Value, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("attribute %s: %w", name, err)
	}
	return i, nil
}

func (m item) time(name string) (time.Time, error) {
	v, ok := m[name].(*types.AttributeValueMemberN)
	if !ok {
		return time.Time{}, nil
	}
	t, err := parseTime(v.Value)
	if err != nil {
		return time.Time{}, fmt.Errorf("attribute %s: %w", name, err)
	}
	return t, nil
}

// expiry reads exp, or expiresAt when exp is missing.
func (m item) expiry() (time.Time, error) {
	if _, ok := m[attrExp]; ok {
		return m.time(attrExp)
	}
	return m.time(attrExpiresAt)
}

func (m item) duration(name string) (time.Duration, error) {
	v, ok := m[name].(*types.AttributeValueMemberN)
	if !ok {
		return 0, nil
	}
	sec, ns, err := parseNanos(v.Value)
	if err != nil {
		return 0, fmt.Errorf("attribute %s: %w", name, err)
	}
	return time.Duration(sec)*time.Second + time.Duration(ns), nil
}

func (m item) sub(name string) item {
	if v, ok := m[name].(*types.AttributeValueMemberM); ok {
		return v.Value
	}
	return nil
}

// fmtTime formats t as exact epoch seconds: "1700000000" or
// "1700000000.25" (a decimal fraction down to the nanosecond).
func fmtTime(t time.Time) string {
	return fmtNanos(t.Unix(), t.Nanosecond())
}

// fmtDuration formats d as exact seconds, like fmtTime.
func fmtDuration(d time.Duration) string {
	return fmtNanos(int64(d/time.Second), int(d%time.Second))
}

func fmtNanos(sec int64, ns int) string {
	neg := false
	if sec < 0 && ns > 0 {
		sec, ns = sec+1, int(time.Second)-ns
		neg = sec == 0
	} else if ns < 0 { // negative durations
		ns = -ns
		neg = sec == 0
	}
	var buf [32]byte
	b := buf[:0]
	if neg {
		b = append(b, '-')
	}
	b = strconv.AppendInt(b, sec, 10)
	if ns != 0 {
		var frac [9]byte
		for i := 8; i >= 0; i-- {
			frac[i] = byte('0' + ns%10)
			ns /= 10
		}
		end := 9
		for frac[end-1] == '0' {
			end--
		}
		b = append(b, '.')
		b = append(b, frac[:end]...)
	}
	return string(b)
}

var errNumber = errors.New("bad number")

// parseTime reads what fmtTime wrote.
func parseTime(s string) (time.Time, error) {
	sec, ns, err := parseNanos(s)
	if err != nil {
		return time.Time{}, err
	}
	return time.Unix(sec, ns).UTC(), nil
}

func parseNanos(s string) (int64, int64, error) {
	whole, frac, hasFrac := strings.Cut(s, ".")
	neg := strings.HasPrefix(whole, "-")
	sec, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, 0, errNumber
	}
	var ns int64
	if hasFrac {
		if len(frac) == 0 || len(frac) > 9 {
			return 0, 0, errNumber
		}
		for i := 0; i < 9; i++ {
			ns *= 10
			if i < len(frac) {
				c := frac[i]
				if c < '0' || c > '9' {
					return 0, 0, errNumber
				}
				ns += int64(c - '0')
			}
		}
	}
	if neg {
		ns = -ns
	}
	return sec, ns, nil
}

// ceilSeconds is t in whole epoch seconds, rounded up: TTL may delete an
// item only after it expired.
func ceilSeconds(t time.Time) int64 {
	s := t.Unix()
	if t.Nanosecond() > 0 && s < math.MaxInt64 {
		s++
	}
	return s
}

// auditTimeLayout sorts as a string: fixed width, UTC.
const auditTimeLayout = "2006-01-02T15:04:05.000000000Z"

// update builds an UpdateExpression of SETs and REMOVEs, naming each
// attribute #<attr> and its value :<attr>.
type update struct {
	sets, removes []string
	names         map[string]string
	values        item
}

func newUpdate() *update {
	return &update{names: make(map[string]string, 16), values: make(item, 16)}
}

func (u *update) set(attr string, v types.AttributeValue) {
	u.names["#"+attr] = attr
	u.values[":"+attr] = v
	u.sets = append(u.sets, "#"+attr+" = :"+attr)
}

func (u *update) remove(attr string) {
	u.names["#"+attr] = attr
	u.removes = append(u.removes, "#"+attr)
}

// setS sets a string, or removes the attribute when v is empty.
func (u *update) setS(attr, v string) {
	if v == "" {
		u.remove(attr)
		return
	}
	u.set(attr, avS(v))
}

// setTime sets a time, or removes the attribute when t is zero.
func (u *update) setTime(attr string, t time.Time) {
	if t.IsZero() {
		u.remove(attr)
		return
	}
	u.set(attr, avTime(t))
}

func (u *update) expr() string {
	var b strings.Builder
	if len(u.sets) > 0 {
		b.WriteString("SET ")
		b.WriteString(strings.Join(u.sets, ", "))
	}
	if len(u.removes) > 0 {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString("REMOVE ")
		b.WriteString(strings.Join(u.removes, ", "))
	}
	return b.String()
}
