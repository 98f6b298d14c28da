package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"

	"github.com/privhub/privhub/internal/pulid"
)

// APIToken is a bearer token of an operator. Only a hash of the secret is
// kept; the secret is shown once, when the token is made.
type APIToken struct {
	ent.Schema
}

// Mixin of APIToken.
func (APIToken) Mixin() []ent.Mixin { return mixins("tok") }

// Fields of APIToken.
func (APIToken) Fields() []ent.Field {
	return []ent.Field{
		field.String("operator_id").GoType(pulid.ID("")).Immutable(),
		field.String("name").NotEmpty(),
		field.String("hint").Immutable().Comment("the first characters of the secret, to recognise it"),
		field.Bytes("secret_hash").Sensitive().Unique().Immutable().Annotations(entgql.Skip()),
		field.Time("expires_at").Optional().Nillable().Annotations(orderBy("EXPIRES_AT")),
		field.Time("revoked_at").Optional().Nillable(),
		field.Time("last_used_at").Optional().Nillable(),
	}
}

// Edges of APIToken.
func (APIToken) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("operator", Operator.Type).Ref("tokens").Field("operator_id").Unique().Required().Immutable(),
	}
}

// Annotations of APIToken: made and revoked by dedicated mutations only.
func (APIToken) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.QueryField(), entgql.RelayConnection()}
}
