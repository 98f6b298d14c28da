package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"

	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/vocab"
)

// Request is a data subject request (GDPR Arts. 15-21): answered within one
// calendar month of receipt, extendable by at most two more months when the
// subject is told so inside the first month (Art. 12(3)).
type Request struct {
	ent.Schema
}

// Mixin of Request.
func (Request) Mixin() []ent.Mixin { return mixins("req") }

// Fields of Request.
func (Request) Fields() []ent.Field {
	return []ent.Field{
		field.String("reference").Optional().Unique().Comment("our case number, e.g. DSR-001").
			Annotations(orderBy("REFERENCE")),
		field.String("user_id").GoType(pulid.ID("")),
		field.Enum("kind").NamedValues(named("ACCESS", "RECTIFICATION", "ERASURE", "RESTRICTION", "PORTABILITY", "OBJECTION")...).
			Annotations(orderBy("KIND")),
		field.Enum("status").NamedValues(named("RECEIVED", "IN_PROGRESS", "COMPLETED", "REJECTED")...).Default("RECEIVED").
			Annotations(orderBy("STATUS")),
		field.Time("received_at").Default(time.Now).Annotations(orderBy("RECEIVED_AT")),
		field.Time("due_at").Optional().Annotations(orderBy("DUE_AT")).
			Comment("one calendar month after receipt unless set; extensions move it"),
		field.Time("extension_notified_at").Optional().Nillable(),
		field.Int("extension_months").Optional().Nillable().Range(1, 2),
		field.Text("extension_reason").Optional(),
		field.Time("completed_at").Optional().Nillable().Annotations(orderBy("COMPLETED_AT")),
		field.JSON("history", []vocab.StatusChange{}).Optional().Annotations(noInput(), entgql.Type("[RequestStatusChange!]")),
		field.JSON("retained", []vocab.Retained{}).Optional().Annotations(noInput(), entgql.Type("[RetainedData!]")).
			Comment("what was kept back from erasure, until when and why"),
		field.Text("note").Optional(),
		field.Time("erased_at").Optional().Nillable().Annotations(noInput()).
			Comment("when the erasure this request asked for was carried out"),
	}
}

// Edges of Request.
func (Request) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("user", User.Type).Ref("requests").Field("user_id").Unique().Required(),
		edge.To("tasks", RequestTask.Type).Annotations(restrict()),
	}
}

// Annotations of Request.
func (Request) Annotations() []schema.Annotation { return node() }
