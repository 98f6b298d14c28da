package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/privhub/privhub/internal/pulid"
)

// DataRecord is the fact that a holder collected one category of one user's
// data: from where, for which purposes, when, and whether a legal hold keeps
// it from deletion. Exactly one of the two collector references is set.
type DataRecord struct {
	ent.Schema
}

// Mixin of DataRecord.
func (DataRecord) Mixin() []ent.Mixin { return mixins("rec") }

// Fields of DataRecord.
func (DataRecord) Fields() []ent.Field {
	return []ent.Field{
		field.String("user_id").GoType(pulid.ID("")),
		field.String("category_id").GoType(pulid.ID("")),
		field.String("collector_organization_id").GoType(pulid.ID("")).Optional().Nillable(),
		field.String("collector_vendor_id").GoType(pulid.ID("")).Optional().Nillable(),
		field.Enum("source").NamedValues(named("PROVIDED", "OBSERVED", "COOKIE", "LOG", "DEVICE", "DIAGNOSTIC", "DERIVED")...).
			Annotations(orderBy("SOURCE")),
		field.Time("collected_at").Default(time.Now).Annotations(orderBy("COLLECTED_AT")),
		field.Time("last_used_at").Optional().Nillable().Annotations(orderBy("LAST_USED_AT")),
		field.Text("value").Optional().Nillable().Sensitive().Annotations(entgql.Skip(entgql.SkipWhereInput, entgql.SkipOrderField)).
			Comment("the value itself, when privhub keeps it"),
		field.Bool("legal_hold").Default(false),
		field.Time("anonymized_at").Optional().Nillable().Annotations(noInput()).
			Comment("when the value was removed and the record stopped being personal data (retention or erasure)"),
	}
}

// Edges of DataRecord.
func (DataRecord) Edges() []ent.Edge {
	hidden := entgql.Skip(entgql.SkipType)
	return []ent.Edge{
		edge.From("user", User.Type).Ref("data_records").Field("user_id").Unique().Required(),
		edge.From("category", DataCategory.Type).Ref("data_records").Field("category_id").Unique().Required(),
		edge.From("collector_organization", Organization.Type).Ref("data_records").
			Field("collector_organization_id").Unique().Annotations(hidden),
		edge.From("collector_vendor", Vendor.Type).Ref("data_records").
			Field("collector_vendor_id").Unique().Annotations(hidden),
		edge.To("purposes", Purpose.Type),
	}
}

// Indexes of DataRecord.
func (DataRecord) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("user_id", "category_id"), index.Fields("category_id"),
		index.Fields("collector_organization_id"), index.Fields("collector_vendor_id"),
	}
}

// Annotations of DataRecord.
func (DataRecord) Annotations() []schema.Annotation { return node() }
