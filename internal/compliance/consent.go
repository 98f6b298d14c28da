package compliance

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/datacategory"
	"github.com/privhub/privhub/ent/purpose"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/vocab"
)

// checkDisclosures reports, for every disclosure made by e.at, the users it
// included who had opted out of the flow before it, and the users whose
// special-category data it included without their explicit consent; then,
// for the active flows that carry special-category data without any
// disclosure on record, the users whose such data they carry without it.
// One finding covers one disclosure (or flow) and lists the users.
func (e *eval) checkDisclosures() {
	disclosed := map[pulid.ID]bool{}
	for _, d := range e.disclosures {
		disclosed[d.TransferID] = true
		if d.DisclosedAt.After(e.at) {
			continue
		}
		t, ok := e.transferByID[d.TransferID]
		if !ok {
			continue
		}
		e.checkOptedOut(d, t)
		e.checkExplicit(t, d, newSharing(e.heldSpecial(e.dusers[d.ID], e.descendants(e.dcats[d.ID]), d.DisclosedAt)), d.DisclosedAt)
	}
	shared := map[string]*sharing{}
	// A flow with no recorded disclosure shares what its exporter collected.
	// Only a controller recipient needs the subject's own explicit consent:
	// a processor handles the data within our processing and its basis.
	for _, t := range e.active {
		if disclosed[t.ID] || (t.ImporterRole != vocab.RoleController && t.ImporterRole != vocab.RoleJointController) {
			continue
		}
		// Flows from one exporter with the same purposes that carry the
		// same special categories it collected share what they carry:
		// work it out once.
		hits := e.specialHeld(t)
		if len(hits) == 0 {
			continue
		}
		key := fmt.Sprint(hits, e.tpurposes[t.ID])
		sh, ok := shared[key]
		if !ok {
			held := map[pulid.ID][]string{}
			for _, k := range hits {
				for _, ri := range e.special[k] {
					if r := &e.records.list[ri]; r.collected <= e.atNanos {
						held[r.user] = appendKey(held[r.user], e.cats[k.category].Key)
					}
				}
			}
			sh = newSharing(held)
			shared[key] = sh
		}
		if len(sh.users) > 0 {
			e.checkExplicit(t, nil, sh, e.at)
		}
	}
}

// specialHeld returns the (collector, category, purpose) groups of
// special-category records a transfer carries: collected by its exporter,
// of a category it carries, for one of its purposes; sorted.
func (e *eval) specialHeld(t *ent.Transfer) []specialKey {
	var hits []specialKey
	for cat := range e.descendants(e.tcats[t.ID]) {
		if c := e.cats[cat]; c == nil || c.Sensitivity != datacategory.SensitivitySpecial {
			continue
		}
		for _, p := range e.tpurposes[t.ID] {
			if k := (specialKey{exporterID(t), cat, p}); len(e.special[k]) > 0 {
				hits = append(hits, k)
			}
		}
	}
	slices.SortFunc(hits, func(a, b specialKey) int {
		return cmp.Or(cmp.Compare(a.category, b.category), cmp.Compare(a.purpose, b.purpose))
	})
	return hits
}

// sharing is the special-category data flows with the same exporter,
// categories and purposes share (or one disclosure): per user, the keys of
// their special categories it carries, and the users in order. Whether a
// user's ledger allows the sharing depends on the recipient only when an
// entry names one, so the verdicts of the other users are worked out once.
type sharing struct {
	held  map[pulid.ID][]string
	users []pulid.ID

	evaluated bool
	refused   []pulid.ID // users without recipient-specific entries and without explicit consent
	specific  []pulid.ID // users whose ledger names a recipient
	verdicts  map[pulid.ID]verdict
}

func newSharing(held map[pulid.ID][]string) *sharing {
	users := make([]pulid.ID, 0, len(held))
	for u := range held {
		users = append(users, u)
	}
	slices.Sort(users)
	return &sharing{held: held, users: users, verdicts: map[pulid.ID]verdict{}}
}

