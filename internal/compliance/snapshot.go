package compliance

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	entsql "entgo.io/ent/dialect/sql"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/assessment"
	"github.com/privhub/privhub/ent/disclosure"
	"github.com/privhub/privhub/ent/securitymeasure"
	"github.com/privhub/privhub/ent/transfer"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/vocab"
)

// snapshot is an in-memory copy of everything the rules read, loaded with
// one query per table (join tables included), whatever the size of the data.
// It does not depend on the instant: one snapshot can be evaluated as of any.
// It has four parts, each read again only when its tables change (see
// Checker.Watch): the registry, which holds every table that grows with the
// number of vendors and contracts, and the three that grow with the number
// of people, which follow inserts without reading the whole table again.
type snapshot struct {
	*registry
	dialect string // the SQL dialect of the database read
	records *recordTable
	users   *userTable
	ledger  *ledgerTable
	// seen is the count of writes each part was read at.
	seen versions
}

// registry is the part of a snapshot read whole after any write to it:
// reference data, holders, the taxonomy, contracts, transfers, assessments,
// retention rules, disclosures and requests.
type registry struct {
	countries map[pulid.ID]*ent.Country
	adequacy  map[adequacyKey][]*ent.AdequacyDecision // by valid_from

	orgs       map[pulid.ID]*ent.Organization
	vendors    map[pulid.ID]*ent.Vendor
	vendorList []*ent.Vendor // by name

	cats     map[pulid.ID]*ent.DataCategory
	children map[pulid.ID][]pulid.ID
	purposes map[pulid.ID]*ent.Purpose

	contracts    map[pulid.ID]*ent.Contract
	contractList []*ent.Contract                   // by title
	parties      map[pulid.ID][]*ent.ContractParty // by contract
	clauses      map[pulid.ID][]*ent.Clause        // by contract
	contractsOf  map[pulid.ID][]*ent.Contract      // by party holder, by title

	transfers    []*ent.Transfer // by label
	transferByID map[pulid.ID]*ent.Transfer
	imports      map[pulid.ID][]*ent.Transfer // every transfer by importer, active or not, by label
	tcats        map[pulid.ID][]pulid.ID      // transfer -> declared categories
	tpurposes    map[pulid.ID][]pulid.ID      // transfer -> purposes

	reviews map[pulid.ID][]*ent.Assessment            // vendor reviews by vendor, by performed_at
	tias    map[pulid.ID][]*ent.Assessment            // TIAs by transfer, by performed_at
	changes []*ent.SubprocessorChange                 // by notified_at
	notices map[[2]pulid.ID][]*ent.SubprocessorChange // by processor and subprocessor, by notified_at
	secured map[pulid.ID]bool                         // vendors with a security measure

	announcements []*ent.SubprocessorAnnouncement           // our own, by announced_at
	informedOf    map[pulid.ID][]*ent.InformedParty         // by announcement, by informed_at
	objectionsTo  map[pulid.ID][]*ent.SubprocessorObjection // by announcement

	retention []*ent.RetentionRule

	disclosures []*ent.Disclosure       // by disclosed_at
	dusers      map[pulid.ID][]pulid.ID // disclosure -> users
	dcats       map[pulid.ID][]pulid.ID // disclosure -> categories
	requests    []*ent.Request          // by reference
}

// adequacyKey identifies the adequacy decisions of one regime for one country.
type adequacyKey struct {
	regime  vocab.Regime
	country pulid.ID
}

// load reads a whole snapshot. The data records, the largest part, are
// read side by side with the rest.
func load(ctx context.Context, c *ent.Client) (*snapshot, error) {
	dia, err := dialectOf(ctx, c)
	if err != nil {
		return nil, err
	}
	var (
		s       *snapshot
		records *recordTable
	)
	err = sideBySide(
		func() (err error) {
			s, err = loadRest(ctx, c)
			return err
		},
		func() (err error) {
			if records, err = loadRecords(ctx, c, dia); err != nil {
				return fmt.Errorf("compliance: loading data records: %w", err)
			}
			return nil
		},
	)
	if err != nil {
		return nil, err
	}
	s.records, s.dialect = records, dia
	return s, nil
}

