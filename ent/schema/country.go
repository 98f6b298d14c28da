package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"

	"github.com/privhub/privhub/internal/pulid"
)

// Country is ISO 3166-1 reference data. Its ID is a global ID made of the
// country prefix and its alpha-2 code ("cty_BE", pulid.Country), so that it
// is stable across databases and collides with no other type's.
type Country struct {
	ent.Schema
}

// Fields of Country.
func (Country) Fields() []ent.Field {
	return []ent.Field{
		field.String("id").GoType(pulid.ID("")).
			Match(countryID).Immutable().
			Comment("cty_ and the ISO 3166-1 alpha-2 code"),
		field.String("name").NotEmpty().Annotations(orderBy("NAME")),
		field.Bool("eu").Default(false).Comment("member state of the European Union"),
		field.Bool("eea").Default(false).Comment("member of the European Economic Area"),
	}
}

// Edges of Country.
func (Country) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("adequacy_decisions", AdequacyDecision.Type).Annotations(restrict()),
		edge.To("organizations", Organization.Type).Annotations(restrict(), entgql.RelayConnection()),
		edge.To("vendors", Vendor.Type).Annotations(restrict(), entgql.RelayConnection()),
		edge.To("users", User.Type).Annotations(restrict(), entgql.RelayConnection()),
		edge.To("transfers", Transfer.Type).Annotations(restrict(), entgql.RelayConnection()).
			Comment("transfers whose importer processes or accesses the data in this country"),
	}
}

// Annotations of Country: reference data, readable but not writable through the API.
func (Country) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.QueryField(), entgql.RelayConnection(), PrefixAnnotation{Prefix: pulid.CountryPrefix}}
}
