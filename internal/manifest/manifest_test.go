package manifest_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/internal/compliance"
	"github.com/privhub/privhub/internal/demo"
	"github.com/privhub/privhub/internal/manifest"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/store/storetest"
	"github.com/privhub/privhub/internal/trace"
)

func exportYAML(t *testing.T, c *ent.Client) []byte {
	t.Helper()
	m, err := manifest.Read(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := manifest.Write(&buf, m); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func parse(t *testing.T, data []byte) *manifest.Source {
	t.Helper()
	src, err := manifest.Parse("registry.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// flows renders the data-flow map by names only, so that two hubs compare.
func flows(t *testing.T, c *ent.Client) string {
	t.Helper()
	g, err := trace.New(c).DataFlows(context.Background(), trace.FlowFilter{}, demo.RefDate)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, e := range g.Edges {
		b.WriteString(e.Exporter.HolderName() + " -> " + e.Importer.HolderName() + " " + string(e.Country.ID) + " " + string(e.Mechanism) + "\n")
	}
	return b.String()
}

// registryFindings lists the findings about registry entities by rule and
// label: not those about people, whom a manifest does not carry, nor those
// about assessments (TIAs, reviews), which it does not carry yet.
func registryFindings(t *testing.T, c *ent.Client) string {
	t.Helper()
	fs, err := compliance.New(c).Check(context.Background(), demo.RefDate)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, f := range fs {
		switch f.TargetType {
		case compliance.TargetTransfer, compliance.TargetContract, compliance.TargetOrganization:
			if strings.Contains(f.RuleID, "tia") || strings.HasPrefix(f.RuleID, "retention.") {
				continue
			}
			b.WriteString(f.RuleID + " " + f.TargetLabel + " " + f.Message + "\n")
		}
	}
	return b.String()
}

func TestExportApplyOnFreshHub(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := demo.Load(ctx, db.Client); err != nil {
			t.Fatal(err)
		}
		data := exportYAML(t, db.Client)
		if !bytes.Equal(data, exportYAML(t, db.Client)) {
			t.Fatal("two exports of one hub differ")
		}
		// On the same hub, applying the export changes nothing.
		changes, err := manifest.Plan(ctx, db.Client, parse(t, data), true)
		if err != nil || len(changes) != 0 {
			t.Fatalf("plan on an unchanged hub: %v %v", changes, err)
		}

		fresh := storetest.Open(t, db.Dialect)
		changes, err = manifest.Apply(ctx, fresh.Client, parse(t, data), false)
		if err != nil {
			t.Fatal(err)
		}
		if len(changes) == 0 {
			t.Fatal("apply on an empty hub created nothing")
		}
		if got := exportYAML(t, fresh.Client); !bytes.Equal(got, data) {
			t.Fatalf("the fresh hub's export differs from the demo's:\n%s", got)
		}
		again, err := manifest.Apply(ctx, fresh.Client, parse(t, data), true)
		if err != nil || len(again) != 0 {
			t.Fatalf("second apply: %v %v", again, err)
		}
		if a, b := flows(t, db.Client), flows(t, fresh.Client); a != b || a == "" {
			t.Fatalf("data flows differ:\n%s\n---\n%s", a, b)
		}
		if a, b := registryFindings(t, db.Client), registryFindings(t, fresh.Client); a != b || a == "" {
			t.Fatalf("findings differ:\n%s\n---\n%s", a, b)
		}
	})
}

func counts(t *testing.T, c *ent.Client) [3]int {
	ctx := context.Background()
	v, _ := c.Vendor.Query().Count(ctx)
	tr, _ := c.Transfer.Query().Count(ctx)
	k, _ := c.Contract.Query().Count(ctx)
	return [3]int{v, tr, k}
}

func TestBrokenManifestWritesNothing(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := demo.Load(ctx, db.Client); err != nil {
			t.Fatal(err)
		}
		data := string(exportYAML(t, db.Client))
		before := counts(t, db.Client)
		cases := []struct{ name, text, want string }{
			{"unknown country", strings.Replace(data, "name: Aegis Shield Networks Inc.\n    legalName: Aegis Shield Networks Inc.\n    country: US", "name: Aegis Shield Networks Inc.\n    legalName: Aegis Shield Networks Inc.\n    country: XX", 1), `unknown country "XX"`},
			{"unknown vendor", strings.Replace(data, "importer: Nimbra Cloud SAS", "importer: Nimbra Clouds", 1), `unknown organization or vendor "Nimbra Clouds"`},
			{"wrong type", strings.Replace(data, "honoursOptOuts: true", "honoursOptOuts: [yes]", 1), "registry.yaml:"},
			{"new vendor, bad reference", data + "", ""},
		}
		for _, tc := range cases[:3] {
			if tc.text == data {
				t.Fatalf("%s: the edit did not apply", tc.name)
			}
			src, err := manifest.Parse("registry.yaml", []byte(tc.text))
			if err == nil {
				_, err = manifest.Apply(ctx, db.Client, src, true)
			}
			var me *manifest.Error
			if !errors.As(err, &me) || me.Line == 0 || me.Column == 0 || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("%s: %v", tc.name, err)
			}
			t.Logf("%s: %v", tc.name, err)
			if after := counts(t, db.Client); after != before {
				t.Fatalf("%s: wrote rows: %v -> %v", tc.name, before, after)
			}
		}
	})
}

func TestPruneAndDirectory(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		yaml := `organizations:
  - name: Acme SA
    country: BE
categories:
  - key: contact
    name: Contact
  - key: contact.email
    name: E-mail
    parent: contact
vendors:
  - name: Mailer Ltd
    country: IE
  - name: Old Vendor
    country: FR
transfers:
  - exporter: Acme SA
    importer: Mailer Ltd
    importerRole: PROCESSOR
    country: IE
    mechanism: INTRA_EEA
    categories: [contact.email]
    honoursOptOuts: true
    activeFrom: 2026-01-01T00:00:00Z
`
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "registry.yaml"), []byte(yaml), 0o644); err != nil {
			t.Fatal(err)
		}
		src, err := manifest.Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := manifest.Apply(ctx, db.Client, src, false); err != nil {
			t.Fatal(err)
		}
		// The vendor dropped from the manifest stays without --prune...
		smaller := parse(t, []byte(strings.Replace(yaml, "  - name: Old Vendor\n    country: FR\n", "", 1)))
		changes, err := manifest.Apply(ctx, db.Client, smaller, false)
		if err != nil || len(changes) != 0 {
			t.Fatalf("apply without prune: %v %v", changes, err)
		}
		// ...and goes with it; an update is planned as one.
		smaller = parse(t, []byte(strings.Replace(strings.Replace(yaml, "  - name: Old Vendor\n    country: FR\n", "", 1), "name: E-mail", "name: E-mail address", 1)))
		changes, err = manifest.Apply(ctx, db.Client, smaller, true)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, c := range changes {
			got = append(got, c.String())
		}
		want := "~ categories contact.email [name]|- vendors Old Vendor"
		if strings.Join(got, "|") != want {
			t.Fatalf("changes %q, want %q", strings.Join(got, "|"), want)
		}
		if n, _ := db.Client.Vendor.Query().Count(ctx); n != 1 {
			t.Fatalf("%d vendors after prune", n)
		}
	})
}
