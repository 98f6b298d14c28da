package gen

import (
	"context"
	"fmt"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/contract"
	"github.com/privhub/privhub/ent/datacategory"
	"github.com/privhub/privhub/ent/purpose"
	"github.com/privhub/privhub/ent/vendor"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/vocab"
)

// Countries by how their transfers are framed, with how often vendors sit
// there (out of 100).
var (
	eeaCountries      = []pulid.ID{"BE", "FR", "DE", "NL", "IE", "LU", "ES", "IT", "PL", "SE", "DK", "FI", "AT", "PT", "CZ", "RO", "NO", "EE", "LT"}
	adequateCountries = []pulid.ID{"GB", "CH", "CA", "JP", "IL", "NZ", "KR", "UY", "AR"}
	sccCountries      = []pulid.ID{"IN", "SG", "AU", "MY", "AE", "ZA", "MX", "PH"}
)

func (g *generator) writeOrganizations(ctx context.Context) error {
	names := []struct {
		name    string
		country pulid.ID
	}{{"Gen Holding SA", "BE"}, {"Gen Services GmbH", "DE"}, {"Gen Inc.", "US"}, {"Gen India Pvt Ltd", "IN"}, {"Gen UK Ltd", "GB"}}
	for i, n := range names {
		c := g.client.Organization.Create().SetName(n.name).SetCountryID(n.country)
		if i > 0 {
			c.SetParentID(g.controller)
		}
		o, err := c.Save(ctx)
		if err != nil {
			return err
		}
		if i == 0 {
			g.controller = o.ID
		}
		g.orgs = append(g.orgs, o.ID)
	}
	g.res.Organizations = len(g.orgs)
	return nil
}

func (g *generator) writeTaxonomy(ctx context.Context) error {
	groups := map[string][]string{
		"identity": {"name", "birth_date"}, "contact": {"email", "phone", "address", "company"},
		"billing": {"invoice", "vat_id", "payment_token"}, "device": {"metadata", "browser"},
		"cookies": {"analytics", "functional"}, "logs": {"access", "edge"}, "support": {"ticket"},
		"event": {"registration", "dietary"}, "training": {"exam_result"}, "recruitment": {"cv"},
	}
	for _, group := range []string{"identity", "contact", "billing", "device", "cookies", "logs", "support", "event", "training", "recruitment"} {
		parent, err := g.client.DataCategory.Create().SetKey(group).SetName(group).Save(ctx)
		if err != nil {
			return err
		}
		g.groups = append(g.groups, parent.ID)
		for _, leaf := range groups[group] {
			c := g.client.DataCategory.Create().SetKey(group + "." + leaf).SetName(leaf).SetParentID(parent.ID)
			if leaf == "dietary" {
				c.SetSensitivity(datacategory.SensitivitySpecial)
			}
			cat, err := c.Save(ctx)
			if err != nil {
				return err
			}
			g.categories = append(g.categories, cat.ID)
		}
	}
	purposes := []struct {
		key    string
		basis  purpose.LegalBasis
		optOut bool
	}{
		{"service", purpose.LegalBasisContract, false}, {"billing", purpose.LegalBasisLegalObligation, false},
		{"support", purpose.LegalBasisContract, false}, {"marketing", purpose.LegalBasisConsent, true},
		{"analytics", purpose.LegalBasisConsent, true}, {"security", purpose.LegalBasisLegitimateInterests, false},
		{"events", purpose.LegalBasisConsent, true}, {"partners", purpose.LegalBasisLegitimateInterests, true},
	}
	for _, p := range purposes {
		pu, err := g.client.Purpose.Create().SetKey(p.key).SetName(p.key).SetLegalBasis(p.basis).
			SetOptOutAllowed(p.optOut).SetMarketing(p.key == "marketing").Save(ctx)
		if err != nil {
			return err
		}
		g.purposes = append(g.purposes, pu.ID)
		if p.optOut {
			g.optOutable = append(g.optOutable, pu.ID)
		}
	}
	g.res.Categories, g.res.Purposes = len(g.groups)+len(g.categories), len(g.purposes)
	return nil
}

// vendors spreads vendors over chain tiers: about half are our direct
// vendors, the rest their subprocessors, fewer at each depth.
func (g *generator) writeVendors(ctx context.Context) error {
	n := g.opts.Vendors
	g.vendors = make([]vendorInfo, 0, n)
	return g.batches(ctx, "vendors", n, func(ctx context.Context, from, to int) error {
		builders := make([]*ent.VendorCreate, 0, to-from)
		infos := make([]vendorInfo, 0, to-from)
		for i := from; i < to; i++ {
			tier := 1
			for tier < g.opts.ChainDepth && g.rng.IntN(2) == 0 {
				tier++
			}
			country := g.pickCountry()
			c := g.client.Vendor.Create().SetName(fmt.Sprintf("Vendor %05d", i)).SetCountryID(country).
				SetServices([]vocab.Service{vocab.Service(vocab.Service("").Values()[g.rng.IntN(14)])}).
				SetRiskTier([]vendor.RiskTier{vendor.RiskTierHigh, vendor.RiskTierMedium, vendor.RiskTierLow}[g.rng.IntN(3)])
			if country == "US" {
				c.SetDpfFrameworks([]vocab.DPFFramework{vocab.DPFEU}).SetDpfActiveFrom(g.day(200))
			}
			builders = append(builders, c)
			infos = append(infos, vendorInfo{country: country, tier: tier})
		}
		created, err := g.client.Vendor.CreateBulk(builders...).Save(ctx)
		if err != nil {
			return err
		}
		for i, v := range created {
			infos[i].id = v.ID
		}
		g.vendors = append(g.vendors, infos...)
		g.res.Vendors = len(g.vendors)
		return nil
	})
}

