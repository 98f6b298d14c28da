package gen

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/consent"
	"github.com/privhub/privhub/ent/datarecord"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/vocab"
)

// userPlan is everything generated about one user: who they are, the
// choices they made in the preference centre when they signed up, and the
// records held about them. It is drawn from a random source of its own, so
// that the users step and the records step see the same plan.
type userPlan struct {
	country pulid.ID
	kind    vocab.SubjectKind
	signup  time.Time
	optOut  pulid.ID // "" when the user did not opt out
	records []recordPlan
	grants  []grantPlan
	planted int
}

type recordPlan struct {
	category, purpose pulid.ID
	source            datarecord.Source
	collected         time.Time
	vendor            pulid.ID // "" when the controller collected it
}

type grantPlan struct {
	purpose  pulid.ID
	explicit bool
}

var recordSources = []datarecord.Source{datarecord.SourceProvided, datarecord.SourceObserved, datarecord.SourceCookie,
	datarecord.SourceLog, datarecord.SourceDevice, datarecord.SourceDiagnostic}

// planUser draws user i. About one in ten opts out of a purpose that allows
// it; no record is then kept for that purpose when it rests on consent.
// Every consent-based purpose a record is collected for was granted at
// sign-up, before any collection, and explicitly so for events when the user
// gave dietary data; event dietary data is kept for the events purpose. A
// few users get a planted problem: a consent-based purpose used without
// consent, or dietary data kept for the partners purpose without explicit
// consent.
func (g *generator) planUser(i int) *userPlan {
	r := rand.New(rand.NewPCG(uint64(g.opts.Seed)^0x5851f42d4c957f2d, uint64(i)))
	kinds := vocab.SubjectKind("").Values()
	u := &userPlan{
		country: eeaCountries[r.IntN(len(eeaCountries))],
		kind:    vocab.SubjectKind(kinds[r.IntN(len(kinds))]),
		signup:  g.epoch.AddDate(0, 0, -1-r.IntN(365)).Add(time.Duration(r.IntN(24)) * time.Hour),
	}
	if r.IntN(10) == 0 {
		u.optOut = g.optOutable[r.IntN(len(g.optOutable))]
	}
	missingConsent, noExplicit := plant(r, plantConsentMissing), plant(r, plantNoExplicit)
	events, service, partners := g.purposeKey["events"], g.purposeKey["service"], g.purposeKey["partners"]
	consentBased := func(p pulid.ID) bool {
		return p == g.purposeKey["marketing"] || p == g.purposeKey["analytics"] || p == events
	}
	u.records = make([]recordPlan, g.opts.RecordsPerUser)
	used := map[pulid.ID]bool{}
	explicit := false
	for k := range u.records {
		rec := &u.records[k]
		rec.category = g.categories[r.IntN(len(g.categories))]
		rec.source = recordSources[r.IntN(len(recordSources))]
		rec.collected = g.epoch.Add(time.Duration(r.IntN(700*24)) * time.Hour)
		rec.purpose = g.purposes[r.IntN(len(g.purposes))]
		switch {
		case rec.category == g.dietary && noExplicit:
			rec.purpose = partners
		case rec.category == g.dietary && u.optOut == events:
			rec.purpose = service
		case rec.category == g.dietary:
			rec.purpose = events
			explicit = true
		case rec.purpose == u.optOut && consentBased(rec.purpose):
			rec.purpose = service
		}
		if len(g.direct) > 0 && r.IntN(10) == 0 {
			rec.vendor = g.direct[r.IntN(len(g.direct))]
		}
		used[rec.purpose] = true
	}
	for _, p := range g.purposes { // in purpose order, for determinism
		if used[p] && consentBased(p) {
			u.grants = append(u.grants, grantPlan{purpose: p, explicit: p == events && explicit})
		}
	}
	if noExplicit && slicesContainsCategory(u.records, g.dietary) {
		u.planted++
	}
	if missingConsent {
		for k, gr := range u.grants {
			if !gr.explicit {
				u.grants = append(u.grants[:k], u.grants[k+1:]...)
				u.planted++
				break
			}
		}
	}
	return u
}

