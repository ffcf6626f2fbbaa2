package config

import (
	"reflect"
	"strings"
	"sync"
)

// A config file's sources are mostly plain values of exactly the type of
// their field: name and url strings, a follow bool, a listing block of
// strings. mapstructure decodes them right but slowly (it reads every
// field's tags again for every source: 70 ms for 1,000 sources, most of a
// check's start). decodeExact decodes such a source directly, through a
// table of the struct's fields built once, and declines (returns false)
// whenever anything needs more than an assignment — a key it does not
// know or knows in another case, a value of another type, a nil — so that
// mapstructure, with its weak typing, hooks and error messages, decodes
// that source as before. A fuzz test holds the two to the same results.

// exactField is a struct field decodeExact can assign.
type exactField struct {
	index int
	typ   reflect.Type
	// sub is the field table of a pointer-to-struct field's struct.
	sub map[string]exactField
}

// exactFields returns the field table of struct type t, by mapstructure
// tag.
func exactFields(t reflect.Type) map[string]exactField {
	fields := map[string]exactField{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("mapstructure"), ",")
		if name == "" || !f.IsExported() {
			continue
		}
		ef := exactField{index: i, typ: f.Type}
		if f.Type.Kind() == reflect.Pointer && f.Type.Elem().Kind() == reflect.Struct {
			ef.sub = exactFields(f.Type.Elem())
		}
		fields[name] = ef
	}
	return fields
}

var sourceFields = sync.OnceValue(func() map[string]exactField {
	return exactFields(reflect.TypeOf(rawSource{}))
})

// decodeExact decodes m into out (a zero rawSource) when every value can
// simply be assigned; otherwise it returns false and out must be decoded
// again from scratch.
func decodeExact(m map[string]any, out *rawSource) bool {
	return assignExact(m, sourceFields(), reflect.ValueOf(out).Elem())
}

func assignExact(m map[string]any, fields map[string]exactField, out reflect.Value) bool {
	for k, v := range m {
		f, ok := fields[k]
		if !ok || v == nil {
			return false
		}
		dst := out.Field(f.index)
		switch t := f.typ; {
		case reflect.TypeOf(v) == t:
			dst.Set(reflect.ValueOf(v))
		case t.Kind() == reflect.Pointer && f.sub != nil:
			sub, ok := v.(map[string]any)
			if !ok {
				return false
			}
			p := reflect.New(t.Elem())
			if !assignExact(sub, f.sub, p.Elem()) {
				return false
			}
			dst.Set(p)
		case t.Kind() == reflect.Pointer && reflect.TypeOf(v) == t.Elem():
			p := reflect.New(t.Elem())
			p.Elem().Set(reflect.ValueOf(v))
			dst.Set(p)
		case t == stringSlice:
			list, ok := v.([]any)
			if !ok {
				return false
			}
			strs := make([]string, len(list))
			for i, e := range list {
				if strs[i], ok = e.(string); !ok {
					return false
				}
			}
			dst.Set(reflect.ValueOf(strs))
		case t == stringMap:
			src, ok := v.(map[string]any)
			if !ok {
				return false
			}
			strs := make(map[string]string, len(src))
			for k, e := range src {
				if strs[k], ok = e.(string); !ok {
					return false
				}
			}
			dst.Set(reflect.ValueOf(strs))
		default:
			return false
		}
	}
	return true
}

var (
	stringSlice = reflect.TypeOf([]string(nil))
	stringMap   = reflect.TypeOf(map[string]string(nil))
)