func (g *generator) pickCountry() pulid.ID {
	switch r := g.rng.IntN(100); {
	case r < 55:
		return eeaCountries[g.rng.IntN(len(eeaCountries))]
	case r < 70:
		return adequateCountries[g.rng.IntN(len(adequateCountries))]
	case r < 88:
		return "US"
	default:
		return sccCountries[g.rng.IntN(len(sccCountries))]
	}
}

// mechanism is how a transfer into country is framed.
func mechanism(country pulid.ID) vocab.Mechanism {
	for _, c := range eeaCountries {
		if c == country {
			return vocab.MechanismIntraEEA
		}
	}
	for _, c := range adequateCountries {
		if c == country {
			return vocab.MechanismAdequacy
		}
	}
	if country == "US" {
		return vocab.MechanismAdequacy
	}
	return vocab.MechanismSCC
}

// transfers links the controller to every direct vendor, each vendor to a
// few subprocessors one tier down, and adds controller-to-controller flows
// (partners) until the requested number of transfers is reached.
func (g *generator) writeTransfers(ctx context.Context) error {
	byTier := map[int][]vendorInfo{}
	for _, v := range g.vendors {
		byTier[v.tier] = append(byTier[v.tier], v)
	}
	type flow struct {
		from    *vendorInfo // nil: the controller
		to      vendorInfo
		partner bool
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

	return g.batches(ctx, "transfers", len(flows), func(ctx context.Context, from, to int) error {
		tx, err := g.client.Tx(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		var contracts []*ent.ContractCreate
		var sccFlows []int
		for i := from; i < to; i++ {
			if mechanism(flows[i].to.country) == vocab.MechanismSCC {
				module := contract.SccModuleC2p
				if flows[i].from != nil {
					module = contract.SccModuleP2p
				}
				if flows[i].partner {
					module = contract.SccModuleC2c
				}
				contracts = append(contracts, tx.Contract.Create().SetTitle(fmt.Sprintf("SCC for transfer %d", i)).
					SetKind(contract.KindScc).SetSccDecision(contract.SccDecisionDecision2021_914).SetSccModule(module).
					SetClause17LawCountryID("BE").SetClause18ForumCountryID("BE").SetSignedAt(g.day(100)).SetEffectiveAt(g.epoch))
				sccFlows = append(sccFlows, i)
			}
		}
		contractOf := map[int]pulid.ID{}
		if len(contracts) > 0 {
			created, err := tx.Contract.CreateBulk(contracts...).Save(ctx)
			if err != nil {
				return err
			}
			for k, c := range created {
				contractOf[sccFlows[k]] = c.ID
			}
		}
		builders := make([]*ent.TransferCreate, 0, to-from)
		for i := from; i < to; i++ {
			f := flows[i]
			role := vocab.RoleProcessor
			c := tx.Transfer.Create().SetImporterVendorID(f.to.id).SetCountryID(f.to.country).
				SetMechanism(mechanism(f.to.country)).SetActiveFrom(g.day(300)).
				AddCategoryIDs(g.transferCategories()...).AddPurposeIDs(g.purposes[g.rng.IntN(len(g.purposes))])
			switch {
			case f.partner:
				role = vocab.RoleController
				c.SetExporterOrganizationID(g.controller).SetHonoursOptOuts(true).
					AddPurposeIDs(g.optOutable[g.rng.IntN(len(g.optOutable))])
			case f.from == nil:
				c.SetExporterOrganizationID(g.controller).SetHonoursOptOuts(false)
			default:
				role = vocab.RoleSubprocessor
				c.SetExporterVendorID(f.from.id).SetHonoursOptOuts(false)
			}
			if id, ok := contractOf[i]; ok {
				c.SetContractID(id)
			}
			if g.rng.IntN(50) == 0 {
				c.SetActiveUntil(g.epoch.AddDate(0, 6, 0).Add(24 * time.Hour * 400)) // ended
			}
			builders = append(builders, c.SetImporterRole(role))
		}
		if err := tx.Transfer.CreateBulk(builders...).Exec(ctx); err != nil {
			return err
		}
		g.res.Contracts += len(contracts)
		g.res.Transfers += len(builders)
		return tx.Commit()
	})
}

// transferCategories picks what one transfer carries: a few leaves, now and
// then a whole group.
func (g *generator) transferCategories() []pulid.ID {
	if g.rng.IntN(5) == 0 {
		return []pulid.ID{g.groups[g.rng.IntN(len(g.groups))]}
	}
	n := 1 + g.rng.IntN(3)
	out := make([]pulid.ID, 0, n)
	seen := map[pulid.ID]bool{}
	for len(out) < n {
		c := g.categories[g.rng.IntN(len(g.categories))]
		if !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	return out
}