// dialectOf returns the SQL dialect c speaks.
func dialectOf(ctx context.Context, c *ent.Client) (string, error) {
	var dia string
	_, err := c.Country.Query().Where(func(sel *entsql.Selector) { dia = sel.Dialect() }).Exist(ctx)
	if err != nil {
		return "", fmt.Errorf("compliance: reading countries: %w", err)
	}
	return dia, nil
}

// loadRest reads every part of a snapshot but the data records.
func loadRest(ctx context.Context, c *ent.Client) (*snapshot, error) {
	r, err := loadRegistry(ctx, c)
	if err != nil {
		return nil, err
	}
	s := &snapshot{registry: r}
	if s.users, err = loadUsers(ctx, c); err != nil {
		return nil, fmt.Errorf("compliance: loading users: %w", err)
	}
	if s.ledger, err = loadLedger(ctx, c); err != nil {
		return nil, fmt.Errorf("compliance: loading the consent ledger: %w", err)
	}
	return s, nil
}

// loadRegistry reads the registry part of a snapshot.
func loadRegistry(ctx context.Context, c *ent.Client) (*registry, error) {
	s := &registry{}
	type step struct {
		what string
		run  func(context.Context, *ent.Client) error
	}
	// Two lanes side by side; transfers are sorted by their holders' names,
	// so the holders come first in theirs.
	lane := func(steps ...step) func() error {
		return func() error {
			for _, st := range steps {
				if err := st.run(ctx, c); err != nil {
					return fmt.Errorf("compliance: loading %s: %w", st.what, err)
				}
			}
			return nil
		}
	}
	err := sideBySide(
		lane(step{"countries and adequacy decisions", s.loadReference},
			step{"holders", s.loadHolders},
			step{"data categories and purposes", s.loadTaxonomy},
			step{"transfers", s.loadTransfers}),
		lane(step{"contracts", s.loadContracts},
			step{"assessments, subprocessor changes and announcements, and security measures", s.loadAssurance},
			step{"retention rules, disclosures and requests", s.loadRules}),
	)
	if err != nil {
		return nil, err
	}
	return s, nil
}

// sideBySide runs a and b at the same time and returns a's error, else b's.
func sideBySide(a, b func() error) error {
	done := make(chan error, 1)
	go func() { done <- b() }()
	errA := a()
	errB := <-done
	if errA != nil {
		return errA
	}
	return errB
}

func (s *registry) loadReference(ctx context.Context, c *ent.Client) error {
	countries, err := c.Country.Query().All(ctx)
	if err != nil {
		return err
	}
	s.countries = make(map[pulid.ID]*ent.Country, len(countries))
	for _, co := range countries {
		s.countries[co.ID] = co
	}
	decisions, err := c.AdequacyDecision.Query().All(ctx)
	if err != nil {
		return err
	}
	s.adequacy = map[adequacyKey][]*ent.AdequacyDecision{}
	for _, d := range decisions {
		k := adequacyKey{d.Regime, d.CountryID}
		s.adequacy[k] = append(s.adequacy[k], d)
	}
	for _, ds := range s.adequacy {
		slices.SortFunc(ds, func(a, b *ent.AdequacyDecision) int { return a.ValidFrom.Compare(b.ValidFrom) })
	}
	return nil
}

func (s *registry) loadHolders(ctx context.Context, c *ent.Client) error {
	orgs, err := c.Organization.Query().All(ctx)
	if err != nil {
		return err
	}
	s.orgs = make(map[pulid.ID]*ent.Organization, len(orgs))
	for _, o := range orgs {
		s.orgs[o.ID] = o
	}
	if s.vendorList, err = c.Vendor.Query().All(ctx); err != nil {
		return err
	}
	slices.SortFunc(s.vendorList, func(a, b *ent.Vendor) int { return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID)) })
	s.vendors = make(map[pulid.ID]*ent.Vendor, len(s.vendorList))
	for _, v := range s.vendorList {
		s.vendors[v.ID] = v
	}
	return nil
}

