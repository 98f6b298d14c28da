package announce

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/contract"
	"github.com/privhub/privhub/ent/contractparty"
	"github.com/privhub/privhub/ent/country"
	"github.com/privhub/privhub/ent/datacategory"
	"github.com/privhub/privhub/ent/informedparty"
	"github.com/privhub/privhub/ent/purpose"
	"github.com/privhub/privhub/ent/subprocessorannouncement"
	entvendor "github.com/privhub/privhub/ent/vendor"
	"github.com/privhub/privhub/internal/apperr"
	"github.com/privhub/privhub/internal/law"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/vocab"
)

// Announce records a subprocessor change our organisation in.Organization
// announces, in one transaction (the one ctx carries, or its own on c): the
// announcement and one informed row per controller party to each of the
// organisation's controller-facing contracts in force (those it signed as
// processor with a controller: DPAs and SCCs), each with the notice period
// that contract gives (law.NoticeDays). When the change takes effect
// before a controller's period runs out (law.NoticeGiven), it is refused
// with BAD_USER_INPUT naming the contract and the earliest allowed date,
// unless in.Force is set with a reason, which is recorded. pub, when not
// nil, publishes the change inside the same transaction. now is the
// default instant of the announcement.
func Announce(ctx context.Context, c *ent.Client, pub Publisher, in Input, now time.Time) (*ent.SubprocessorAnnouncement, error) {
	var a *ent.SubprocessorAnnouncement
	own, err := inTx(ctx, c, func(ctx context.Context, tx *ent.Tx) (err error) {
		a, err = announce(ctx, tx, pub, in, now)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("announcing a subprocessor change: %w", err)
	}
	if own {
		a = a.Unwrap()
	}
	return a, nil
}

// owed is one controller the announcing organisation owes notice to under
// one contract.
type owed struct {
	contract *ent.Contract
	party    *ent.ContractParty
	days     int
}

// controller returns the name of the controller a notice is owed to.
func (o owed) controller() string {
	if org := o.party.Edges.Organization; org != nil {
		return org.Name
	}
	if v := o.party.Edges.Vendor; v != nil {
		return v.Name
	}
	return string(o.party.ID)
}

func announce(ctx context.Context, tx *ent.Tx, pub Publisher, in Input, now time.Time) (*ent.SubprocessorAnnouncement, error) {
	announced := now
	if in.AnnouncedAt != nil {
		announced = *in.AnnouncedAt
	}
	org, vendor, err := checkInput(ctx, tx, in, announced)
	if err != nil {
		return nil, err
	}
	countryID := vendor.CountryID
	if in.Country != nil {
		countryID = *in.Country
	}
	informed, channel := announced, informedparty.ChannelEmail
	if in.InformedAt != nil {
		informed = *in.InformedAt
	}
	if in.Channel != nil {
		channel = *in.Channel
	}

	owedTo, err := controllersOf(ctx, tx, org.ID, announced)
	if err != nil {
		return nil, err
	}
	overrides := map[pulid.ID]Recipient{}
	for _, r := range in.Informed {
		if _, dup := overrides[r.Party]; dup {
			return nil, apperr.Invalid("informed", "a party is listed twice")
		}
		if !slices.ContainsFunc(owedTo, func(o owed) bool { return o.party.ID == r.Party }) {
			return nil, apperr.Invalid("informed", "a party listed is not a controller's party to a contract in force under which %s processes", org.Name)
		}
		if r.Channel != nil {
			if err := informedparty.ChannelValidator(*r.Channel); err != nil {
				return nil, apperr.Invalid("informed", "%q is not a channel", *r.Channel)
			}
		}
		overrides[r.Party] = r
	}

	rows := make([]*ent.InformedPartyCreate, 0, len(owedTo))
	var short []owed
	var shortAt []time.Time
	for _, o := range owedTo {
		at, ch := informed, channel
		if r, ok := overrides[o.party.ID]; ok {
			if r.InformedAt != nil {
				at = *r.InformedAt
			}
			if r.Channel != nil {
				ch = *r.Channel
			}
		}
		inTime := law.NoticeGiven(at, in.EffectiveAt, o.days)
		if !inTime {
			short, shortAt = append(short, o), append(shortAt, at)
		}
		rows = append(rows, tx.InformedParty.Create().
			SetContractID(o.contract.ID).SetContractPartyID(o.party.ID).
			SetInformedAt(at).SetChannel(ch).SetNoticeDays(o.days).SetInTime(inTime))
	}
	if len(short) > 0 && !in.Force {
		return nil, tooEarly(org, vendor, in, short, shortAt)
	}

	create := tx.SubprocessorAnnouncement.Create().
		SetOrganizationID(org.ID).SetKind(in.Kind).SetVendorID(vendor.ID).SetNillableReplacesID(in.Replaces).
		SetService(in.Service).SetCountryID(countryID).SetMechanism(in.Mechanism).
		SetAnnouncedAt(announced).SetEffectiveAt(in.EffectiveAt).
		SetForced(in.Force).
		AddPurposeIDs(unique(in.Purposes)...).AddCategoryIDs(unique(in.Categories)...)
	if in.Force {
		create.SetForceReason(strings.TrimSpace(*in.Reason))
	}
	a, err := create.Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("recording the announcement: %w", err)
	}
	for _, r := range rows {
		r.SetAnnouncementID(a.ID)
	}
	if len(rows) > 0 {
		if _, err := tx.InformedParty.CreateBulk(rows...).Save(ctx); err != nil {
			return nil, fmt.Errorf("recording who was informed: %w", err)
		}
	}
	if pub != nil {
		// The hook point of the webhook outbox: the event joins this
		// transaction.
		ev, err := eventOf(ctx, tx.Client(), a.ID)
		if err != nil {
			return nil, err
		}
		if err := pub.Publish(ctx, tx, ev); err != nil {
			return nil, fmt.Errorf("publishing the change: %w", err)
		}
	}
	return a, nil
}

