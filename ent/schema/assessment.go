package schema

import (
	"time"

	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"

	"github.com/privhub/privhub/internal/pulid"
)

// Assessment is a dated evaluation of a vendor or a transfer: a vendor review,
// a transfer impact assessment, a DPIA, a security audit or a pentest.
type Assessment struct {
	ent.Schema
}

// Mixin of Assessment.
func (Assessment) Mixin() []ent.Mixin { return mixins("asm") }

// Fields of Assessment.
func (Assessment) Fields() []ent.Field {
	return []ent.Field{
		field.Enum("kind").NamedValues(named("VENDOR_REVIEW", "TIA", "DPIA", "SECURITY_AUDIT", "PENTEST")...).
			Annotations(orderBy("KIND")),
		field.String("vendor_id").GoType(pulid.ID("")).Optional().Nillable(),
		field.String("transfer_id").GoType(pulid.ID("")).Optional().Nillable(),
		field.Time("performed_at").Default(time.Now).Annotations(orderBy("PERFORMED_AT")),
		field.Enum("outcome").NamedValues(named("PASS", "CONDITIONAL", "FAIL")...).Annotations(orderBy("OUTCOME")),
		field.Text("findings").Optional(),
		field.Time("next_due").Optional().Nillable().Annotations(orderBy("NEXT_DUE")),
		field.String("performed_by").Optional(),
	}
}

// Edges of Assessment.
func (Assessment) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("vendor", Vendor.Type).Ref("assessments").Field("vendor_id").Unique(),
		edge.From("transfer", Transfer.Type).Ref("assessments").Field("transfer_id").Unique(),
	}
}

// Annotations of Assessment.
func (Assessment) Annotations() []schema.Annotation { return node() }
