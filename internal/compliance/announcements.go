package compliance

import (
	"fmt"
	"strings"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/subprocessorannouncement"
	"github.com/privhub/privhub/ent/subprocessorobjection"
	"github.com/privhub/privhub/internal/law"
	"github.com/privhub/privhub/internal/pulid"
)

// checkAnnouncements reports each subprocessor change one of our own
// organisations announced, by e.at, to take effect before the notice
// period it owes a controller ran out (a forced announcement: see
// internal/announce). The breach is historic once every such period has
// run out.
func (e *eval) checkAnnouncements() {
	for _, a := range e.announcements {
		if a.AnnouncedAt.After(e.at) {
			continue
		}
		var short []*ent.InformedParty
		var over time.Time
		for _, inf := range e.informedOf[a.ID] {
			if !law.NoticeGiven(inf.InformedAt, a.EffectiveAt, inf.NoticeDays) {
				short = append(short, inf)
				if end := law.NoticeRunsOut(inf.InformedAt, inf.NoticeDays); end.After(over) {
					over = end
				}
			}
		}
		if len(short) > 0 {
			e.announcedEarly(a, short, over)
		}
	}
}

// announcedEarly reports an announcement that takes effect before the
// notice periods of the controllers in short ran out (the last on over).
func (e *eval) announcedEarly(a *ent.SubprocessorAnnouncement, short []*ent.InformedParty, over time.Time) {
	org, sub := e.holderName(a.OrganizationID), e.holderName(a.VendorID)
	change := strings.ToLower(string(a.Kind))
	if a.ReplacesID != nil {
		change = "replaced " + e.holderName(*a.ReplacesID) + " with"
	}
	owed := make([]string, 0, len(short))
	for _, inf := range short {
		owed = append(owed, fmt.Sprintf("%d days' notice to %s under %s, informed %s, ran until %s",
			inf.NoticeDays, e.partyName(inf.ContractID, inf.ContractPartyID), e.contractTitle(inf.ContractID),
			day(inf.InformedAt), day(law.NoticeRunsOut(inf.InformedAt, inf.NoticeDays))))
	}
	msg := fmt.Sprintf("%s announced on %s that it %s its subprocessor %s with effect from %s, before the notice it owes its controllers ran out: %s.",
		org, day(a.AnnouncedAt), change, sub, day(a.EffectiveAt), strings.Join(owed, "; "))
	if a.Forced {
		msg += fmt.Sprintf(" It was forced: %q.", a.ForceReason)
	}
	f := e.add(RuleAnnouncedEarly, target{id: a.ID, typ: TargetAnnouncement, label: org + ": " + change + " " + sub}, "", msg)
	f.Since = ptr(a.AnnouncedAt)
	f.Historic = !over.After(e.at)
	f.relate(a.OrganizationID, a.VendorID)
	if a.ReplacesID != nil {
		f.relate(*a.ReplacesID)
	}
	for _, inf := range short {
		if c, ok := e.contracts[inf.ContractID]; ok && !f.Involves(c.ID) {
			f.Evidence = append(f.Evidence, e.contractEvidence(c, ""))
			f.relate(c.ID)
		}
	}
}

// checkAnnounced reports an active subprocessor transfer from one of our
// own organisations, acting as processor, to a subprocessor it did not
// announce to its controllers by e.at, whose latest announcement removed or
// replaced it with effect by then, or whose announcement met an objection
// that was upheld.
func (e *eval) checkAnnounced(t *ent.Transfer, proc, sub pulid.ID) {
	var latest *ent.SubprocessorAnnouncement
	for _, a := range e.announcements { // by announced_at
		if a.OrganizationID == proc && !a.AnnouncedAt.After(e.at) &&
			(a.VendorID == sub || (a.ReplacesID != nil && *a.ReplacesID == sub)) {
			latest = a
		}
	}
	var why string
	switch {
	case latest == nil:
		why = "it announced no such subprocessor to its controllers"
	case latest.VendorID != sub || latest.Kind == subprocessorannouncement.KindRemoved:
		if latest.EffectiveAt.After(e.at) {
			return // it goes, but not yet
		}
		why = fmt.Sprintf("it announced on %s that the subprocessor goes with effect from %s", day(latest.AnnouncedAt), day(latest.EffectiveAt))
	case e.upheld(latest.ID):
		why = fmt.Sprintf("a controller's objection to its announcement of %s was upheld", day(latest.AnnouncedAt))
	default:
		return
	}
	f := e.unauthorised(t, proc, sub, why)
	if latest != nil {
		f.relate(latest.ID)
	}
}

// upheld reports whether an objection to an announcement was upheld.
func (e *eval) upheld(announcement pulid.ID) bool {
	for _, o := range e.objectionsTo[announcement] {
		if o.Outcome == subprocessorobjection.OutcomeUpheld && (o.DecidedAt == nil || !o.DecidedAt.After(e.at)) {
			return true
		}
	}
	return false
}

// partyName returns the name of the holder behind a contract party.
func (e *eval) partyName(contract, party pulid.ID) string {
	for _, p := range e.parties[contract] {
		if p.ID == party {
			return e.holderName(either(p.OrganizationID, p.VendorID))
		}
	}
	return string(party)
}

// contractTitle returns a contract's title.
func (e *eval) contractTitle(id pulid.ID) string {
	if c, ok := e.contracts[id]; ok {
		return c.Title
	}
	return string(id)
}