// checkInput checks an announcement's input and returns the organisation
// and the vendor it names.
func checkInput(ctx context.Context, tx *ent.Tx, in Input, announced time.Time) (*ent.Organization, *ent.Vendor, error) {
	org, err := tx.Organization.Get(ctx, in.Organization)
	if ent.IsNotFound(err) {
		return nil, nil, apperr.Invalid("organization", "no organization has this ID")
	}
	if err != nil {
		return nil, nil, fmt.Errorf("reading the organization: %w", err)
	}
	vendor, err := tx.Vendor.Get(ctx, in.Vendor)
	if ent.IsNotFound(err) {
		return nil, nil, apperr.Invalid("vendor", "no vendor has this ID")
	}
	if err != nil {
		return nil, nil, fmt.Errorf("reading the vendor: %w", err)
	}
	if err := subprocessorannouncement.KindValidator(in.Kind); err != nil {
		return nil, nil, apperr.Invalid("kind", "%q is not a kind of change: use ADDED, REPLACED or REMOVED", in.Kind)
	}
	switch {
	case in.Kind == subprocessorannouncement.KindReplaced && in.Replaces == nil:
		return nil, nil, apperr.Invalid("replaces", "a replacement names the subprocessor it replaces")
	case in.Kind != subprocessorannouncement.KindReplaced && in.Replaces != nil:
		return nil, nil, apperr.Invalid("replaces", "only a replacement names a subprocessor it replaces")
	case in.Replaces != nil && *in.Replaces == in.Vendor:
		return nil, nil, apperr.Invalid("replaces", "a subprocessor cannot replace itself")
	}
	if in.Replaces != nil {
		if ok, err := tx.Vendor.Query().Where(entvendor.ID(*in.Replaces)).Exist(ctx); err != nil {
			return nil, nil, fmt.Errorf("reading the vendor replaced: %w", err)
		} else if !ok {
			return nil, nil, apperr.Invalid("replaces", "no vendor has this ID")
		}
	}
	if !vocab.Valid(in.Service) {
		return nil, nil, apperr.Invalid("service", "%q is not a service", in.Service)
	}
	if !vocab.Valid(in.Mechanism) {
		return nil, nil, apperr.Invalid("mechanism", "%q is not a transfer mechanism", in.Mechanism)
	}
	if in.Country != nil {
		if ok, err := tx.Country.Query().Where(country.ID(*in.Country)).Exist(ctx); err != nil {
			return nil, nil, fmt.Errorf("reading the country: %w", err)
		} else if !ok {
			return nil, nil, apperr.Invalid("country", "no country has this ID (a country's ID is cty_ and its ISO code)")
		}
	}
	if ids := unique(in.Purposes); len(ids) > 0 {
		if n, err := tx.Purpose.Query().Where(purpose.IDIn(ids...)).Count(ctx); err != nil {
			return nil, nil, fmt.Errorf("reading the purposes: %w", err)
		} else if n != len(ids) {
			return nil, nil, apperr.Invalid("purposes", "an ID in the list names no purpose")
		}
	}
	if ids := unique(in.Categories); len(ids) > 0 {
		if n, err := tx.DataCategory.Query().Where(datacategory.IDIn(ids...)).Count(ctx); err != nil {
			return nil, nil, fmt.Errorf("reading the data categories: %w", err)
		} else if n != len(ids) {
			return nil, nil, apperr.Invalid("categories", "an ID in the list names no data category")
		}
	}
	switch {
	case in.EffectiveAt.IsZero():
		return nil, nil, apperr.Invalid("effectiveAt", "is required")
	case dateOf(in.EffectiveAt).Before(dateOf(announced)):
		return nil, nil, apperr.Invalid("effectiveAt", "%s is before the announcement (%s)", day(in.EffectiveAt), day(announced))
	}
	if in.Channel != nil {
		if err := informedparty.ChannelValidator(*in.Channel); err != nil {
			return nil, nil, apperr.Invalid("channel", "%q is not a channel", *in.Channel)
		}
	}
	if in.Force && (in.Reason == nil || strings.TrimSpace(*in.Reason) == "") {
		return nil, nil, apperr.Invalid("reason", "a forced announcement needs the reason it is forced")
	}
	return org, vendor, nil
}

