package demo

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/contract"
	"github.com/privhub/privhub/ent/contractparty"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/vocab"
)

// partySpec is one party of a contract.
type partySpec struct {
	holder    string
	side      contractparty.Side
	capacity  vocab.ProcessingRole
	accession time.Time // SCC Clause 7 docking; zero for original parties
}

// clauseSpec is one clause of a contract; relied marks the clauses the
// contract's transfers rely on.
type clauseSpec struct {
	ref, topic string
	params     map[string]any
	relied     bool
}

// contractSpec is one signed instrument.
type contractSpec struct {
	key, title   string
	kind         contract.Kind
	decision     contract.SccDecision
	module       contract.SccModule
	clause9      contract.Clause9Option
	noticeDays   int
	authority    string              // Clause 13
	law, forum   string              // Clause 17 and Clause 18 countries
	stipulations bool                // a DPA with every Art. 28(3)(a)-(h) stipulation
	missing      []vocab.Stipulation // ... except these
	signed       time.Time
	expires      time.Time
	parties      []partySpec
	clauses      []clauseSpec
}

var (
	controller   = vocab.RoleController
	processor    = vocab.RoleProcessor
	subprocessor = vocab.RoleSubprocessor
)

// allStipulations is what every Lumora DPA contains.
var allStipulations = []vocab.Stipulation{
	vocab.StipulationInstructions, vocab.StipulationConfidentiality, vocab.StipulationSecurity,
	vocab.StipulationSubprocessors, vocab.StipulationSubjectRights, vocab.StipulationAssistance,
	vocab.StipulationDeletionOrReturn, vocab.StipulationAudits,
}

func party(holder string, side contractparty.Side, capacity vocab.ProcessingRole) partySpec {
	return partySpec{holder: holder, side: side, capacity: capacity}
}

// subprocessingClause is the general written authorisation of a DPA, modelled
// on Clause 7.7(a) Option 2 of the Commission's Art. 28(7) clauses.
func subprocessingClause() clauseSpec {
	return clauseSpec{ref: "Clause 7.7(a) Option 2", topic: "Use of sub-processors: general written authorisation, 30 days' notice",
		params: map[string]any{"noticeDays": "30"}, relied: true}
}

// dpa returns a processing agreement between a controller (or a processor
// engaging a subprocessor) and its processor.
func dpa(key string, signed time.Time, principal, agent string, agentRole vocab.ProcessingRole) contractSpec {
	principalRole := controller
	if agentRole == subprocessor {
		principalRole = processor
	}
	return contractSpec{
		key: key, kind: contract.KindDpa, stipulations: true, signed: signed,
		title:   fmt.Sprintf("Data processing agreement: %s / %s", holderName(principal), holderName(agent)),
		parties: []partySpec{party(principal, contractparty.SideParty, principalRole), party(agent, contractparty.SideParty, agentRole)},
		clauses: []clauseSpec{subprocessingClause()},
	}
}

// scc returns Standard Contractual Clauses under Decision 2021/914 with the
// clauses a module has; law and forum are Clause 17 and 18 countries.
func scc(key string, signed time.Time, module contract.SccModule, exporter, importer partySpec, authority, law, forum string) contractSpec {
	c := contractSpec{
		key: key, kind: contract.KindScc, decision: contract.SccDecisionDecision2021_914, module: module,
		signed: signed, authority: authority, law: law, forum: forum,
		title: fmt.Sprintf("Standard Contractual Clauses (%s): %s / %s", moduleName(module),
			holderName(exporter.holder), holderName(importer.holder)),
		parties: []partySpec{exporter, importer},
	}
	if module == contract.SccModuleC2p || module == contract.SccModuleP2p {
		c.clause9, c.noticeDays = contract.Clause9OptionGeneralAuthorisation, 30
		c.clauses = append(c.clauses, clauseSpec{ref: "Clause 9(a) Option 2", topic: "Use of sub-processors: general written authorisation",
			params: map[string]any{"noticeDays": "30"}, relied: true})
	}
	if module != contract.SccModuleP2c {
		c.clauses = append(c.clauses, clauseSpec{ref: "Clause 13(a)", topic: "Supervision", params: map[string]any{"authority": authority}})
	}
	c.clauses = append(c.clauses,
		clauseSpec{ref: "Clause 14", topic: "Local laws and practices affecting compliance (transfer impact assessment)", relied: true},
		clauseSpec{ref: "Clause 17", topic: "Governing law", params: map[string]any{"country": law}},
		clauseSpec{ref: "Clause 18(b)", topic: "Choice of forum and jurisdiction", params: map[string]any{"country": forum}},
	)
	return c
}

