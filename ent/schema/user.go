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

// User is a data subject: a customer, prospect, event registrant, trainee, job
// applicant, website visitor or partner contact.
type User struct {
	ent.Schema
}

// Mixin of User.
func (User) Mixin() []ent.Mixin { return mixins("usr") }

// Fields of User.
func (User) Fields() []ent.Field {
	return []ent.Field{
		field.String("external_ref").NotEmpty().Unique().Comment("the account id in our own systems").
			Annotations(orderBy("EXTERNAL_REF"), entgql.Skip(entgql.SkipType)), // typed by hand: nullable, for redaction
		field.String("email").Optional().Annotations(orderBy("EMAIL")),
		field.String("name").Optional().Annotations(orderBy("NAME")),
		field.String("country_id").GoType(pulid.ID("")).Optional().Nillable().Annotations(orderBy("COUNTRY")),
		field.Enum("subject_kind").GoType(vocab.SubjectKind("")).Annotations(entgql.Type("SubjectKind")).Annotations(orderBy("SUBJECT_KIND")),
		field.Enum("status").NamedValues(named("ACTIVE", "ERASED", "ANONYMIZED")...).Default("ACTIVE").
			Annotations(orderBy("STATUS")),
	}
}

// Edges of User.
func (User) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("country", Country.Type).Ref("users").Field("country_id").Unique(),
		edge.To("data_records", DataRecord.Type).Annotations(restrict(), entgql.RelayConnection()),
		edge.To("consents", Consent.Type).Annotations(restrict(), entgql.RelayConnection()),
		edge.To("requests", Request.Type).Annotations(restrict(), entgql.RelayConnection()),
		edge.From("disclosures", Disclosure.Type).Ref("users").Annotations(entgql.RelayConnection()),
	}
}

// Indexes of User.
func (User) Indexes() []ent.Index {
	return []ent.Index{index.Fields("email")}
}

// Annotations of User.
func (User) Annotations() []schema.Annotation { return node() }
