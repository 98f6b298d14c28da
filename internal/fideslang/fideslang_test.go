package fideslang_test

import (
	"strings"
	"testing"

	"github.com/goccy/go-yaml"

	"github.com/privhub/privhub/internal/fideslang"
)

// A fideslang file of our own: a taxonomy and two systems.
const fixture = `data_category:
  - fides_key: user
    name: User data
  - fides_key: user.contact
    name: Contact
    parent_key: user
  - fides_key: user.contact.email
    name: E-mail
    parent_key: user.contact
data_use:
  - fides_key: marketing
    name: Marketing
data_subject:
  - fides_key: customer
    name: Customer
system:
  - fides_key: acme_app
    name: Acme App
    system_type: Application
    privacy_declarations: []
  - fides_key: mailer_ltd
    name: Mailer Ltd
    system_type: Service
    privacy_declarations:
      - name: Newsletters
        data_categories: [user.contact.email]
        data_use: marketing
        data_subjects: [customer]
        ingress: [acme_app]
    third_country_transfers: [US]
`

func TestImportExportRoundTrip(t *testing.T) {
	var r fideslang.Resources
	if err := yaml.UnmarshalWithOptions([]byte(fixture), &r, yaml.Strict()); err != nil {
		t.Fatal(err)
	}
	m, dropped := fideslang.Import(&r, fideslang.ImportOptions{Controller: "Acme App", Country: "BE", LegalBasis: "CONSENT"})
	if len(m.Categories) != 3 || len(m.Purposes) != 1 || len(m.Vendors) != 1 || len(m.Transfers) != 1 {
		t.Fatalf("imported %+v", m)
	}
	tr := m.Transfers[0]
	if tr.Exporter != "Acme App" || tr.Importer != "Mailer Ltd" || tr.Country != "US" || strings.Join(tr.Categories, ",") != "user.contact.email" || strings.Join(tr.Purposes, ",") != "marketing" {
		t.Fatalf("transfer %+v", tr)
	}
	if len(dropped) == 0 {
		t.Fatal("nothing reported as dropped")
	}
	t.Logf("import dropped: %v", dropped)

	back, dropped := fideslang.Export(m)
	var mailer *fideslang.System
	for i := range back.System {
		if back.System[i].Name == "Mailer Ltd" {
			mailer = &back.System[i]
		}
	}
	if mailer == nil || len(mailer.PrivacyDeclarations) != 1 || mailer.PrivacyDeclarations[0].DataUse != "marketing" ||
		mailer.PrivacyDeclarations[0].Ingress[0] != "acme_app" || mailer.ThirdCountryTransfers[0] != "US" {
		t.Fatalf("exported %+v", back.System)
	}
	if len(back.DataCategory) != 3 || back.DataCategory[2].ParentKey != "user.contact" {
		t.Fatalf("categories %+v", back.DataCategory)
	}
	t.Logf("export dropped: %v", dropped)
	out, err := yaml.Marshal(back)
	if err != nil || !strings.Contains(string(out), "fides_key: mailer_ltd") || !strings.Contains(string(out), "privacy_declarations:") {
		t.Fatalf("%s %v", out, err)
	}
}
