package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/privhub/privhub/ent/vendor"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/vocab"
)

// vendorSpec is a third party of DEMO.md's vendor table or subprocessor chains.
type vendorSpec struct {
	key, name, legal, country string
	services                  []vocab.Service
	tier                      vendor.RiskTier
	certs                     []string
	website                   string
	parent                    string // key of the parent vendor, when on record

	// Data Privacy Framework participation (US vendors only); zero when none.
	dpfFrom, dpfUntil, dpfVerified time.Time
}

// venue is the key of the Doha venue Summit Loop passed registrants on to.
const venue = "Q01"

const (
	high   = vendor.RiskTierHigh
	medium = vendor.RiskTierMedium
	low    = vendor.RiskTierLow
)

func services(s ...vocab.Service) []vocab.Service { return s }

const (
	iso27001 = "ISO/IEC 27001"
	soc2     = "SOC 2 Type II"
	pciDSS   = "PCI DSS Level 1"
	iso27701 = "ISO/IEC 27701"
)

// vendorTable lists V01..V25, S01..S11 and the Doha venue. Subprocessors come
// first so that a vendor can name its parent company.
var vendorTable = []vendorSpec{
	// Subprocessors (DEMO.md "Subprocessor chains").
	{key: "S01", name: "Gravel Datacenters SAS", country: "FR", services: services(vocab.ServiceHosting), tier: medium,
		certs: []string{iso27001}, website: "https://gravel-datacenters.example"},
	{key: "S02", name: "Northwatch Remote Hands Inc.", country: "CA", services: services(vocab.ServiceSupport), tier: low,
		website: "https://northwatch.example"},
	{key: "S03", name: "Tundra Field Staffing Ltd", country: "CA", services: services(vocab.ServiceSupport), tier: low,
		website: "https://tundra-staffing.example"},
	{key: "S04", name: "Pacifica Edge Pte Ltd", country: "SG", services: services(vocab.ServiceHosting), tier: medium,
		certs: []string{iso27001}, website: "https://pacifica-edge.example"},
	{key: "S05", name: "Kestrel Ops Sdn Bhd", country: "MY", services: services(vocab.ServiceSupport), tier: medium,
		website: "https://kestrel-ops.example"},
	{key: "S06", name: "Permafrost Storage AS", country: "NO", services: services(vocab.ServiceBackup), tier: low,
		certs: []string{iso27001}, website: "https://permafrost-storage.example"},
	{key: "S07", name: "Paywise Inc.", country: "US", services: services(vocab.ServicePayments), tier: medium,
		certs: []string{pciDSS, soc2}, website: "https://paywise.example",
		dpfFrom: date(2023, 7, 24), dpfVerified: date(2026, 6, 1)},
	{key: "S08", name: "FraudLens Analytics Pvt Ltd", country: "IN", services: services(vocab.ServiceAnalytics, vocab.ServicePayments), tier: medium,
		certs: []string{iso27001}, website: "https://fraudlens.example"},
	{key: "S09", name: "Relaybox Inc.", country: "US", services: services(vocab.ServiceCommunications), tier: medium,
		website: "https://relaybox.example"},
	{key: "S10", name: "Bounceguard Ltd", country: "GB", services: services(vocab.ServiceCommunications), tier: low,
		website: "https://bounceguard.example"},
	{key: "S11", name: "Streamhall OÜ", country: "EE", services: services(vocab.ServiceTraining, vocab.ServiceHosting), tier: low,
		website: "https://streamhall.example"},

	// Vendors (DEMO.md "Vendors").
	{key: "V01", name: "Nimbra Cloud SAS", country: "FR", services: services(vocab.ServiceHosting), tier: high,
		certs: []string{iso27001, iso27701, soc2}, website: "https://nimbra-cloud.example"},
	{key: "V02", name: "Stratus Grid LLC", country: "US", services: services(vocab.ServiceHosting), tier: high,
		certs: []string{iso27001, soc2}, website: "https://stratusgrid.example",
		dpfFrom: date(2023, 8, 14), dpfVerified: date(2026, 6, 1)},
	{key: "V03", name: "Aegis Shield Networks Inc.", country: "US", services: services(vocab.ServiceCDN), tier: high,
		certs: []string{soc2}, website: "https://aegis-shield.example"},
	{key: "V04", name: "Coldvault Archival GmbH", country: "DE", services: services(vocab.ServiceBackup), tier: medium,
		certs: []string{iso27001}, website: "https://coldvault.example"},
	{key: "V05", name: "Paywise Europe Ltd", country: "IE", services: services(vocab.ServicePayments), tier: high,
		certs: []string{pciDSS, iso27001}, website: "https://eu.paywise.example", parent: "S07"},
	{key: "V06", name: "Ledgerline Payments SA", country: "LU", services: services(vocab.ServicePayments), tier: medium,
		certs: []string{pciDSS}, website: "https://ledgerline.example"},
	{key: "V07", name: "Kiwi Pay Ltd", country: "NZ", services: services(vocab.ServicePayments), tier: medium,
		certs: []string{pciDSS}, website: "https://kiwipay.example"},
	{key: "V08", name: "Metricly Analytics Inc.", country: "US", services: services(vocab.ServiceAnalytics), tier: medium,
		certs: []string{soc2}, website: "https://metricly.example",
		dpfFrom: date(2023, 9, 5), dpfVerified: date(2026, 6, 1)},
	{key: "V09", name: "Heatmapr Ltd", country: "IL", services: services(vocab.ServiceAnalytics), tier: medium,
		website: "https://heatmapr.example"},
	{key: "V10", name: "Postlane Mail SRL", country: "RO", services: services(vocab.ServiceCommunications), tier: medium,
		certs: []string{iso27001}, website: "https://postlane.example"},
	{key: "V11", name: "TextBridge Pty Ltd", country: "AU", services: services(vocab.ServiceCommunications), tier: medium,
		website: "https://textbridge.example"},
	{key: "V12", name: "Pushwave Inc.", country: "US", services: services(vocab.ServiceCommunications), tier: low,
		website: "https://pushwave.example",
		dpfFrom: date(2024, 1, 16), dpfVerified: date(2026, 6, 1)},
	{key: "V13", name: "Slotbook Scheduling Inc.", country: "US", services: services(vocab.ServiceScheduling), tier: low,
		website: "https://slotbook.example",
		dpfFrom: date(2023, 10, 2), dpfUntil: date(2025, 11, 30), dpfVerified: date(2025, 12, 8)},
	{key: "V14", name: "Learnhive Inc.", country: "CA", services: services(vocab.ServiceTraining), tier: medium,
		certs: []string{soc2}, website: "https://learnhive.example"},
	{key: "V15", name: "ExamPoint Software Pvt Ltd", country: "IN", services: services(vocab.ServiceTraining), tier: high,
		website: "https://exampoint.example"},
	{key: "V16", name: "Firmograph Data Inc.", country: "US", services: services(vocab.ServiceEnrichment), tier: medium,
		website: "https://firmograph.example",
		dpfFrom: date(2023, 7, 17), dpfVerified: date(2026, 6, 1)},
	{key: "V17", name: "Letterjet AG", country: "CH", services: services(vocab.ServiceCommunications, vocab.ServiceOther), tier: low,
		website: "https://letterjet.example"},
	{key: "V18", name: "EventWorks Iberia SL", country: "ES", services: services(vocab.ServiceEvents), tier: medium,
		website: "https://eventworks-iberia.example"},
	{key: "V19", name: "Summit Loop Events LLC", country: "AE", services: services(vocab.ServiceEvents), tier: medium,
		website: "https://summitloop.example"},
	{key: "V20", name: "Konkan Meetups Pvt Ltd", country: "IN", services: services(vocab.ServiceEvents), tier: medium,
		website: "https://konkan-meetups.example"},
	{key: "V21", name: "CloudNine Hardware BV", country: "NL", services: services(vocab.ServiceSponsorship), tier: low,
		website: "https://cloudnine-hardware.example"},
	{key: "V22", name: "Orbis POS Inc.", country: "US", services: services(vocab.ServiceSponsorship), tier: medium,
		website: "https://orbis-pos.example",
		dpfFrom: date(2023, 11, 20), dpfVerified: date(2026, 6, 1)},
	{key: "V23", name: "Baltic ERP Partners UAB", country: "LT", services: services(vocab.ServicePartnerProgramme), tier: low,
		website: "https://baltic-erp.example"},
	{key: "V24", name: "Paulista Sistemas Ltda", country: "BR", services: services(vocab.ServicePartnerProgramme), tier: low,
		website: "https://paulista-sistemas.example"},
	{key: "V25", name: "Maple Implementers Inc.", country: "CA", services: services(vocab.ServicePartnerProgramme), tier: low,
		website: "https://maple-implementers.example"},

	// The venue of Summit Loop's Doha side event (the onward transfer of DEMO.md).
	{key: venue, name: "Pearl Venue Hospitality WLL", country: "QA", services: services(vocab.ServiceEvents), tier: low,
		website: "https://pearl-venue.example"},
}