func moduleName(m contract.SccModule) string {
	return map[contract.SccModule]string{
		contract.SccModuleC2c: "Module 1, controller to controller",
		contract.SccModuleC2p: "Module 2, controller to processor",
		contract.SccModuleP2p: "Module 3, processor to processor",
		contract.SccModuleP2c: "Module 4, processor to controller",
	}[m]
}

// msa returns a services or data-sharing agreement with an independent controller.
func msa(key, title string, signed, expires time.Time, other string) contractSpec {
	return contractSpec{
		key: key, kind: contract.KindMsa, title: title, signed: signed, expires: expires,
		parties: []partySpec{party("E1", contractparty.SideParty, controller), party(other, contractparty.SideParty, controller)},
		clauses: []clauseSpec{{ref: "Schedule 3", topic: "Personal data shared between independent controllers", relied: true}},
	}
}

// withExpiry sets an expiry date on a contract.
// lacking returns a DPA without some of the Art. 28(3) stipulations (the
// demo's incomplete agreement).
func lacking(c contractSpec, missing ...vocab.Stipulation) contractSpec {
	c.missing = missing
	return c
}

func withExpiry(c contractSpec, expires time.Time) contractSpec {
	c.expires = expires
	return c
}

var (
	exporterE1 = party("E1", contractparty.SideExporter, controller)
	never      = time.Time{}
)

// intraGroupSCC is the group's module 2 SCC: E1 exports, E3..E6 docked
// through Clause 7. E5 acceded on 2025-09-01, after its access had started.
func intraGroupSCC() contractSpec {
	c := scc("IG-SCC", date(2021, 9, 27), contract.SccModuleC2p, exporterE1,
		partySpec{holder: "E3", side: contractparty.SideImporter, capacity: processor, accession: date(2021, 10, 1)},
		belgianAPD, "BE", "BE")
	c.title = "Lumora intra-group Standard Contractual Clauses (Module 2, controller to processor)"
	c.parties = append(c.parties,
		partySpec{holder: "E4", side: contractparty.SideImporter, capacity: processor, accession: date(2022, 3, 1)},
		partySpec{holder: "E6", side: contractparty.SideImporter, capacity: processor, accession: date(2023, 2, 1)},
		partySpec{holder: "E5", side: contractparty.SideImporter, capacity: processor, accession: date(2025, 9, 1)},
	)
	c.clauses = append([]clauseSpec{{ref: "Clause 7", topic: "Docking clause: accession of further group importers", relied: true}}, c.clauses...)
	return c
}

// intraGroupDPA binds every subsidiary, as Lumora SA's processor, by Art. 28(3).
func intraGroupDPA() contractSpec {
	c := contractSpec{key: "IG-DPA", kind: contract.KindDpa, stipulations: true, signed: date(2021, 9, 20),
		title:   "Lumora intra-group data processing agreement",
		parties: []partySpec{party("E1", contractparty.SideParty, controller)},
		clauses: []clauseSpec{subprocessingClause()},
	}
	for _, o := range group[1:] {
		c.parties = append(c.parties, party(o.key, contractparty.SideParty, processor))
	}
	return c
}

