package announce

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/datacategory"
	"github.com/privhub/privhub/ent/organization"
	"github.com/privhub/privhub/ent/subprocessorannouncement"
	"github.com/privhub/privhub/internal/apperr"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/vocab"
)

// Entry is what the public subprocessor list says of one subprocessor, and
// all it ever says: no IDs, no people, no contract internals, no risk or
// findings.
type Entry struct {
	// Vendor is the subprocessor's name.
	Vendor string `json:"vendor"`
	// Service is what it does.
	Service vocab.Service `json:"service"`
	// Country and CountryCode say where it processes the data.
	Country     string `json:"country"`
	CountryCode string `json:"countryCode"`
	// TransferMechanism is what its processing there relies on.
	TransferMechanism vocab.Mechanism `json:"transferMechanism"`
	// Purposes are the names of the purposes it processes the data for.
	Purposes []string `json:"purposes"`
	// DataCategories are the coarse categories of data it receives: the
	// top of the taxonomy ("Contact details", not "E-mail address").
	DataCategories []string `json:"dataCategories"`
}

// Change is one entry of the public change log: an addition, replacement
// or removal with the date it was announced and the date it takes effect.
type Change struct {
	// Change is ADDED, REPLACED or REMOVED.
	Change subprocessorannouncement.Kind `json:"change"`
	Entry
	// Replaces is the name of the subprocessor a replacement replaces.
	Replaces    string    `json:"replaces,omitempty"`
	AnnouncedAt time.Time `json:"announcedAt"`
	EffectiveAt time.Time `json:"effectiveAt"`
	// Key is a stable, opaque key of the announcement (not its ID), for
	// the IDs of feed entries and the anchors of the page.
	Key string `json:"-"`
}

// Pending reports whether the change has not taken effect as of at.
func (c Change) Pending(at time.Time) bool { return c.EffectiveAt.After(at) }

// List is one organisation's public subprocessor list as of an instant:
// the subprocessors in use, and every change it announced by then.
type List struct {
	// Organization is the name of the organisation acting as processor.
	Organization string `json:"organization"`
	// AsOf is the instant of the list.
	AsOf time.Time `json:"-"`
	// Subprocessors are those in use as of AsOf, by name.
	Subprocessors []Entry `json:"subprocessors"`
	// Changes are the changes announced by AsOf, the latest first,
	// pending ones included.
	Changes []Change `json:"changes"`
}

// Updated returns when the list last changed: its latest announcement, or
// zero for a list without one.
func (l *List) Updated() time.Time {
	var last time.Time
	for _, ch := range l.Changes {
		if ch.AnnouncedAt.After(last) {
			last = ch.AnnouncedAt
		}
	}
	return last
}

// Lists returns the public subprocessor lists as of at: one per own
// organisation that announced a change by then, by name. org, when not
// empty, keeps only the organisation with that name (in any case) or ID,
// whose list may then be empty; an organisation that does not exist is
// NOT_FOUND.
func Lists(ctx context.Context, c *ent.Client, at time.Time, org string) ([]*List, error) {
	q := withFacts(c.SubprocessorAnnouncement.Query()).
		Where(subprocessorannouncement.AnnouncedAtLTE(at)).
		Order(subprocessorannouncement.ByAnnouncedAt(), subprocessorannouncement.ByID())
	var only *ent.Organization
	if org != "" {
		o, err := c.Organization.Query().Where(organization.Or(organization.ID(pulid.ID(org)), organization.NameEqualFold(org))).First(ctx)
		if ent.IsNotFound(err) {
			return nil, apperr.NotFoundf("no organization is named %q", org)
		}
		if err != nil {
			return nil, fmt.Errorf("finding the organization %q: %w", org, err)
		}
		only = o
		q.Where(subprocessorannouncement.OrganizationID(o.ID))
	}
	all, err := q.All(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading the announcements: %w", err)
	}
	tax, err := taxonomy(ctx, c)
	if err != nil {
		return nil, err
	}
	byOrg := map[pulid.ID]*List{}
	var lists []*List
	if only != nil {
		l := &List{Organization: only.Name, AsOf: at, Subprocessors: []Entry{}, Changes: []Change{}}
		byOrg[only.ID], lists = l, append(lists, l)
	}
	for _, a := range all {
		l := byOrg[a.OrganizationID]
		if l == nil {
			l = &List{Organization: a.Edges.Organization.Name, AsOf: at, Subprocessors: []Entry{}, Changes: []Change{}}
			byOrg[a.OrganizationID], lists = l, append(lists, l)
		}
		l.Changes = append(l.Changes, changeOf(a, tax))
	}
	for _, l := range lists {
		l.Subprocessors = inUse(l.Changes, at)
		slices.Reverse(l.Changes) // the latest first
	}
	slices.SortFunc(lists, func(a, b *List) int { return cmp.Compare(a.Organization, b.Organization) })
	return lists, nil
}

