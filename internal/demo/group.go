package demo

import (
	"context"
	"fmt"

	"github.com/privhub/privhub/internal/pulid"
)

// belgianAPD is Lumora's lead supervisory authority, also the competent
// authority under Clause 13 of the SCCs Lumora SA signs as exporter.
const belgianAPD = "Autorité de protection des données / Gegevensbeschermingsautoriteit (APD/GBA), Belgium"

// orgSpec is one of Lumora's own legal entities.
type orgSpec struct {
	key, name, legal, country string
	dpo, representative, lsa  string
}

// group lists E1..E8 of DEMO.md; Lumora SA is the parent of all the others.
var group = []orgSpec{
	{key: "E1", name: MarkerOrganization, legal: "Lumora SA/NV", country: "BE",
		dpo:            "Data Protection Officer, Lumora SA, Avenue Louise 480, 1050 Brussels; dpo@lumora.example",
		representative: "UK GDPR Art. 27 representative: Lumora UK Ltd, privacy-uk@lumora.example",
		lsa:            belgianAPD},
	{key: "E2", name: "Lumora Luxembourg Sàrl", legal: "Lumora Luxembourg S.à r.l.", country: "LU", dpo: "dpo@lumora.example"},
	{key: "E3", name: "Lumora Inc.", legal: "Lumora Inc. (Delaware)", country: "US", dpo: "dpo@lumora.example"},
	{key: "E4", name: "Lumora Software India Pvt Ltd", legal: "Lumora Software India Private Limited", country: "IN", dpo: "dpo@lumora.example"},
	{key: "E5", name: "Lumora Asia Ltd", legal: "Lumora Asia Limited", country: "HK", dpo: "dpo@lumora.example"},
	{key: "E6", name: "Lumora Middle East FZ-LLC", legal: "Lumora Middle East FZ-LLC (Dubai Internet City)", country: "AE", dpo: "dpo@lumora.example"},
	{key: "E7", name: "Lumora UK Ltd", legal: "Lumora UK Limited", country: "GB", dpo: "dpo@lumora.example"},
	{key: "E8", name: "Lumora Brasil Ltda", legal: "Lumora Brasil Tecnologia Ltda.", country: "BR",
		dpo: "Encarregado (LGPD): encarregado@lumora.example; group DPO: dpo@lumora.example"},
}

// loadOrganizations writes Lumora SA and its subsidiaries.
func (b *builder) loadOrganizations(ctx context.Context) error {
	for _, o := range group {
		c := b.tx.Organization.Create().
			SetName(o.name).
			SetLegalName(o.legal).
			SetCountryID(pulid.Country(o.country)).
			SetDpoContact(o.dpo)
		if o.representative != "" {
			c.SetRepresentativeContact(o.representative)
		}
		if o.lsa != "" {
			c.SetLeadSupervisoryAuthority(o.lsa)
		}
		if o.key != "E1" {
			c.SetParentID(b.orgs["E1"])
		}
		org, err := c.Save(ctx)
		if err != nil {
			return fmt.Errorf("creating organization %s: %w", o.name, err)
		}
		b.orgs[o.key] = org.ID
	}
	return nil
}
