package refdata

import (
	"context"
	"fmt"

	"entgo.io/ent/dialect/sql"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/adequacydecision"
	"github.com/privhub/privhub/ent/country"
	"github.com/privhub/privhub/internal/pulid"
)

// Load writes every country and adequacy decision into the database, updating
// rows that already exist, so that running it again brings a database up to
// date with this release's reference data without duplicating anything.
func Load(ctx context.Context, client *ent.Client) error {
	countries := Countries()
	cb := make([]*ent.CountryCreate, len(countries))
	for i, c := range countries {
		cb[i] = client.Country.Create().SetID(pulid.Country(c.Code)).SetName(c.Name).SetEu(c.EU).SetEea(c.EEA)
	}
	err := client.Country.CreateBulk(cb...).
		OnConflictColumns(country.FieldID).
		UpdateName().UpdateEu().UpdateEea().
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("loading countries: %w", err)
	}

	decisions := Decisions()
	db := make([]*ent.AdequacyDecisionCreate, len(decisions))
	for i, d := range decisions {
		c := client.AdequacyDecision.Create().
			SetRegime(d.Regime).
			SetCountryID(pulid.Country(d.Country)).
			SetScope(adequacydecision.Scope(d.Scope)).
			SetReference(d.Reference).
			SetValidFrom(d.ValidFrom).
			SetNote(d.Note)
		if !d.ValidUntil.IsZero() {
			c.SetValidUntil(d.ValidUntil)
		}
		db[i] = c
	}
	err = client.AdequacyDecision.CreateBulk(db...).
		OnConflict(sql.ConflictColumns(adequacydecision.FieldRegime, adequacydecision.FieldCountryID, adequacydecision.FieldValidFrom)).
		Update(func(u *ent.AdequacyDecisionUpsert) {
			u.UpdateScope().UpdateReference().UpdateNote().UpdateValidUntil().UpdateUpdatedAt()
		}).
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("loading adequacy decisions: %w", err)
	}
	return nil
}
