// Package manifest keeps the hub's registry as code: it writes the
// organisations, taxonomy, purposes, retention rules, vendors, contracts,
// transfers and security measures as one YAML manifest named by natural keys
// (names, keys, titles, country codes; never database IDs), and it plans and
// applies a manifest back onto a hub in one transaction.
package manifest

import (
	"time"

	"github.com/privhub/privhub/internal/vocab"
)

// Manifest is the whole registry. Every list is sorted by its natural key,
// so that an export is the same text for the same registry.
type Manifest struct {
	Organizations  []Organization  `yaml:"organizations,omitempty" json:"organizations,omitempty" jsonschema:"description=Our own legal entities: the controller and its subsidiaries"`
	Categories     []Category      `yaml:"categories,omitempty" json:"categories,omitempty" jsonschema:"description=The personal-data taxonomy"`
	Purposes       []Purpose       `yaml:"purposes,omitempty" json:"purposes,omitempty" jsonschema:"description=Processing activities"`
	RetentionRules []RetentionRule `yaml:"retentionRules,omitempty" json:"retentionRules,omitempty"`
	Vendors        []Vendor        `yaml:"vendors,omitempty" json:"vendors,omitempty"`
	Contracts      []Contract      `yaml:"contracts,omitempty" json:"contracts,omitempty"`
	Transfers      []Transfer      `yaml:"transfers,omitempty" json:"transfers,omitempty"`
	Measures       []Measure       `yaml:"measures,omitempty" json:"measures,omitempty" jsonschema:"description=Technical and organisational measures (Art. 32)"`
}

// Organization is one of our own legal entities, keyed by its name.
type Organization struct {
	Name                     string `yaml:"name" json:"name" jsonschema:"minLength=1"`
	LegalName                string `yaml:"legalName,omitempty" json:"legalName,omitempty"`
	Country                  string `yaml:"country" json:"country" jsonschema:"pattern=^[A-Z]{2}$,description=ISO 3166-1 alpha-2 code"`
	Parent                   string `yaml:"parent,omitempty" json:"parent,omitempty" jsonschema:"description=name of the parent organization"`
	DPOContact               string `yaml:"dpoContact,omitempty" json:"dpoContact,omitempty"`
	RepresentativeContact    string `yaml:"representativeContact,omitempty" json:"representativeContact,omitempty"`
	LeadSupervisoryAuthority string `yaml:"leadSupervisoryAuthority,omitempty" json:"leadSupervisoryAuthority,omitempty"`
}

// Category is a node of the taxonomy, keyed by its dotted key.
type Category struct {
	Key         string `yaml:"key" json:"key" jsonschema:"pattern=^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*$"`
	Name        string `yaml:"name" json:"name" jsonschema:"minLength=1"`
	Parent      string `yaml:"parent,omitempty" json:"parent,omitempty" jsonschema:"description=key of the parent category"`
	Sensitivity string `yaml:"sensitivity,omitempty" json:"sensitivity,omitempty" jsonschema:"enum=NORMAL,enum=SPECIAL,enum=CRIMINAL"`
	Description string `yaml:"description,omitempty" json:"description,omitempty"`
}

// Purpose is a processing activity, keyed by its key.
type Purpose struct {
	Key              string              `yaml:"key" json:"key" jsonschema:"pattern=^[a-z][a-z0-9_]*$"`
	Name             string              `yaml:"name" json:"name" jsonschema:"minLength=1"`
	LegalBasis       string              `yaml:"legalBasis" json:"legalBasis" jsonschema:"enum=CONSENT,enum=CONTRACT,enum=LEGAL_OBLIGATION,enum=VITAL_INTERESTS,enum=PUBLIC_TASK,enum=LEGITIMATE_INTERESTS"`
	LegalBasisNote   string              `yaml:"legalBasisNote,omitempty" json:"legalBasisNote,omitempty"`
	SubjectKinds     []vocab.SubjectKind `yaml:"subjectKinds,omitempty" json:"subjectKinds,omitempty"`
	OptOutAllowed    bool                `yaml:"optOutAllowed,omitempty" json:"optOutAllowed,omitempty"`
	Marketing        bool                `yaml:"marketing,omitempty" json:"marketing,omitempty"`
	RetentionSummary string              `yaml:"retentionSummary,omitempty" json:"retentionSummary,omitempty"`
	Description      string              `yaml:"description,omitempty" json:"description,omitempty"`
	Categories       []string            `yaml:"categories,omitempty" json:"categories,omitempty" jsonschema:"description=keys of the categories it uses"`
}

