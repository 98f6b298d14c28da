// Package schema is privhub's domain model: one ent schema per entity of the
// design, annotated for entgql so that each becomes a Relay node with a
// connection, filters, ordering and mutation inputs.
package schema

import (
	"strings"
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/mixin"

	"github.com/privhub/privhub/internal/pulid"
)

// IDMixin gives an entity a prefixed, random, globally unique ID.
type IDMixin struct {
	mixin.Schema
	Prefix string
}

// Fields returns the id field.
func (m IDMixin) Fields() []ent.Field {
	return []ent.Field{
		field.String("id").
			GoType(pulid.ID("")).
			DefaultFunc(func() pulid.ID { return pulid.New(m.Prefix) }).
			Immutable(),
	}
}

// Annotations records the prefix for the generated ID-to-table map.
func (m IDMixin) Annotations() []schema.Annotation {
	return []schema.Annotation{PrefixAnnotation{Prefix: m.Prefix}}
}

// PrefixAnnotation carries an entity's ID prefix into code generation.
type PrefixAnnotation struct {
	Prefix string
}

// Name implements schema.Annotation.
func (PrefixAnnotation) Name() string { return "Prefix" }

// TimeMixin records when a row was created and last updated in privhub
// (not when the fact it describes happened: entities have their own dates).
type TimeMixin struct {
	mixin.Schema
}

// Fields returns created_at and updated_at.
func (TimeMixin) Fields() []ent.Field {
	return []ent.Field{
		field.Time("created_at").Default(time.Now).Immutable().
			Annotations(entgql.OrderField("CREATED_AT"), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		field.Time("updated_at").Default(time.Now).UpdateDefault(time.Now).
			Annotations(entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
	}
}

// mixins returns the mixins every entity with a generated ID uses.
func mixins(prefix string) []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: prefix}, TimeMixin{}}
}

// node returns the annotations of an entity exposed as a Relay node with a
// top-level connection and create and update mutations.
func node(extra ...schema.Annotation) []schema.Annotation {
	return append([]schema.Annotation{
		entgql.QueryField(),
		entgql.RelayConnection(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}, extra...)
}

// named turns upper-snake GraphQL enum values into ent NamedValues pairs, so
// that Go constants read RiskTierHigh while the API says HIGH.
func named(values ...string) []string {
	pairs := make([]string, 0, 2*len(values))
	for _, v := range values {
		var b strings.Builder
		for _, part := range strings.Split(v, "_") {
			if part == "" {
				continue
			}
			b.WriteString(part[:1])
			b.WriteString(strings.ToLower(part[1:]))
		}
		pairs = append(pairs, b.String(), v)
	}
	return pairs
}

// restrict keeps a referenced row from being deleted while this edge points
// to it; the delete fails and the API answers CONFLICT.
func restrict() schema.Annotation { return entsql.OnDelete(entsql.NoAction) }

// orderBy marks a field as sortable under the given GraphQL order field name.
func orderBy(name string) schema.Annotation { return entgql.OrderField(name) }

// noInput hides a field from create and update inputs.
func noInput() schema.Annotation {
	return entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)
}
