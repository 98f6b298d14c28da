//go:build ignore

// entc generates the ent client, the entgql integration and schema/ent.graphql
// from ent/schema. It runs from the module root (see generate.go).
package main

import (
	"log"
	"strings"

	"entgo.io/contrib/entgql"
	"entgo.io/ent/entc"
	"entgo.io/ent/entc/gen"
	"github.com/vektah/gqlparser/v2/ast"
)

func main() {
	// entgql's own templates, but for mutation inputs, whose fixed copy lives
	// in ent/template (see the comment at its top).
	mutationInput := gen.MustParse(gen.NewTemplate("gql_mutation_input").
		Funcs(entgql.TemplateFuncs).ParseFiles("ent/template/gql_mutation_input.tmpl"))
	// And for pagination and field collection, whose copies load the nodes
	// of a connection when only its pageInfo is selected.
	pagination := gen.MustParse(gen.NewTemplate("gql_pagination").
		Funcs(entgql.TemplateFuncs).ParseFiles("ent/template/gql_pagination.tmpl"))
	collection := gen.MustParse(gen.NewTemplate("gql_collection").
		Funcs(entgql.TemplateFuncs).ParseFiles("ent/template/gql_collection.tmpl"))
	ex, err := entgql.NewExtension(
		entgql.WithTemplates(collection, entgql.EnumTemplate, entgql.NodeTemplate,
			pagination, entgql.TransactionTemplate, entgql.EdgeTemplate, mutationInput),
		entgql.WithSchemaGenerator(),
		entgql.WithSchemaPath("schema/ent.graphql"),
		entgql.WithConfigPath("gqlgen.yml"),
		entgql.WithWhereInputs(true),
		entgql.WithRelaySpec(true),
		entgql.WithNodeDescriptor(false),
		entgql.WithSchemaHook(nonNullEdges, nodeDescriptions, mutationConvention),
	)
	if err != nil {
		log.Fatalf("creating entgql extension: %v", err)
	}
	templates := []*gen.Template{gen.MustParse(
		gen.NewTemplate("prefix").ParseFiles("ent/template/prefix.tmpl"))}
	err = entc.Generate("./ent/schema", &gen.Config{
		Target:    "ent",
		Package:   "github.com/privhub/privhub/ent",
		Templates: templates,
		Features: []gen.Feature{
			gen.FeatureVersionedMigration,
			gen.FeatureUpsert,
			gen.FeatureIntercept,
			gen.FeatureExecQuery,
		},
	}, entc.Extensions(ex))
	if err != nil {
		log.Fatalf("running ent codegen: %v", err)
	}
}

// nonNullEdges makes the edges of every generated connection non-null
// ([VendorEdge!]!) and the node of every edge non-null (Vendor!), as a Relay
// client expects and as the hand-written connections declare: a page never
// holds a missing element.
func nonNullEdges(_ *gen.Graph, s *ast.Schema) error {
	for name, def := range s.Types {
		switch {
		case strings.HasSuffix(name, "Connection"):
			if f := def.Fields.ForName("edges"); f != nil && f.Type.Elem != nil {
				f.Type = ast.NonNullListType(ast.NonNullNamedType(f.Type.Elem.Name(), nil), nil)
			}
		case strings.HasSuffix(name, "Edge"):
			if f := def.Fields.ForName("node"); f != nil && f.Type.Elem == nil {
				f.Type = ast.NonNullNamedType(f.Type.Name(), nil)
			}
		}
	}
	return nil
}

// nodeDescriptions documents how node and nodes answer an ID they cannot
// give: as Relay expects, with null and no error.
func nodeDescriptions(_ *gen.Graph, s *ast.Schema) error {
	q := s.Types["Query"]
	if q == nil {
		return nil
	}
	if f := q.Fields.ForName("node"); f != nil {
		f.Description = "Fetches an object given its global ID. An ID that is malformed, names nothing, " +
			"or names an object the caller may not see answers null, with no error: the three cannot be told apart."
	}
	if f := q.Fields.ForName("nodes"); f != nil {
		f.Description = "Fetches objects given their global IDs, in the order given (at most 500). Each ID that " +
			"is malformed, names nothing, or names an object the caller may not see answers null at its position, with no error."
	}
	return nil
}

// mutationConvention makes the generated create and update inputs follow
// privhub's mutation convention (documented on the Mutation type in
// schema/privhub.graphql): updateVendor(input: UpdateVendorInput!) takes the
// vendor's id inside its input, and every input carries an optional
// clientMutationId that the payload echoes. The fields of the Go structs
// come from ent/template/gql_mutation_input.tmpl.
func mutationConvention(g *gen.Graph, s *ast.Schema) error {
	cmid := &ast.FieldDefinition{
		Name:        "clientMutationId",
		Description: "Any value the client chooses to identify this mutation; the payload echoes it unchanged (Relay).",
		Type:        ast.NamedType("String", nil),
	}
	for _, n := range g.Nodes {
		if def := s.Types["Create"+n.Name+"Input"]; def != nil && def.Kind == ast.InputObject {
			def.Fields = append(def.Fields, cmid)
		}
		if def := s.Types["Update"+n.Name+"Input"]; def != nil && def.Kind == ast.InputObject {
			id := &ast.FieldDefinition{
				Name:        "id",
				Description: "The ID of the " + n.Name + " to update.",
				Type:        ast.NonNullNamedType("ID", nil),
			}
			def.Fields = append(append(ast.FieldList{id}, def.Fields...), cmid)
		}
	}
	return nil
}
