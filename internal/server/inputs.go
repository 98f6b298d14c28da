package server

import (
	"fmt"
	"strings"
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

// badInput returns the path of the first value in v, a value of type t
// (variables resolved), that the databases cannot store, and what is wrong
// with it: a Time outside minYear to maxYear, or text with a NUL character
// (PostgreSQL refuses it); ok is false when there is none.
func badInput(schema *ast.Schema, t *ast.Type, v any, path string) (at, problem string, ok bool) {
	if t == nil || v == nil {
		return "", "", false
	}
	if t.Elem != nil {
		list, _ := v.([]any)
		for i, e := range list {
			if at, problem, ok := badInput(schema, t.Elem, e, fmt.Sprintf("%s[%d]", path, i)); ok {
				return at, problem, true
			}
		}
		return "", "", false
	}
	if s, isText := v.(string); isText {
		if strings.ContainsRune(s, 0) {
			return path, "contains a NUL character", true
		}
		if t.NamedType == "Time" {
			tm, err := time.Parse(time.RFC3339Nano, s)
			if err == nil && (tm.Year() < minYear || tm.Year() > maxYear) {
				return path, fmt.Sprintf("is %s: give a date between the years %d and %d", s, minYear, maxYear), true
			}
		}
		return "", "", false
	}
	def := schema.Types[t.NamedType]
	obj, _ := v.(map[string]any)
	if def == nil || obj == nil {
		return "", "", false
	}
	if def.Kind != ast.InputObject { // a Map scalar: look at its text
		for k, e := range obj {
			if at, problem, ok := badInput(schema, &ast.Type{NamedType: "String"}, e, path+"."+k); ok {
				return at, problem, true
			}
		}
		return "", "", false
	}
	for _, f := range def.Fields {
		if at, problem, ok := badInput(schema, f.Type, obj[f.Name], path+"."+f.Name); ok {
			return at, problem, true
		}
	}
	return "", "", false
}
