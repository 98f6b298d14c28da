package webhook

import (
	"context"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/internal/announce"
)

// Announcements is the publisher of subprocessor announcements: each one
// goes to the subscribers of KindSubprocessorChange through the outbox, in
// the transaction that records the announcement, so that it is delivered
// once it commits and never when it rolls back.
func Announcements() announce.Publisher {
	return announce.PublisherFunc(func(ctx context.Context, tx *ent.Tx, ev announce.Event) error {
		return Enqueue(ctx, tx, KindSubprocessorChange, ev)
	})
}
