package gen

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/assessment"
	"github.com/privhub/privhub/ent/contract"
	"github.com/privhub/privhub/ent/contractparty"
	"github.com/privhub/privhub/ent/subprocessorchange"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/vocab"
)

// The problems planted on an SCC transfer.
const (
	sccSound       = iota
	sccNone        // no clauses on record at all
	sccRepealed    // clauses of Decision 2010/87/EU signed after its repeal
	sccForeignLaw  // Clause 17 chooses the law of a third country
	sccWrongModule // the module does not match the parties' roles
	sccDefectKinds
)

// The problems planted on a processor relationship.
const (
	dpaSound = iota
	dpaNone
	dpaExpired
	dpaIncomplete
)

// The problems planted on a subprocessor relationship.
const (
	noticeSound = iota
	noticeNone
	noticeShort
)

// noticeDays is the notice of a new subprocessor that every processing
// agreement and SCC asks for (Clause 9(a) Option 2).
const noticeDays = 30

// flow is one planned transfer.
type flow struct {
	from    *vendorInfo // nil: the controller
	to      vendorInfo
	partner bool

	role       vocab.ProcessingRole
	mechanism  vocab.Mechanism
	activeFrom time.Time
	ended      bool
	categories []pulid.ID
	purposes   []pulid.ID
	scc        int // sccSound or the problem planted on its clauses
	tia        int // 0: assessed, 1: never assessed, 2: re-evaluation overdue
	contract   pulid.ID
}

func (f *flow) exporter(controller pulid.ID) pulid.ID {
	if f.from == nil {
		return controller
	}
	return f.from.id
}

// pair is a processor (or subprocessor) relationship: one exporter and one
// importer acting for it, with the agreement and the notice that cover it.
type pair struct {
	first    int       // index of its first flow, written with that flow's batch
	minFrom  time.Time // when the importer first received data
	dpa      int
	notice   int // for a vendor's subprocessor
	dpaID    pulid.ID
	exporter string
	importer string
}