// verdict is what a user's ledger says about explicit consent for a set of
// purposes: whether it is in force, and the entry that decided.
type verdict struct {
	ok   bool
	last *ent.Consent
}

// refusing returns, in order, the users of sh whose ledger gives no explicit
// consent for purposes to recipient as of when.
func (e *eval) refusing(sh *sharing, purposes []pulid.ID, recipient pulid.ID, when time.Time) []pulid.ID {
	if !sh.evaluated {
		for _, u := range sh.users {
			if e.namesRecipient(u) {
				sh.specific = append(sh.specific, u)
				continue
			}
			var v verdict
			v.ok, v.last = e.explicitlyConsented(u, purposes, "", when)
			if !v.ok {
				sh.verdicts[u] = v
				sh.refused = append(sh.refused, u)
			}
		}
		sh.evaluated = true
	}
	out := sh.refused
	if len(sh.specific) > 0 {
		out = slices.Clone(sh.refused)
		for _, u := range sh.specific {
			var v verdict
			v.ok, v.last = e.explicitlyConsented(u, purposes, recipient, when)
			if !v.ok {
				sh.verdicts[u] = v // the last flow's verdict; read right after
				out = append(out, u)
			}
		}
		slices.Sort(out)
	}
	return out
}

// namesRecipient reports whether any of a user's ledger entries is for one
// recipient only.
func (e *eval) namesRecipient(u pulid.ID) bool {
	if v, ok := e.recipientMemo[u]; ok {
		return v
	}
	v := slices.ContainsFunc(e.ledger.byUser[u], func(c *ent.Consent) bool { return c.RecipientID != nil })
	e.recipientMemo[u] = v
	return v
}

// heldSpecial returns, for each of users, the keys of the special
// categories among cats whose data was collected by when.
func (e *eval) heldSpecial(users []pulid.ID, cats map[pulid.ID]bool, when time.Time) map[pulid.ID][]string {
	held := map[pulid.ID][]string{}
	until := unixNanos(when)
	for _, u := range users {
		for _, ri := range e.records.byUser[u] {
			r := &e.records.list[ri]
			if c := e.cats[r.category]; cats[r.category] && c != nil &&
				c.Sensitivity == datacategory.SensitivitySpecial && r.collected <= until {
				held[u] = appendKey(held[u], c.Key)
			}
		}
	}
	return held
}

// appendKey adds key to keys unless it is there already.
func appendKey(keys []string, key string) []string {
	if slices.Contains(keys, key) {
		return keys
	}
	return append(keys, key)
}

// checkOptedOut reports the users a disclosure included whose choice, just
// before it, refused the flow: a withdrawal or opt-out naming the recipient
// for one of the transfer's purposes, or of the purpose as a whole when the
// transfer honours opt-outs.
func (e *eval) checkOptedOut(d *ent.Disclosure, t *ent.Transfer) {
	to := importerID(t)
	var ev []*Evidence
	for _, u := range e.dusers[d.ID] {
		for _, p := range e.tpurposes[t.ID] {
			if c := e.choice(u, p, to, d.DisclosedAt, false, t.HonoursOptOuts); refusal(c) {
				ev = append(ev, &Evidence{Kind: TargetUser, ID: u, Label: e.userLabel(u) + ": " + e.describe(c)})
				break
			}
		}
	}
	if len(ev) == 0 {
		return
	}
	sortEvidence(ev)
	f := e.add(RuleDisclosureOptOut, e.disclosureTarget(d, t), "", fmt.Sprintf(
		"The disclosure of %s to %s (%s) included %s who had opted out of it or withdrawn consent before: %s.",
		day(d.DisclosedAt), e.holderName(to), d.Reference, countUsers(len(ev)), labels(ev, 10, len(ev))))
	f.Since = ptr(d.DisclosedAt)
	f.Evidence = append([]*Evidence{e.transferEvidence(t)}, ev...)
	f.relate(t.ID, exporterID(t), to)
}