// controllersOf returns the controllers an organisation owes notice to as
// of an instant: the controller parties of every DPA and SCC in force that
// it signed as processor, with the notice period each contract gives,
// ordered by contract title.
func controllersOf(ctx context.Context, tx *ent.Tx, org pulid.ID, at time.Time) ([]owed, error) {
	mine, err := tx.ContractParty.Query().
		Where(contractparty.OrganizationID(org), contractparty.CapacityEQ(vocab.RoleProcessor)).
		WithContract(func(q *ent.ContractQuery) {
			q.Where(contract.KindIn(contract.KindDpa, contract.KindScc)).
				WithClauses().
				WithParties(func(q *ent.ContractPartyQuery) {
					q.Where(contractparty.CapacityEQ(vocab.RoleController)).WithOrganization().WithVendor()
				})
		}).
		All(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading the contracts of the organization: %w", err)
	}
	var out []owed
	seen := map[pulid.ID]bool{}
	for _, p := range mine {
		ct := p.Edges.Contract
		if ct == nil || seen[ct.ID] || !inForce(ct, at) {
			continue
		}
		seen[ct.ID] = true
		days := law.NoticeDays(ct, ct.Edges.Clauses)
		for _, cp := range ct.Edges.Parties {
			if cp.OrganizationID != nil && *cp.OrganizationID == org {
				continue
			}
			out = append(out, owed{contract: ct, party: cp, days: days})
		}
	}
	slices.SortFunc(out, func(a, b owed) int {
		return cmp.Or(cmp.Compare(a.contract.Title, b.contract.Title), cmp.Compare(a.contract.ID, b.contract.ID), cmp.Compare(a.party.ID, b.party.ID))
	})
	return out, nil
}

// inForce reports whether a contract binds its parties at an instant: from
// its effective date (or its signature) to its expiry.
func inForce(c *ent.Contract, at time.Time) bool {
	from := c.EffectiveAt
	if from == nil {
		from = c.SignedAt
	}
	return law.Within(at, from, c.ExpiresAt)
}

// tooEarly is the refusal of a change that takes effect before the notice
// periods of short (informed at shortAt) run out: it names the contract
// whose period runs out last, and the earliest allowed date.
func tooEarly(org *ent.Organization, vendor *ent.Vendor, in Input, short []owed, shortAt []time.Time) error {
	last := 0
	for i := range short {
		if law.NoticeRunsOut(shortAt[i], short[i].days).After(law.NoticeRunsOut(shortAt[last], short[last].days)) {
			last = i
		}
	}
	o := short[last]
	earliest := law.NoticeRunsOut(shortAt[last], o.days)
	more := ""
	if n := len(short) - 1; n == 1 {
		more = " (and under one more contract)"
	} else if n > 1 {
		more = fmt.Sprintf(" (and under %d more contracts)", n)
	}
	return apperr.Invalid("effectiveAt",
		"%s %s would take effect on %s, before the %d days' notice %s owes %s under %q runs out%s: the earliest allowed date is %s; "+
			"announce it with force and a reason to record it anyway",
		gerund(in.Kind), vendor.Name, day(in.EffectiveAt), o.days, org.Name, o.controller(), o.contract.Title, more, day(earliest))
}

// gerund words a kind of change at the head of a sentence.
func gerund(k subprocessorannouncement.Kind) string {
	switch k {
	case subprocessorannouncement.KindReplaced:
		return "Bringing in"
	case subprocessorannouncement.KindRemoved:
		return "Removing"
	}
	return "Adding"
}

// unique returns ids without duplicates, in their first order.
func unique(ids []pulid.ID) []pulid.ID {
	seen := make(map[pulid.ID]bool, len(ids))
	out := make([]pulid.ID, 0, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// dateOf is the calendar day of t, at midnight UTC.
func dateOf(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// day formats the calendar day of t.
func day(t time.Time) string { return t.UTC().Format(time.DateOnly) }
