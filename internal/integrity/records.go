package integrity

import (
	"context"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/datacategory"
	"github.com/privhub/privhub/internal/apperr"
	"github.com/privhub/privhub/internal/law"
	"github.com/privhub/privhub/internal/pulid"
)

func (r *rules) checkCategory(ctx context.Context, m *ent.DataCategoryMutation) error {
	parent, ok := m.ParentID()
	self, hasSelf := m.ID()
	if !ok || !hasSelf {
		return nil
	}
	return noCycle("parentID", "data category", self, parent, func(id pulid.ID) (*pulid.ID, error) {
		c, err := m.Client().DataCategory.Query().Where(datacategory.ID(id)).Only(ctx)
		if err != nil {
			return nil, err
		}
		return c.ParentID, nil
	})
}

func (r *rules) checkRecord(ctx context.Context, m *ent.DataRecordMutation) error {
	_, err := holder(ctx, m.Op(), "collectorVendorID", "collector",
		ref{m.CollectorOrganizationID, m.CollectorOrganizationCleared(), m.OldCollectorOrganizationID},
		ref{m.CollectorVendorID, m.CollectorVendorCleared(), m.OldCollectorVendorID})
	return err
}

func (r *rules) checkParty(ctx context.Context, m *ent.ContractPartyMutation) error {
	_, err := holder(ctx, m.Op(), "vendorID", "party",
		ref{m.OrganizationID, m.OrganizationCleared(), m.OldOrganizationID},
		ref{m.VendorID, m.VendorCleared(), m.OldVendorID})
	return err
}

func (r *rules) checkTask(ctx context.Context, m *ent.RequestTaskMutation) error {
	_, err := holder(ctx, m.Op(), "vendorID", "holder",
		ref{m.OrganizationID, m.OrganizationCleared(), m.OldOrganizationID},
		ref{m.VendorID, m.VendorCleared(), m.OldVendorID})
	return err
}

func (r *rules) checkAssessment(_ context.Context, m *ent.AssessmentMutation) error {
	_, v := m.VendorID()
	_, t := m.TransferID()
	if m.Op().Is(ent.OpCreate) && !v && !t {
		return apperr.Invalid("vendorID", "an assessment is about a vendor or a transfer: give vendorID or transferID")
	}
	return nil
}

func (r *rules) checkSubprocessorChange(_ context.Context, m *ent.SubprocessorChangeMutation) error {
	p, _ := m.ProcessorID()
	s, _ := m.SubprocessorID()
	if p != "" && p == s {
		return apperr.Invalid("subprocessorID", "a processor cannot be its own subprocessor")
	}
	return nil
}

// checkRequest fills in the due date (one calendar month after receipt, plus
// any extension, Art. 12(3)) when the caller leaves it out, and requires an
// extension to say when the subject was told.
func (r *rules) checkRequest(ctx context.Context, m *ent.RequestMutation) error {
	months, err := value(ctx, m.Op(), ptr(m.ExtensionMonths()), isSet(m.ExtensionMonths), m.ExtensionMonthsCleared(), m.OldExtensionMonths)
	if err != nil {
		return err
	}
	notified, err := value(ctx, m.Op(), ptr(m.ExtensionNotifiedAt()), isSet(m.ExtensionNotifiedAt), m.ExtensionNotifiedAtCleared(), m.OldExtensionNotifiedAt)
	if err != nil {
		return err
	}
	if months != nil && notified == nil {
		return apperr.Invalid("extensionNotifiedAt", "an extension needs the date the data subject was told of it")
	}
	if _, set := m.DueAt(); set {
		return nil
	}
	_, receivedSet := m.ReceivedAt()
	_, monthsSet := m.ExtensionMonths()
	if !m.Op().Is(ent.OpCreate) && !receivedSet && !monthsSet {
		return nil
	}
	received, err := value(ctx, m.Op(), ptr(m.ReceivedAt()), receivedSet, false, func(ctx context.Context) (*time.Time, error) {
		t, err := m.OldReceivedAt(ctx)
		return &t, err
	})
	if err != nil {
		return err
	}
	if received == nil {
		now := time.Now()
		received = &now
		m.SetReceivedAt(now)
	}
	extra := 0
	if months != nil {
		extra = *months
	}
	m.SetDueAt(law.DueDate(*received, extra))
	return nil
}
