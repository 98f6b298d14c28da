//go:build ignore

// entc generates the ent client, the entgql integration and schema/ent.graphql
// from ent/schema. It runs from the module root (see generate.go).
package main

import (
	"log"

	"entgo.io/contrib/entgql"
	"entgo.io/ent/entc"
	"entgo.io/ent/entc/gen"
)

func main() {
	// entgql's own templates, but for mutation inputs, whose fixed copy lives
	// in ent/template (see the comment at its top).
	mutationInput := gen.MustParse(gen.NewTemplate("gql_mutation_input").
		Funcs(entgql.TemplateFuncs).ParseFiles("ent/template/gql_mutation_input.tmpl"))
	ex, err := entgql.NewExtension(
		entgql.WithTemplates(entgql.CollectionTemplate, entgql.EnumTemplate, entgql.NodeTemplate,
			entgql.PaginationTemplate, entgql.TransactionTemplate, entgql.EdgeTemplate, mutationInput),
		entgql.WithSchemaGenerator(),
		entgql.WithSchemaPath("schema/ent.graphql"),
		entgql.WithConfigPath("gqlgen.yml"),
		entgql.WithWhereInputs(true),
		entgql.WithRelaySpec(true),
		entgql.WithNodeDescriptor(false),
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
