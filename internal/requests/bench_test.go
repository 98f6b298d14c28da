package requests_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/datarecord"
	"github.com/privhub/privhub/ent/purpose"
	"github.com/privhub/privhub/ent/request"
	"github.com/privhub/privhub/internal/audit"
	"github.com/privhub/privhub/internal/integrity"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/requests"
	"github.com/privhub/privhub/internal/store/storetest"
	"github.com/privhub/privhub/internal/trace"
	"github.com/privhub/privhub/internal/vocab"
)

// BenchmarkErase erases one user with 50 data records whose data reaches 10
// downstream holders (one processor each, and a subprocessor behind every
// other one), with the write rules, the trace engine's hooks and the audit
// trail installed, on each database. Each iteration erases a fresh user.
func BenchmarkErase(b *testing.B) {
	for _, dia := range storetest.Dialects() {
		b.Run(dia, func(b *testing.B) {
			ctx := context.Background()
			db := storetest.Open(b, dia)
			integrity.Register(db.Client)
			audit.Register(db.Client)
			c := db.Client
			tracer := trace.New(c)
			tracer.Watch(c)
			desk := &requests.Desk{Tracer: tracer}

			org := c.Organization.Create().SetName("Controller SA").SetCountryID("cty_BE").SaveX(ctx)
			parent := c.DataCategory.Create().SetKey("contact").SetName("Contact").SaveX(ctx)
			cats := make([]*ent.DataCategory, 5)
			for i := range cats {
				cats[i] = c.DataCategory.Create().SetKey(fmt.Sprintf("contact.f%d", i)).SetName("f").SetParentID(parent.ID).SaveX(ctx)
			}
			svc := c.Purpose.Create().SetKey("service").SetName("Service").SetLegalBasis(purpose.LegalBasisContract).SaveX(ctx)
			flow := func(from ent.Holder, to *ent.Vendor) {
				t := c.Transfer.Create().SetName(to.Name).SetImporterRole(vocab.RoleProcessor).SetCountryID("cty_FR").
					SetMechanism(vocab.MechanismIntraEEA).SetActiveFrom(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)).
					SetImporterVendorID(to.ID).AddCategories(parent).AddPurposes(svc)
				if o, ok := from.(*ent.Organization); ok {
					t.SetExporterOrganizationID(o.ID)
				} else {
					t.SetExporterVendorID(from.HolderID())
				}
				t.SaveX(ctx)
			}
			for i := range 5 {
				p := c.Vendor.Create().SetName(fmt.Sprintf("Processor %d", i)).SetCountryID("cty_FR").SaveX(ctx)
				s := c.Vendor.Create().SetName(fmt.Sprintf("Subprocessor %d", i)).SetCountryID("cty_FR").SaveX(ctx)
				flow(org, p)
				flow(p, s)
			}
			newCase := func(i int) *ent.Request {
				u := c.User.Create().SetExternalRef(fmt.Sprintf("u-%d", i)).SetEmail("x@example.org").SetSubjectKind(vocab.SubjectCustomer).SaveX(ctx)
				recs := make([]*ent.DataRecordCreate, 50)
				for j := range recs {
					recs[j] = c.DataRecord.Create().SetUserID(u.ID).SetCategoryID(cats[j%len(cats)].ID).
						SetCollectorOrganizationID(org.ID).SetSource(datarecord.SourceProvided).SetValue("v").AddPurposes(svc)
				}
				c.DataRecord.CreateBulk(recs...).ExecX(ctx)
				return c.Request.Create().SetUserID(u.ID).SetKind(request.KindErasure).SaveX(ctx)
			}
			ids := make([]pulid.ID, b.N)
			var user pulid.ID
			for i := range ids {
				r := newCase(i)
				ids[i], user = r.ID, r.UserID
			}
			if _, err := tracer.Trace(ctx, user, time.Now()); err != nil { // build the graph once
				b.Fatal(err)
			}
			b.ResetTimer()
			for i := range b.N {
				r, err := desk.Erase(ctx, c, ids[i], time.Now())
				if err != nil {
					b.Fatal(err)
				}
				if n := len(r.QueryTasks().AllX(ctx)); n != 10 {
					b.Fatalf("%d tasks, want 10", n)
				}
			}
		})
	}
}
