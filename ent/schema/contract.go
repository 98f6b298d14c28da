package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"

	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/vocab"
)

// Contract is a signed instrument between holders: a processing agreement
// (DPA), Standard Contractual Clauses and their UK and Swiss counterparts,
// binding corporate rules, a joint-controller arrangement or a master
// agreement. The SCC fields record the choices the clauses leave open.
type Contract struct {
	ent.Schema
}

// Mixin of Contract.
func (Contract) Mixin() []ent.Mixin { return mixins("ctr") }

// Fields of Contract.
func (Contract) Fields() []ent.Field {
	return []ent.Field{
		field.String("title").NotEmpty().Annotations(orderBy("TITLE")),
		field.Enum("kind").NamedValues(named("DPA", "SCC", "BCR", "UK_IDTA", "UK_ADDENDUM", "JCA", "MSA")...).
			Annotations(orderBy("KIND")),
		field.Enum("regime").GoType(vocab.Regime("")).Annotations(entgql.Type("Regime")).Default(string(vocab.RegimeEU)),
		field.Enum("scc_decision").
			NamedValues("Decision2021_914", "DECISION_2021_914", "Decision2010_87", "DECISION_2010_87_EU", "Decision2001_497", "DECISION_2001_497_EC").
			Optional().Nillable().Comment("the Commission decision an SCC is based on; 2010/87/EU and 2001/497/EC are repealed"),
		field.Enum("scc_module").NamedValues(named("C2C", "C2P", "P2P", "P2C")...).Optional().Nillable().
			Comment("SCC module 1 (controller to controller) to 4 (processor to controller)"),
		field.Enum("clause9_option").NamedValues(named("SPECIFIC_AUTHORISATION", "GENERAL_AUTHORISATION")...).
			Optional().Nillable().Comment("SCC Clause 9(a): option 1 (specific) or option 2 (general written authorisation)"),
		field.Int("clause9_notice_days").Optional().Nillable().NonNegative(),
		field.String("clause13_authority").Optional().Comment("the competent supervisory authority under SCC Clause 13"),
		field.String("clause17_law_country_id").GoType(pulid.ID("")).Optional().Nillable().
			Comment("the country whose law governs the clauses (SCC Clause 17)"),
		field.String("clause18_forum_country_id").GoType(pulid.ID("")).Optional().Nillable().
			Comment("the country whose courts settle disputes (SCC Clause 18)"),
		field.JSON("dpa_stipulations", []vocab.Stipulation{}).Optional().Annotations(entgql.Type("[Stipulation!]")).
			Comment("which Art. 28(3)(a)-(h) stipulations a DPA contains"),
		field.Time("signed_at").Optional().Nillable().Annotations(orderBy("SIGNED_AT")),
		field.Time("effective_at").Optional().Nillable().Annotations(orderBy("EFFECTIVE_AT")),
		field.Time("expires_at").Optional().Nillable().Annotations(orderBy("EXPIRES_AT")),
		field.String("document_ref").Optional(),
		field.String("document_sha256").Optional().Validate(matching(sha256Hex, "the lower-case hexadecimal SHA-256 of the document (64 characters)")).Comment("lower-case hex SHA-256 of the signed document"),
	}
}

// Edges of Contract.
func (Contract) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("parties", ContractParty.Type).Annotations(restrict()),
		edge.To("clauses", Clause.Type).Annotations(restrict()),
		edge.To("transfers", Transfer.Type).Annotations(restrict(), entgql.RelayConnection()),
		edge.To("clause17_law_country", Country.Type).Field("clause17_law_country_id").Unique().Annotations(restrict()),
		edge.To("clause18_forum_country", Country.Type).Field("clause18_forum_country_id").Unique().Annotations(restrict()),
	}
}

// Annotations of Contract.
func (Contract) Annotations() []schema.Annotation { return node() }
