// Package fideslang converts between the hub's manifest and Ethyca's
// fideslang YAML: taxonomy resources (data_category, data_use, data_subject)
// and system resources with their privacy declarations. What one model
// expresses and the other cannot is reported as dropped, never lost
// silently.
package fideslang

import (
	"fmt"
	"slices"
	"strings"

	"github.com/privhub/privhub/internal/manifest"
	"github.com/privhub/privhub/internal/vocab"
)

// Resources is a fideslang file: any of its resource lists.
type Resources struct {
	DataCategory []Taxon  `yaml:"data_category,omitempty"`
	DataUse      []Taxon  `yaml:"data_use,omitempty"`
	DataSubject  []Taxon  `yaml:"data_subject,omitempty"`
	System       []System `yaml:"system,omitempty"`
}

// Taxon is a data category, data use or data subject.
type Taxon struct {
	FidesKey    string `yaml:"fides_key"`
	Name        string `yaml:"name,omitempty"`
	Description string `yaml:"description,omitempty"`
	ParentKey   string `yaml:"parent_key,omitempty"`
}

// System is a fideslang system: here a holder that receives data.
type System struct {
	FidesKey              string               `yaml:"fides_key"`
	Name                  string               `yaml:"name,omitempty"`
	Description           string               `yaml:"description,omitempty"`
	SystemType            string               `yaml:"system_type"`
	Egress                []DataFlow           `yaml:"egress,omitempty"`
	Ingress               []DataFlow           `yaml:"ingress,omitempty"`
	PrivacyDeclarations   []PrivacyDeclaration `yaml:"privacy_declarations"`
	ThirdCountryTransfers []string             `yaml:"third_country_transfers,omitempty"`
}

// DataFlow is one system's egress to, or ingress from, another.
type DataFlow struct {
	FidesKey       string   `yaml:"fides_key"`
	Type           string   `yaml:"type"`
	DataCategories []string `yaml:"data_categories,omitempty"`
}

// PrivacyDeclaration is one use of data by a system.
type PrivacyDeclaration struct {
	Name           string   `yaml:"name,omitempty"`
	DataCategories []string `yaml:"data_categories"`
	DataUse        string   `yaml:"data_use"`
	DataSubjects   []string `yaml:"data_subjects"`
	Egress         []string `yaml:"egress,omitempty"`
	Ingress        []string `yaml:"ingress,omitempty"`
}

// Key turns a holder name into a fides_key.
func Key(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			if s := b.String(); s != "" && !strings.HasSuffix(s, "_") {
				b.WriteByte('_')
			}
		}
	}
	return strings.TrimSuffix(b.String(), "_")
}

// Export converts a manifest to fideslang resources: categories, purposes
// (as data uses) and their subject kinds, and one system per holder with a
// privacy declaration per purpose of each transfer it receives. It returns
// what fideslang cannot express.
func Export(m *manifest.Manifest) (*Resources, []string) {
	r := &Resources{}
	for _, c := range m.Categories {
		r.DataCategory = append(r.DataCategory, Taxon{FidesKey: c.Key, Name: c.Name, Description: c.Description, ParentKey: c.Parent})
	}
	kinds := map[vocab.SubjectKind]bool{}
	subjects := map[string][]string{}
	for _, p := range m.Purposes {
		r.DataUse = append(r.DataUse, Taxon{FidesKey: p.Key, Name: p.Name, Description: p.Description})
		for _, k := range p.SubjectKinds {
			kinds[k] = true
			subjects[p.Key] = append(subjects[p.Key], strings.ToLower(string(k)))
		}
	}
	for _, k := range slices.Sorted(mapKeys(kinds)) {
		r.DataSubject = append(r.DataSubject, Taxon{FidesKey: strings.ToLower(string(k)), Name: string(k)})
	}
	systems := map[string]*System{}
	system := func(name string) *System {
		if s, ok := systems[name]; ok {
			return s
		}
		s := &System{FidesKey: Key(name), Name: name, SystemType: "Service", PrivacyDeclarations: []PrivacyDeclaration{}}
		systems[name] = s
		return s
	}
	for _, t := range m.Transfers {
		from, to := system(t.Exporter), system(t.Importer)
		from.Egress = append(from.Egress, DataFlow{FidesKey: Key(t.Importer), Type: "system", DataCategories: t.Categories})
		to.Ingress = append(to.Ingress, DataFlow{FidesKey: Key(t.Exporter), Type: "system", DataCategories: t.Categories})
		for _, p := range t.Purposes {
			to.PrivacyDeclarations = append(to.PrivacyDeclarations, PrivacyDeclaration{Name: t.Name, DataCategories: t.Categories,
				DataUse: p, DataSubjects: append([]string{}, subjects[p]...), Ingress: []string{Key(t.Exporter)}})
		}
		if !slices.Contains(to.ThirdCountryTransfers, t.Country) {
			to.ThirdCountryTransfers = append(to.ThirdCountryTransfers, t.Country)
		}
	}
	for _, name := range slices.Sorted(mapKeys(systems)) {
		r.System = append(r.System, *systems[name])
	}
	dropped := []string{
		fmt.Sprintf("%d contracts with their parties and clauses", len(m.Contracts)),
		fmt.Sprintf("%d retention rules", len(m.RetentionRules)),
		fmt.Sprintf("%d security measures", len(m.Measures)),
		"transfer mechanisms, regimes, safeguards, importer roles and active dates",
		"purposes' legal bases and opt-out and marketing flags",
		"categories' sensitivity",
		"organizations' and vendors' countries, legal names, contacts, risk tiers and DPF certifications",
	}
	return r, dropped
}

