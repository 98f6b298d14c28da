package audit

import (
	"encoding"
	"encoding/json"
	"math"
	"reflect"
	"time"
	"unicode/utf8"
)

// normalize returns changes as they read back from the database: every
// value a string, float64, bool, nil, []any or map[string]any, as a JSON
// round trip leaves it. Storing the normalized map keeps the hash computed
// when appending equal to the hash recomputed from the stored row. A nil map
// becomes an empty one. The common values of ent fields are converted
// directly; anything else takes the JSON round trip.
func normalize(changes map[string]any) (map[string]any, error) {
	if len(changes) == 0 {
		return map[string]any{}, nil
	}
	if v, ok := plain(changes); ok {
		return v.(map[string]any), nil
	}
	b, err := json.Marshal(changes)
	if err != nil {
		return nil, err
	}
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, err
	}
	return out, nil
}

var (
	jsonMarshaler = reflect.TypeFor[json.Marshaler]()
	textMarshaler = reflect.TypeFor[encoding.TextMarshaler]()
)

// plain returns v as a JSON round trip would, and false when it cannot tell
// without encoding: a type with its own encoding, a struct, a float that
// JSON rejects or rounds, a string that is not valid UTF-8.
func plain(v any) (any, bool) {
	switch x := v.(type) {
	case nil:
		return nil, true
	case string:
		return x, utf8.ValidString(x)
	case bool:
		return x, true
	case float64:
		return x, !math.IsNaN(x) && !math.IsInf(x, 0)
	case time.Time:
		if y := x.Year(); y < 0 || y > 9999 {
			return nil, false
		}
		return x.Format(time.RFC3339Nano), true
	case []string:
		if x == nil {
			return nil, true
		}
		out := make([]any, len(x))
		for i, s := range x {
			if !utf8.ValidString(s) {
				return nil, false
			}
			out[i] = s
		}
		return out, true
	case []any:
		if x == nil {
			return nil, true
		}
		out := make([]any, len(x))
		for i, e := range x {
			p, ok := plain(e)
			if !ok {
				return nil, false
			}
			out[i] = p
		}
		return out, true
	case map[string]any:
		if x == nil {
			return nil, true
		}
		out := make(map[string]any, len(x))
		for k, e := range x {
			p, ok := plain(e)
			if !ok || !utf8.ValidString(k) {
				return nil, false
			}
			out[k] = p
		}
		return out, true
	}
	r := reflect.ValueOf(v)
	if r.Kind() == reflect.Pointer { // a Nillable field's value
		if r.IsNil() {
			return nil, true
		}
		if ownEncoding(r.Type()) && !ownEncoding(r.Type().Elem()) {
			return nil, false
		}
		return plain(r.Elem().Interface())
	}
	if ownEncoding(r.Type()) {
		return nil, false
	}
	switch r.Kind() {
	case reflect.String: // IDs and enums
		return plain(r.String())
	case reflect.Bool:
		return r.Bool(), true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return float64(r.Int()), true // rounds as parsing the decimal does
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return float64(r.Uint()), true
	case reflect.Slice: // e.g. a JSON field of enums; not []byte, which JSON encodes in base64
		if r.IsNil() {
			return nil, true
		}
		if r.Type().Elem().Kind() == reflect.Uint8 {
			return nil, false
		}
		out := make([]any, r.Len())
		for i := range out {
			p, ok := plain(r.Index(i).Interface())
			if !ok {
				return nil, false
			}
			out[i] = p
		}
		return out, true
	}
	return nil, false
}

// ownEncoding reports whether t encodes itself in JSON.
func ownEncoding(t reflect.Type) bool {
	return t.Implements(jsonMarshaler) || t.Implements(textMarshaler)
}
