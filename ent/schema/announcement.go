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
	"github.com/privhub/privhub/internal/vocab"
)

// SubprocessorAnnouncement is one of our own organisations, acting as a
// processor for its customers (the controllers), announcing that it adds,
// replaces or removes a subprocessor (GDPR Art. 28(2), SCC Clause 9(a)).
// It is the other direction of SubprocessorChange, which records a vendor's
// notice to us. What it says about the subprocessor (service, country,
// mechanism, purposes, data categories) is what was published, kept as it
// was announced; the controllers informed and their objections hang off it.
// Announcements are written only by announceSubprocessorChange
// (internal/announce) and are never changed or deleted.
type SubprocessorAnnouncement struct {
	ent.Schema
}

// Mixin of SubprocessorAnnouncement.
func (SubprocessorAnnouncement) Mixin() []ent.Mixin { return mixins("sba") }

// Fields of SubprocessorAnnouncement.
func (SubprocessorAnnouncement) Fields() []ent.Field {
	return []ent.Field{
		field.String("organization_id").GoType(pulid.ID("")).Immutable().
			Comment("the own organisation that announces, as processor"),
		field.Enum("kind").NamedValues(named("ADDED", "REPLACED", "REMOVED")...).Immutable().
			Annotations(orderBy("KIND")),
		field.String("vendor_id").GoType(pulid.ID("")).Immutable().
			Comment("the subprocessor added or removed; for a replacement, the one that comes in"),
		field.String("replaces_id").GoType(pulid.ID("")).Optional().Nillable().Immutable().
			Comment("for a replacement, the subprocessor that goes"),
		field.Enum("service").GoType(vocab.Service("")).Immutable().Annotations(entgql.Type("VendorService")).
			Comment("what the subprocessor does for the organisation"),
		field.String("country_id").GoType(pulid.ID("")).Immutable().
			Comment("where the subprocessor processes or accesses the data"),
		field.Enum("mechanism").GoType(vocab.Mechanism("")).Immutable().Annotations(entgql.Type("Mechanism")).
			Comment("the transfer mechanism the subprocessor's processing relies on"),
		field.Time("announced_at").Default(time.Now).Immutable().Annotations(orderBy("ANNOUNCED_AT")),
		field.Time("effective_at").Immutable().Annotations(orderBy("EFFECTIVE_AT")).
			Comment("when the change takes effect"),
		field.Bool("forced").Default(false).Immutable().
			Comment("announced although it takes effect before a controller's notice period runs out"),
		field.Text("force_reason").Optional().Immutable().Comment("why it was forced"),
	}
}

// Edges of SubprocessorAnnouncement.
func (SubprocessorAnnouncement) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("organization", Organization.Type).Field("organization_id").Unique().Required().Immutable().Annotations(restrict()),
		edge.To("vendor", Vendor.Type).Field("vendor_id").Unique().Required().Immutable().Annotations(restrict()),
		edge.To("replaces", Vendor.Type).Field("replaces_id").Unique().Immutable().Annotations(restrict()),
		edge.To("country", Country.Type).Field("country_id").Unique().Required().Immutable().Annotations(restrict()),
		edge.To("purposes", Purpose.Type).Comment("what the subprocessor processes the data for"),
		edge.To("categories", DataCategory.Type).Comment("the data categories it receives"),
		edge.To("informed", InformedParty.Type).Annotations(restrict()).
			Comment("the controllers told of the change, one row per controller-facing contract party"),
		edge.To("objections", SubprocessorObjection.Type).Annotations(restrict()),
	}
}

// Indexes of SubprocessorAnnouncement.
func (SubprocessorAnnouncement) Indexes() []ent.Index {
	return []ent.Index{index.Fields("organization_id", "effective_at"), index.Fields("vendor_id")}
}

// Annotations of SubprocessorAnnouncement: a Relay node with a top-level
// connection, and no generated mutations.
func (SubprocessorAnnouncement) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.QueryField(), entgql.RelayConnection()}
}
