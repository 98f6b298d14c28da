// Package webhook delivers privhub's events to webhook subscribers through a
// transactional outbox, so that a notice is never lost nor announced for a
// change that did not happen.
//
// A change and its event are written in one transaction: Enqueue records
// the event (WebhookEvent) and one PENDING delivery (WebhookDelivery) per
// active subscriber of its kind in the caller's transaction, so a rollback
// leaves no event and a commit always has one. A Dispatcher, started by
// privhub serve, later POSTs each due delivery as signed JSON and records
// the outcome. A delivery is claimed before it is sent, under a lease (see
// claim.go), so that two servers never send the same delivery at once and a
// server killed mid-attempt leaves it to be retried when the lease runs
// out; a delivery marked DELIVERED is never claimed again.
//
// The network makes this at least once: a receiver may answer 2xx and the
// server die before it records it. Every attempt of a delivery carries the
// same delivery ID in the Privhub-Delivery header, so a receiver that keeps
// the IDs it processed (and answers 2xx to one it already has) processes
// each notice exactly once.
//
// What a receiver gets, for each attempt:
//
//	POST <subscriber url>
//	Content-Type: application/json
//	Privhub-Delivery: whd_01jf...          (stable across retries: dedupe by it)
//	Privhub-Event: subprocessor.change    (the event kind)
//	Privhub-Attempt: 1
//	Privhub-Signature: t=1765123456,v1=5d41402abc4b2a76b9719d911017c592...
//
//	{"id":"whe_01jf...","kind":"subprocessor.change","createdAt":"2026-12-07T16:00:00.123Z","data":{...}}
//
// v1 is the hex HMAC-SHA256, keyed with the subscriber's secret, of the
// timestamp t (Unix seconds), a full stop and the raw body; Verify checks
// it. The dispatcher's own bookkeeping (claims, attempts, outcomes) is
// written with plain SQL, outside the audit trail: the delivery log is its
// record, and the events and subscribers themselves are audited writes.
package webhook

import (
	"regexp"

	"github.com/privhub/privhub/internal/apperr"
)

// The event kinds privhub emits. A subscriber lists the kinds it wants, or
// AllKinds; every subscriber receives KindPing, which is sent on demand.
const (
	// KindSubprocessorChange announces the addition, replacement or removal
	// of a subprocessor (GDPR Art. 28(2), SCC Clause 9): the kind the
	// subprocessor announcements pass to Enqueue.
	KindSubprocessorChange = "subprocessor.change"
	// KindPing is the test event of pingWebhook.
	KindPing = "webhook.ping"
	// AllKinds, in a subscriber's events, subscribes to every kind.
	AllKinds = "*"
)

// The headers of a delivery.
const (
	HeaderDelivery  = "Privhub-Delivery"
	HeaderEvent     = "Privhub-Event"
	HeaderAttempt   = "Privhub-Attempt"
	HeaderSignature = "Privhub-Signature"
)

// kindPattern is the shape of an event kind: dot-separated lower-case words.
var kindPattern = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$`)

// maxKindLen is the longest event kind.
const maxKindLen = 100

// checkKind refuses an event kind that is not of the expected shape, as bad
// input in field.
func checkKind(field, kind string) error {
	if len(kind) > maxKindLen || !kindPattern.MatchString(kind) {
		return apperr.Invalid(field, "%q is not an event kind: dot-separated lower-case words, e.g. %s", clip(kind, 40), KindSubprocessorChange)
	}
	return nil
}

// subscribes reports whether a subscriber with these events receives kind.
func subscribes(events []string, kind string) bool {
	if kind == KindPing {
		return true
	}
	for _, e := range events {
		if e == kind || e == AllKinds {
			return true
		}
	}
	return false
}

// clip shortens s to at most n bytes, on a rune boundary, marking the cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && s[cut]&0xC0 == 0x80 {
		cut--
	}
	return s[:cut] + "…"
}
