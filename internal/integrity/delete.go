package integrity

import (
	"context"
	"fmt"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/auditevent"
	"github.com/privhub/privhub/ent/clause"
	"github.com/privhub/privhub/ent/consent"
	"github.com/privhub/privhub/ent/country"
	"github.com/privhub/privhub/ent/datacategory"
	"github.com/privhub/privhub/ent/informedparty"
	"github.com/privhub/privhub/ent/purpose"
	"github.com/privhub/privhub/ent/subprocessorannouncement"
	"github.com/privhub/privhub/ent/subprocessorobjection"
	"github.com/privhub/privhub/ent/user"
	"github.com/privhub/privhub/internal/apperr"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/store"
)

// Delete removes the object with the given ID, of any type. It refuses, with
// a CONFLICT, to delete an object that others still point to, so that no
// reference is left dangling and no link silently disappears; append-only
// records (consents, audit events) and reference data cannot be deleted.
func Delete(ctx context.Context, c *ent.Client, id pulid.ID) error {
	table, ok := ent.TableOf(id)
	if !ok {
		return apperr.NotFoundf("nothing has this ID")
	}
	switch table {
	case consent.Table, auditevent.Table, subprocessorannouncement.Table, informedparty.Table, subprocessorobjection.Table:
		return apperr.Invalid("id", "%s are append-only and cannot be deleted", table)
	case country.Table:
		return apperr.Invalid("id", "countries are reference data and cannot be deleted")
	}
	if err := checkLinks(ctx, c, table, id); err != nil {
		return err
	}
	err := c.DeleteNode(ctx, id)
	switch {
	case err == nil:
		return nil
	case ent.IsNotFound(err):
		return apperr.NotFoundf("nothing has this ID")
	case store.IsForeignKeyViolation(err):
		return apperr.Conflictf("%s is still referred to by other objects; delete or change those first", id)
	}
	return fmt.Errorf("deleting %s: %w", id, err)
}

// checkLinks refuses deletes that would silently drop many-to-many links
// that others rely on (the join rows would otherwise cascade away).
func checkLinks(ctx context.Context, c *ent.Client, table string, id pulid.ID) error {
	type link struct {
		what  string
		exist func(context.Context) (bool, error)
	}
	var links []link
	switch table {
	case datacategory.Table:
		q := func() *ent.DataCategoryQuery { return c.DataCategory.Query().Where(datacategory.ID(id)) }
		links = []link{
			{"transfers", q().QueryTransfers().Exist},
			{"purposes", q().QueryPurposes().Exist},
			{"disclosures", q().QueryDisclosures().Exist},
			{"subprocessor announcements", q().QuerySubprocessorAnnouncements().Exist},
		}
	case purpose.Table:
		q := func() *ent.PurposeQuery { return c.Purpose.Query().Where(purpose.ID(id)) }
		links = []link{{"transfers", q().QueryTransfers().Exist}, {"data records", q().QueryDataRecords().Exist},
			{"subprocessor announcements", q().QuerySubprocessorAnnouncements().Exist}}
	case clause.Table:
		links = []link{{"transfers", c.Clause.Query().Where(clause.ID(id)).QueryTransfers().Exist}}
	case user.Table:
		links = []link{{"disclosures", c.User.Query().Where(user.ID(id)).QueryDisclosures().Exist}}
	}
	for _, l := range links {
		ok, err := l.exist(ctx)
		if err != nil {
			return fmt.Errorf("checking %s of %s: %w", l.what, id, err)
		}
		if ok {
			return apperr.Conflictf("%s is still referred to by %s; remove it from them first", id, l.what)
		}
	}
	return nil
}
