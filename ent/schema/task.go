package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"

	"github.com/privhub/privhub/internal/pulid"
)

// RequestTask is what one downstream holder must do for a request, e.g. erase
// the user's data after an erasure (Art. 19 notices). Exactly one of the two
// holder references is set.
type RequestTask struct {
	ent.Schema
}

// Mixin of RequestTask.
func (RequestTask) Mixin() []ent.Mixin { return mixins("tsk") }

// Fields of RequestTask.
func (RequestTask) Fields() []ent.Field {
	return []ent.Field{
		field.String("request_id").GoType(pulid.ID("")),
		field.String("organization_id").GoType(pulid.ID("")).Optional().Nillable(),
		field.String("vendor_id").GoType(pulid.ID("")).Optional().Nillable(),
		field.Enum("status").NamedValues(named("PENDING", "NOTIFIED", "CONFIRMED", "NOT_REQUIRED")...).Default("PENDING").
			Annotations(orderBy("STATUS")),
		field.Time("notified_at").Optional().Nillable(),
		field.Time("confirmed_at").Optional().Nillable(),
		field.Strings("categories").Optional().
			Comment("keys of the data categories the holder must act on, e.g. erase"),
		field.Text("note").Optional(),
	}
}

// Edges of RequestTask.
func (RequestTask) Edges() []ent.Edge {
	hidden := entgql.Skip(entgql.SkipType)
	return []ent.Edge{
		edge.From("request", Request.Type).Ref("tasks").Field("request_id").Unique().Required(),
		edge.From("organization", Organization.Type).Ref("request_tasks").Field("organization_id").Unique().Annotations(hidden),
		edge.From("vendor", Vendor.Type).Ref("request_tasks").Field("vendor_id").Unique().Annotations(hidden),
	}
}

// Annotations of RequestTask.
func (RequestTask) Annotations() []schema.Annotation { return node() }
