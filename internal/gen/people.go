package gen

import (
	"context"
	"fmt"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/consent"
	"github.com/privhub/privhub/ent/datarecord"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/vocab"
)

// users writes the data subjects, and an opt-out for about one in ten.
func (g *generator) writeUsers(ctx context.Context) error {
	kinds := vocab.SubjectKind("").Values()
	g.users = make([]pulid.ID, 0, g.opts.Users)
	return g.batches(ctx, "users", g.opts.Users, func(ctx context.Context, from, to int) error {
		tx, err := g.client.Tx(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		builders := make([]*ent.UserCreate, 0, to-from)
		for i := from; i < to; i++ {
			builders = append(builders, tx.User.Create().
				SetExternalRef(fmt.Sprintf("GEN-%07d", i)).
				SetEmail(fmt.Sprintf("user%07d@example.org", i)).
				SetName(fmt.Sprintf("User %07d", i)).
				SetCountryID(eeaCountries[g.rng.IntN(len(eeaCountries))]).
				SetSubjectKind(vocab.SubjectKind(kinds[g.rng.IntN(len(kinds))])))
		}
		created, err := tx.User.CreateBulk(builders...).Save(ctx)
		if err != nil {
			return err
		}
		var consents []*ent.ConsentCreate
		for _, u := range created {
			g.users = append(g.users, u.ID)
			if g.rng.IntN(10) == 0 {
				consents = append(consents, tx.Consent.Create().SetUserID(u.ID).
					SetPurposeID(g.optOutable[g.rng.IntN(len(g.optOutable))]).
					SetDecision(consent.DecisionOptedOut).SetRecordedAt(g.day(500)).SetSource("preference centre"))
			}
		}
		if len(consents) > 0 {
			if err := tx.Consent.CreateBulk(consents...).Exec(ctx); err != nil {
				return err
			}
		}
		g.res.Users += len(created)
		g.res.Consents += len(consents)
		return tx.Commit()
	})
}

// records writes about RecordsPerUser data records per user, most collected
// by the controller, some by a direct vendor (cookies, logs).
func (g *generator) writeRecords(ctx context.Context) error {
	var direct []pulid.ID
	for _, v := range g.vendors {
		if v.tier == 1 {
			direct = append(direct, v.id)
		}
	}
	sources := []datarecord.Source{datarecord.SourceProvided, datarecord.SourceObserved, datarecord.SourceCookie,
		datarecord.SourceLog, datarecord.SourceDevice, datarecord.SourceDiagnostic}
	total := len(g.users) * g.opts.RecordsPerUser
	return g.batches(ctx, "records", total, func(ctx context.Context, from, to int) error {
		builders := make([]*ent.DataRecordCreate, 0, to-from)
		for i := from; i < to; i++ {
			c := g.client.DataRecord.Create().
				SetUserID(g.users[i/g.opts.RecordsPerUser]).
				SetCategoryID(g.categories[g.rng.IntN(len(g.categories))]).
				SetSource(sources[g.rng.IntN(len(sources))]).
				SetCollectedAt(g.day(700)).
				AddPurposeIDs(g.purposes[g.rng.IntN(len(g.purposes))])
			if len(direct) > 0 && g.rng.IntN(10) == 0 {
				c.SetCollectorVendorID(direct[g.rng.IntN(len(direct))])
			} else {
				c.SetCollectorOrganizationID(g.controller)
			}
			builders = append(builders, c)
		}
		if err := g.client.DataRecord.CreateBulk(builders...).Exec(ctx); err != nil {
			return err
		}
		g.res.Records += len(builders)
		return nil
	})
}
