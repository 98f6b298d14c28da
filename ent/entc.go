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
	ex, err := entgql.NewExtension(
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
	templates := append(entgql.AllTemplates, gen.MustParse(
		gen.NewTemplate("prefix").ParseFiles("ent/template/prefix.tmpl")))
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
