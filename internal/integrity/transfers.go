package integrity

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/clause"
	"github.com/privhub/privhub/ent/contract"
	"github.com/privhub/privhub/ent/transfer"
	"github.com/privhub/privhub/internal/apperr"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/vocab"
)

func (r *rules) checkTransfer(ctx context.Context, m *ent.TransferMutation) error {
	code, set := m.CountryID()
	if err := r.checkCountry("countryID", code, set); err != nil {
		return err
	}
	exporter, err := holder(ctx, m.Op(), "exporterVendorID", "exporter",
		ref{m.ExporterOrganizationID, m.ExporterOrganizationCleared(), m.OldExporterOrganizationID},
		ref{m.ExporterVendorID, m.ExporterVendorCleared(), m.OldExporterVendorID})
	if err != nil {
		return err
	}
	importer, err := holder(ctx, m.Op(), "importerVendorID", "importer",
		ref{m.ImporterOrganizationID, m.ImporterOrganizationCleared(), m.OldImporterOrganizationID},
		ref{m.ImporterVendorID, m.ImporterVendorCleared(), m.OldImporterVendorID})
	if err != nil {
		return err
	}
	if exporter != "" && exporter == importer {
		return apperr.Invalid("importerVendorID", "a transfer's importer must differ from its exporter")
	}

	from, err := value(ctx, m.Op(), ptr(m.ActiveFrom()), isSet(m.ActiveFrom), false, func(ctx context.Context) (*time.Time, error) {
		t, err := m.OldActiveFrom(ctx)
		return &t, err
	})
	if err != nil {
		return err
	}
	until, err := value(ctx, m.Op(), ptr(m.ActiveUntil()), isSet(m.ActiveUntil), m.ActiveUntilCleared(), m.OldActiveUntil)
	if err != nil {
		return err
	}
	if err := checkPeriod("activeUntil", from, until); err != nil {
		return err
	}
	if err := checkDerogation(ctx, m); err != nil {
		return err
	}
	return checkClauses(ctx, m)
}

// checkDerogation requires an Art. 49 ground with the DEROGATION mechanism,
// and only then.
func checkDerogation(ctx context.Context, m *ent.TransferMutation) error {
	mech, err := value(ctx, m.Op(), ptr(m.Mechanism()), isSet(m.Mechanism), false, func(ctx context.Context) (*vocab.Mechanism, error) {
		v, err := m.OldMechanism(ctx)
		return &v, err
	})
	if err != nil || mech == nil {
		return err
	}
	ground, err := value(ctx, m.Op(), ptr(m.Derogation()), isSet(m.Derogation), m.DerogationCleared(), m.OldDerogation)
	if err != nil {
		return err
	}
	switch {
	case *mech == vocab.MechanismDerogation && ground == nil:
		return apperr.Invalid("derogation", "a transfer under a derogation must name its Art. 49(1) ground")
	case *mech != vocab.MechanismDerogation && ground != nil:
		return apperr.Invalid("derogation", "a derogation ground only applies with mechanism DEROGATION")
	}
	return nil
}

// checkClauses requires every clause a transfer relies on to belong to its
// governing contract.
func checkClauses(ctx context.Context, m *ent.TransferMutation) error {
	contractID, err := value(ctx, m.Op(), ptr(m.ContractID()), isSet(m.ContractID), m.ContractCleared(), m.OldContractID)
	if err != nil {
		return err
	}
	clauseIDs := m.ClausesIDs()
	if id, ok := m.ID(); ok && m.Op().Is(ent.OpUpdateOne) && !m.ClausesCleared() {
		kept, err := m.Client().Transfer.Query().Where(transfer.ID(id)).QueryClauses().IDs(ctx)
		if err != nil {
			return fmt.Errorf("reading the transfer's clauses: %w", err)
		}
		removed := m.RemovedClausesIDs()
		for _, c := range kept {
			if !slices.Contains(removed, c) {
				clauseIDs = append(clauseIDs, c)
			}
		}
	}
	if len(clauseIDs) == 0 {
		return nil
	}
	if contractID == nil {
		return apperr.Invalid("clauseIDs", "a transfer that relies on clauses needs its governing contract (contractID)")
	}
	foreign, err := m.Client().Clause.Query().
		Where(clause.IDIn(clauseIDs...), clause.ContractIDNEQ(*contractID)).IDs(ctx)
	if err != nil {
		return fmt.Errorf("checking the transfer's clauses: %w", err)
	}
	if len(foreign) > 0 {
		return apperr.Invalid("clauseIDs", "clause %s belongs to another contract than the transfer's governing contract %s", foreign[0], *contractID)
	}
	return nil
}

func (r *rules) checkContract(ctx context.Context, m *ent.ContractMutation) error {
	for _, f := range []struct {
		field string
		get   func() (pulid.ID, bool)
	}{{"clause17LawCountryID", m.Clause17LawCountryID}, {"clause18ForumCountryID", m.Clause18ForumCountryID}} {
		code, set := f.get()
		if err := r.checkCountry(f.field, code, set); err != nil {
			return err
		}
	}
	effective, err := value(ctx, m.Op(), ptr(m.EffectiveAt()), isSet(m.EffectiveAt), m.EffectiveAtCleared(), m.OldEffectiveAt)
	if err != nil {
		return err
	}
	expires, err := value(ctx, m.Op(), ptr(m.ExpiresAt()), isSet(m.ExpiresAt), m.ExpiresAtCleared(), m.OldExpiresAt)
	if err != nil {
		return err
	}
	if err := checkPeriod("expiresAt", effective, expires); err != nil {
		return err
	}
	kind, err := value(ctx, m.Op(), ptr(m.Kind()), isSet(m.Kind), false, func(ctx context.Context) (*contract.Kind, error) {
		k, err := m.OldKind(ctx)
		return &k, err
	})
	if err != nil || kind == nil {
		return err
	}
	module, err := value(ctx, m.Op(), ptr(m.SccModule()), isSet(m.SccModule), m.SccModuleCleared(), m.OldSccModule)
	if err != nil {
		return err
	}
	decision, err := value(ctx, m.Op(), ptr(m.SccDecision()), isSet(m.SccDecision), m.SccDecisionCleared(), m.OldSccDecision)
	if err != nil {
		return err
	}
	switch {
	case *kind == contract.KindScc && module == nil:
		return apperr.Invalid("sccModule", "Standard Contractual Clauses need their module (C2C, C2P, P2P or P2C)")
	case *kind == contract.KindScc && decision == nil:
		return apperr.Invalid("sccDecision", "Standard Contractual Clauses need the Commission decision they are based on")
	case *kind != contract.KindScc && module != nil:
		return apperr.Invalid("sccModule", "only a contract of kind SCC has an SCC module, not a %s", *kind)
	case *kind != contract.KindScc && decision != nil:
		return apperr.Invalid("sccDecision", "only a contract of kind SCC is based on an SCC decision, not a %s", *kind)
	}
	return nil
}
