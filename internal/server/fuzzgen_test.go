package server_test

// The seed corpus of FuzzGraphQL, built from the schema itself: every root
// query and mutation field, with a selection of its type's fields, first
// with plausible arguments, then with each argument given odd values (numbers
// out of range, malformed cursors and ids, empty and deep filters, huge and
// strange strings).

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/privhub/privhub/graph"
)

// seed is one document of the corpus, with its variables as JSON ("" for
// none).
type seed struct {
	query, variables string
}

// corpusGen writes documents from a schema.
type corpusGen struct {
	schema *ast.Schema
	ids    map[string]string // lower-case type name -> the ID of an object of it
	n      int               // how many odd values were handed out, to rotate through them
	depth  int               // how deep odd is inside input objects
	target string            // the type whose ID an input's id names: the node the mutation changes
}

// fuzzSchema is privhub's GraphQL schema.
func fuzzSchema() *ast.Schema { return graph.NewExecutableSchema(graph.Config{}).Schema() }

// schemaSeeds returns the generated seed corpus over privhub's schema; ids
// (lower-case type name to the ID of an existing object of that type) give
// ID arguments real objects to work on, so that updates and deletes run.
func schemaSeeds(ids map[string]string) []seed {
	g := &corpusGen{schema: fuzzSchema(), ids: ids}
	var out []seed
	for _, root := range []*ast.Definition{g.schema.Query, g.schema.Mutation} {
		if root == nil {
			continue
		}
		op := "query"
		if root == g.schema.Mutation {
			op = "mutation"
		}
		for _, f := range sortedFields(root) {
			if strings.HasPrefix(f.Name, "__") {
				continue
			}
			sel := g.selection(g.schema.Types[f.Type.Name()], 2)
			doc := func(args map[string]string) string {
				return fmt.Sprintf("%s { %s%s %s }", op, f.Name, argList(f.Arguments, args), sel)
			}
			g.target = g.changedType(f)
			base := map[string]string{}
			for _, a := range f.Arguments {
				if a.Type.NonNull {
					base[a.Name] = g.normal(a.Name, a.Type, 0)
				}
			}
			out = append(out, seed{query: doc(base)})
			for _, a := range f.Arguments {
				for _, v := range g.odd(a.Type) {
					args := map[string]string{}
					for k, v := range base {
						args[k] = v
					}
					args[a.Name] = v
					out = append(out, seed{query: doc(args)})
				}
			}
		}
	}
	return append(out, handWrittenSeeds()...)
}