// transfers links the controller to every direct vendor, each vendor to a
// few subprocessors one tier down, and adds controller-to-controller flows
// (partners) until the requested number of transfers is reached. Every
// processor relationship gets a DPA, every subprocessor a notice, every SCC
// transfer clauses signed by both ends and a transfer impact assessment.
func (g *generator) writeTransfers(ctx context.Context) error {
	flows := g.planFlows()
	pairs := map[[2]pulid.ID]*pair{}
	for i := range flows {
		f := &flows[i]
		if f.partner {
			continue
		}
		k := [2]pulid.ID{f.exporter(g.controller), f.to.id}
		p := pairs[k]
		if p == nil {
			p = &pair{first: i, minFrom: f.activeFrom, exporter: "Gen Holding SA", importer: f.to.name}
			if f.from != nil {
				p.exporter = f.from.name
			}
			switch r := g.rng.IntN(1000); {
			case r < plantDPAMissing:
				p.dpa = dpaNone
			case r < plantDPAMissing+plantDPAExpired:
				p.dpa = dpaExpired
			case r < plantDPAMissing+plantDPAExpired+plantDPAIncomplete:
				p.dpa = dpaIncomplete
			}
			if f.from != nil {
				switch r := g.rng.IntN(1000); {
				case r < plantNoNotice:
					p.notice = noticeNone
				case r < plantNoNotice+plantShortNotice:
					p.notice = noticeShort
				}
			}
			if p.dpa != dpaSound {
				g.res.Planted++
			}
			if p.notice != noticeSound {
				g.res.Planted++
			}
			pairs[k] = p
		}
		if f.activeFrom.Before(p.minFrom) {
			p.minFrom = f.activeFrom
		}
	}
	stipulations := make([]vocab.Stipulation, 0, 8)
	for _, s := range vocab.Stipulation("").Values() {
		stipulations = append(stipulations, vocab.Stipulation(s))
	}

	return g.batches(ctx, "transfers", len(flows), func(ctx context.Context, from, to int) error {
		tx, err := g.client.Tx(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		// Contracts: the DPA of each relationship first seen in this batch,
		// and the SCCs of each SCC transfer.
		type owner struct {
			pair *pair // a DPA
			flow int   // an SCC, when pair is nil
		}
		var contracts []*ent.ContractCreate
		var owners []owner
		var notices []*ent.SubprocessorChangeCreate
		for i := from; i < to; i++ {
			f := &flows[i]
			if !f.partner {
				p := pairs[[2]pulid.ID{f.exporter(g.controller), f.to.id}]
				if p.first == i && p.dpa != dpaNone {
					signed := g.epoch.AddDate(0, 0, -30-g.rng.IntN(300))
					c := tx.Contract.Create().SetTitle(fmt.Sprintf("DPA %s / %s", p.exporter, p.importer)).
						SetKind(contract.KindDpa).SetSignedAt(signed).SetEffectiveAt(signed).
						SetClause9Option(contract.Clause9OptionGeneralAuthorisation).SetClause9NoticeDays(noticeDays).
						SetDpaStipulations(stipulations)
					switch p.dpa {
					case dpaExpired:
						c.SetExpiresAt(g.ref.AddDate(-1, 0, g.rng.IntN(180)))
					case dpaIncomplete:
						drop := g.rng.IntN(len(stipulations))
						c.SetDpaStipulations(slices.Delete(slices.Clone(stipulations), drop, drop+1))
					}
					contracts = append(contracts, c)
					owners = append(owners, owner{pair: p})
				}
				if p.first == i && f.from != nil && p.notice != noticeNone {
					notified := p.minFrom.AddDate(0, 0, -60-g.rng.IntN(60))
					if p.notice == noticeShort {
						notified = p.minFrom.AddDate(0, 0, -10)
					}
					notices = append(notices, tx.SubprocessorChange.Create().SetProcessorID(f.from.id).SetSubprocessorID(f.to.id).
						SetKind(subprocessorchange.KindAdded).SetNotifiedAt(notified).
						SetObjectionDeadline(notified.AddDate(0, 0, noticeDays)).SetEngagedAt(p.minFrom))
				}
			}
			if f.mechanism == vocab.MechanismSCC && f.scc != sccNone {
				module := contract.SccModuleC2p
				switch {
				case f.partner:
					module = contract.SccModuleC2c
				case f.from != nil:
					module = contract.SccModuleP2p
				}
				signed := g.epoch.AddDate(0, 0, -1-g.rng.IntN(60))
				c := tx.Contract.Create().SetTitle(fmt.Sprintf("SCC for transfer %d", i)).
					SetKind(contract.KindScc).SetSccDecision(contract.SccDecisionDecision2021_914).SetSccModule(module).
					SetClause17LawCountryID(pulid.Country("BE")).SetClause18ForumCountryID(pulid.Country("BE")).SetSignedAt(signed).SetEffectiveAt(signed)
				if module != contract.SccModuleC2c {
					c.SetClause9Option(contract.Clause9OptionGeneralAuthorisation).SetClause9NoticeDays(noticeDays)
				}
				switch f.scc {
				case sccRepealed:
					repealed := time.Date(2022, 3, 1, 0, 0, 0, 0, time.UTC)
					c.SetSccDecision(contract.SccDecisionDecision2010_87).SetSignedAt(repealed).SetEffectiveAt(repealed)
				case sccForeignLaw:
					c.SetClause17LawCountryID(pulid.Country("US"))
				case sccWrongModule:
					if module == contract.SccModuleC2c {
						c.SetSccModule(contract.SccModuleC2p)
					} else {
						c.SetSccModule(contract.SccModuleC2c)
					}
				}
				contracts = append(contracts, c)
				owners = append(owners, owner{flow: i})
			}
		}
		created, err := chunks(contracts, g.opts.BatchSize, func(b []*ent.ContractCreate) ([]*ent.Contract, error) {
			return tx.Contract.CreateBulk(b...).Save(ctx)
		})
		if err != nil {
			return err
		}
		// Parties: the exporter and the importer of each contract.
		parties := make([]*ent.ContractPartyCreate, 0, 2*len(created))
		party := func(c pulid.ID, side contractparty.Side, holder pulid.ID, org bool, role vocab.ProcessingRole) {
			p := tx.ContractParty.Create().SetContractID(c).SetSide(side).SetCapacity(role)
			if org {
				p.SetOrganizationID(holder)
			} else {
				p.SetVendorID(holder)
			}
			parties = append(parties, p)
		}
		for k, c := range created {
			var f *flow
			if p := owners[k].pair; p != nil {
				p.dpaID = c.ID
				f = &flows[p.first]
			} else {
				f = &flows[owners[k].flow]
				f.contract = c.ID
			}
			if f.from == nil {
				party(c.ID, contractparty.SideExporter, g.controller, true, vocab.RoleController)
			} else {
				party(c.ID, contractparty.SideExporter, f.from.id, false, vocab.RoleProcessor)
			}
			party(c.ID, contractparty.SideImporter, f.to.id, false, f.role)
		}
		if err := execChunks(parties, g.opts.BatchSize, func(b []*ent.ContractPartyCreate) error {
			return tx.ContractParty.CreateBulk(b...).Exec(ctx)
		}); err != nil {
			return err
		}
		if err := execChunks(notices, g.opts.BatchSize, func(b []*ent.SubprocessorChangeCreate) error {
			return tx.SubprocessorChange.CreateBulk(b...).Exec(ctx)
		}); err != nil {
			return err
		}

		builders := make([]*ent.TransferCreate, 0, to-from)
		for i := from; i < to; i++ {
			f := &flows[i]
			c := tx.Transfer.Create().SetImporterVendorID(f.to.id).SetCountryID(f.to.country).
				SetMechanism(f.mechanism).SetActiveFrom(f.activeFrom).SetImporterRole(f.role).
				AddCategoryIDs(f.categories...).AddPurposeIDs(f.purposes...)
			switch {
			case f.from == nil:
				c.SetExporterOrganizationID(g.controller).SetHonoursOptOuts(f.partner)
			default:
				c.SetExporterVendorID(f.from.id).SetHonoursOptOuts(false)
			}
			switch {
			case f.contract != "":
				c.SetContractID(f.contract)
			case !f.partner:
				if p := pairs[[2]pulid.ID{f.exporter(g.controller), f.to.id}]; p.dpaID != "" {
					c.SetContractID(p.dpaID)
				}
			}
			if f.ended {
				c.SetActiveUntil(g.epoch.AddDate(0, 6, 0).Add(24 * time.Hour * 400))
			}
			builders = append(builders, c)
		}
		transfers, err := chunks(builders, g.opts.BatchSize, func(b []*ent.TransferCreate) ([]*ent.Transfer, error) {
			return tx.Transfer.CreateBulk(b...).Save(ctx)
		})
		if err != nil {
			return err
		}
		// Transfer impact assessments of the SCC transfers, performed before
		// the transfer started and re-evaluated well after the reference
		// instant.
		var tias []*ent.AssessmentCreate
		for k, t := range transfers {
			f := &flows[from+k]
			if f.mechanism != vocab.MechanismSCC || f.tia == 1 {
				continue
			}
			next := g.ref.AddDate(2, 0, g.rng.IntN(180))
			if f.tia == 2 {
				next = g.ref.AddDate(0, 0, -30-g.rng.IntN(150))
			}
			tias = append(tias, tx.Assessment.Create().SetKind(assessment.KindTia).SetTransferID(t.ID).
				SetPerformedAt(f.activeFrom.AddDate(0, 0, -14)).SetOutcome(assessment.OutcomePass).SetNextDue(next).
				SetPerformedBy("privacy office").SetFindings("Laws and practice assessed; supplementary measures: encryption, pseudonymisation."))
		}
		if err := execChunks(tias, g.opts.BatchSize, func(b []*ent.AssessmentCreate) error {
			return tx.Assessment.CreateBulk(b...).Exec(ctx)
		}); err != nil {
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
		g.res.Contracts += len(created)
		g.res.ContractParties += len(parties)
		g.res.SubprocessorChanges += len(notices)
		g.res.Assessments += len(tias)
		g.res.Transfers += len(builders)
		return nil
	})
}

// planFlows decides every transfer: its ends, role, mechanism, start,
// categories and purposes, and the problems planted on it.
func (g *generator) planFlows() []flow {
	byTier := map[int][]vendorInfo{}
	for _, v := range g.vendors {
		byTier[v.tier] = append(byTier[v.tier], v)
	}
	flows := make([]flow, 0, g.opts.Transfers)
	for _, v := range byTier[1] {
		flows = append(flows, flow{to: v})
	}
	for tier := 2; tier <= g.opts.ChainDepth; tier++ {
		parents := byTier[tier-1]
		if len(parents) == 0 {
			break
		}
		for _, v := range byTier[tier] {
			p := parents[g.rng.IntN(len(parents))]
			flows = append(flows, flow{from: &p, to: v})
		}
	}
	for len(flows) < g.opts.Transfers && len(g.vendors) > 1 {
		a := g.vendors[g.rng.IntN(len(g.vendors))]
		if g.rng.IntN(4) == 0 {
			flows = append(flows, flow{to: a, partner: true})
			continue
		}
		b := g.vendors[g.rng.IntN(len(g.vendors))]
		if a.id != b.id {
			flows = append(flows, flow{from: &a, to: b})
		}
	}
	if len(flows) > g.opts.Transfers {
		flows = flows[:g.opts.Transfers]
	}
	for i := range flows {
		f := &flows[i]
		f.mechanism = mechanism(f.to.country)
		f.activeFrom = g.day(300)
		switch {
		case f.partner:
			f.role = vocab.RoleController
			g.partnerCargo(f)
		case f.from == nil:
			f.role = vocab.RoleProcessor
		default:
			f.role = vocab.RoleSubprocessor
		}
		if !f.partner {
			f.categories = g.transferCategories(false)
			f.purposes = []pulid.ID{g.purposes[g.rng.IntN(len(g.purposes))]}
		}
		if f.mechanism == vocab.MechanismSCC {
			if plant(g.rng, plantSCCDefect) {
				f.scc = 1 + g.rng.IntN(sccDefectKinds-1)
				g.res.Planted++
			}
			switch r := g.rng.IntN(1000); {
			case r < plantTIAMissing:
				f.tia = 1
				g.res.Planted++
			case r < plantTIAMissing+plantTIAOverdue:
				f.tia = 2
				g.res.Planted++
			}
		}
		f.ended = g.rng.IntN(50) == 0
	}
	return flows
}

// partnerCargo decides what a flow to another controller carries. Most carry
// no special-category data; one in ten carries event dietary data for the
// events purpose, which its subjects explicitly consented to. A few of those
// also carry it for the partners purpose, for which some users gave no
// explicit consent (a planted problem).
func (g *generator) partnerCargo(f *flow) {
	if g.rng.IntN(10) == 0 {
		f.categories = []pulid.ID{g.dietary}
		if g.rng.IntN(2) == 0 {
			f.categories = []pulid.ID{g.eventGroup}
		}
		f.purposes = []pulid.ID{g.purposeKey["events"]}
		if plant(g.rng, plantSpecialFlow) {
			f.purposes = append(f.purposes, g.purposeKey["partners"])
			g.res.Planted++
		}
		return
	}
	f.categories = g.transferCategories(true)
	f.purposes = []pulid.ID{g.purposes[g.rng.IntN(len(g.purposes))]}
	if p := g.optOutable[g.rng.IntN(len(g.optOutable))]; p != f.purposes[0] {
		f.purposes = append(f.purposes, p)
	}
}

// transferCategories picks what one transfer carries: a few leaves, now and
// then a whole group; with noSpecial, nothing that holds special-category
// data.
func (g *generator) transferCategories(noSpecial bool) []pulid.ID {
	for {
		if g.rng.IntN(5) == 0 {
			c := g.groups[g.rng.IntN(len(g.groups))]
			if noSpecial && c == g.eventGroup {
				continue
			}
			return []pulid.ID{c}
		}
		n := 1 + g.rng.IntN(3)
		out := make([]pulid.ID, 0, n)
		for len(out) < n {
			c := g.categories[g.rng.IntN(len(g.categories))]
			if !slices.Contains(out, c) && !(noSpecial && c == g.dietary) {
				out = append(out, c)
			}
		}
		return out
	}
}
