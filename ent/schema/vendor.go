package schema

import (
	"net/url"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/vocab"
)

// Vendor is any third party that may receive personal data: processors,
// subprocessors, event organisers, sponsors and certified partners.
type Vendor struct {
	ent.Schema
}

// Mixin of Vendor.
func (Vendor) Mixin() []ent.Mixin { return mixins("vnd") }

// Fields of Vendor.
func (Vendor) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().Unique().Annotations(orderBy("NAME")),
		field.String("legal_name").Optional(),
		field.String("country_id").GoType(pulid.ID("")).Annotations(orderBy("COUNTRY")),
		field.String("parent_id").GoType(pulid.ID("")).Optional().Nillable().
			Comment("the vendor's parent company, when it is also on record"),
		field.JSON("services", []vocab.Service{}).Optional().
			Annotations(entgql.Type("[VendorService!]")),
		field.Enum("status").NamedValues(named("PROPOSED", "ACTIVE", "SUSPENDED", "OFFBOARDED")...).
			Default("ACTIVE").Annotations(orderBy("STATUS")),
		field.Enum("risk_tier").NamedValues(named("HIGH", "MEDIUM", "LOW")...).
			Default("MEDIUM"),
		field.Int("risk_rank").Default(2).
			Comment("the risk tier as a number (HIGH 1, MEDIUM 2, LOW 3), kept in step by a write rule, so that ordering by risk sorts by risk and not by name").
			Annotations(orderBy("RISK_TIER"), entgql.Skip(entgql.SkipType, entgql.SkipWhereInput, entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		field.Int("review_cadence_months").Positive().Optional().
			Comment("months between reviews; when left out, 12 for HIGH, 24 for MEDIUM and 36 for LOW risk"),
		field.Strings("certifications").Optional().Comment("e.g. ISO/IEC 27001, SOC 2 Type II"),
		field.String("website").Optional().Validate(validURL),
		field.JSON("dpf_frameworks", []vocab.DPFFramework{}).Optional().
			Annotations(entgql.Type("[DPFFramework!]")).
			Comment("Data Privacy Framework programmes the vendor self-certified to"),
		field.Time("dpf_active_from").Optional().Nillable(),
		field.Time("dpf_active_until").Optional().Nillable(),
		field.Time("dpf_last_verified").Optional().Nillable(),
	}
}

// Edges of Vendor.
func (Vendor) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("country", Country.Type).Ref("vendors").Field("country_id").Unique().Required(),
		edge.To("subsidiaries", Vendor.Type).Annotations(restrict()).
			From("parent").Field("parent_id").Unique(),
		edge.To("exported_transfers", Transfer.Type).Annotations(restrict(), entgql.RelayConnection()),
		edge.To("imported_transfers", Transfer.Type).Annotations(restrict(), entgql.RelayConnection()),
		edge.To("contract_parties", ContractParty.Type).Annotations(restrict()),
		edge.To("data_records", DataRecord.Type).Annotations(restrict(), entgql.RelayConnection()),
		edge.To("request_tasks", RequestTask.Type).Annotations(restrict()),
		edge.To("subprocessor_changes", SubprocessorChange.Type).Annotations(restrict()).
			Comment("notices this vendor gave as a processor"),
		edge.To("subprocessor_notices", SubprocessorChange.Type).Annotations(restrict()).
			Comment("notices naming this vendor as the subprocessor"),
		edge.To("assessments", Assessment.Type).Annotations(restrict()),
		edge.To("consents", Consent.Type).Annotations(restrict()).Comment("choices that name this vendor as recipient"),
		edge.From("security_measures", SecurityMeasure.Type).Ref("vendors"),
	}
}

// Indexes of Vendor.
func (Vendor) Indexes() []ent.Index {
	return []ent.Index{index.Fields("country_id"), index.Fields("status", "risk_rank")}
}

// Annotations of Vendor.
func (Vendor) Annotations() []schema.Annotation {
	return node(entgql.Implements("Holder"))
}

func validURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return errInvalid("must be an http(s) URL")
	}
	return nil
}
