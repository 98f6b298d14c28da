package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"

	"github.com/privhub/privhub/internal/pulid"
)

// Disclosure is a dated batch of specific users' data actually handed to a
// recipient under a transfer, e.g. an event's registrants sent to a sponsor.
type Disclosure struct {
	ent.Schema
}

// Mixin of Disclosure.
func (Disclosure) Mixin() []ent.Mixin { return mixins("dsc") }

// Fields of Disclosure.
func (Disclosure) Fields() []ent.Field {
	return []ent.Field{
		field.String("transfer_id").GoType(pulid.ID("")),
		field.Time("disclosed_at").Default(time.Now).Annotations(orderBy("DISCLOSED_AT")),
		field.String("reference").Optional().Comment("e.g. the file or ticket of the hand-over"),
	}
}

// Edges of Disclosure.
func (Disclosure) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("transfer", Transfer.Type).Ref("disclosures").Field("transfer_id").Unique().Required(),
		edge.To("users", User.Type).Annotations(entgql.RelayConnection()),
		edge.To("categories", DataCategory.Type),
	}
}

// Annotations of Disclosure.
func (Disclosure) Annotations() []schema.Annotation { return node() }