// ImportOptions say what fideslang leaves out and the hub needs.
type ImportOptions struct {
	// Controller names the organization whose systems' ingress comes from
	// outside the file; it must exist in the hub or the manifest.
	Controller string
	// Country is a system's country when its third_country_transfers name none.
	Country string
	// LegalBasis is every imported purpose's legal basis.
	LegalBasis string
}

// Import converts fideslang resources to a manifest of categories, purposes
// and, for systems, vendors and the transfers into them (one per source
// system, carrying the declared categories and uses). It returns what the
// hub's model had to drop or assume.
func Import(r *Resources, opt ImportOptions) (*manifest.Manifest, []string) {
	m := &manifest.Manifest{}
	var dropped []string
	for _, c := range r.DataCategory {
		m.Categories = append(m.Categories, manifest.Category{Key: c.FidesKey, Name: or(c.Name, c.FidesKey), Description: c.Description, Parent: c.ParentKey})
	}
	for _, u := range r.DataUse {
		m.Purposes = append(m.Purposes, manifest.Purpose{Key: strings.ReplaceAll(u.FidesKey, ".", "_"), Name: or(u.Name, u.FidesKey),
			Description: u.Description, LegalBasis: opt.LegalBasis})
	}
	if len(r.DataUse) > 0 {
		dropped = append(dropped, fmt.Sprintf("data uses carry no legal basis: %s assumed", opt.LegalBasis))
	}
	if len(r.DataSubject) > 0 {
		dropped = append(dropped, fmt.Sprintf("%d data subjects (the hub's subject kinds are a fixed list)", len(r.DataSubject)))
	}
	names := map[string]string{}
	for _, s := range r.System {
		names[s.FidesKey] = or(s.Name, s.FidesKey)
	}
	for _, s := range r.System {
		if s.Name == opt.Controller {
			continue
		}
		country := opt.Country
		if len(s.ThirdCountryTransfers) > 0 {
			country = s.ThirdCountryTransfers[0]
		}
		m.Vendors = append(m.Vendors, manifest.Vendor{Name: names[s.FidesKey], Country: country})
		bySource := map[string]*manifest.Transfer{}
		for _, d := range s.PrivacyDeclarations {
			sources := d.Ingress
			if len(sources) == 0 {
				sources = []string{""}
			}
			for _, src := range sources {
				exporter := opt.Controller
				if n, ok := names[src]; ok {
					exporter = n
				}
				t, ok := bySource[exporter]
				if !ok {
					t = &manifest.Transfer{Name: d.Name, Exporter: exporter, Importer: names[s.FidesKey], ImporterRole: "PROCESSOR",
						Country: country, Mechanism: vocab.MechanismNone, HonoursOptOuts: true}
					bySource[exporter] = t
				}
				t.Categories = union(t.Categories, d.DataCategories)
				t.Purposes = union(t.Purposes, []string{strings.ReplaceAll(d.DataUse, ".", "_")})
			}
		}
		for _, k := range slices.Sorted(mapKeys(bySource)) {
			m.Transfers = append(m.Transfers, *bySource[k])
		}
	}
	if len(m.Transfers) > 0 {
		dropped = append(dropped, "transfers imported with mechanism NONE and importer role PROCESSOR: set the mechanism and contract before relying on them")
	}
	manifest.Normalize(m)
	return m, dropped
}

func union(a, b []string) []string {
	for _, s := range b {
		if !slices.Contains(a, s) {
			a = append(a, s)
		}
	}
	return a
}

func or[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

func mapKeys[K comparable, V any](m map[K]V) func(func(K) bool) {
	return func(yield func(K) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}
