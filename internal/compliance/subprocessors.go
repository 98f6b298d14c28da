package compliance

import (
	"fmt"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/contract"
	"github.com/privhub/privhub/ent/subprocessorchange"
	"github.com/privhub/privhub/internal/law"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/vocab"
)

// checkSubprocessors reports subprocessors engaged before the notice period
// their processor owes ran out, and subprocessors that receive data with no
// notice on record, against an upheld objection, or without the specific
// authorisation the contract requires.
func (e *eval) checkSubprocessors() {
	for _, ch := range e.changes {
		e.checkNotice(ch)
	}
	for _, t := range e.active {
		if t.ImporterRole == vocab.RoleSubprocessor {
			e.checkAuthorised(t)
		}
	}
	e.checkAnnouncements()
}

// checkNotice reports a subprocessor engaged, as of e.at, before the end of
// the notice its processor gave: the notice period of the processor's
// contracts with those it processes for, and the objection deadline of the
// notice, whichever ends later.
func (e *eval) checkNotice(ch *ent.SubprocessorChange) {
	if ch.Kind == subprocessorchange.KindRemoved || ch.NotifiedAt.After(e.at) {
		return
	}
	engaged := ch.EngagedAt
	if engaged == nil {
		engaged = e.firstFlow(ch.ProcessorID, ch.SubprocessorID)
	}
	if engaged == nil || engaged.After(e.at) {
		return
	}
	days, source := e.noticeDays(ch.ProcessorID)
	var earliest *time.Time
	if days > 0 {
		earliest = ptr(law.NoticeRunsOut(ch.NotifiedAt, days))
	}
	if ch.ObjectionDeadline != nil && (earliest == nil || ch.ObjectionDeadline.After(*earliest)) {
		earliest, source = ch.ObjectionDeadline, nil
	}
	// Engaged on the day the later of the two ran out, or after: in time.
	if earliest == nil || law.NoticeGiven(*earliest, *engaged, 0) {
		return
	}
	proc, sub := e.holderName(ch.ProcessorID), e.holderName(ch.SubprocessorID)
	after := int(dateOf(*engaged).Sub(dateOf(ch.NotifiedAt)).Hours() / 24)
	period := "the objection period of the notice"
	if source != nil {
		period = fmt.Sprintf("the %d days' notice of %s", days, source.Title)
	}
	f := e.add(RuleSubNoticeTooShort, e.holderTarget(ch.SubprocessorID), string(ch.ID), fmt.Sprintf(
		"%s gave notice of its new subprocessor %s on %s and engaged it on %s, %d days later; %s ran until %s.",
		proc, sub, day(ch.NotifiedAt), day(*engaged), after, period, day(*earliest)))
	f.Since = engaged
	for _, step := range e.chainTo(ch.SubprocessorID) {
		f.Evidence = append(f.Evidence, e.transferEvidence(step))
		f.relate(step.ID)
	}
	f.Evidence = append(f.Evidence, &Evidence{Kind: TargetChange, ID: ch.ID, Label: fmt.Sprintf(
		"notice by %s of %s: notified %s, engaged %s, objection deadline %s", proc, sub, day(ch.NotifiedAt), day(*engaged), dayOrNone(ch.ObjectionDeadline))})
	if source != nil {
		f.Evidence = append(f.Evidence, e.contractEvidence(source, ""))
		f.relate(source.ID)
	}
	f.relate(ch.ProcessorID, ch.ID)
}

