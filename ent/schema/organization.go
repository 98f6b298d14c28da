package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"

	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/vocab"
)

// Organization is one of our own legal entities: the controller or one of its
// subsidiaries.
type Organization struct {
	ent.Schema
}

// Mixin of Organization.
func (Organization) Mixin() []ent.Mixin { return mixins("org") }

// Fields of Organization.
func (Organization) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().Unique().Annotations(orderBy("NAME")),
		field.String("legal_name").Optional(),
		field.String("country_id").GoType(pulid.ID("")).Annotations(orderBy("COUNTRY")),
		field.String("parent_id").GoType(pulid.ID("")).Optional().Nillable(),
		field.String("dpo_contact").Optional().Comment("how to reach the data protection officer"),
		field.String("representative_contact").Optional().Comment("Art. 27 representative, where one is needed"),
		field.String("lead_supervisory_authority").Optional(),
		field.JSON("dpf_frameworks", []vocab.DPFFramework{}).Optional().
			Annotations(entgql.Type("[DPFFramework!]")).
			Comment("Data Privacy Framework programmes the organisation self-certified to (a US subsidiary)"),
		field.Time("dpf_active_from").Optional().Nillable(),
		field.Time("dpf_active_until").Optional().Nillable(),
	}
}

// Edges of Organization.
func (Organization) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("country", Country.Type).Ref("organizations").Field("country_id").Unique().Required(),
		edge.To("subsidiaries", Organization.Type).Annotations(restrict()).
			From("parent").Field("parent_id").Unique(),
		edge.To("exported_transfers", Transfer.Type).Annotations(restrict(), entgql.RelayConnection()),
		edge.To("imported_transfers", Transfer.Type).Annotations(restrict(), entgql.RelayConnection()),
		edge.To("contract_parties", ContractParty.Type).Annotations(restrict()),
		edge.To("data_records", DataRecord.Type).Annotations(restrict(), entgql.RelayConnection()),
		edge.To("request_tasks", RequestTask.Type).Annotations(restrict()),
		edge.From("security_measures", SecurityMeasure.Type).Ref("organizations"),
	}
}

// Annotations of Organization.
func (Organization) Annotations() []schema.Annotation {
	return node(entgql.Implements("Holder"))
}
