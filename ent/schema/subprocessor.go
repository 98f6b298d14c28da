package schema

import (
	"time"

	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"

	"github.com/privhub/privhub/internal/pulid"
)

// SubprocessorChange is a processor's notice that it added, replaced or
// removed a subprocessor (GDPR Art. 28(2), SCC Clause 9), and what came of it.
type SubprocessorChange struct {
	ent.Schema
}

// Mixin of SubprocessorChange.
func (SubprocessorChange) Mixin() []ent.Mixin { return mixins("spc") }

// Fields of SubprocessorChange.
func (SubprocessorChange) Fields() []ent.Field {
	return []ent.Field{
		field.String("processor_id").GoType(pulid.ID("")),
		field.String("subprocessor_id").GoType(pulid.ID("")),
		field.Enum("kind").NamedValues(named("ADDED", "REPLACED", "REMOVED")...),
		field.Time("notified_at").Default(time.Now).Annotations(orderBy("NOTIFIED_AT")),
		field.Time("engaged_at").Optional().Nillable().Annotations(orderBy("ENGAGED_AT")),
		field.Time("objection_deadline").Optional().Nillable(),
		field.Text("objection").Optional().Comment("our objection, if we raised one"),
		field.Time("objected_at").Optional().Nillable(),
		field.Enum("outcome").NamedValues(named("PENDING", "ACCEPTED", "WITHDRAWN", "UPHELD", "REJECTED")...).
			Optional().Nillable(),
	}
}

// Edges of SubprocessorChange.
func (SubprocessorChange) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("processor", Vendor.Type).Ref("subprocessor_changes").Field("processor_id").Unique().Required(),
		edge.From("subprocessor", Vendor.Type).Ref("subprocessor_notices").Field("subprocessor_id").Unique().Required(),
	}
}

// Annotations of SubprocessorChange.
func (SubprocessorChange) Annotations() []schema.Annotation { return node() }
