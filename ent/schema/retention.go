package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"

	"github.com/privhub/privhub/internal/pulid"
)

// RetentionRule says how long a category is kept for a purpose (or for any
// purpose), from which trigger, and what happens then. A rule that overrides
// erasure keeps data a law obliges us to keep (Art. 17(3)(b)).
type RetentionRule struct {
	ent.Schema
}

// Mixin of RetentionRule.
func (RetentionRule) Mixin() []ent.Mixin { return mixins("ret") }

// Fields of RetentionRule.
func (RetentionRule) Fields() []ent.Field {
	return []ent.Field{
		field.String("category_id").GoType(pulid.ID("")),
		field.String("purpose_id").GoType(pulid.ID("")).Optional().Nillable(),
		field.String("period").Validate(validPeriod).Comment("ISO 8601 period, e.g. P7Y or P2M"),
		field.Enum("trigger").NamedValues(named("COLLECTION", "LAST_USE", "ACCOUNT_CLOSURE", "FISCAL_YEAR_END", "OPT_OUT", "EVENT_END")...),
		field.Enum("action").NamedValues(named("DELETE", "ANONYMIZE")...).Default("DELETE"),
		field.Text("legal_basis").Optional().Comment("why this period, e.g. the tax law that imposes it"),
		field.Bool("overrides_erasure").Default(false),
	}
}

// Edges of RetentionRule.
func (RetentionRule) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("category", DataCategory.Type).Ref("retention_rules").Field("category_id").Unique().Required(),
		edge.From("purpose", Purpose.Type).Ref("retention_rules").Field("purpose_id").Unique(),
	}
}

// Annotations of RetentionRule.
func (RetentionRule) Annotations() []schema.Annotation { return node() }
