package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/privhub/privhub/internal/pulid"
)

// Clause is one clause of a contract that transfers rely on, e.g. "Clause 9(a)
// Option 2" with its notice period as a parameter.
type Clause struct {
	ent.Schema
}

// Mixin of Clause.
func (Clause) Mixin() []ent.Mixin { return mixins("cls") }

// Fields of Clause.
func (Clause) Fields() []ent.Field {
	return []ent.Field{
		field.String("contract_id").GoType(pulid.ID("")),
		field.String("reference").NotEmpty().Annotations(orderBy("REFERENCE")),
		field.String("topic").Optional(),
		field.JSON("parameters", map[string]any{}).Optional().Annotations(entgql.Type("Map")),
	}
}

// Edges of Clause.
func (Clause) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("contract", Contract.Type).Ref("clauses").Field("contract_id").Unique().Required(),
		edge.From("transfers", Transfer.Type).Ref("clauses"),
	}
}

// Indexes of Clause.
func (Clause) Indexes() []ent.Index {
	return []ent.Index{index.Fields("contract_id", "reference").Unique()}
}

// Annotations of Clause.
func (Clause) Annotations() []schema.Annotation { return node() }
