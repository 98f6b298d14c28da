package gen

import (
	"context"
	"fmt"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/assessment"
	"github.com/privhub/privhub/ent/datacategory"
	"github.com/privhub/privhub/ent/purpose"
	"github.com/privhub/privhub/ent/securitymeasure"
	"github.com/privhub/privhub/ent/vendor"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/vocab"
)

// Countries by how their transfers are framed, with how often vendors sit
// there (out of 100).
var (
	eeaCountries      = []pulid.ID{pulid.Country("BE"), pulid.Country("FR"), pulid.Country("DE"), pulid.Country("NL"), pulid.Country("IE"), pulid.Country("LU"), pulid.Country("ES"), pulid.Country("IT"), pulid.Country("PL"), pulid.Country("SE"), pulid.Country("DK"), pulid.Country("FI"), pulid.Country("AT"), pulid.Country("PT"), pulid.Country("CZ"), pulid.Country("RO"), pulid.Country("NO"), pulid.Country("EE"), pulid.Country("LT")}
	adequateCountries = []pulid.ID{pulid.Country("GB"), pulid.Country("CH"), pulid.Country("CA"), pulid.Country("JP"), pulid.Country("IL"), pulid.Country("NZ"), pulid.Country("KR"), pulid.Country("UY"), pulid.Country("AR")}
	sccCountries      = []pulid.ID{pulid.Country("IN"), pulid.Country("SG"), pulid.Country("AU"), pulid.Country("MY"), pulid.Country("AE"), pulid.Country("ZA"), pulid.Country("MX"), pulid.Country("PH")}
)

func (g *generator) writeOrganizations(ctx context.Context) error {
	names := []struct {
		name    string
		country pulid.ID
	}{{"Gen Holding SA", pulid.Country("BE")}, {"Gen Services GmbH", pulid.Country("DE")}, {"Gen Inc.", pulid.Country("US")}, {"Gen India Pvt Ltd", pulid.Country("IN")}, {"Gen UK Ltd", pulid.Country("GB")}}
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
	// A few measures, recorded once and attached to our organisations and
	// to every vendor (see writeVendors).
	measures := []struct {
		name  string
		kind  securitymeasure.Kind
		topic securitymeasure.Topic
	}{
		{"Encryption in transit and at rest", securitymeasure.KindTechnical, securitymeasure.TopicEncryption},
		{"Role-based access control with MFA", securitymeasure.KindTechnical, securitymeasure.TopicAccessControl},
		{"Staff data protection training", securitymeasure.KindOrganisational, securitymeasure.TopicTraining},
		{"Incident response plan", securitymeasure.KindOrganisational, securitymeasure.TopicIncidentResponse},
	}
	for _, m := range measures {
		sm, err := g.client.SecurityMeasure.Create().SetName(m.name).SetKind(m.kind).SetTopic(m.topic).
			SetVerifiedAt(g.ref.AddDate(0, -3, 0)).AddOrganizationIDs(g.orgs...).Save(ctx)
		if err != nil {
			return err
		}
		g.measures = append(g.measures, sm.ID)
	}
	g.res.SecurityMeasures = len(g.measures)
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
		if group == "event" {
			g.eventGroup = parent.ID
		}
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
			if leaf == "dietary" {
				g.dietary = cat.ID
			}
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
	g.purposeKey = map[string]pulid.ID{}
	for _, p := range purposes {
		pu, err := g.client.Purpose.Create().SetKey(p.key).SetName(p.key).SetLegalBasis(p.basis).
			SetOptOutAllowed(p.optOut).SetMarketing(p.key == "marketing").Save(ctx)
		if err != nil {
			return err
		}
		g.purposes = append(g.purposes, pu.ID)
		g.purposeKey[p.key] = pu.ID
		if p.optOut {
			g.optOutable = append(g.optOutable, pu.ID)
		}
	}
	g.res.Categories, g.res.Purposes = len(g.groups)+len(g.categories), len(g.purposes)
	return nil
}

