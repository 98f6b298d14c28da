package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/privhub/privhub/internal/pulid"
)

// WebhookSubscriber is an endpoint that receives events of the kinds it
// subscribed to as signed JSON POSTs (see internal/webhook). Its secret
// signs every delivery and is never readable back through the API.
type WebhookSubscriber struct {
	ent.Schema
}

// Mixin of WebhookSubscriber.
func (WebhookSubscriber) Mixin() []ent.Mixin { return mixins("whs") }

// Fields of WebhookSubscriber.
func (WebhookSubscriber) Fields() []ent.Field {
	return []ent.Field{
		field.String("url").NotEmpty().Comment("where deliveries are POSTed (http or https)").Annotations(orderBy("URL")),
		field.String("secret").NotEmpty().Sensitive().Comment("the HMAC-SHA256 key of the signatures; write-only").
			Annotations(entgql.Skip()),
		field.Strings("events").Comment(`the event kinds it receives, e.g. subprocessor.change; "*" for every kind`),
		field.Bool("active").Default(true).Comment("an inactive subscriber gets no new deliveries, and its pending ones wait"),
		field.String("description").Optional(),
	}
}

// Edges of WebhookSubscriber.
func (WebhookSubscriber) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("deliveries", WebhookDelivery.Type).
			Annotations(entsql.OnDelete(entsql.Cascade), entgql.RelayConnection()).
			Comment("deleting a subscriber deletes its delivery log"),
	}
}

// Annotations of WebhookSubscriber: written by the webhook mutations only.
func (WebhookSubscriber) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.QueryField(), entgql.RelayConnection()}
}

// WebhookEvent is one entry of the outbox: an event written in the same
// transaction as the change it announces, delivered afterwards to each
// subscriber of its kind.
type WebhookEvent struct {
	ent.Schema
}

// Mixin of WebhookEvent.
func (WebhookEvent) Mixin() []ent.Mixin { return []ent.Mixin{IDMixin{Prefix: "whe"}} }

// Fields of WebhookEvent.
func (WebhookEvent) Fields() []ent.Field {
	return []ent.Field{
		field.String("kind").NotEmpty().Immutable().Comment("e.g. subprocessor.change, webhook.ping").Annotations(orderBy("KIND")),
		field.Text("payload").Immutable().Comment("the event's data as JSON text, delivered byte for byte").
			Annotations(entgql.Skip()),
		field.Time("created_at").Default(time.Now).Immutable().Annotations(orderBy("CREATED_AT")),
	}
}

// Edges of WebhookEvent.
func (WebhookEvent) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("deliveries", WebhookDelivery.Type).Annotations(entsql.OnDelete(entsql.Cascade)),
	}
}

// WebhookDelivery is one event's delivery to one subscriber: its ID is the
// delivery ID sent with every attempt (Privhub-Delivery), by which
// receivers recognise a retry of a delivery they already processed.
type WebhookDelivery struct {
	ent.Schema
}

// Mixin of WebhookDelivery.
func (WebhookDelivery) Mixin() []ent.Mixin { return mixins("whd") }

// Fields of WebhookDelivery.
func (WebhookDelivery) Fields() []ent.Field {
	return []ent.Field{
		field.String("subscriber_id").GoType(pulid.ID("")).Immutable(),
		field.String("event_id").GoType(pulid.ID("")).Immutable(),
		field.Enum("status").NamedValues(named("PENDING", "DELIVERED", "FAILED", "GIVEN_UP")...).
			Default("PENDING").Annotations(orderBy("STATUS")),
		field.Int("attempts").Default(0).NonNegative().Comment("attempts made, the one under way included"),
		field.Time("next_attempt_at").Optional().Nillable().
			Comment("when the next attempt is due (while one is under way, when its lease runs out); null once delivered or given up").
			Annotations(orderBy("NEXT_ATTEMPT_AT")),
		field.Int("last_status_code").Optional().Nillable().Comment("the HTTP status of the last answer, if there was one"),
		field.String("last_error").Optional().Comment("why the last attempt failed, in a few words"),
		field.Time("delivered_at").Optional().Nillable().Annotations(orderBy("DELIVERED_AT")),
		field.String("claim").Optional().Nillable().Comment("the token of the dispatcher that holds the lease of an attempt under way").
			Annotations(entgql.Skip()),
	}
}

// Edges of WebhookDelivery.
func (WebhookDelivery) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("subscriber", WebhookSubscriber.Type).Ref("deliveries").Field("subscriber_id").Unique().Required().Immutable(),
		edge.From("event", WebhookEvent.Type).Ref("deliveries").Field("event_id").Unique().Required().Immutable(),
	}
}

// Indexes of WebhookDelivery: one delivery per subscriber and event, and
// the dispatcher's search for due deliveries.
func (WebhookDelivery) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("subscriber_id", "event_id").Unique(),
		index.Fields("status", "next_attempt_at"),
	}
}

// Annotations of WebhookDelivery: read-only through the API.
func (WebhookDelivery) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.QueryField(), entgql.RelayConnection()}
}
