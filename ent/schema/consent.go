package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/privhub/privhub/internal/pulid"
)

// Consent is one entry of a user's append-only ledger of choices: a grant, a
// withdrawal or an opt-out for a purpose, optionally for one recipient. The
// effective choice at an instant is the latest entry recorded before it.
type Consent struct {
	ent.Schema
}

// Mixin of Consent.
func (Consent) Mixin() []ent.Mixin { return mixins("cns") }

// Fields of Consent.
func (Consent) Fields() []ent.Field {
	return []ent.Field{
		field.String("user_id").GoType(pulid.ID("")).Immutable(),
		field.String("purpose_id").GoType(pulid.ID("")).Immutable(),
		field.String("recipient_id").GoType(pulid.ID("")).Optional().Nillable().Immutable(),
		field.Enum("decision").NamedValues(named("GRANTED", "WITHDRAWN", "OPTED_OUT")...).Immutable().
			Annotations(orderBy("DECISION")),
		field.Bool("explicit").Default(false).Immutable().Comment("explicit consent, as Art. 9(2)(a) needs for special categories"),
		field.Time("recorded_at").Default(time.Now).Immutable().Annotations(orderBy("RECORDED_AT")),
		field.String("source").Optional().Immutable().Comment("where the choice was made, e.g. 'preference centre', 'unsubscribe link'"),
		field.Text("evidence").Optional().Immutable(),
	}
}

// Edges of Consent.
func (Consent) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("user", User.Type).Ref("consents").Field("user_id").Unique().Required().Immutable(),
		edge.From("purpose", Purpose.Type).Ref("consents").Field("purpose_id").Unique().Required().Immutable(),
		edge.From("recipient", Vendor.Type).Ref("consents").Field("recipient_id").Unique().Immutable(),
	}
}

// Indexes of Consent.
func (Consent) Indexes() []ent.Index {
	return []ent.Index{index.Fields("user_id", "purpose_id", "recorded_at")}
}

// Annotations of Consent: append-only, so entries are written only by the
// recordConsent mutation (internal/consent) and never updated or deleted.
func (Consent) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.QueryField(), entgql.RelayConnection()}
}