// vendors spreads vendors over chain tiers: about half are our direct
// vendors, the rest their subprocessors, fewer at each depth. Each vendor
// gets a review within its cadence and security measures; US vendors a
// Data Privacy Framework certification active before any transfer.
func (g *generator) writeVendors(ctx context.Context) error {
	n := g.opts.Vendors
	g.vendors = make([]vendorInfo, 0, n)
	tiers := []vendor.RiskTier{vendor.RiskTierHigh, vendor.RiskTierMedium, vendor.RiskTierLow}
	return g.batches(ctx, "vendors", n, func(ctx context.Context, from, to int) error {
		tx, err := g.client.Tx(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		builders := make([]*ent.VendorCreate, 0, to-from)
		infos := make([]vendorInfo, 0, to-from)
		type assurance struct {
			risk                    vendor.RiskTier
			late, failed, noMeasure bool
			reviewDaysAgo           int
		}
		plans := make([]assurance, 0, to-from)
		for i := from; i < to; i++ {
			tier := 1
			for tier < g.opts.ChainDepth && g.rng.IntN(2) == 0 {
				tier++
			}
			country := g.pickCountry()
			name := fmt.Sprintf("Vendor %05d", i)
			risk := tiers[g.rng.IntN(3)]
			c := tx.Vendor.Create().SetName(name).SetCountryID(country).
				SetServices([]vocab.Service{vocab.Service(vocab.Service("").Values()[g.rng.IntN(14)])}).
				SetRiskTier(risk)
			if country == pulid.Country("US") {
				// Certified before the history starts, so before any transfer.
				c.SetDpfFrameworks([]vocab.DPFFramework{vocab.DPFEU}).SetDpfActiveFrom(g.epoch.AddDate(0, 0, -30-g.rng.IntN(150)))
				if plant(g.rng, plantDPFLapsed) {
					c.SetDpfActiveUntil(g.ref.AddDate(-1, 0, g.rng.IntN(180)))
					g.res.Planted++
				}
			}
			a := assurance{risk: risk, reviewDaysAgo: g.rng.IntN(120)}
			a.late, a.failed, a.noMeasure = plant(g.rng, plantReviewLate), plant(g.rng, plantReviewFail), plant(g.rng, plantNoMeasure)
			for _, p := range []bool{a.late, a.failed, a.noMeasure} {
				if p {
					g.res.Planted++
				}
			}
			builders = append(builders, c)
			infos = append(infos, vendorInfo{name: name, country: country, tier: tier})
			plans = append(plans, a)
		}
		created, err := tx.Vendor.CreateBulk(builders...).Save(ctx)
		if err != nil {
			return err
		}
		reviews := make([]*ent.AssessmentCreate, 0, len(created))
		secured := make([][]pulid.ID, len(g.measures))
		for k, v := range created {
			infos[k].id = v.ID
			a := plans[k]
			performed := g.ref.AddDate(0, 0, -a.reviewDaysAgo)
			next := performed.AddDate(0, cadence(a.risk), 0)
			if a.late {
				performed = g.ref.AddDate(-2, 0, -a.reviewDaysAgo)
				next = performed.AddDate(1, 0, 0)
			}
			r := tx.Assessment.Create().SetKind(assessment.KindVendorReview).SetVendorID(v.ID).
				SetPerformedAt(performed).SetNextDue(next).SetOutcome(assessment.OutcomePass).SetPerformedBy("vendor management")
			if a.failed {
				r.SetOutcome(assessment.OutcomeFail).SetFindings("No evidence of encryption at rest; remediation plan requested.")
			}
			reviews = append(reviews, r)
			if !a.noMeasure {
				i := from + k
				secured[i%2] = append(secured[i%2], v.ID)     // a technical measure
				secured[2+i%2] = append(secured[2+i%2], v.ID) // an organisational one
			}
		}
		if err := tx.Assessment.CreateBulk(reviews...).Exec(ctx); err != nil {
			return err
		}
		for m, ids := range secured {
			if len(ids) > 0 {
				if err := tx.SecurityMeasure.UpdateOneID(g.measures[m]).AddVendorIDs(ids...).Exec(ctx); err != nil {
					return err
				}
			}
		}
		if err := tx.Commit(); err != nil {
			return err
		}
		g.vendors = append(g.vendors, infos...)
		g.res.Vendors = len(g.vendors)
		g.res.Assessments += len(reviews)
		return nil
	})
}

// cadence returns the months between reviews of a vendor of a risk tier.
func cadence(r vendor.RiskTier) int {
	switch r {
	case vendor.RiskTierHigh:
		return 12
	case vendor.RiskTierLow:
		return 36
	}
	return 24
}

func (g *generator) pickCountry() pulid.ID {
	switch r := g.rng.IntN(100); {
	case r < 55:
		return eeaCountries[g.rng.IntN(len(eeaCountries))]
	case r < 70:
		return adequateCountries[g.rng.IntN(len(adequateCountries))]
	case r < 88:
		return pulid.Country("US")
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
	if country == pulid.Country("US") {
		return vocab.MechanismAdequacy
	}
	return vocab.MechanismSCC
}
