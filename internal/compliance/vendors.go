package compliance

import (
	"fmt"
	"strings"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/assessment"
	"github.com/privhub/privhub/ent/vendor"
	"github.com/privhub/privhub/internal/pulid"
)

// reviewCadence returns the months between a vendor's reviews: its own
// cadence, or 12, 24 and 36 months for HIGH, MEDIUM and LOW risk.
func reviewCadence(v *ent.Vendor) int {
	if v.ReviewCadenceMonths > 0 {
		return v.ReviewCadenceMonths
	}
	switch v.RiskTier {
	case vendor.RiskTierHigh:
		return 12
	case vendor.RiskTierLow:
		return 36
	}
	return 24
}

// vendorsInUse returns, for each vendor that holds personal data at e.at
// (it imports on an active transfer or has collected data records itself),
// since when it does.
func (e *eval) vendorsInUse() map[pulid.ID]time.Time {
	since := map[pulid.ID]time.Time{}
	note := func(id pulid.ID, t time.Time) {
		if _, ok := e.vendors[id]; !ok {
			return
		}
		if s, ok := since[id]; !ok || t.Before(s) {
			since[id] = t
		}
	}
	for _, t := range e.active {
		note(importerID(t), t.ActiveFrom)
	}
	for v, first := range e.records.firstByVendor {
		if first <= e.atNanos {
			note(v, time.Unix(0, first).UTC())
		}
	}
	return since
}

// checkVendors reports, for every vendor holding personal data at e.at, a
// review overdue for its risk tier, a failed latest review, and the want of
// any security measure on record.
func (e *eval) checkVendors() {
	inUse := e.vendorsInUse()
	for _, v := range e.vendorList {
		since, ok := inUse[v.ID]
		if !ok {
			continue
		}
		var latest *ent.Assessment
		for _, a := range e.reviews[v.ID] {
			if !a.PerformedAt.After(e.at) {
				latest = a
			}
		}
		cadence := reviewCadence(v)
		tier := fmt.Sprintf("%s risk, reviewed every %d months", strings.ToLower(string(v.RiskTier)), cadence)
		switch {
		case latest == nil:
			f := e.add(RuleReviewOverdue, e.holderTarget(v.ID), "", fmt.Sprintf(
				"%s (%s) holds personal data since %s and has never been reviewed.", v.Name, tier, day(since)))
			f.Since = ptr(since)
			e.vendorFlows(f, v.ID)
		default:
			due := latest.PerformedAt.AddDate(0, cadence, 0)
			if latest.NextDue != nil {
				due = *latest.NextDue
			}
			if due.Before(e.at) {
				f := e.add(RuleReviewOverdue, e.holderTarget(v.ID), "", fmt.Sprintf(
					"%s (%s) was last reviewed on %s (outcome %s); the next review was due on %s.",
					v.Name, tier, day(latest.PerformedAt), latest.Outcome, day(due)))
				f.Since = ptr(due)
				f.Evidence = append(f.Evidence, reviewEvidence(latest, due))
				e.vendorFlows(f, v.ID)
			}
			if latest.Outcome == assessment.OutcomeFail {
				f := e.add(RuleReviewFailed, e.holderTarget(v.ID), "", fmt.Sprintf(
					"%s failed its review of %s: %s", v.Name, day(latest.PerformedAt), orNone(latest.Findings)))
				f.Since = ptr(latest.PerformedAt)
				f.Evidence = append(f.Evidence, reviewEvidence(latest, due))
				e.vendorFlows(f, v.ID)
			}
		}
		if !e.secured[v.ID] {
			f := e.add(RuleNoSecurityMeasure, e.holderTarget(v.ID), "", fmt.Sprintf(
				"%s holds personal data since %s and no technical or organisational security measure of it is on record.", v.Name, day(since)))
			f.Since = ptr(since)
			e.vendorFlows(f, v.ID)
		}
	}
}

// reviewEvidence describes a vendor review.
func reviewEvidence(a *ent.Assessment, due time.Time) *Evidence {
	return &Evidence{Kind: TargetAssessment, ID: a.ID, Label: fmt.Sprintf(
		"vendor review of %s, outcome %s, next due %s", day(a.PerformedAt), a.Outcome, day(due))}
}

// vendorFlows adds the active transfers into a vendor to a finding about it.
func (e *eval) vendorFlows(f *Finding, id pulid.ID) {
	for _, t := range e.inbound[id] {
		f.Evidence = append(f.Evidence, e.transferEvidence(t))
		f.relate(t.ID, exporterID(t))
	}
}

// orNone returns s, or "no details recorded." when it is empty.
func orNone(s string) string {
	if s == "" {
		return "no details recorded."
	}
	return s
}
