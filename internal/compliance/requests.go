package compliance

import (
	"fmt"
	"strings"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/request"
	"github.com/privhub/privhub/internal/law"
)

// checkRequests reports, for every request received by e.at, an extension
// notified after the first month, an extension beyond two months, and a
// request still open past its lawful due date (law.DeadlineOf decides it).
func (e *eval) checkRequests() {
	for _, r := range e.requests {
		if r.ReceivedAt.After(e.at) {
			continue
		}
		dl := law.DeadlineOf(r.ReceivedAt, r.ExtensionMonths, r.ExtensionNotifiedAt, e.at)
		if dl.NotifiedLate {
			f := e.add(RuleExtensionLate, e.requestTarget(r), "", fmt.Sprintf(
				"%s, received on %s, was extended on %s, after its first month had run out on %s.",
				e.requestName(r), day(r.ReceivedAt), day(*dl.Notified), day(dl.FirstMonth)))
			f.Since = dl.Notified
			e.requestFinding(f, r)
		}
		if dl.TooLong(r.DueAt) {
			f := e.add(RuleExtensionTooLong, e.requestTarget(r), "", fmt.Sprintf(
				"%s, received on %s, was extended by %d months to %s; the longest extension allowed is two more months, to %s.",
				e.requestName(r), day(r.ReceivedAt), dl.Requested, day(r.DueAt), day(dl.Limit)))
			f.Since = ptr(dl.Limit)
			e.requestFinding(f, r)
		}
		if closedBy(r, e.at) || !dl.Overdue(e.at) {
			continue
		}
		late := int(e.at.Sub(dl.Due).Hours() / 24)
		f := e.add(RuleRequestOverdue, e.requestTarget(r), "", fmt.Sprintf(
			"%s (%s), received on %s, is still open; it was due on %s, %d days ago.",
			e.requestName(r), strings.ToLower(string(r.Kind)), day(r.ReceivedAt), day(dl.Due), late))
		f.Since = ptr(dl.Due)
		e.requestFinding(f, r)
	}
}

// closedBy reports whether a request was completed or rejected by at: by
// its completion date, else by its status history, else (with neither on
// record) by its current status.
func closedBy(r *ent.Request, at time.Time) bool {
	if r.CompletedAt != nil {
		return !r.CompletedAt.After(at)
	}
	closed := func(s string) bool {
		return s == string(request.StatusCompleted) || s == string(request.StatusRejected)
	}
	for _, h := range r.History {
		if closed(h.Status) && !h.At.After(at) {
			return true
		}
	}
	return len(r.History) == 0 && closed(string(r.Status))
}

// requestName names a request by its reference, or its ID.
func (e *eval) requestName(r *ent.Request) string {
	if r.Reference != "" {
		return "Request " + r.Reference
	}
	return "Request " + string(r.ID)
}

// requestTarget returns a request as a finding target.
func (e *eval) requestTarget(r *ent.Request) target {
	label := r.Reference
	if label == "" {
		label = string(r.ID)
	}
	return target{id: r.ID, typ: TargetRequest, label: label}
}

// requestFinding adds the request's subject to a finding about it.
func (e *eval) requestFinding(f *Finding, r *ent.Request) {
	f.Evidence = append(f.Evidence, &Evidence{Kind: TargetUser, ID: r.UserID,
		Label: fmt.Sprintf("%s: %s request by the data subject", e.userLabel(r.UserID), strings.ToLower(string(r.Kind)))})
}
