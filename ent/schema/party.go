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

// ContractParty is one holder's place in a contract: which side it signs on,
// in which capacity, and when it acceded (SCC Clause 7 docking).
type ContractParty struct {
	ent.Schema
}

// Mixin of ContractParty.
func (ContractParty) Mixin() []ent.Mixin { return mixins("cpt") }

// Fields of ContractParty.
func (ContractParty) Fields() []ent.Field {
	return []ent.Field{
		field.String("contract_id").GoType(pulid.ID("")),
		field.String("organization_id").GoType(pulid.ID("")).Optional().Nillable(),
		field.String("vendor_id").GoType(pulid.ID("")).Optional().Nillable(),
		field.Enum("side").NamedValues(named("EXPORTER", "IMPORTER", "PARTY")...).Default("PARTY").
			Comment("data exporter or importer under transfer clauses; PARTY otherwise"),
		field.Enum("capacity").GoType(vocab.ProcessingRole("")).Annotations(entgql.Type("ProcessingRole")),
		field.Time("accession_date").Optional().Nillable().Comment("when a party docked later (SCC Clause 7)"),
	}
}

// Edges of ContractParty.
func (ContractParty) Edges() []ent.Edge {
	hidden := entgql.Skip(entgql.SkipType)
	return []ent.Edge{
		edge.From("contract", Contract.Type).Ref("parties").Field("contract_id").Unique().Required(),
		edge.From("organization", Organization.Type).Ref("contract_parties").Field("organization_id").Unique().Annotations(hidden),
		edge.From("vendor", Vendor.Type).Ref("contract_parties").Field("vendor_id").Unique().Annotations(hidden),
	}
}

// Indexes of ContractParty.
func (ContractParty) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("contract_id"),
		index.Fields("organization_id"), index.Fields("vendor_id"),
	}
}

// Annotations of ContractParty.
func (ContractParty) Annotations() []schema.Annotation { return node() }