// maxEvidence is the most people or records one finding lists as evidence;
// its message always counts them all.
const maxEvidence = 100

// checkExplicit reports the users whose special-category data a flow shared
// (by disclosure d at `when`, or continuously when d is nil) without an
// explicit consent for one of the flow's purposes in force at that time.
// sh gives, per user, the keys of the special categories of theirs the flow
// shared.
func (e *eval) checkExplicit(t *ent.Transfer, d *ent.Disclosure, sh *sharing, when time.Time) {
	to := importerID(t)
	var ev []*Evidence
	refused := e.refusing(sh, e.tpurposes[t.ID], to, when)
	n := len(refused)
	for _, u := range refused[:min(n, maxEvidence)] {
		held := sh.held[u]
		last := sh.verdicts[u].last
		slices.Sort(held)
		why := "no consent on record"
		if last != nil {
			why = "last choice: " + e.describe(last)
			if granted(last) {
				why += ", not explicit"
			}
		}
		ev = append(ev, &Evidence{Kind: TargetUser, ID: u, Label: fmt.Sprintf("%s: %s; %s", e.userLabel(u), strings.Join(held, ", "), why)})
	}
	if len(ev) == 0 {
		return
	}
	sortEvidence(ev)
	var tg target
	var msg string
	if d != nil {
		tg = e.disclosureTarget(d, t)
		msg = fmt.Sprintf("The disclosure of %s to %s (%s) included the special-category data (GDPR Art. 9) of %s without their explicit consent: %s.",
			day(d.DisclosedAt), e.holderName(to), d.Reference, countUsers(n), labels(ev, 10, n))
	} else {
		tg = e.transferTarget(t)
		msg = fmt.Sprintf("%s shares with %s the special-category data (GDPR Art. 9) of %s without their explicit consent: %s.",
			e.holderName(exporterID(t)), e.holderName(to), countUsers(n), labels(ev, 10, n))
	}
	f := e.add(RuleSpecialNoExplicit, tg, "", msg)
	f.Since = ptr(when)
	if d == nil {
		f.Since = ptr(t.ActiveFrom)
	}
	f.Evidence = append([]*Evidence{e.transferEvidence(t)}, ev...)
	f.relate(t.ID, exporterID(t), to)
}