// checkAuthorised reports an active subprocessor transfer from a processor
// with no notice of the subprocessor on record by e.at, whose latest notice
// met an objection that was upheld, or that lacks the specific
// authorisation its contract requires.
func (e *eval) checkAuthorised(t *ent.Transfer) {
	proc, sub := exporterID(t), importerID(t)
	if _, own := e.orgs[proc]; own {
		e.checkAnnounced(t, proc, sub) // our own notices are announcements
		return
	}
	var latest *ent.SubprocessorChange
	for _, ch := range e.notices[[2]pulid.ID{proc, sub}] {
		if !ch.NotifiedAt.After(e.at) {
			latest = ch
		}
	}
	var why string
	switch {
	case latest == nil:
		why = "no notice of the subprocessor is on record"
	case latest.Kind == subprocessorchange.KindRemoved:
		why = fmt.Sprintf("%s gave notice on %s that it removed the subprocessor", e.holderName(proc), day(latest.NotifiedAt))
	case latest.Outcome != nil && *latest.Outcome == subprocessorchange.OutcomeUpheld:
		why = fmt.Sprintf("the objection to its notice of %s was upheld", day(latest.NotifiedAt))
	case e.specificAuthorisation(proc) != nil && (latest.Outcome == nil || *latest.Outcome != subprocessorchange.OutcomeAccepted):
		why = fmt.Sprintf("%s requires specific prior authorisation (Clause 9(a) Option 1) and none is recorded for the notice of %s",
			e.specificAuthorisation(proc).Title, day(latest.NotifiedAt))
	default:
		return
	}
	f := e.unauthorised(t, proc, sub, why)
	if latest != nil {
		f.relate(latest.ID)
	}
}

// unauthorised reports a subprocessor transfer that lacks authorisation,
// and why.
func (e *eval) unauthorised(t *ent.Transfer, proc, sub pulid.ID, why string) *Finding {
	f := e.add(RuleSubUnauthorised, e.holderTarget(sub), string(proc), fmt.Sprintf(
		"%s passes personal data to its subprocessor %s since %s, but %s.", e.holderName(proc), e.holderName(sub), day(t.ActiveFrom), why))
	f.Since = ptr(t.ActiveFrom)
	f.Evidence = e.chainEvidence(t)
	f.relate(proc, t.ID)
	return f
}

// firstFlow returns the start of the earliest transfer from one holder to
// another, or nil.
func (e *eval) firstFlow(from, to pulid.ID) *time.Time {
	var first *time.Time
	for _, t := range e.imports[to] {
		if exporterID(t) == from && (first == nil || t.ActiveFrom.Before(*first)) {
			first = ptr(t.ActiveFrom)
		}
	}
	return first
}

// principalContracts returns the DPAs and SCCs binding a processor to those
// it receives data from.
func (e *eval) principalContracts(processor pulid.ID) []*ent.Contract {
	if out, ok := e.principalMemo[processor]; ok {
		return out
	}
	principals := map[pulid.ID]bool{}
	for _, t := range e.imports[processor] {
		principals[exporterID(t)] = true
	}
	var out []*ent.Contract
	for _, c := range e.contractsOf[processor] {
		if c.Kind != contract.KindDpa && c.Kind != contract.KindScc {
			continue
		}
		for _, p := range e.parties[c.ID] {
			if principals[either(p.OrganizationID, p.VendorID)] {
				out = append(out, c)
				break
			}
		}
	}
	e.principalMemo[processor] = out
	return out
}

// noticeDays returns the longest notice period a processor owes under its
// contracts with those it processes for (see law.NoticeDays), and the
// contract that sets it.
func (e *eval) noticeDays(processor pulid.ID) (int, *ent.Contract) {
	var best int
	var source *ent.Contract
	for _, c := range e.principalContracts(processor) {
		if days := law.NoticeDays(c, e.clauses[c.ID]); days > best {
			best, source = days, c
		}
	}
	return best, source
}

// specificAuthorisation returns a contract under which a processor needs
// specific prior authorisation for each subprocessor, or nil.
func (e *eval) specificAuthorisation(processor pulid.ID) *ent.Contract {
	for _, c := range e.principalContracts(processor) {
		if c.Clause9Option != nil && *c.Clause9Option == contract.Clause9OptionSpecificAuthorisation {
			return c
		}
	}
	return nil
}

// dateOf returns the UTC date of an instant, at midnight.
func dateOf(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// dayOrNone formats an optional date.
func dayOrNone(t *time.Time) string {
	if t == nil {
		return "none"
	}
	return day(*t)
}