// inUse returns the subprocessors in use as of at after the changes, given
// in the order they were announced: those added or brought in by changes
// in effect, less those removed or replaced since, by name.
func inUse(changes []Change, at time.Time) []Entry {
	effective := slices.Clone(changes)
	effective = slices.DeleteFunc(effective, func(ch Change) bool { return ch.Pending(at) })
	slices.SortStableFunc(effective, func(a, b Change) int { return a.EffectiveAt.Compare(b.EffectiveAt) })
	current := map[string]Entry{}
	for _, ch := range effective {
		switch ch.Change {
		case subprocessorannouncement.KindRemoved:
			delete(current, ch.Vendor)
		case subprocessorannouncement.KindReplaced:
			delete(current, ch.Replaces)
			current[ch.Vendor] = ch.Entry
		default:
			current[ch.Vendor] = ch.Entry
		}
	}
	out := make([]Entry, 0, len(current))
	for _, e := range current {
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b Entry) int { return cmp.Compare(a.Vendor, b.Vendor) })
	return out
}

// withFacts makes a query of announcements load everything the public
// entries name.
func withFacts(q *ent.SubprocessorAnnouncementQuery) *ent.SubprocessorAnnouncementQuery {
	return q.WithOrganization().WithVendor().WithReplaces().WithCountry().WithPurposes().WithCategories()
}

// eventOf returns the event of the announcement with the given ID.
func eventOf(ctx context.Context, c *ent.Client, id pulid.ID) (Event, error) {
	a, err := withFacts(c.SubprocessorAnnouncement.Query()).Where(subprocessorannouncement.ID(id)).Only(ctx)
	if err != nil {
		return Event{}, fmt.Errorf("reading the announcement: %w", err)
	}
	tax, err := taxonomy(ctx, c)
	if err != nil {
		return Event{}, err
	}
	return Event{Kind: EventKind, AnnouncementID: a.ID, Organization: a.Edges.Organization.Name, Change: changeOf(a, tax)}, nil
}

// taxonomy maps each data category's ID to its top-level ancestor's name.
func taxonomy(ctx context.Context, c *ent.Client) (map[pulid.ID]string, error) {
	cats, err := c.DataCategory.Query().Select(datacategory.FieldName, datacategory.FieldParentID).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading the data categories: %w", err)
	}
	byID := make(map[pulid.ID]*ent.DataCategory, len(cats))
	for _, cat := range cats {
		byID[cat.ID] = cat
	}
	top := make(map[pulid.ID]string, len(cats))
	for _, cat := range cats {
		root := cat
		for hops := 0; root.ParentID != nil && byID[*root.ParentID] != nil && hops < len(cats); hops++ {
			root = byID[*root.ParentID]
		}
		top[cat.ID] = root.Name
	}
	return top, nil
}

// changeOf returns the public entry of an announcement loaded withFacts;
// top maps categories to their coarse names.
func changeOf(a *ent.SubprocessorAnnouncement, top map[pulid.ID]string) Change {
	e := Entry{Vendor: a.Edges.Vendor.Name, Service: a.Service, TransferMechanism: a.Mechanism, Purposes: []string{}, DataCategories: []string{}}
	if co := a.Edges.Country; co != nil {
		e.Country, e.CountryCode = co.Name, a.CountryID.CountryCode()
	}
	for _, p := range a.Edges.Purposes {
		e.Purposes = append(e.Purposes, p.Name)
	}
	slices.Sort(e.Purposes)
	for _, cat := range a.Edges.Categories {
		e.DataCategories = append(e.DataCategories, top[cat.ID])
	}
	slices.Sort(e.DataCategories)
	e.DataCategories = slices.Compact(e.DataCategories)
	ch := Change{Change: a.Kind, Entry: e, AnnouncedAt: a.AnnouncedAt.UTC(), EffectiveAt: a.EffectiveAt.UTC(), Key: keyOf(a.ID)}
	if r := a.Edges.Replaces; r != nil {
		ch.Replaces = r.Name
	}
	return ch
}

// keyOf derives an announcement's public key from its ID: stable, and
// telling nothing of the ID.
func keyOf(id pulid.ID) string {
	sum := sha256.Sum256([]byte("privhub subprocessor announcement\x00" + string(id)))
	return hex.EncodeToString(sum[:10])
}
