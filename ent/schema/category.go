package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"

	"github.com/privhub/privhub/internal/pulid"
)

// DataCategory is a node of the personal-data taxonomy, e.g. contact.email or
// event.accessibility. Keys are dotted lower-case paths; a transfer that
// carries a category carries its descendants too.
type DataCategory struct {
	ent.Schema
}

// Mixin of DataCategory.
func (DataCategory) Mixin() []ent.Mixin { return mixins("cat") }

// Fields of DataCategory.
func (DataCategory) Fields() []ent.Field {
	return []ent.Field{
		field.String("key").Unique().Validate(matching(categoryKey, "a dotted lower-case path such as contact.email")).Annotations(orderBy("KEY")),
		field.String("name").NotEmpty().Annotations(orderBy("NAME")),
		field.String("parent_id").GoType(pulid.ID("")).Optional().Nillable(),
		field.Enum("sensitivity").NamedValues(named("NORMAL", "SPECIAL", "CRIMINAL")...).Default("NORMAL").
			Comment("SPECIAL for Art. 9 data, CRIMINAL for Art. 10 data").Annotations(orderBy("SENSITIVITY")),
		field.Text("description").Optional(),
	}
}

// Edges of DataCategory.
func (DataCategory) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("children", DataCategory.Type).Annotations(restrict()).
			From("parent").Field("parent_id").Unique(),
		edge.From("purposes", Purpose.Type).Ref("categories"),
		edge.From("transfers", Transfer.Type).Ref("categories").Annotations(entgql.RelayConnection()),
		edge.To("data_records", DataRecord.Type).Annotations(restrict(), entgql.RelayConnection()),
		edge.To("retention_rules", RetentionRule.Type).Annotations(restrict()),
		edge.From("disclosures", Disclosure.Type).Ref("categories"),
		edge.From("subprocessor_announcements", SubprocessorAnnouncement.Type).Ref("categories").
			Annotations(entgql.Skip(entgql.SkipAll)).Comment("our announcements naming this category"),
	}
}

// Annotations of DataCategory.
func (DataCategory) Annotations() []schema.Annotation { return node() }
