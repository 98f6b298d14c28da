package demo

import (
	"context"
	"fmt"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/internal/pulid"
)

// loadPeople writes the generated population: users, their data records and
// consents, the disclosures made about them and their requests.
func (b *builder) loadPeople(ctx context.Context) error {
	p := newPlan()
	users, err := b.writeUsers(ctx, p)
	if err != nil {
		return err
	}
	if err := b.writeRecords(ctx, p, users); err != nil {
		return err
	}
	if err := b.writeConsents(ctx, p, users); err != nil {
		return err
	}
	if err := b.writeDisclosures(ctx, p, users); err != nil {
		return err
	}
	return b.writeRequests(ctx, p, users)
}

func (b *builder) writeUsers(ctx context.Context, p *plan) ([]pulid.ID, error) {
	ids := make([]pulid.ID, 0, len(p.people))
	err := chunks(p.people, func(batch []person) error {
		creates := make([]*ent.UserCreate, len(batch))
		for i, x := range batch {
			c := b.tx.User.Create().
				SetExternalRef(x.ref).
				SetCountryID(pulid.Country(x.country)).
				SetSubjectKind(x.kind)
			if x.email != "" {
				c.SetEmail(x.email)
			}
			if n := x.name(); n != "" {
				c.SetName(n)
			}
			creates[i] = c
		}
		saved, err := b.tx.User.CreateBulk(creates...).Save(ctx)
		if err != nil {
			return fmt.Errorf("creating users %s..%s: %w", batch[0].ref, batch[len(batch)-1].ref, err)
		}
		for _, u := range saved {
			ids = append(ids, u.ID)
		}
		return nil
	})
	return ids, err
}

func (b *builder) writeRecords(ctx context.Context, p *plan, users []pulid.ID) error {
	return chunks(p.records, func(batch []recordSpec) error {
		creates := make([]*ent.DataRecordCreate, len(batch))
		for i, r := range batch {
			cat, err := b.category(r.category)
			if err != nil {
				return fmt.Errorf("creating data record of %s: %w", p.people[r.person].ref, err)
			}
			purposes, err := b.purposeIDs(r.purposes)
			if err != nil {
				return fmt.Errorf("creating data record of %s: %w", p.people[r.person].ref, err)
			}
			org, vendor, err := b.holder(r.collector)
			if err != nil {
				return fmt.Errorf("creating data record of %s: %w", p.people[r.person].ref, err)
			}
			c := b.tx.DataRecord.Create().
				SetUserID(users[r.person]).
				SetCategoryID(cat).
				SetSource(r.source).
				SetCollectedAt(r.at).
				AddPurposeIDs(purposes...)
			if org != "" {
				c.SetCollectorOrganizationID(org)
			} else {
				c.SetCollectorVendorID(vendor)
			}
			if !r.lastUsed.IsZero() {
				c.SetLastUsedAt(r.lastUsed)
			}
			if r.value != "" {
				c.SetValue(r.value)
			}
			creates[i] = c
		}
		if _, err := b.tx.DataRecord.CreateBulk(creates...).Save(ctx); err != nil {
			return fmt.Errorf("creating data records: %w", err)
		}
		return nil
	})
}

func (b *builder) writeConsents(ctx context.Context, p *plan, users []pulid.ID) error {
	return chunks(p.consents, func(batch []consentSpec) error {
		creates := make([]*ent.ConsentCreate, len(batch))
		for i, c := range batch {
			purpose, err := b.purposeIDs([]string{c.purpose})
			if err != nil {
				return fmt.Errorf("creating consent of %s: %w", p.people[c.person].ref, err)
			}
			cc := b.tx.Consent.Create().
				SetUserID(users[c.person]).
				SetPurposeID(purpose[0]).
				SetDecision(c.decision).
				SetExplicit(c.explicit).
				SetRecordedAt(c.at).
				SetSource(c.source).
				SetEvidence(c.evidence)
			if c.recipient != "" {
				id, ok := b.vendors[c.recipient]
				if !ok {
					return fmt.Errorf("creating consent of %s: unknown recipient %s", p.people[c.person].ref, c.recipient)
				}
				cc.SetRecipientID(id)
			}
			creates[i] = cc
		}
		if _, err := b.tx.Consent.CreateBulk(creates...).Save(ctx); err != nil {
			return fmt.Errorf("creating consents: %w", err)
		}
		return nil
	})
}

func (b *builder) writeDisclosures(ctx context.Context, p *plan, users []pulid.ID) error {
	for _, d := range p.disclosures {
		transfer, ok := b.transfers[d.transfer]
		if !ok {
			return fmt.Errorf("creating disclosure %q: unknown transfer %s", d.reference, d.transfer)
		}
		cats, err := b.categoryIDs(d.categories)
		if err != nil {
			return fmt.Errorf("creating disclosure %q: %w", d.reference, err)
		}
		ids := make([]pulid.ID, len(d.people))
		for i, x := range d.people {
			ids[i] = users[x]
		}
		if _, err := b.tx.Disclosure.Create().
			SetTransferID(transfer).
			SetDisclosedAt(d.at).
			SetReference(d.reference).
			AddUserIDs(ids...).
			AddCategoryIDs(cats...).
			Save(ctx); err != nil {
			return fmt.Errorf("creating disclosure %q: %w", d.reference, err)
		}
	}
	return nil
}

func (b *builder) writeRequests(ctx context.Context, p *plan, users []pulid.ID) error {
	for _, r := range p.requests {
		c := b.tx.Request.Create().
			SetReference(r.ref).
			SetUserID(users[r.person]).
			SetKind(r.kind).
			SetStatus(r.status).
			SetReceivedAt(r.received).
			SetDueAt(r.due()).
			SetHistory(r.history)
		if !r.extensionNotified.IsZero() {
			c.SetExtensionNotifiedAt(r.extensionNotified).
				SetExtensionMonths(r.extensionMonths).
				SetExtensionReason(r.extensionReason)
		}
		if !r.completed.IsZero() {
			c.SetCompletedAt(r.completed)
		}
		if r.note != "" {
			c.SetNote(r.note)
		}
		if _, err := c.Save(ctx); err != nil {
			return fmt.Errorf("creating request %s: %w", r.ref, err)
		}
	}
	return nil
}