// checkConsent reports, per collector and purpose, the data records
// collected by e.at for a purpose that rests on consent, whose user had not
// granted it when the record was collected or has withdrawn it since. A
// consent naming a vendor collector counts as well as one for the purpose
// as a whole.
func (e *eval) checkConsent() {
	type group struct {
		collector, purpose pulid.ID
		records            int
		users              map[pulid.ID][]string
		first              time.Time
	}
	groups := map[[2]pulid.ID]*group{}
	// Only records kept for a purpose that rests on consent are read.
	onConsent := make([]bool, len(e.records.sets))
	for i, set := range e.records.sets {
		onConsent[i] = slices.ContainsFunc(set, e.restsOnConsent)
	}
	for i := range e.records.list {
		r := &e.records.list[i]
		if !onConsent[r.purposes] || r.collected > e.atNanos {
			continue
		}
		collector, collected := r.holder, r.collectedAt()
		recipient := pulid.ID("")
		if r.byVendor {
			recipient = collector
		}
		for _, p := range e.records.purposesOf(r) {
			if !e.restsOnConsent(p) {
				continue
			}
			then := e.choice(r.user, p, recipient, collected, true, true)
			now := e.choice(r.user, p, recipient, e.at, true, true)
			var why string
			switch {
			case !granted(then):
				why = fmt.Sprintf("%s collected %s; %s", e.categoryKey(r.category), day(collected), e.describe(then))
			case !granted(now):
				why = fmt.Sprintf("%s collected %s; since then %s", e.categoryKey(r.category), day(collected), e.describe(now))
			default:
				continue
			}
			k := [2]pulid.ID{collector, p}
			g := groups[k]
			if g == nil {
				g = &group{collector: collector, purpose: p, users: map[pulid.ID][]string{}, first: collected}
				groups[k] = g
			}
			g.records++
			g.users[r.user] = append(g.users[r.user], why)
			if collected.Before(g.first) {
				g.first = collected
			}
		}
	}
	list := make([]*group, 0, len(groups))
	for _, g := range groups {
		list = append(list, g)
	}
	slices.SortFunc(list, func(a, b *group) int {
		return cmp.Or(cmp.Compare(e.holderName(a.collector), e.holderName(b.collector)), cmp.Compare(e.purposeKey(a.purpose), e.purposeKey(b.purpose)))
	})
	for _, g := range list {
		users := make([]pulid.ID, 0, len(g.users))
		for u := range g.users {
			users = append(users, u)
		}
		slices.Sort(users)
		var ev []*Evidence
		for _, u := range users[:min(len(users), maxEvidence)] {
			whys := g.users[u]
			slices.Sort(whys)
			ev = append(ev, &Evidence{Kind: TargetUser, ID: u, Label: e.userLabel(u) + ": " + strings.Join(whys, "; ")})
		}
		sortEvidence(ev)
		f := e.add(RuleConsentMissing, e.holderTarget(g.collector), string(g.purpose), fmt.Sprintf(
			"%s holds %s of %s for purpose %s, which rests on consent, without a consent granted when collected and in force since: %s.",
			e.holderName(g.collector), countRecords(g.records), countUsers(len(g.users)), e.purposeKey(g.purpose), labels(ev, 10, len(g.users))))
		f.Since = ptr(g.first)
		f.Evidence = ev
		f.relate(g.purpose)
		for _, t := range e.inbound[g.collector] {
			if slices.Contains(e.tpurposes[t.ID], g.purpose) {
				f.relate(t.ID)
			}
		}
	}
}

// restsOnConsent reports whether a purpose's legal basis is consent.
func (e *eval) restsOnConsent(p pulid.ID) bool {
	pur, ok := e.purposes[p]
	return ok && pur.LegalBasis == purpose.LegalBasisConsent
}

// anySpecial reports whether a set of categories holds a special category.
func (e *eval) anySpecial(cats map[pulid.ID]bool) bool {
	for id := range cats {
		if c, ok := e.cats[id]; ok && c.Sensitivity == datacategory.SensitivitySpecial {
			return true
		}
	}
	return false
}

// disclosureTarget returns a disclosure as a finding target.
func (e *eval) disclosureTarget(d *ent.Disclosure, t *ent.Transfer) target {
	label := fmt.Sprintf("Disclosure of %s to %s", day(d.DisclosedAt), e.holderName(importerID(t)))
	if d.Reference != "" {
		label += ": " + d.Reference
	}
	return target{id: d.ID, typ: TargetDisclosure, label: label}
}

// intersects reports whether two sorted or unsorted ID lists share an ID.
func intersects(a, b []pulid.ID) bool {
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}

// sortEvidence orders evidence by label, then ID.
func sortEvidence(ev []*Evidence) {
	slices.SortFunc(ev, func(a, b *Evidence) int { return cmp.Or(cmp.Compare(a.Label, b.Label), cmp.Compare(a.ID, b.ID)) })
}

// labels lists the first part (before ":") of up to max evidence labels,
// with the number of the others.
func labels(ev []*Evidence, max, total int) string {
	var names []string
	for i, x := range ev {
		if i == max {
			names = append(names, fmt.Sprintf("and %d more", total-max))
			break
		}
		name, _, _ := strings.Cut(x.Label, ":")
		names = append(names, name)
	}
	return strings.Join(names, ", ")
}

func countUsers(n int) string {
	if n == 1 {
		return "1 user"
	}
	return fmt.Sprintf("%d users", n)
}

func countRecords(n int) string {
	if n == 1 {
		return "1 record"
	}
	return fmt.Sprintf("%d records", n)
}
