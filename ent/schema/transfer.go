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
	"github.com/privhub/privhub/internal/vocab"
)

// Transfer is one flow of personal data from one holder (an Organization or a
// Vendor) to another: us to a processor, a processor to its subprocessor, us
// to a subsidiary abroad, us to a sponsor. Exactly one of the two exporter
// references, and one of the two importer references, is set.
type Transfer struct {
	ent.Schema
}

// Mixin of Transfer.
func (Transfer) Mixin() []ent.Mixin { return mixins("trf") }

// Fields of Transfer.
func (Transfer) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").Optional().Comment("a short label, e.g. 'Support tickets to Lumora India'").
			Annotations(orderBy("NAME")),
		field.String("exporter_organization_id").GoType(pulid.ID("")).Optional().Nillable(),
		field.String("exporter_vendor_id").GoType(pulid.ID("")).Optional().Nillable(),
		field.String("importer_organization_id").GoType(pulid.ID("")).Optional().Nillable(),
		field.String("importer_vendor_id").GoType(pulid.ID("")).Optional().Nillable(),
		field.Enum("importer_role").GoType(vocab.ProcessingRole("")).Annotations(entgql.Type("ProcessingRole")).
			Comment("the importer's role in this flow; one vendor can be a processor in one flow and a controller in another"),
		field.String("country_id").GoType(pulid.ID("")).Annotations(orderBy("COUNTRY")).
			Comment("where the importer processes or accesses the data"),
		field.Enum("regime").GoType(vocab.Regime("")).Annotations(entgql.Type("Regime")).Default(string(vocab.RegimeEU)),
		field.Enum("mechanism").GoType(vocab.Mechanism("")).Annotations(entgql.Type("Mechanism")).Annotations(orderBy("MECHANISM")),
		field.Enum("derogation").NamedValues(named(
			"EXPLICIT_CONSENT", "CONTRACT_WITH_SUBJECT", "CONTRACT_IN_SUBJECT_INTEREST",
			"PUBLIC_INTEREST", "LEGAL_CLAIMS", "VITAL_INTERESTS", "PUBLIC_REGISTER")...).
			Optional().Nillable().Comment("the Art. 49(1) ground, when the mechanism is DEROGATION"),
		field.Enum("fallback_mechanism").GoType(vocab.Mechanism("")).Annotations(entgql.Type("Mechanism")).Optional().Nillable(),
		field.String("contract_id").GoType(pulid.ID("")).Optional().Nillable().Comment("the governing contract"),
		field.JSON("safeguards", []vocab.Safeguard{}).Optional().Annotations(entgql.Type("[Safeguard!]")),
		field.Bool("honours_opt_outs").Default(true).
			Comment("whether a data subject's opt-out or withdrawal stops this flow for them"),
		field.Time("active_from").Default(time.Now).Annotations(orderBy("ACTIVE_FROM")),
		field.Time("active_until").Optional().Nillable(),
		field.Text("description").Optional(),
	}
}

// Edges of Transfer.
func (Transfer) Edges() []ent.Edge {
	hidden := entgql.Skip(entgql.SkipType)
	return []ent.Edge{
		edge.From("exporter_organization", Organization.Type).Ref("exported_transfers").
			Field("exporter_organization_id").Unique().Annotations(hidden),
		edge.From("exporter_vendor", Vendor.Type).Ref("exported_transfers").
			Field("exporter_vendor_id").Unique().Annotations(hidden),
		edge.From("importer_organization", Organization.Type).Ref("imported_transfers").
			Field("importer_organization_id").Unique().Annotations(hidden),
		edge.From("importer_vendor", Vendor.Type).Ref("imported_transfers").
			Field("importer_vendor_id").Unique().Annotations(hidden),
		edge.From("country", Country.Type).Ref("transfers").Field("country_id").Unique().Required(),
		edge.From("contract", Contract.Type).Ref("transfers").Field("contract_id").Unique(),
		edge.To("categories", DataCategory.Type).Required(),
		edge.To("purposes", Purpose.Type),
		edge.To("clauses", Clause.Type).Comment("the clauses of the governing contract this flow relies on"),
		edge.To("disclosures", Disclosure.Type).Annotations(restrict(), entgql.RelayConnection()),
		edge.To("assessments", Assessment.Type).Annotations(restrict()),
		edge.From("security_measures", SecurityMeasure.Type).Ref("transfers"),
	}
}

// Indexes of Transfer.
func (Transfer) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("exporter_organization_id"), index.Fields("exporter_vendor_id"),
		index.Fields("importer_organization_id"), index.Fields("importer_vendor_id"),
		index.Fields("country_id"), index.Fields("contract_id"),
	}
}

// Annotations of Transfer.
func (Transfer) Annotations() []schema.Annotation { return node() }