// repealedSCC is Relaybox's contract: the 2010/87/EU clauses, signed before
// the 2021 clauses existed and never replaced.
func repealedSCC() contractSpec {
	return contractSpec{
		key: "SCC-S09", kind: contract.KindScc, decision: contract.SccDecisionDecision2010_87, module: contract.SccModuleP2p,
		title:  "Standard Contractual Clauses (processors, Decision 2010/87/EU): Postlane Mail SRL / Relaybox Inc.",
		signed: date(2019, 11, 4), authority: "Autoritatea Națională de Supraveghere a Prelucrării Datelor cu Caracter Personal (ANSPDCP), Romania",
		law: "RO", forum: "RO",
		parties: []partySpec{party("V10", contractparty.SideExporter, processor), party("S09", contractparty.SideImporter, subprocessor)},
		clauses: []clauseSpec{
			{ref: "Clause 9", topic: "Governing law", params: map[string]any{"country": "RO"}},
			{ref: "Clause 11", topic: "Subprocessing", relied: true},
		},
	}
}

func imp(holder string, capacity vocab.ProcessingRole) partySpec {
	return party(holder, contractparty.SideImporter, capacity)
}

func exp(holder string, capacity vocab.ProcessingRole) partySpec {
	return party(holder, contractparty.SideExporter, capacity)
}