func (s *registry) loadTaxonomy(ctx context.Context, c *ent.Client) error {
	cats, err := c.DataCategory.Query().All(ctx)
	if err != nil {
		return err
	}
	s.cats = make(map[pulid.ID]*ent.DataCategory, len(cats))
	s.children = map[pulid.ID][]pulid.ID{}
	for _, cat := range cats {
		s.cats[cat.ID] = cat
		if cat.ParentID != nil {
			s.children[*cat.ParentID] = append(s.children[*cat.ParentID], cat.ID)
		}
	}
	purposes, err := c.Purpose.Query().All(ctx)
	if err != nil {
		return err
	}
	s.purposes = make(map[pulid.ID]*ent.Purpose, len(purposes))
	for _, p := range purposes {
		s.purposes[p.ID] = p
	}
	return nil
}

func (s *registry) loadContracts(ctx context.Context, c *ent.Client) error {
	var err error
	if s.contractList, err = c.Contract.Query().All(ctx); err != nil {
		return err
	}
	slices.SortFunc(s.contractList, func(a, b *ent.Contract) int { return cmp.Or(cmp.Compare(a.Title, b.Title), cmp.Compare(a.ID, b.ID)) })
	s.contracts = make(map[pulid.ID]*ent.Contract, len(s.contractList))
	for _, ct := range s.contractList {
		s.contracts[ct.ID] = ct
	}
	parties, err := c.ContractParty.Query().All(ctx)
	if err != nil {
		return err
	}
	s.parties = map[pulid.ID][]*ent.ContractParty{}
	for _, p := range parties {
		s.parties[p.ContractID] = append(s.parties[p.ContractID], p)
	}
	s.contractsOf = map[pulid.ID][]*ent.Contract{}
	for _, ct := range s.contractList { // by title
		seen := map[pulid.ID]bool{}
		for _, p := range s.parties[ct.ID] {
			if h := either(p.OrganizationID, p.VendorID); !seen[h] {
				seen[h] = true
				s.contractsOf[h] = append(s.contractsOf[h], ct)
			}
		}
	}
	clauses, err := c.Clause.Query().All(ctx)
	if err != nil {
		return err
	}
	s.clauses = map[pulid.ID][]*ent.Clause{}
	for _, cl := range clauses {
		s.clauses[cl.ContractID] = append(s.clauses[cl.ContractID], cl)
	}
	return nil
}

func (s *registry) loadTransfers(ctx context.Context, c *ent.Client) error {
	var err error
	if s.transfers, err = c.Transfer.Query().All(ctx); err != nil {
		return err
	}
	s.transferByID = make(map[pulid.ID]*ent.Transfer, len(s.transfers))
	for _, t := range s.transfers {
		s.transferByID[t.ID] = t
	}
	slices.SortFunc(s.transfers, func(a, b *ent.Transfer) int {
		return cmp.Or(cmp.Compare(s.transferLabel(a), s.transferLabel(b)), cmp.Compare(a.ID, b.ID))
	})
	s.imports = map[pulid.ID][]*ent.Transfer{}
	for _, t := range s.transfers {
		s.imports[importerID(t)] = append(s.imports[importerID(t)], t)
	}
	if s.tcats, err = pairs(ctx, c, transfer.CategoriesTable, transfer.CategoriesPrimaryKey); err != nil {
		return err
	}
	s.tpurposes, err = pairs(ctx, c, transfer.PurposesTable, transfer.PurposesPrimaryKey)
	return err
}

func (s *registry) loadAssurance(ctx context.Context, c *ent.Client) error {
	assessments, err := c.Assessment.Query().
		Where(assessment.KindIn(assessment.KindVendorReview, assessment.KindTia)).All(ctx)
	if err != nil {
		return err
	}
	s.reviews = map[pulid.ID][]*ent.Assessment{}
	s.tias = map[pulid.ID][]*ent.Assessment{}
	for _, a := range assessments {
		switch {
		case a.Kind == assessment.KindVendorReview && a.VendorID != nil:
			s.reviews[*a.VendorID] = append(s.reviews[*a.VendorID], a)
		case a.Kind == assessment.KindTia && a.TransferID != nil:
			s.tias[*a.TransferID] = append(s.tias[*a.TransferID], a)
		}
	}
	for _, m := range []map[pulid.ID][]*ent.Assessment{s.reviews, s.tias} {
		for _, as := range m {
			slices.SortFunc(as, func(a, b *ent.Assessment) int {
				return cmp.Or(a.PerformedAt.Compare(b.PerformedAt), cmp.Compare(a.ID, b.ID))
			})
		}
	}
	if s.changes, err = c.SubprocessorChange.Query().All(ctx); err != nil {
		return err
	}
	slices.SortFunc(s.changes, func(a, b *ent.SubprocessorChange) int {
		return cmp.Or(a.NotifiedAt.Compare(b.NotifiedAt), cmp.Compare(a.ID, b.ID))
	})
	s.notices = map[[2]pulid.ID][]*ent.SubprocessorChange{}
	for _, ch := range s.changes {
		k := [2]pulid.ID{ch.ProcessorID, ch.SubprocessorID}
		s.notices[k] = append(s.notices[k], ch)
	}
	if err := s.loadAnnouncements(ctx, c); err != nil {
		return err
	}
	secured, err := pairs(ctx, c, securitymeasure.VendorsTable, securitymeasure.VendorsPrimaryKey)
	if err != nil {
		return err
	}
	s.secured = map[pulid.ID]bool{}
	for _, vendors := range secured {
		for _, v := range vendors {
			s.secured[v] = true
		}
	}
	return nil
}