// RetentionRule says how long a category is kept for a purpose; it is keyed
// by its category and purpose.
type RetentionRule struct {
	Category         string `yaml:"category" json:"category"`
	Purpose          string `yaml:"purpose,omitempty" json:"purpose,omitempty" jsonschema:"description=purpose key; none for every purpose"`
	Period           string `yaml:"period" json:"period" jsonschema:"pattern=^P([0-9]+Y)?([0-9]+M)?([0-9]+W)?([0-9]+D)?$"`
	Trigger          string `yaml:"trigger" json:"trigger" jsonschema:"enum=COLLECTION,enum=LAST_USE,enum=ACCOUNT_CLOSURE,enum=FISCAL_YEAR_END,enum=OPT_OUT,enum=EVENT_END"`
	Action           string `yaml:"action,omitempty" json:"action,omitempty" jsonschema:"enum=DELETE,enum=ANONYMIZE"`
	LegalBasis       string `yaml:"legalBasis,omitempty" json:"legalBasis,omitempty"`
	OverridesErasure bool   `yaml:"overridesErasure,omitempty" json:"overridesErasure,omitempty"`
}

// Key is the rule's natural key: category, then purpose after a slash.
func (r RetentionRule) Key() string { return r.Category + "/" + r.Purpose }

// Vendor is a third party, keyed by its name.
type Vendor struct {
	Name                string               `yaml:"name" json:"name" jsonschema:"minLength=1"`
	LegalName           string               `yaml:"legalName,omitempty" json:"legalName,omitempty"`
	Country             string               `yaml:"country" json:"country" jsonschema:"pattern=^[A-Z]{2}$"`
	Parent              string               `yaml:"parent,omitempty" json:"parent,omitempty" jsonschema:"description=name of the parent vendor"`
	Services            []vocab.Service      `yaml:"services,omitempty" json:"services,omitempty"`
	Status              string               `yaml:"status,omitempty" json:"status,omitempty" jsonschema:"enum=PROPOSED,enum=ACTIVE,enum=SUSPENDED,enum=OFFBOARDED"`
	RiskTier            string               `yaml:"riskTier,omitempty" json:"riskTier,omitempty" jsonschema:"enum=HIGH,enum=MEDIUM,enum=LOW"`
	ReviewCadenceMonths int                  `yaml:"reviewCadenceMonths,omitempty" json:"reviewCadenceMonths,omitempty" jsonschema:"minimum=1"`
	Certifications      []string             `yaml:"certifications,omitempty" json:"certifications,omitempty"`
	Website             string               `yaml:"website,omitempty" json:"website,omitempty" jsonschema:"format=uri"`
	DPFFrameworks       []vocab.DPFFramework `yaml:"dpfFrameworks,omitempty" json:"dpfFrameworks,omitempty"`
	DPFActiveFrom       *time.Time           `yaml:"dpfActiveFrom,omitempty" json:"dpfActiveFrom,omitempty"`
	DPFActiveUntil      *time.Time           `yaml:"dpfActiveUntil,omitempty" json:"dpfActiveUntil,omitempty"`
	DPFLastVerified     *time.Time           `yaml:"dpfLastVerified,omitempty" json:"dpfLastVerified,omitempty"`
}

// Contract is a signed instrument, keyed by its title, with its parties and
// the clauses transfers rely on.
type Contract struct {
	Title             string              `yaml:"title" json:"title" jsonschema:"minLength=1"`
	Kind              string              `yaml:"kind" json:"kind" jsonschema:"enum=DPA,enum=SCC,enum=BCR,enum=UK_IDTA,enum=UK_ADDENDUM,enum=JCA,enum=MSA"`
	Regime            vocab.Regime        `yaml:"regime,omitempty" json:"regime,omitempty"`
	SCCDecision       string              `yaml:"sccDecision,omitempty" json:"sccDecision,omitempty" jsonschema:"enum=DECISION_2021_914,enum=DECISION_2010_87_EU,enum=DECISION_2001_497_EC"`
	SCCModule         string              `yaml:"sccModule,omitempty" json:"sccModule,omitempty" jsonschema:"enum=C2C,enum=C2P,enum=P2P,enum=P2C"`
	Clause9Option     string              `yaml:"clause9Option,omitempty" json:"clause9Option,omitempty" jsonschema:"enum=SPECIFIC_AUTHORISATION,enum=GENERAL_AUTHORISATION"`
	Clause9NoticeDays *int                `yaml:"clause9NoticeDays,omitempty" json:"clause9NoticeDays,omitempty" jsonschema:"minimum=0"`
	Clause13Authority string              `yaml:"clause13Authority,omitempty" json:"clause13Authority,omitempty"`
	Clause17Law       string              `yaml:"clause17Law,omitempty" json:"clause17Law,omitempty" jsonschema:"pattern=^[A-Z]{2}$"`
	Clause18Forum     string              `yaml:"clause18Forum,omitempty" json:"clause18Forum,omitempty" jsonschema:"pattern=^[A-Z]{2}$"`
	DPAStipulations   []vocab.Stipulation `yaml:"dpaStipulations,omitempty" json:"dpaStipulations,omitempty"`
	SignedAt          *time.Time          `yaml:"signedAt,omitempty" json:"signedAt,omitempty"`
	EffectiveAt       *time.Time          `yaml:"effectiveAt,omitempty" json:"effectiveAt,omitempty"`
	ExpiresAt         *time.Time          `yaml:"expiresAt,omitempty" json:"expiresAt,omitempty"`
	DocumentRef       string              `yaml:"documentRef,omitempty" json:"documentRef,omitempty"`
	DocumentSHA256    string              `yaml:"documentSha256,omitempty" json:"documentSha256,omitempty" jsonschema:"pattern=^[0-9a-f]{64}$"`
	Parties           []Party             `yaml:"parties,omitempty" json:"parties,omitempty"`
	Clauses           []Clause            `yaml:"clauses,omitempty" json:"clauses,omitempty"`
}

