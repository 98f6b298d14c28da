package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"

	"github.com/privhub/privhub/internal/pulid"
)

// Operator is someone who may use the API, with one role. A SUBJECT operator is
// bound to one user and sees only that user's data.
type Operator struct {
	ent.Schema
}

// Mixin of Operator.
func (Operator) Mixin() []ent.Mixin { return mixins("opr") }

// Fields of Operator.
func (Operator) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().Annotations(orderBy("NAME")),
		field.String("email").Optional().Unique(),
		field.Enum("role").NamedValues(named("ADMIN", "DPO", "ANALYST", "VIEWER", "SUBJECT")...).Annotations(orderBy("ROLE")),
		field.String("user_id").GoType(pulid.ID("")).Optional().Nillable().Comment("the user a SUBJECT operator is"),
		field.Bool("disabled").Default(false),
	}
}

// Edges of Operator.
func (Operator) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("user", User.Type).Field("user_id").Unique().Annotations(restrict()),
		edge.To("tokens", APIToken.Type).Annotations(restrict()),
	}
}

// Annotations of Operator.
func (Operator) Annotations() []schema.Annotation { return node() }