func (s *registry) loadAnnouncements(ctx context.Context, c *ent.Client) error {
	var err error
	if s.announcements, err = c.SubprocessorAnnouncement.Query().All(ctx); err != nil {
		return err
	}
	slices.SortFunc(s.announcements, func(a, b *ent.SubprocessorAnnouncement) int {
		return cmp.Or(a.AnnouncedAt.Compare(b.AnnouncedAt), cmp.Compare(a.ID, b.ID))
	})
	informed, err := c.InformedParty.Query().All(ctx)
	if err != nil {
		return err
	}
	slices.SortFunc(informed, func(a, b *ent.InformedParty) int {
		return cmp.Or(a.InformedAt.Compare(b.InformedAt), cmp.Compare(a.ID, b.ID))
	})
	s.informedOf = map[pulid.ID][]*ent.InformedParty{}
	for _, inf := range informed {
		s.informedOf[inf.AnnouncementID] = append(s.informedOf[inf.AnnouncementID], inf)
	}
	objections, err := c.SubprocessorObjection.Query().All(ctx)
	if err != nil {
		return err
	}
	s.objectionsTo = map[pulid.ID][]*ent.SubprocessorObjection{}
	for _, o := range objections {
		s.objectionsTo[o.AnnouncementID] = append(s.objectionsTo[o.AnnouncementID], o)
	}
	return nil
}

func (s *registry) loadRules(ctx context.Context, c *ent.Client) error {
	var err error
	if s.retention, err = c.RetentionRule.Query().All(ctx); err != nil {
		return err
	}
	if s.disclosures, err = c.Disclosure.Query().All(ctx); err != nil {
		return err
	}
	slices.SortFunc(s.disclosures, func(a, b *ent.Disclosure) int {
		return cmp.Or(a.DisclosedAt.Compare(b.DisclosedAt), cmp.Compare(a.ID, b.ID))
	})
	if s.dusers, err = pairs(ctx, c, disclosure.UsersTable, disclosure.UsersPrimaryKey); err != nil {
		return err
	}
	if s.dcats, err = pairs(ctx, c, disclosure.CategoriesTable, disclosure.CategoriesPrimaryKey); err != nil {
		return err
	}
	if s.requests, err = c.Request.Query().All(ctx); err != nil {
		return err
	}
	slices.SortFunc(s.requests, func(a, b *ent.Request) int {
		return cmp.Or(cmp.Compare(a.Reference, b.Reference), cmp.Compare(a.ID, b.ID))
	})
	return nil
}

// pairs reads a two-column join table whole, mapping the first column to
// the values of the second (in ID order, for determinism).
func pairs(ctx context.Context, c *ent.Client, table string, cols []string) (map[pulid.ID][]pulid.ID, error) {
	rows, err := c.QueryContext(ctx, "SELECT "+cols[0]+", "+cols[1]+" FROM "+table)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", table, err)
	}
	defer rows.Close()
	m := map[pulid.ID][]pulid.ID{}
	for rows.Next() {
		var a, b pulid.ID
		if err := rows.Scan(&a, &b); err != nil {
			return nil, fmt.Errorf("reading %s: %w", table, err)
		}
		m[a] = append(m[a], b)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading %s: %w", table, err)
	}
	for _, vs := range m {
		slices.Sort(vs)
	}
	return m, nil
}
