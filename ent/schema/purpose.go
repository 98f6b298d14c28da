package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"

	"github.com/privhub/privhub/internal/vocab"
)

// Purpose is a processing activity and why it happens: its legal basis under
// GDPR Art. 6(1), whose data it uses and how long it keeps it.
type Purpose struct {
	ent.Schema
}

// Mixin of Purpose.
func (Purpose) Mixin() []ent.Mixin { return mixins("pur") }

// Fields of Purpose.
func (Purpose) Fields() []ent.Field {
	return []ent.Field{
		field.String("key").Unique().Validate(matching(purposeKey, "a lower-case key such as marketing")).Annotations(orderBy("KEY")),
		field.String("name").NotEmpty().Annotations(orderBy("NAME")),
		field.Enum("legal_basis").NamedValues(named(
			"CONSENT", "CONTRACT", "LEGAL_OBLIGATION", "VITAL_INTERESTS", "PUBLIC_TASK", "LEGITIMATE_INTERESTS")...).
			Comment("Art. 6(1)(a)-(f)").Annotations(orderBy("LEGAL_BASIS")),
		field.Text("legal_basis_note").Optional().Comment("nuances, e.g. 'consent for sponsors, contract for the organiser'"),
		field.JSON("subject_kinds", []vocab.SubjectKind{}).Optional().Annotations(entgql.Type("[SubjectKind!]")),
		field.Bool("opt_out_allowed").Default(false),
		field.Bool("marketing").Default(false).Comment("direct marketing: an objection always stops it (Art. 21(3))"),
		field.Text("retention_summary").Optional(),
		field.Text("description").Optional(),
	}
}

// Edges of Purpose.
func (Purpose) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("categories", DataCategory.Type),
		edge.From("transfers", Transfer.Type).Ref("purposes").Annotations(entgql.RelayConnection()),
		edge.From("data_records", DataRecord.Type).Ref("purposes").Annotations(entgql.RelayConnection()),
		edge.To("consents", Consent.Type).Annotations(restrict(), entgql.RelayConnection()),
		edge.To("retention_rules", RetentionRule.Type).Annotations(restrict()),
		edge.From("subprocessor_announcements", SubprocessorAnnouncement.Type).Ref("purposes").
			Annotations(entgql.Skip(entgql.SkipAll)).Comment("our announcements naming this purpose"),
	}
}

// Annotations of Purpose.
func (Purpose) Annotations() []schema.Annotation { return node() }