// Party is one holder's place in a contract.
type Party struct {
	Holder        string     `yaml:"holder" json:"holder" jsonschema:"description=name of an organization or vendor"`
	Side          string     `yaml:"side,omitempty" json:"side,omitempty" jsonschema:"enum=EXPORTER,enum=IMPORTER,enum=PARTY"`
	Capacity      string     `yaml:"capacity" json:"capacity" jsonschema:"enum=CONTROLLER,enum=JOINT_CONTROLLER,enum=PROCESSOR,enum=SUBPROCESSOR"`
	AccessionDate *time.Time `yaml:"accessionDate,omitempty" json:"accessionDate,omitempty"`
}

// Clause is one clause of a contract, keyed by its reference in the contract.
type Clause struct {
	Reference  string         `yaml:"reference" json:"reference" jsonschema:"minLength=1"`
	Topic      string         `yaml:"topic,omitempty" json:"topic,omitempty"`
	Parameters map[string]any `yaml:"parameters,omitempty" json:"parameters,omitempty"`
}

// Transfer is one flow of personal data, keyed by exporter, importer and name.
type Transfer struct {
	Name              string            `yaml:"name,omitempty" json:"name,omitempty"`
	Exporter          string            `yaml:"exporter" json:"exporter" jsonschema:"description=name of an organization or vendor"`
	Importer          string            `yaml:"importer" json:"importer" jsonschema:"description=name of an organization or vendor"`
	ImporterRole      string            `yaml:"importerRole" json:"importerRole" jsonschema:"enum=CONTROLLER,enum=JOINT_CONTROLLER,enum=PROCESSOR,enum=SUBPROCESSOR"`
	Country           string            `yaml:"country" json:"country" jsonschema:"pattern=^[A-Z]{2}$"`
	Regime            vocab.Regime      `yaml:"regime,omitempty" json:"regime,omitempty"`
	Mechanism         vocab.Mechanism   `yaml:"mechanism" json:"mechanism"`
	Derogation        string            `yaml:"derogation,omitempty" json:"derogation,omitempty"`
	FallbackMechanism vocab.Mechanism   `yaml:"fallbackMechanism,omitempty" json:"fallbackMechanism,omitempty"`
	Contract          string            `yaml:"contract,omitempty" json:"contract,omitempty" jsonschema:"description=title of the governing contract"`
	Clauses           []string          `yaml:"clauses,omitempty" json:"clauses,omitempty" jsonschema:"description=references of the contract's clauses relied on"`
	Categories        []string          `yaml:"categories" json:"categories"`
	Purposes          []string          `yaml:"purposes,omitempty" json:"purposes,omitempty"`
	Safeguards        []vocab.Safeguard `yaml:"safeguards,omitempty" json:"safeguards,omitempty"`
	HonoursOptOuts    bool              `yaml:"honoursOptOuts" json:"honoursOptOuts"`
	ActiveFrom        time.Time         `yaml:"activeFrom" json:"activeFrom"`
	ActiveUntil       *time.Time        `yaml:"activeUntil,omitempty" json:"activeUntil,omitempty"`
	Description       string            `yaml:"description,omitempty" json:"description,omitempty"`
}

// Key is the transfer's natural key, as measures name it:
// "exporter -> importer", then ": name" when it has one.
func (t Transfer) Key() string {
	k := t.Exporter + " -> " + t.Importer
	if t.Name != "" {
		k += ": " + t.Name
	}
	return k
}

// Measure is a technical or organisational measure, keyed by its name.
type Measure struct {
	Name          string     `yaml:"name" json:"name" jsonschema:"minLength=1"`
	Kind          string     `yaml:"kind" json:"kind" jsonschema:"enum=TECHNICAL,enum=ORGANISATIONAL"`
	Topic         string     `yaml:"topic" json:"topic"`
	Description   string     `yaml:"description,omitempty" json:"description,omitempty"`
	VerifiedAt    *time.Time `yaml:"verifiedAt,omitempty" json:"verifiedAt,omitempty"`
	Organizations []string   `yaml:"organizations,omitempty" json:"organizations,omitempty"`
	Vendors       []string   `yaml:"vendors,omitempty" json:"vendors,omitempty"`
	Transfers     []string   `yaml:"transfers,omitempty" json:"transfers,omitempty" jsonschema:"description=transfer keys: 'exporter -> importer: name'"`
}