func slicesContainsCategory(rs []recordPlan, cat pulid.ID) bool {
	for _, r := range rs {
		if r.category == cat {
			return true
		}
	}
	return false
}

// users writes the data subjects and their consent ledger: an opt-out for
// about one in ten, and the consents their records need.
func (g *generator) writeUsers(ctx context.Context) error {
	g.direct = g.direct[:0]
	for _, v := range g.vendors {
		if v.tier == 1 {
			g.direct = append(g.direct, v.id)
		}
	}
	g.users = make([]pulid.ID, 0, g.opts.Users)
	return g.batches(ctx, "users", g.opts.Users, func(ctx context.Context, from, to int) error {
		tx, err := g.client.Tx(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		plans := make([]*userPlan, 0, to-from)
		builders := make([]*ent.UserCreate, 0, to-from)
		for i := from; i < to; i++ {
			u := g.planUser(i)
			plans = append(plans, u)
			builders = append(builders, tx.User.Create().
				SetExternalRef(fmt.Sprintf("GEN-%07d", i)).
				SetEmail(fmt.Sprintf("user%07d@example.org", i)).
				SetName(fmt.Sprintf("User %07d", i)).
				SetCountryID(u.country).
				SetSubjectKind(u.kind))
		}
		created, err := tx.User.CreateBulk(builders...).Save(ctx)
		if err != nil {
			return err
		}
		var consents []*ent.ConsentCreate
		for k, u := range created {
			g.users = append(g.users, u.ID)
			p := plans[k]
			g.res.Planted += p.planted
			if p.optOut != "" {
				consents = append(consents, tx.Consent.Create().SetUserID(u.ID).SetPurposeID(p.optOut).
					SetDecision(consent.DecisionOptedOut).SetRecordedAt(p.signup).SetSource("preference centre"))
			}
			for _, gr := range p.grants {
				consents = append(consents, tx.Consent.Create().SetUserID(u.ID).SetPurposeID(gr.purpose).
					SetDecision(consent.DecisionGranted).SetExplicit(gr.explicit).
					SetRecordedAt(p.signup.Add(time.Minute)).SetSource("sign-up form"))
			}
		}
		if err := execChunks(consents, g.opts.BatchSize, func(b []*ent.ConsentCreate) error {
			return tx.Consent.CreateBulk(b...).Exec(ctx)
		}); err != nil {
			return err
		}
		g.res.Users += len(created)
		g.res.Consents += len(consents)
		return tx.Commit()
	})
}

// records writes RecordsPerUser data records per user, most collected by
// the controller, some by a direct vendor (cookies, logs), as planUser drew
// them.
func (g *generator) writeRecords(ctx context.Context) error {
	per := max(1, g.opts.BatchSize/g.opts.RecordsPerUser)
	return g.batchesOf(ctx, "records (users)", len(g.users), per, func(ctx context.Context, from, to int) error {
		builders := make([]*ent.DataRecordCreate, 0, (to-from)*g.opts.RecordsPerUser)
		for i := from; i < to; i++ {
			for _, r := range g.planUser(i).records {
				c := g.client.DataRecord.Create().SetUserID(g.users[i]).SetCategoryID(r.category).
					SetSource(r.source).SetCollectedAt(r.collected).AddPurposeIDs(r.purpose)
				if r.vendor != "" {
					c.SetCollectorVendorID(r.vendor)
				} else {
					c.SetCollectorOrganizationID(g.controller)
				}
				builders = append(builders, c)
			}
		}
		if err := g.client.DataRecord.CreateBulk(builders...).Exec(ctx); err != nil {
			return err
		}
		g.res.Records += len(builders)
		return nil
	})
}
