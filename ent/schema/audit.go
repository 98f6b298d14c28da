package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// AuditEvent is one entry of the append-only log of writes and of reads of
// personal data. Each entry's hash covers the previous entry's hash, so that
// changing, removing or inserting an entry breaks the chain.
type AuditEvent struct {
	ent.Schema
}

// Mixin of AuditEvent.
func (AuditEvent) Mixin() []ent.Mixin { return []ent.Mixin{IDMixin{Prefix: "aud"}} }

// Fields of AuditEvent.
func (AuditEvent) Fields() []ent.Field {
	return []ent.Field{
		field.Int64("seq").Unique().Immutable().Comment("position in the chain").Annotations(orderBy("SEQ")),
		field.Time("at").Default(time.Now).Immutable().Annotations(orderBy("AT")),
		field.String("actor").Immutable(),
		field.String("role").Optional().Immutable().Comment("the actor's role when the event happened"),
		field.String("request_id").Optional().Immutable().Comment("the API request or CLI run the event belongs to"),
		field.String("action").Immutable(),
		field.String("target_type").Immutable(),
		field.String("target_id").Immutable(),
		field.JSON("changes", map[string]any{}).Optional().Immutable().Annotations(entgql.Type("Map")),
		field.String("prev_hash").Immutable(),
		field.String("hash").Immutable(),
	}
}

// Indexes of AuditEvent.
func (AuditEvent) Indexes() []ent.Index {
	return []ent.Index{index.Fields("target_id"), index.Fields("at")}
}

// Annotations of AuditEvent: read-only through the API.
func (AuditEvent) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.QueryField(), entgql.RelayConnection()}
}
