package webhook

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/privhub/privhub/ent"
)

// envelope is the JSON body of every delivery of an event.
type envelope struct {
	// ID is the event's ID, the same for every subscriber.
	ID string `json:"id"`
	// Kind is the event kind, as in the Privhub-Event header.
	Kind string `json:"kind"`
	// CreatedAt is when the event was written, with the change.
	CreatedAt string `json:"createdAt"`
	// Data is the payload Enqueue was given, as it was encoded then.
	Data json.RawMessage `json:"data"`
}

// Body returns the JSON body delivered for ev: the same bytes at every
// attempt, to every subscriber.
func Body(ev *ent.WebhookEvent) ([]byte, error) {
	body, err := json.Marshal(envelope{
		ID:        ev.ID.String(),
		Kind:      ev.Kind,
		CreatedAt: ev.CreatedAt.UTC().Format(time.RFC3339Nano),
		Data:      json.RawMessage(ev.Payload),
	})
	if err != nil {
		return nil, fmt.Errorf("encoding the body of event %s: %w", ev.ID, err)
	}
	return body, nil
}

// Payload decodes the data of ev, as GraphQL shows it.
func Payload(ev *ent.WebhookEvent) (map[string]any, error) {
	var m map[string]any
	if err := json.Unmarshal([]byte(ev.Payload), &m); err != nil {
		return nil, fmt.Errorf("decoding the payload of event %s: %w", ev.ID, err)
	}
	return m, nil
}
