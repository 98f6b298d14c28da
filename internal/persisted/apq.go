package persisted

import (
	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
)

// DefaultCacheSize is how many documents automatic persisted queries keep.
const DefaultCacheSize = 1000

// Extension returns the extension that serves documents by hash: Trusted
// over m when m is not nil, otherwise automatic persisted queries with an
// LRU cache of size documents (DefaultCacheSize when size is not
// positive), where a client sends a document's hash alone, gets
// PERSISTED_QUERY_NOT_FOUND the first time, and then sends the document
// with its hash once.
func Extension(m Manifest, size int) graphql.HandlerExtension {
	if m != nil {
		return Trusted{Manifest: m}
	}
	if size <= 0 {
		size = DefaultCacheSize
	}
	return extension.AutomaticPersistedQuery{Cache: lru.New[string](size)}
}