// contractTable lists every contract: a DPA for every processor relationship
// except Heatmapr's (V09), the SCCs of DEMO.md and the agreements with
// independent controllers.
func contractTable() []contractSpec {
	return []contractSpec{
		intraGroupDPA(),
		intraGroupSCC(),
		withTitle(scc("E8-SCC", date(2023, 3, 20), contract.SccModuleC2p, exporterE1, imp("E8", processor), belgianAPD, "BE", "BE"),
			"Standard Contractual Clauses (Module 2): Lumora SA / Lumora Brasil Ltda (relied on until Brazil's adequacy decision)"),

		// Lumora SA and its processors.
		dpa("DPA-V01", date(2020, 2, 10), "E1", "V01", processor),
		dpa("DPA-V02", date(2023, 8, 21), "E1", "V02", processor),
		dpa("DPA-V03", date(2022, 5, 16), "E1", "V03", processor),
		dpa("DPA-V04", date(2020, 5, 11), "E1", "V04", processor),
		dpa("DPA-V05", date(2019, 12, 9), "E1", "V05", processor),
		dpa("DPA-V06", date(2019, 12, 12), "E1", "V06", processor),
		withExpiry(dpa("DPA-V07", date(2022, 7, 11), "E1", "V07", processor), date(2028, 7, 31)),
		dpa("DPA-V08", date(2023, 9, 18), "E1", "V08", processor),
		dpa("DPA-V10", date(2019, 8, 19), "E1", "V10", processor),
		dpa("DPA-V11", date(2023, 3, 1), "E1", "V11", processor),
		lacking(withExpiry(dpa("DPA-V12", date(2024, 1, 22), "E1", "V12", processor), date(2029, 1, 31)),
			vocab.StipulationDeletionOrReturn, vocab.StipulationAudits),
		dpa("DPA-V13", date(2023, 10, 23), "E1", "V13", processor),
		dpa("DPA-V14", date(2022, 8, 22), "E1", "V14", processor),
		dpa("DPA-V15", date(2023, 4, 3), "E1", "V15", processor),
		dpa("DPA-V17", date(2020, 12, 14), "E1", "V17", processor),

		// SCCs between Lumora SA and vendors outside the EEA.
		scc("SCC-V02", date(2023, 8, 21), contract.SccModuleC2p, exporterE1, imp("V02", processor), belgianAPD, "BE", "BE"),
		scc("SCC-V03", date(2022, 5, 16), contract.SccModuleC2p, exporterE1, imp("V03", processor), belgianAPD, "BE", "BE"),
		scc("SCC-V11", date(2023, 3, 1), contract.SccModuleC2p, exporterE1, imp("V11", processor), belgianAPD, "BE", "BE"),
		scc("SCC-V15", date(2023, 4, 3), contract.SccModuleC2p, exporterE1, imp("V15", processor), belgianAPD, "BE", "BE"),
		scc("SCC-V19", date(2025, 10, 6), contract.SccModuleC2c, exporterE1, imp("V19", controller), belgianAPD, "BE", "BE"),
		// Konkan's clauses name the law of India under Clause 17.
		scc("SCC-V20", date(2024, 12, 2), contract.SccModuleC2c, exporterE1, imp("V20", controller), belgianAPD, "IN", "BE"),

		// Processors and their subprocessors.
		dpa("DPA-S01", date(2020, 2, 3), "V01", "S01", subprocessor),
		dpa("DPA-S02", date(2021, 5, 3), "S01", "S02", subprocessor),
		dpa("DPA-S03", date(2024, 2, 26), "S02", "S03", subprocessor),
		dpa("DPA-S04", date(2023, 9, 18), "V02", "S04", subprocessor),
		dpa("DPA-S05", date(2026, 5, 12), "S04", "S05", subprocessor),
		dpa("DPA-S06", date(2021, 12, 6), "V04", "S06", subprocessor),
		dpa("DPA-S07", date(2023, 7, 31), "V05", "S07", subprocessor),
		dpa("DPA-S08", date(2024, 1, 15), "S07", "S08", subprocessor),
		dpa("DPA-S09", date(2019, 11, 4), "V10", "S09", subprocessor),
		dpa("DPA-S10", date(2021, 8, 9), "S09", "S10", subprocessor),
		dpa("DPA-S11", date(2025, 1, 20), "V14", "S11", subprocessor),
		scc("SCC-S04", date(2023, 9, 18), contract.SccModuleP2p, exp("V02", processor), imp("S04", subprocessor), belgianAPD, "BE", "BE"),
		scc("SCC-S05", date(2026, 5, 12), contract.SccModuleP2p, exp("S04", processor), imp("S05", subprocessor), belgianAPD, "BE", "BE"),
		scc("SCC-S08", date(2024, 1, 15), contract.SccModuleP2p, exp("S07", processor), imp("S08", subprocessor),
			"Data Protection Commission (Ireland)", "IE", "IE"),
		repealedSCC(),
		// Module 4: a non-EU law and forum are allowed.
		scc("SCC-S11", date(2025, 2, 17), contract.SccModuleP2c, exp("S11", processor), imp("V25", controller), "", "CA", "CA"),

		// Independent controllers.
		msa("MSA-V05", "Merchant services agreement (fraud screening as independent controller): Paywise Europe Ltd", date(2019, 12, 9), never, "V05"),
		msa("MSA-V16", "Data licence and enrichment agreement: Firmograph Data Inc.", date(2023, 12, 11), never, "V16"),
		msa("MSA-V18", "Event organisation agreement, Lumora Summit Madrid 2026: EventWorks Iberia SL", date(2025, 10, 20), date(2027, 12, 31), "V18"),
		msa("MSA-V21", "Sponsorship agreement, Lumora events 2026: CloudNine Hardware BV", date(2025, 12, 15), date(2027, 12, 31), "V21"),
		msa("MSA-V22", "Sponsorship agreement, Lumora events 2026: Orbis POS Inc.", date(2025, 12, 17), date(2027, 12, 31), "V22"),
		msa("MSA-V23", "Certified partner agreement: Baltic ERP Partners UAB", date(2024, 2, 12), never, "V23"),
		msa("MSA-V24", "Certified partner agreement: Paulista Sistemas Ltda", date(2024, 9, 16), never, "V24"),
		msa("MSA-V25", "Certified partner agreement: Maple Implementers Inc.", date(2023, 4, 17), never, "V25"),
	}
}