// loadVendors writes every vendor row.
func (b *builder) loadVendors(ctx context.Context) error {
	for _, v := range vendorTable {
		c := b.tx.Vendor.Create().
			SetName(v.name).
			SetCountryID(pulid.Country(v.country)).
			SetServices(v.services).
			SetStatus(vendor.StatusActive).
			SetRiskTier(v.tier).
			SetWebsite(v.website)
		if v.legal != "" {
			c.SetLegalName(v.legal)
		} else {
			c.SetLegalName(v.name)
		}
		if len(v.certs) > 0 {
			c.SetCertifications(v.certs)
		}
		if v.parent != "" {
			parent, ok := b.vendors[v.parent]
			if !ok {
				return fmt.Errorf("creating vendor %s: unknown parent %s", v.name, v.parent)
			}
			c.SetParentID(parent)
		}
		if !v.dpfFrom.IsZero() {
			c.SetDpfFrameworks([]vocab.DPFFramework{vocab.DPFEU, vocab.DPFUK, vocab.DPFCH}).
				SetDpfActiveFrom(v.dpfFrom).
				SetDpfLastVerified(v.dpfVerified)
			if !v.dpfUntil.IsZero() {
				c.SetDpfActiveUntil(v.dpfUntil)
			}
		}
		created, err := c.Save(ctx)
		if err != nil {
			return fmt.Errorf("creating vendor %s: %w", v.name, err)
		}
		b.vendors[v.key] = created.ID
	}
	return nil
}

// cadenceMonths is the default review cadence of a risk tier.
func cadenceMonths(t vendor.RiskTier) int {
	switch t {
	case vendor.RiskTierHigh:
		return 12
	case vendor.RiskTierLow:
		return 36
	default:
		return 24
	}
}
