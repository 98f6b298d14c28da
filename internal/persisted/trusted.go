package persisted

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/go-viper/mapstructure/v2"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/privhub/privhub/internal/apperr"
)

// Trusted is the gqlgen extension that runs only the documents of its
// manifest. A request names one by its hash, as documentId (see
// DocumentIDs) or as extensions.persistedQuery.sha256Hash (Apollo's
// persisted queries); a request that sends a document's full text runs it
// only when that text is in the manifest. Anything else is refused before
// parsing: an unknown hash with PERSISTED_QUERY_NOT_FOUND, a document that
// is not trusted with OPERATION_NOT_TRUSTED.
type Trusted struct {
	Manifest Manifest
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = Trusted{}

// ExtensionName implements graphql.HandlerExtension.
func (Trusted) ExtensionName() string { return "TrustedDocuments" }

// Validate implements graphql.HandlerExtension.
func (Trusted) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationParameters implements graphql.OperationParameterMutator:
// it puts the trusted document into the request, or refuses it.
func (t Trusted) MutateOperationParameters(ctx context.Context, p *graphql.RawParams) *gqlerror.Error {
	id := documentIDFrom(ctx)
	if id == "" {
		id = persistedQueryHash(p.Extensions)
	}
	if id == "" {
		if p.Query != "" {
			if _, ok := t.Manifest[Hash(p.Query)]; ok {
				return nil
			}
		}
		return refuse(apperr.OperationNotTrusted,
			"this server runs only trusted documents: send the documentId of a registered document")
	}
	key := normalize(id)
	doc, ok := t.Manifest[key]
	if !ok {
		return refuse(apperr.PersistedQueryNotFound, "no trusted document has the ID "+quoteID(id))
	}
	if p.Query != "" && p.Query != doc {
		return refuse(apperr.OperationNotTrusted, "the document sent is not the trusted document "+quoteID(id))
	}
	p.Query = doc
	return nil
}

// persistedQueryHash returns extensions.persistedQuery.sha256Hash, or "".
func persistedQueryHash(ext map[string]any) string {
	raw, ok := ext["persistedQuery"]
	if !ok {
		return ""
	}
	var pq struct {
		Sha256 string `mapstructure:"sha256Hash"`
	}
	if err := mapstructure.Decode(raw, &pq); err != nil {
		return ""
	}
	return pq.Sha256
}

// quoteID quotes an ID from a request for a message, cut short if long.
func quoteID(id string) string {
	if len(id) > 80 {
		id = id[:80] + "…"
	}
	return "\"" + id + "\""
}

// refuse is the error of a refused request, presented with its code.
func refuse(code apperr.Code, msg string) *gqlerror.Error {
	e := &apperr.Error{Code: code, Message: msg}
	return &gqlerror.Error{Message: msg, Err: e, Extensions: map[string]any{"code": string(code)}}
}
