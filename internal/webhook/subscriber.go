package webhook

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"
	"unicode"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/webhooksubscriber"
	"github.com/privhub/privhub/internal/apperr"
	"github.com/privhub/privhub/internal/pulid"
)

// Limits on what a subscriber is made of.
const (
	maxURLLen         = 2048
	minSecretLen      = 16
	maxSecretLen      = 256
	maxEvents         = 50
	maxDescriptionLen = 500
)

// SubscriberInput is a new subscriber, or, with nil fields kept as they
// are, the changes to one.
type SubscriberInput struct {
	URL *string
	// Events are the kinds it receives (AllKinds for every kind).
	Events []string
	// Secret signs its deliveries; left out of a new subscriber, one is
	// made, to be shown to the caller once.
	Secret      *string
	Active      *bool
	Description *string
}

// CreateSubscriber adds a subscriber with c (bound to the caller's
// transaction). When in carries no secret, it makes one and returns it:
// the only time it can be read.
func CreateSubscriber(ctx context.Context, c *ent.Client, in SubscriberInput) (sub *ent.WebhookSubscriber, madeSecret string, err error) {
	if in.URL == nil {
		return nil, "", apperr.Invalid("url", "is required")
	}
	if in.Events == nil {
		return nil, "", apperr.Invalid("events", "is required")
	}
	if err := in.check(); err != nil {
		return nil, "", err
	}
	secret := ""
	if in.Secret != nil {
		secret = *in.Secret
	} else {
		if secret, err = NewSecret(); err != nil {
			return nil, "", err
		}
		madeSecret = secret
	}
	create := c.WebhookSubscriber.Create().SetURL(*in.URL).SetEvents(normalizeEvents(in.Events)).SetSecret(secret).
		SetNillableActive(in.Active).SetNillableDescription(in.Description)
	if sub, err = create.Save(ctx); err != nil {
		return nil, "", fmt.Errorf("creating a webhook subscriber: %w", err)
	}
	return sub, madeSecret, nil
}

// UpdateSubscriber changes the fields in carries of the subscriber id; a
// new secret signs the deliveries sent from then on.
func UpdateSubscriber(ctx context.Context, c *ent.Client, id pulid.ID, in SubscriberInput) (*ent.WebhookSubscriber, error) {
	if err := in.check(); err != nil {
		return nil, err
	}
	if err := exists(ctx, c, id); err != nil {
		return nil, err
	}
	up := c.WebhookSubscriber.UpdateOneID(id).SetNillableActive(in.Active)
	if in.URL != nil {
		up.SetURL(*in.URL)
	}
	if in.Events != nil {
		up.SetEvents(normalizeEvents(in.Events))
	}
	if in.Secret != nil {
		up.SetSecret(*in.Secret)
	}
	if in.Description != nil {
		if *in.Description == "" {
			up.ClearDescription()
		} else {
			up.SetDescription(*in.Description)
		}
	}
	sub, err := up.Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("updating webhook subscriber %s: %w", id, err)
	}
	return sub, nil
}

// DeleteSubscriber deletes the subscriber id and its delivery log.
func DeleteSubscriber(ctx context.Context, c *ent.Client, id pulid.ID) error {
	if err := exists(ctx, c, id); err != nil {
		return err
	}
	if err := c.WebhookSubscriber.DeleteOneID(id).Exec(ctx); err != nil {
		return fmt.Errorf("deleting webhook subscriber %s: %w", id, err)
	}
	return nil
}

// exists answers NOT_FOUND unless id names a subscriber.
func exists(ctx context.Context, c *ent.Client, id pulid.ID) error {
	ok, err := c.WebhookSubscriber.Query().Where(webhooksubscriber.ID(id)).Exist(ctx)
	if err != nil {
		return fmt.Errorf("reading webhook subscriber %s: %w", id, err)
	}
	if !ok {
		return apperr.NotFoundf("not found")
	}
	return nil
}

// NewSecret returns a fresh random signing secret: "whsec_" and 64 hex
// digits (256 bits).
func NewSecret() (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("making a webhook secret: %w", err)
	}
	return "whsec_" + hex.EncodeToString(b[:]), nil
}

// check validates the fields in carries, naming the GraphQL input field at
// fault.
func (in SubscriberInput) check() error {
	if in.URL != nil {
		if err := checkURL(*in.URL); err != nil {
			return err
		}
	}
	if in.Events != nil {
		if len(in.Events) == 0 {
			return apperr.Invalid("events", "name at least one event kind (%q for every kind)", AllKinds)
		}
		if len(in.Events) > maxEvents {
			return apperr.Invalid("events", "at most %d event kinds", maxEvents)
		}
		for _, e := range in.Events {
			if e == AllKinds {
				continue
			}
			if err := checkKind("events", e); err != nil {
				return err
			}
		}
	}
	if in.Secret != nil {
		s := *in.Secret
		if len(s) < minSecretLen || len(s) > maxSecretLen {
			return apperr.Invalid("secret", "must be %d to %d characters long", minSecretLen, maxSecretLen)
		}
		if strings.IndexFunc(s, func(r rune) bool { return r > unicode.MaxASCII || !unicode.IsPrint(r) || r == ' ' }) >= 0 {
			return apperr.Invalid("secret", "must be printable ASCII without spaces")
		}
	}
	if in.Description != nil && len(*in.Description) > maxDescriptionLen {
		return apperr.Invalid("description", "at most %d bytes", maxDescriptionLen)
	}
	return nil
}

// checkURL accepts an absolute http or https URL with a host and without
// credentials (a URL is readable back; the secret is not) or fragment.
func checkURL(raw string) error {
	if len(raw) > maxURLLen {
		return apperr.Invalid("url", "at most %d bytes", maxURLLen)
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil || !u.IsAbs() || u.Host == "" || u.Hostname() == "":
		return apperr.Invalid("url", "must be an absolute http or https URL, e.g. https://hooks.example.com/privhub")
	case u.Scheme != "http" && u.Scheme != "https":
		return apperr.Invalid("url", "must use http or https, not %s", clip(u.Scheme, 20))
	case u.User != nil:
		return apperr.Invalid("url", "must not carry credentials: deliveries are authenticated by their signature")
	case u.Fragment != "" || strings.Contains(raw, "#"):
		return apperr.Invalid("url", "must not have a fragment")
	}
	return nil
}

// normalizeEvents drops repeated kinds, keeping the first of each.
func normalizeEvents(events []string) []string {
	out := make([]string, 0, len(events))
	seen := make(map[string]bool, len(events))
	for _, e := range events {
		if !seen[e] {
			seen[e] = true
			out = append(out, e)
		}
	}
	return out
}
