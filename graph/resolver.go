// Package graph is privhub's GraphQL layer: the gqlgen executor generated
// from schema/*.graphql and thin resolvers that call ent and internal/.
package graph

import (
	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/internal/announce"
	"github.com/privhub/privhub/internal/compliance"
	"github.com/privhub/privhub/internal/metrics"
	"github.com/privhub/privhub/internal/requests"
	"github.com/privhub/privhub/internal/trace"
)

// Resolver is the root resolver. Queries read through Client; mutations run
// in the transaction entgql.Transactioner opens, through ent.FromContext.
type Resolver struct {
	// Client reads and writes the database.
	Client *ent.Client
	// Checker evaluates the compliance rules.
	Checker *compliance.Checker
	// Tracer answers who holds which personal data.
	Tracer *trace.Engine
	// Requests carries out data subject requests.
	Requests *requests.Desk
	// Metrics counts the progress of retention sweeps; nil counts nothing.
	Metrics *metrics.Metrics
	// Announcements publishes each subprocessor announcement inside its
	// transaction (the webhook outbox's hook point); nil publishes nothing.
	Announcements announce.Publisher
}