// handWrittenSeeds are the cases the issue reported, and odd variables.
func handWrittenSeeds() []seed {
	deep := strings.Repeat(`{"not": `, 1000) + `{"name": "x"}` + strings.Repeat("}", 1000)
	return []seed{
		{query: `{ contracts(first: 5, before: 9223372036854775808) { totalCount } }`},
		{query: `{ contracts(first: 99999999999) { totalCount } }`},
		{query: "{ vendors(where: " + strings.Repeat("{not: ", 1000) + `{name: "x"}` + strings.Repeat("}", 1000) + ") { totalCount } }"},
		{query: `{ vendors(where: {}) { totalCount } }`},
		{query: `{ vendors(where: {not: {}}) { totalCount } }`},
		{query: "{ " + strings.Repeat("__typename ", 10000) + "}"},
		{query: `query($w: VendorWhereInput) { vendors(where: $w) { totalCount } }`, variables: deep},
		{query: `query($w: VendorWhereInput) { vendors(where: $w) { totalCount } }`, variables: `{"w": {"w": 1}}`},
		{query: `query($w: VendorWhereInput) { vendors(where: $w) { totalCount } }`, variables: `{"w": {"nameIn": [null]}}`},
		{query: `query($n: Int, $c: Cursor) { vendors(first: $n, after: $c) { totalCount } }`, variables: `{"n": 1e400, "c": 9223372036854775808}`},
		{query: `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, variables: `{"ids": ["", "x", "vnd_", "vnd_00000000000000000000000000"]}`},
		{query: `query A { __typename } query B { __typename }`},
		{query: `{ node(id: "BE") { ... on Country { name } } }`},
		{query: `{ vendors(orderBy: {nope: 1}) { totalCount } }`},
		{query: `{`},
	}
}

// changedType returns the name of the type whose ID the id of f's
// arguments or input names: node(id:) any type's, updateVendor(input:
// {id}) a Vendor's (the Node its payload answers), deleteNode's any.
func (g *corpusGen) changedType(f *ast.FieldDefinition) string {
	t := g.schema.Types[f.Type.Name()]
	if t == nil || !strings.HasSuffix(t.Name, "Payload") {
		return f.Type.Name()
	}
	for _, pf := range t.Fields {
		if ft := g.schema.Types[pf.Type.Name()]; ft != nil && ft.Kind == ast.Object && slices.Contains(ft.Interfaces, "Node") {
			return ft.Name
		}
	}
	return ""
}

// idName is the name an ID of an argument or input field called name is
// looked up by (see id): an id names the mutation's target.
func (g *corpusGen) idName(name string) string {
	if name == "id" && g.target != "" {
		return g.target
	}
	return name
}

// selection returns a selection set on t, nesting object fields depth more
// levels; it is empty for a scalar or enum.
func (g *corpusGen) selection(t *ast.Definition, depth int) string {
	if t == nil {
		return ""
	}
	switch t.Kind {
	case ast.Scalar, ast.Enum:
		return ""
	case ast.Union:
		var parts []string
		for _, name := range t.Types {
			if s := g.selection(g.schema.Types[name], 0); s != "" {
				parts = append(parts, "... on "+name+" "+s)
			}
		}
		return "{ __typename " + strings.Join(parts, " ") + " }"
	}
	var parts []string
	objects := 0
	for _, f := range sortedFields(t) {
		if hasRequiredArgs(f) || strings.HasPrefix(f.Name, "__") {
			continue
		}
		ft := g.schema.Types[f.Type.Name()]
		if ft == nil {
			continue
		}
		if ft.Kind == ast.Scalar || ft.Kind == ast.Enum {
			parts = append(parts, f.Name)
			continue
		}
		if depth == 0 || objects >= 4 {
			continue
		}
		objects++
		args := ""
		if f.Arguments.ForName("first") != nil {
			args = "(first: 2)"
		}
		parts = append(parts, f.Name+args+" "+g.selection(ft, depth-1))
	}
	if len(parts) == 0 {
		return "{ __typename }"
	}
	return "{ __typename " + strings.Join(parts, " ") + " }"
}

// normal returns a plausible literal of type t for the argument or input
// field name.
func (g *corpusGen) normal(name string, t *ast.Type, depth int) string {
	if t.Elem != nil {
		return "[" + g.normal(name, t.Elem, depth) + "]"
	}
	def := g.schema.Types[t.NamedType]
	switch {
	case def == nil:
		return "null"
	case def.Kind == ast.Enum:
		return def.EnumValues[0].Name
	case def.Kind == ast.InputObject:
		var fields []string
		for _, f := range sortedFields(def) {
			if f.Type.NonNull && f.DefaultValue == nil && depth < 4 {
				fields = append(fields, f.Name+": "+g.normal(f.Name, f.Type, depth+1))
			}
		}
		return "{" + strings.Join(fields, ", ") + "}"
	}
	switch t.NamedType {
	case "Int":
		return "1"
	case "Float":
		return "1.5"
	case "Boolean":
		return "true"
	case "Time":
		return `"2026-06-30T00:00:00Z"`
	case "Map":
		return `{a: 1}`
	case "Cursor":
		return `"gaFp2SJ2bmRfMDFqMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwIg"`
	case "ID":
		return g.id(g.idName(name))
	case "String":
		return `"x"`
	}
	return `"x"`
}

// oddValues are the hostile literals of each scalar.
var oddValues = map[string][]string{
	"Int":     {"0", "-1", "2147483647", "-2147483649", "99999999999", "9223372036854775808", "1.5", `"1"`},
	"Float":   {"1e308", "-0.0", "1e999", `"NaN"`},
	"Boolean": {"false", "0", `"true"`},
	"String": {`""`, `"' OR 1=1 --"`, `"` + strings.Repeat("a", 3000) + `"`, `"\u0000"`, `"%s%n%x"`, `"😀\ud800"`,
		`"Robert'); DROP TABLE vendors;--"`, `"\\"`},
	"ID":     {`""`, `"x"`, `"0"`, "9223372036854775808", `"vnd_"`, `"vnd_zzzzzzzzzzzzzzzzzzzzzzzzzz"`, `"BE"`, `"../../etc"`},
	"Cursor": {`"abc"`, `""`, "9223372036854775808", `"gaFp"`, `"////"`, "1e999", `"gaFp2SJ2bmRf"`},
	"Time":   {`"0000-01-01T00:00:00Z"`, `"9999-12-31T23:59:59Z"`, `"not a time"`, "1", `"2026-02-30T00:00:00Z"`},
	"Map":    {`{}`, `{a: {b: {c: [1, [2, [3]]]}}}`, `"x"`},
}

// odd returns a few hostile literals of type t (null where it is
// required), rotating through the
// scalar's list so that the corpus holds every one somewhere without
// multiplying.
func (g *corpusGen) odd(t *ast.Type) []string {
	var out []string
	if t.NonNull {
		out = append(out, "null")
	}
	if t.Elem != nil {
		out = append(out, "[]")
		for _, v := range g.odd(t.Elem) {
			if v != "null" {
				out = append(out, "["+v+"]")
				break
			}
		}
		return out
	}
	def := g.schema.Types[t.NamedType]
	if def == nil {
		return out
	}
	switch def.Kind {
	case ast.Enum:
		return append(out, "NOT_A_VALUE", `"`+def.EnumValues[0].Name+`"`)
	case ast.InputObject:
		out = append(out, "{}")
		if g.depth > 1 {
			return out
		}
		g.depth++
		defer func() { g.depth-- }()
		if def.Fields.ForName("not") != nil {
			out = append(out, "{and: [{}, {not: {}}]}", strings.Repeat("{not: ", 20)+"{}"+strings.Repeat("}", 20))
		}
		// A few of its fields set to an odd value each, the required ones
		// kept plausible.
		fields := sortedFields(def)
		for i := 0; i < 2 && len(fields) > 0; i++ {
			f := fields[(g.n+i*7)%len(fields)]
			vals := g.odd(f.Type)
			v := vals[(g.n+i)%len(vals)]
			var parts []string
			for _, rf := range fields {
				switch {
				case rf == f:
					parts = append(parts, rf.Name+": "+v)
				case rf.Type.NonNull && rf.DefaultValue == nil:
					parts = append(parts, rf.Name+": "+g.normal(rf.Name, rf.Type, 1))
				}
			}
			out = append(out, "{"+strings.Join(parts, ", ")+"}")
		}
		g.n++
		return out
	}
	vals := oddValues[t.NamedType]
	for i := 0; i < 2 && len(vals) > 0; i++ {
		out = append(out, vals[(g.n+i)%len(vals)])
	}
	g.n++
	return out
}

// id returns the ID of an existing object for an argument or field name:
// a type name (Vendor), or a reference to one (exporterOrganizationID,
// categoryIDs); a well-formed ID of nothing when none fits.
func (g *corpusGen) id(name string) string {
	key := strings.ToLower(name)
	key = strings.TrimSuffix(strings.TrimSuffix(key, "ids"), "id")
	if id, ok := g.ids[key]; ok {
		return `"` + id + `"`
	}
	var types []string
	for typ := range g.ids {
		types = append(types, typ)
	}
	sort.Strings(types)
	for _, typ := range types {
		if key != "" && (strings.HasSuffix(key, typ) || strings.HasSuffix(typ, key)) {
			return `"` + g.ids[typ] + `"`
		}
	}
	return `"vnd_01j00000000000000000000000"`
}

// argList writes the arguments args (name to literal) in the definitions'
// order.
func argList(defs ast.ArgumentDefinitionList, args map[string]string) string {
	var parts []string
	for _, d := range defs {
		if v, ok := args[d.Name]; ok {
			parts = append(parts, d.Name+": "+v)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

func hasRequiredArgs(f *ast.FieldDefinition) bool {
	for _, a := range f.Arguments {
		if a.Type.NonNull && a.DefaultValue == nil {
			return true
		}
	}
	return false
}

// sortedFields returns a definition's fields by name, for a corpus that is
// the same from run to run.
func sortedFields(d *ast.Definition) []*ast.FieldDefinition {
	out := append([]*ast.FieldDefinition(nil), d.Fields...)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
