package schema

import (
	"time"

	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"

	"github.com/privhub/privhub/internal/pulid"
)

// SubprocessorObjection is a controller's objection to one of our
// subprocessor announcements, received in its notice window (SCC Clause
// 9(a) Option 2), and what came of it.
type SubprocessorObjection struct {
	ent.Schema
}

// Mixin of SubprocessorObjection.
func (SubprocessorObjection) Mixin() []ent.Mixin { return mixins("sbo") }

// Fields of SubprocessorObjection.
func (SubprocessorObjection) Fields() []ent.Field {
	return []ent.Field{
		field.String("announcement_id").GoType(pulid.ID("")).Immutable(),
		field.String("contract_party_id").GoType(pulid.ID("")).Immutable().
			Comment("the controller that objects: its party to the contract it was informed under"),
		field.Time("received_at").Default(time.Now).Immutable(),
		field.Text("text").NotEmpty().Immutable().Comment("the objection, as received"),
		field.Enum("outcome").NamedValues(named("PENDING", "WITHDRAWN", "UPHELD", "REJECTED")...).Default("PENDING"),
		field.Time("decided_at").Optional().Nillable(),
	}
}

// Edges of SubprocessorObjection.
func (SubprocessorObjection) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("announcement", SubprocessorAnnouncement.Type).Ref("objections").Field("announcement_id").Unique().Required().Immutable(),
		edge.To("party", ContractParty.Type).Field("contract_party_id").Unique().Required().Immutable().Annotations(restrict()),
	}
}

// Annotations of SubprocessorObjection: written by
// recordSubprocessorObjection only.
func (SubprocessorObjection) Annotations() []schema.Annotation { return nil }
