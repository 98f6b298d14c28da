package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/privhub/privhub/internal/pulid"
)

// InformedParty is the proof that one controller was told of a subprocessor
// announcement: the controller's party to one controller-facing contract of
// the announcing organisation, when and how it was informed, and the notice
// period that contract gave it, so that "was the controller informed 30
// days before" is a query.
type InformedParty struct {
	ent.Schema
}

// Mixin of InformedParty.
func (InformedParty) Mixin() []ent.Mixin { return mixins("inf") }

// Fields of InformedParty.
func (InformedParty) Fields() []ent.Field {
	return []ent.Field{
		field.String("announcement_id").GoType(pulid.ID("")).Immutable(),
		field.String("contract_id").GoType(pulid.ID("")).Immutable().
			Comment("the contract under which the controller is owed notice"),
		field.String("contract_party_id").GoType(pulid.ID("")).Immutable().
			Comment("the controller's party to that contract"),
		field.Time("informed_at").Immutable(),
		field.Enum("channel").NamedValues(named("EMAIL", "PORTAL", "POST", "WEBHOOK", "OTHER")...).Default("EMAIL").Immutable(),
		field.Int("notice_days").NonNegative().Immutable().
			Comment("the notice period the contract set when the change was announced (SCC Clause 9(a) Option 2, or the DPA's own clause)"),
		field.Bool("in_time").Immutable().
			Comment("whether the change takes effect no earlier than the notice period runs out for this controller (law.NoticeGiven when it was announced; every input is immutable)"),
	}
}

// Edges of InformedParty.
func (InformedParty) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("announcement", SubprocessorAnnouncement.Type).Ref("informed").Field("announcement_id").Unique().Required().Immutable(),
		edge.To("contract", Contract.Type).Field("contract_id").Unique().Required().Immutable().Annotations(restrict()),
		edge.To("party", ContractParty.Type).Field("contract_party_id").Unique().Required().Immutable().Annotations(restrict()),
	}
}

// Indexes of InformedParty: one row per announcement and contract party.
func (InformedParty) Indexes() []ent.Index {
	return []ent.Index{index.Fields("announcement_id", "contract_party_id").Unique()}
}

// Annotations of InformedParty: written with its announcement only.
func (InformedParty) Annotations() []schema.Annotation { return nil }
