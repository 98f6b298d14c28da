package audit

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"
)

// entry is the content of one event before it takes its place in the chain:
// everything the hash covers except the position (seq) and the link to the
// previous event (prev_hash).
type entry struct {
	at         time.Time
	actor      string
	role       string
	requestID  string
	action     string
	targetType string
	targetID   string
	changes    map[string]any // normalized: see normalize
	canonical  []byte         // changes as canonical JSON, shared by the rows of one mutation
}

// newEntry returns an entry made now by actor, with changes normalized.
func newEntry(actor Actor, action, targetType, targetID string, changes map[string]any) (entry, error) {
	norm, canon, err := prepareChanges(changes)
	if err != nil {
		return entry{}, fmt.Errorf("encoding the changes of %s %s %s: %w", action, targetType, targetID, err)
	}
	return makeEntry(actor, action, targetType, targetID, norm, canon), nil
}

// prepareChanges returns changes normalized and as canonical JSON.
func prepareChanges(changes map[string]any) (map[string]any, []byte, error) {
	norm, err := normalize(changes)
	if err != nil {
		return nil, nil, err
	}
	canon, err := canonicalJSON(norm)
	if err != nil {
		return nil, nil, err
	}
	return norm, canon, nil
}

// makeEntry returns an entry made now by actor, with changes already
// normalized and encoded (see prepareChanges). at is truncated to microseconds, the precision PostgreSQL
// keeps, so that the hash recomputed from a stored row matches.
func makeEntry(actor Actor, action, targetType, targetID string, changes map[string]any, canonical []byte) entry {
	return entry{
		at:         time.Now().UTC().Truncate(time.Microsecond),
		actor:      actor.Name,
		role:       actor.Role,
		requestID:  actor.RequestID,
		action:     action,
		targetType: targetType,
		targetID:   targetID,
		changes:    changes,
		canonical:  canonical,
	}
}

// canonicalJSON encodes v with sorted object keys, no insignificant space
// and no HTML escaping; nil maps encode as {}.
func canonicalJSON(v any) ([]byte, error) {
	if m, ok := v.(map[string]any); ok && m == nil {
		v = map[string]any{}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil { // encoding/json sorts map keys
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// hashOf returns the hex SHA-256 of an event's canonical encoding: the JSON
// array [seq, at (UTC, RFC 3339 with nanoseconds), actor, role, request_id,
// action, target_type, target_id, changes (canonical JSON), prev_hash].
func hashOf(seq int64, e entry, prevHash string) (string, error) {
	changes := e.canonical
	if changes == nil {
		var err error
		if changes, err = canonicalJSON(e.changes); err != nil {
			return "", fmt.Errorf("encoding changes: %w", err)
		}
	}
	doc, err := canonicalJSON([]any{
		seq, e.at.UTC().Format(time.RFC3339Nano), e.actor, e.role, e.requestID,
		e.action, e.targetType, e.targetID, json.RawMessage(changes), prevHash,
	})
	if err != nil {
		return "", fmt.Errorf("encoding event #%d: %w", seq, err)
	}
	sum := sha256.Sum256(doc)
	return hex.EncodeToString(sum[:]), nil
}
