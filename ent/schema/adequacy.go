package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/vocab"
)

// AdequacyDecision is one regime's finding that a country protects personal
// data adequately, with the scope it covers and the period it is in force.
type AdequacyDecision struct {
	ent.Schema
}

// Mixin of AdequacyDecision.
func (AdequacyDecision) Mixin() []ent.Mixin { return mixins("adq") }

// Fields of AdequacyDecision.
func (AdequacyDecision) Fields() []ent.Field {
	return []ent.Field{
		field.Enum("regime").GoType(vocab.Regime("")).Annotations(entgql.Type("Regime")).Annotations(orderBy("REGIME")),
		field.String("country_id").GoType(pulid.ID("")).Annotations(orderBy("COUNTRY")),
		field.Enum("scope").NamedValues(named("FULL", "COMMERCIAL_ORGANISATIONS", "DPF_CERTIFIED", "SECTORAL")...),
		field.String("reference").NotEmpty().Comment("the decision or regulation, e.g. Commission Implementing Decision (EU) 2023/1795"),
		field.Time("valid_from").Annotations(orderBy("VALID_FROM")),
		field.Time("valid_until").Optional().Nillable(),
		field.String("note").Optional(),
	}
}

// Edges of AdequacyDecision.
func (AdequacyDecision) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("country", Country.Type).Ref("adequacy_decisions").Field("country_id").Unique().Required(),
	}
}

// Indexes of AdequacyDecision.
func (AdequacyDecision) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("regime", "country_id", "valid_from").Unique(),
	}
}

// Annotations of AdequacyDecision.
func (AdequacyDecision) Annotations() []schema.Annotation { return node() }