func withTitle(c contractSpec, title string) contractSpec {
	c.title = title
	return c
}

// holderName returns the name of an organization or vendor by its key.
func holderName(key string) string {
	for _, o := range group {
		if o.key == key {
			return o.name
		}
	}
	for _, v := range vendorTable {
		if v.key == key {
			return v.name
		}
	}
	return key
}

// loadContracts writes every contract with its parties and clauses.
func (b *builder) loadContracts(ctx context.Context) error {
	for _, c := range contractTable() {
		if err := b.writeContract(ctx, c); err != nil {
			return fmt.Errorf("creating contract %s (%s): %w", c.key, c.title, err)
		}
	}
	return nil
}

func (b *builder) writeContract(ctx context.Context, c contractSpec) error {
	sum := sha256.Sum256([]byte(c.title + "\n" + c.signed.Format(time.DateOnly)))
	cr := b.tx.Contract.Create().
		SetTitle(c.title).
		SetKind(c.kind).
		SetRegime(vocab.RegimeEU).
		SetSignedAt(c.signed).
		SetEffectiveAt(c.signed).
		SetDocumentRef(fmt.Sprintf("LUM/LEGAL/%d/%s", c.signed.Year(), c.key)).
		SetDocumentSha256(hex.EncodeToString(sum[:]))
	if c.decision != "" {
		cr.SetSccDecision(c.decision)
	}
	if c.module != "" {
		cr.SetSccModule(c.module)
	}
	if c.clause9 != "" {
		cr.SetClause9Option(c.clause9).SetClause9NoticeDays(c.noticeDays)
	}
	if c.authority != "" {
		cr.SetClause13Authority(c.authority)
	}
	if c.law != "" {
		cr.SetClause17LawCountryID(pulid.Country(c.law))
	}
	if c.forum != "" {
		cr.SetClause18ForumCountryID(pulid.Country(c.forum))
	}
	if c.stipulations {
		cr.SetDpaStipulations(slices.DeleteFunc(slices.Clone(allStipulations), func(s vocab.Stipulation) bool {
			return slices.Contains(c.missing, s)
		}))
	}
	if !c.expires.IsZero() {
		cr.SetExpiresAt(c.expires)
	}
	created, err := cr.Save(ctx)
	if err != nil {
		return err
	}
	b.contracts[c.key] = created.ID

	parties := make([]*ent.ContractPartyCreate, 0, len(c.parties))
	for _, p := range c.parties {
		org, vnd, err := b.holder(p.holder)
		if err != nil {
			return err
		}
		pc := b.tx.ContractParty.Create().
			SetContractID(created.ID).
			SetSide(p.side).
			SetCapacity(p.capacity)
		if org != "" {
			pc.SetOrganizationID(org)
		} else {
			pc.SetVendorID(vnd)
		}
		if !p.accession.IsZero() {
			pc.SetAccessionDate(p.accession)
		}
		parties = append(parties, pc)
	}
	if _, err := b.tx.ContractParty.CreateBulk(parties...).Save(ctx); err != nil {
		return fmt.Errorf("adding parties: %w", err)
	}

	clauses := make([]*ent.ClauseCreate, 0, len(c.clauses))
	for _, cl := range c.clauses {
		cc := b.tx.Clause.Create().SetContractID(created.ID).SetReference(cl.ref).SetTopic(cl.topic)
		if cl.params != nil {
			cc.SetParameters(cl.params)
		}
		clauses = append(clauses, cc)
	}
	saved, err := b.tx.Clause.CreateBulk(clauses...).Save(ctx)
	if err != nil {
		return fmt.Errorf("adding clauses: %w", err)
	}
	b.clauses[c.key] = map[string]pulid.ID{}
	for i, cl := range saved {
		b.clauses[c.key][cl.Reference] = cl.ID
		if c.clauses[i].relied {
			b.relied[c.key] = append(b.relied[c.key], cl.ID)
		}
	}
	return nil
}
