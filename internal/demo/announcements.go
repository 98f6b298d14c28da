package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/contractparty"
	"github.com/privhub/privhub/ent/subprocessorannouncement"
	"github.com/privhub/privhub/ent/subprocessorobjection"
	"github.com/privhub/privhub/internal/announce"
	"github.com/privhub/privhub/internal/vocab"
)

// announcementSpec is a subprocessor change Lumora Inc. (E3), processor of
// Lumora SA under the intra-group DPA and SCCs, announced to it.
type announcementSpec struct {
	kind                 subprocessorannouncement.Kind
	vendor               string
	service              vocab.Service
	mechanism            vocab.Mechanism
	purposes, categories []string
	announced, effective time.Time
}

// announcementTable lists Lumora Inc.'s announcements, each with 30 days'
// notice or more under both intra-group contracts: Slotbook Scheduling
// added in 2023, Stratus Grid in 2025 (Lumora SA objected, then withdrew),
// and Slotbook's removal, announced on 2026-06-22 and still pending on the
// demo's reference date.
var announcementTable = []announcementSpec{
	{kind: subprocessorannouncement.KindAdded, vendor: "V13", service: vocab.ServiceScheduling, mechanism: vocab.MechanismAdequacy,
		purposes: []string{"service"}, categories: []string{"identity.name", "contact.email", "contact.company"},
		announced: at(2023, 10, 2, 9, 0), effective: date(2023, 11, 6)},
	{kind: subprocessorannouncement.KindAdded, vendor: "V02", service: vocab.ServiceHosting, mechanism: vocab.MechanismAdequacy,
		purposes: []string{"support"}, categories: []string{"identity.name", "contact.email", "support.ticket"},
		announced: at(2025, 3, 3, 9, 0), effective: date(2025, 4, 7)},
	{kind: subprocessorannouncement.KindRemoved, vendor: "V13", service: vocab.ServiceScheduling, mechanism: vocab.MechanismAdequacy,
		purposes: []string{"service"}, categories: []string{"identity.name", "contact.email", "contact.company"},
		announced: at(2026, 6, 22, 9, 0), effective: date(2027, 1, 15)},
}

// loadAnnouncements has Lumora Inc. announce its subprocessor changes
// through internal/announce, which informs Lumora SA under each contract,
// and records Lumora SA's objection to Stratus Grid.
func (b *builder) loadAnnouncements(ctx context.Context) error {
	ctx = ent.NewTxContext(ctx, b.tx)
	var stratus *ent.SubprocessorAnnouncement
	for _, s := range announcementTable {
		purposes, err := b.purposeIDs(s.purposes)
		if err != nil {
			return err
		}
		cats, err := b.categoryIDs(s.categories)
		if err != nil {
			return err
		}
		announced := s.announced
		a, err := announce.Announce(ctx, b.tx.Client(), nil, announce.Input{
			Organization: b.orgs["E3"], Kind: s.kind, Vendor: b.vendors[s.vendor],
			Service: s.service, Mechanism: s.mechanism, Purposes: purposes, Categories: cats,
			AnnouncedAt: &announced, EffectiveAt: s.effective,
		}, announced)
		if err != nil {
			return fmt.Errorf("announcing %s %s: %w", s.kind, holderName(s.vendor), err)
		}
		if s.vendor == "V02" {
			stratus = a
		}
	}
	party, err := b.tx.ContractParty.Query().
		Where(contractparty.ContractID(b.contracts["IG-DPA"]), contractparty.OrganizationID(b.orgs["E1"])).Only(ctx)
	if err != nil {
		return fmt.Errorf("finding Lumora SA's party to the intra-group DPA: %w", err)
	}
	received, decided := at(2025, 3, 10, 10, 30), at(2025, 3, 24, 16, 0)
	withdrawn := subprocessorobjection.OutcomeWithdrawn
	_, err = announce.Object(ctx, b.tx.Client(), announce.ObjectionInput{
		Announcement: stratus.ID, Party: party.ID, ReceivedAt: &received,
		Text:    "Lumora SA asks for Stratus Grid's SOC 2 Type II report and the regions that will host the support desk before the change takes effect.",
		Outcome: &withdrawn, DecidedAt: &decided,
	}, received)
	if err != nil {
		return fmt.Errorf("recording Lumora SA's objection: %w", err)
	}
	return nil
}
