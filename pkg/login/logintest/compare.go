package logintest

import (
	"bytes"
	"fmt"
	"reflect"
	"time"
)

var (
	timeType  = reflect.TypeFor[time.Time]()
	bytesType = reflect.TypeFor[[]byte]()
)

// diff compares got with want field by field and describes the first
// difference, or returns "". Times compare with Equal (a store may change
// their location), and a nil slice or map equals an empty one (a store
// may not keep the difference).
func diff(got, want any) string {
	g, w := reflect.ValueOf(got), reflect.ValueOf(want)
	if !g.IsValid() || !w.IsValid() {
		if g.IsValid() != w.IsValid() {
			return fmt.Sprintf("got %#v; want %#v", got, want)
		}
		return ""
	}
	if g.Type() != w.Type() {
		return fmt.Sprintf("got a %v; want a %v", g.Type(), w.Type())
	}
	return diffValue("", g, w)
}

func diffValue(path string, g, w reflect.Value) string {
	if path == "" {
		path = "value"
	}
	switch {
	case g.Type() == timeType:
		gt, wt := g.Interface().(time.Time), w.Interface().(time.Time)
		if !gt.Equal(wt) {
			return fmt.Sprintf("%s = %v; want %v", path, gt, wt)
		}
		return ""
	case g.Type() == bytesType:
		if !bytes.Equal(g.Bytes(), w.Bytes()) {
			return fmt.Sprintf("%s = %s; want %s", path, short(g.Bytes()), short(w.Bytes()))
		}
		return ""
	}
	switch g.Kind() {
	case reflect.Pointer, reflect.Interface:
		if g.IsNil() || w.IsNil() {
			if g.IsNil() != w.IsNil() {
				return fmt.Sprintf("%s nil = %v; want nil = %v", path, g.IsNil(), w.IsNil())
			}
			return ""
		}
		if g.Kind() == reflect.Interface && g.Elem().Type() != w.Elem().Type() {
			return fmt.Sprintf("%s is a %v; want a %v", path, g.Elem().Type(), w.Elem().Type())
		}
		return diffValue(path, g.Elem(), w.Elem())
	case reflect.Slice, reflect.Array:
		if g.Len() != w.Len() {
			return fmt.Sprintf("%s has %d elements; want %d", path, g.Len(), w.Len())
		}
		for i := 0; i < g.Len(); i++ {
			if d := diffValue(fmt.Sprintf("%s[%d]", path, i), g.Index(i), w.Index(i)); d != "" {
				return d
			}
		}
		return ""
	case reflect.Map:
		if g.Len() != w.Len() {
			return fmt.Sprintf("%s has %d entries; want %d", path, g.Len(), w.Len())
		}
		for _, k := range w.MapKeys() {
			gv := g.MapIndex(k)
			if !gv.IsValid() {
				return fmt.Sprintf("%s lacks key %v", path, k)
			}
			if d := diffValue(fmt.Sprintf("%s[%v]", path, k), gv, w.MapIndex(k)); d != "" {
				return d
			}
		}
		return ""
	case reflect.Struct:
		for i := 0; i < g.NumField(); i++ {
			f := g.Type().Field(i)
			if !f.IsExported() {
				continue
			}
			if d := diffValue(path+"."+f.Name, g.Field(i), w.Field(i)); d != "" {
				return d
			}
		}
		return ""
	}
	if !reflect.DeepEqual(g.Interface(), w.Interface()) {
		return fmt.Sprintf("%s = %#v; want %#v", path, g.Interface(), w.Interface())
	}
	return ""
}

// short names a test hash in a failure message by its first bytes.
func short(b []byte) string {
	if b == nil {
		return "nil"
	}
	if len(b) > 6 {
		return fmt.Sprintf("%x…", b[:6])
	}
	return fmt.Sprintf("%x", b)
}
