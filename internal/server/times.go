package server

import (
	"fmt"
	"time"

	"github.com/vektah/gqlparser/v2/ast"
)

// The years a Time argument may fall in. Dates are derived from the ones
// given (a request's due date a month after it was received, a retention
// deadline years after collection), and a year past 9999 cannot be stored
// and read back by every database: SQLite keeps it as text no driver parses.
const (
	minYear = 1000
	maxYear = 8999
)

// timeOutOfRange returns the path and value of the first Time in v, a value
// of type t (variables resolved), whose year is outside minYear to maxYear;
// ok is false when there is none.
func timeOutOfRange(schema *ast.Schema, t *ast.Type, v any, path string) (at, value string, ok bool) {
	if t == nil || v == nil {
		return "", "", false
	}
	if t.Elem != nil {
		list, _ := v.([]any)
		for i, e := range list {
			if at, value, ok := timeOutOfRange(schema, t.Elem, e, fmt.Sprintf("%s[%d]", path, i)); ok {
				return at, value, true
			}
		}
		return "", "", false
	}
	if t.NamedType == "Time" {
		s, _ := v.(string)
		tm, err := time.Parse(time.RFC3339Nano, s)
		if err == nil && (tm.Year() < minYear || tm.Year() > maxYear) {
			return path, s, true
		}
		return "", "", false
	}
	def := schema.Types[t.NamedType]
	obj, _ := v.(map[string]any)
	if def == nil || def.Kind != ast.InputObject || obj == nil {
		return "", "", false
	}
	for _, f := range def.Fields {
		if at, value, ok := timeOutOfRange(schema, f.Type, obj[f.Name], path+"."+f.Name); ok {
			return at, value, true
		}
	}
	return "", "", false
}
