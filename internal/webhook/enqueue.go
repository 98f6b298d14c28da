package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/webhooksubscriber"
	"github.com/privhub/privhub/internal/apperr"
	"github.com/privhub/privhub/internal/pulid"
)

// MaxPayloadBytes is the largest payload, once encoded as JSON, that an
// event may carry.
const MaxPayloadBytes = 256 << 10

// Enqueue is the entry point for every event privhub announces, e.g. a
// subprocessor change (kind KindSubprocessorChange): call it inside the
// transaction tx that records the change. It writes the event, with payload
// encoded as a JSON object, to the outbox, and one PENDING delivery per
// active subscriber of kind, all in tx: if tx rolls back there is no event,
// and once it commits the dispatcher delivers it to each of them, however
// often servers stop and start in between. A subscriber added after the
// commit does not receive it.
func Enqueue(ctx context.Context, tx *ent.Tx, kind string, payload any) error {
	if tx == nil {
		return errors.New("enqueueing a webhook event: no transaction")
	}
	_, _, err := publish(ctx, tx.Client(), kind, payload, nil)
	return err
}

// Ping writes a test event of kind KindPing in tx, to the subscriber with
// the given ID or, when subscriber is nil, to every active subscriber, and
// returns it with its deliveries. The subscriber must exist and be active.
func Ping(ctx context.Context, tx *ent.Tx, subscriber *pulid.ID, now time.Time) (*ent.WebhookEvent, []*ent.WebhookDelivery, error) {
	if tx == nil {
		return nil, nil, errors.New("pinging webhook subscribers: no transaction")
	}
	c := tx.Client()
	payload := map[string]any{"message": "a test event sent with pingWebhook", "sentAt": now.UTC().Format(time.RFC3339)}
	if subscriber == nil {
		return publish(ctx, c, KindPing, payload, nil)
	}
	sub, err := c.WebhookSubscriber.Query().Where(webhooksubscriber.ID(*subscriber)).Only(ctx)
	switch {
	case ent.IsNotFound(err):
		return nil, nil, apperr.NotFoundf("not found")
	case err != nil:
		return nil, nil, fmt.Errorf("reading webhook subscriber %s: %w", *subscriber, err)
	case !sub.Active:
		return nil, nil, apperr.Invalid("subscriberId", "the subscriber is not active: activate it first")
	}
	payload["subscriber"] = sub.ID.String()
	return publish(ctx, c, KindPing, payload, []*ent.WebhookSubscriber{sub})
}

// publish writes an event and its deliveries with c, which must be bound
// to the caller's transaction: to the subscribers given, or, when to is
// nil, to every active subscriber of kind.
func publish(ctx context.Context, c *ent.Client, kind string, payload any, to []*ent.WebhookSubscriber) (*ent.WebhookEvent, []*ent.WebhookDelivery, error) {
	if err := checkKind("kind", kind); err != nil {
		return nil, nil, err
	}
	raw, err := encodePayload(payload)
	if err != nil {
		return nil, nil, fmt.Errorf("enqueueing a %s event: %w", kind, err)
	}
	if to == nil {
		active, err := c.WebhookSubscriber.Query().Where(webhooksubscriber.Active(true)).
			Order(ent.Asc(webhooksubscriber.FieldID)).All(ctx)
		if err != nil {
			return nil, nil, fmt.Errorf("reading the subscribers of %s: %w", kind, err)
		}
		for _, s := range active {
			if subscribes(s.Events, kind) {
				to = append(to, s)
			}
		}
	}
	now := time.Now().UTC()
	ev, err := c.WebhookEvent.Create().SetKind(kind).SetPayload(string(raw)).SetCreatedAt(now).Save(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("writing a %s event to the outbox: %w", kind, err)
	}
	if len(to) == 0 {
		return ev, nil, nil
	}
	creates := make([]*ent.WebhookDeliveryCreate, len(to))
	for i, s := range to {
		creates[i] = c.WebhookDelivery.Create().SetSubscriberID(s.ID).SetEventID(ev.ID).
			SetNextAttemptAt(now).SetCreatedAt(now).SetUpdatedAt(now)
	}
	ds, err := c.WebhookDelivery.CreateBulk(creates...).Save(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("writing the deliveries of event %s: %w", ev.ID, err)
	}
	return ev, ds, nil
}

// encodePayload encodes an event's payload, which must be a JSON object of
// at most MaxPayloadBytes.
func encodePayload(payload any) ([]byte, error) {
	raw, err := json.Marshal(payload)
	if err != nil {
		return nil, fmt.Errorf("encoding the payload: %w", err)
	}
	if !bytes.HasPrefix(raw, []byte{'{'}) {
		return nil, fmt.Errorf("the payload must encode as a JSON object, not %s", clip(string(raw), 20))
	}
	if len(raw) > MaxPayloadBytes {
		return nil, fmt.Errorf("the payload is %d bytes, more than the %d allowed", len(raw), MaxPayloadBytes)
	}
	return raw, nil
}
