package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
)

// SecurityMeasure is a technical or organisational measure (GDPR Art. 32, SCC
// Annex II) in place at organizations, vendors or on transfers.
type SecurityMeasure struct {
	ent.Schema
}

// Mixin of SecurityMeasure.
func (SecurityMeasure) Mixin() []ent.Mixin { return mixins("sec") }

// Fields of SecurityMeasure.
func (SecurityMeasure) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().Annotations(orderBy("NAME")),
		field.Enum("kind").NamedValues(named("TECHNICAL", "ORGANISATIONAL")...),
		field.Enum("topic").NamedValues(named(
			"ENCRYPTION", "ACCESS_CONTROL", "FIREWALL", "MONITORING", "LOGGING", "TRAINING", "AUDIT",
			"PENTEST", "BACKUP", "PSEUDONYMISATION", "INCIDENT_RESPONSE", "PHYSICAL_SECURITY", "OTHER")...).
			Annotations(orderBy("TOPIC")),
		field.Text("description").Optional(),
		field.Time("verified_at").Optional().Nillable().Annotations(orderBy("VERIFIED_AT")),
	}
}

// Edges of SecurityMeasure.
func (SecurityMeasure) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("organizations", Organization.Type),
		edge.To("vendors", Vendor.Type),
		edge.To("transfers", Transfer.Type),
	}
}

// Annotations of SecurityMeasure.
func (SecurityMeasure) Annotations() []schema.Annotation { return node() }
