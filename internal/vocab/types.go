package vocab

import "io"

// Regime is the data protection regime whose transfer rules apply to a flow or contract.
type Regime string

// The values of Regime.
const (
	RegimeEU Regime = "EU_GDPR"
	RegimeUK Regime = "UK_GDPR"
	RegimeCH Regime = "CH_FADP"
)

// Values lists every Regime.
func (Regime) Values() []string {
	return []string{string(RegimeEU), string(RegimeUK), string(RegimeCH)}
}

// UnmarshalGQL implements graphql.Unmarshaler.
func (r *Regime) UnmarshalGQL(v any) (err error) {
	*r, err = parse[Regime](v)
	return err
}

// MarshalGQL implements graphql.Marshaler.
func (r Regime) MarshalGQL(w io.Writer) { marshal(w, r) }

// Mechanism is the legal ground on which personal data crosses a border (GDPR Chapter V).
type Mechanism string

// The values of Mechanism.
const (
	MechanismIntraEEA      Mechanism = "INTRA_EEA"
	MechanismAdequacy      Mechanism = "ADEQUACY"
	MechanismSCC           Mechanism = "SCC"
	MechanismBCR           Mechanism = "BCR"
	MechanismCodeOfConduct Mechanism = "CODE_OF_CONDUCT"
	MechanismCertification Mechanism = "CERTIFICATION"
	MechanismAdHocClauses  Mechanism = "AD_HOC_CLAUSES"
	MechanismDerogation    Mechanism = "DEROGATION"
	MechanismNone          Mechanism = "NONE"
)

// Values lists every Mechanism.
func (Mechanism) Values() []string {
	return []string{string(MechanismIntraEEA), string(MechanismAdequacy), string(MechanismSCC), string(MechanismBCR), string(MechanismCodeOfConduct), string(MechanismCertification), string(MechanismAdHocClauses), string(MechanismDerogation), string(MechanismNone)}
}

// UnmarshalGQL implements graphql.Unmarshaler.
func (m *Mechanism) UnmarshalGQL(v any) (err error) {
	*m, err = parse[Mechanism](v)
	return err
}

// MarshalGQL implements graphql.Marshaler.
func (m Mechanism) MarshalGQL(w io.Writer) { marshal(w, m) }

// ProcessingRole is the role a holder plays towards personal data in one flow or contract.
type ProcessingRole string

// The values of ProcessingRole.
const (
	RoleController      ProcessingRole = "CONTROLLER"
	RoleProcessor       ProcessingRole = "PROCESSOR"
	RoleSubprocessor    ProcessingRole = "SUBPROCESSOR"
	RoleJointController ProcessingRole = "JOINT_CONTROLLER"
)

// Values lists every ProcessingRole.
func (ProcessingRole) Values() []string {
	return []string{string(RoleController), string(RoleProcessor), string(RoleSubprocessor), string(RoleJointController)}
}

// UnmarshalGQL implements graphql.Unmarshaler.
func (c *ProcessingRole) UnmarshalGQL(v any) (err error) {
	*c, err = parse[ProcessingRole](v)
	return err
}

// MarshalGQL implements graphql.Marshaler.
func (c ProcessingRole) MarshalGQL(w io.Writer) { marshal(w, c) }

// SubjectKind is the kind of data subject a person is towards us.
type SubjectKind string

// The values of SubjectKind.
const (
	SubjectCustomer        SubjectKind = "CUSTOMER"
	SubjectProspect        SubjectKind = "PROSPECT"
	SubjectEventRegistrant SubjectKind = "EVENT_REGISTRANT"
	SubjectTrainee         SubjectKind = "TRAINEE"
	SubjectJobApplicant    SubjectKind = "JOB_APPLICANT"
	SubjectWebsiteVisitor  SubjectKind = "WEBSITE_VISITOR"
	SubjectPartnerContact  SubjectKind = "PARTNER_CONTACT"
)

// Values lists every SubjectKind.
func (SubjectKind) Values() []string {
	return []string{string(SubjectCustomer), string(SubjectProspect), string(SubjectEventRegistrant), string(SubjectTrainee), string(SubjectJobApplicant), string(SubjectWebsiteVisitor), string(SubjectPartnerContact)}
}

// UnmarshalGQL implements graphql.Unmarshaler.
func (s *SubjectKind) UnmarshalGQL(v any) (err error) {
	*s, err = parse[SubjectKind](v)
	return err
}

// MarshalGQL implements graphql.Marshaler.
func (s SubjectKind) MarshalGQL(w io.Writer) { marshal(w, s) }

// Service is a service a vendor provides.
type Service string

// The values of Service.
const (
	ServiceHosting          Service = "HOSTING"
	ServiceCDN              Service = "CDN"
	ServiceBackup           Service = "BACKUP"
	ServicePayments         Service = "PAYMENTS"
	ServiceAnalytics        Service = "ANALYTICS"
	ServiceCommunications   Service = "COMMUNICATIONS"
	ServiceSupport          Service = "SUPPORT"
	ServiceScheduling       Service = "SCHEDULING"
	ServiceEnrichment       Service = "ENRICHMENT"
	ServiceTraining         Service = "TRAINING"
	ServiceEvents           Service = "EVENTS"
	ServiceSponsorship      Service = "SPONSORSHIP"
	ServicePartnerProgramme Service = "PARTNER_PROGRAMME"
	ServiceOther            Service = "OTHER"
)

// Values lists every Service.
func (Service) Values() []string {
	return []string{string(ServiceHosting), string(ServiceCDN), string(ServiceBackup), string(ServicePayments), string(ServiceAnalytics), string(ServiceCommunications), string(ServiceSupport), string(ServiceScheduling), string(ServiceEnrichment), string(ServiceTraining), string(ServiceEvents), string(ServiceSponsorship), string(ServicePartnerProgramme), string(ServiceOther)}
}

// UnmarshalGQL implements graphql.Unmarshaler.
func (s *Service) UnmarshalGQL(v any) (err error) {
	*s, err = parse[Service](v)
	return err
}

// MarshalGQL implements graphql.Marshaler.
func (s Service) MarshalGQL(w io.Writer) { marshal(w, s) }

// DPFFramework is a Data Privacy Framework a US organisation can self-certify to.
type DPFFramework string

// The values of DPFFramework.
const (
	DPFEU DPFFramework = "EU"
	DPFUK DPFFramework = "UK"
	DPFCH DPFFramework = "CH"
)

// Values lists every DPFFramework.
func (DPFFramework) Values() []string {
	return []string{string(DPFEU), string(DPFUK), string(DPFCH)}
}

// UnmarshalGQL implements graphql.Unmarshaler.
func (d *DPFFramework) UnmarshalGQL(v any) (err error) {
	*d, err = parse[DPFFramework](v)
	return err
}

// MarshalGQL implements graphql.Marshaler.
func (d DPFFramework) MarshalGQL(w io.Writer) { marshal(w, d) }

// Safeguard is a supplementary measure protecting one transfer.
type Safeguard string

// The values of Safeguard.
const (
	SafeguardEncryptionInTransit    Safeguard = "ENCRYPTION_IN_TRANSIT"
	SafeguardEncryptionAtRest       Safeguard = "ENCRYPTION_AT_REST"
	SafeguardPseudonymisation       Safeguard = "PSEUDONYMISATION"
	SafeguardAccessControls         Safeguard = "ACCESS_CONTROLS"
	SafeguardKeysHeldByExporter     Safeguard = "KEYS_HELD_BY_EXPORTER"
	SafeguardDataMinimisation       Safeguard = "DATA_MINIMISATION"
	SafeguardTransparencyReports    Safeguard = "TRANSPARENCY_REPORTS"
	SafeguardGovernmentAccessPolicy Safeguard = "GOVERNMENT_ACCESS_POLICY"
)

// Values lists every Safeguard.
func (Safeguard) Values() []string {
	return []string{string(SafeguardEncryptionInTransit), string(SafeguardEncryptionAtRest), string(SafeguardPseudonymisation), string(SafeguardAccessControls), string(SafeguardKeysHeldByExporter), string(SafeguardDataMinimisation), string(SafeguardTransparencyReports), string(SafeguardGovernmentAccessPolicy)}
}

// UnmarshalGQL implements graphql.Unmarshaler.
func (s *Safeguard) UnmarshalGQL(v any) (err error) {
	*s, err = parse[Safeguard](v)
	return err
}

// MarshalGQL implements graphql.Marshaler.
func (s Safeguard) MarshalGQL(w io.Writer) { marshal(w, s) }

// Stipulation is one of the stipulations GDPR Art. 28(3)(a)-(h) requires in a processing agreement.
type Stipulation string

// The values of Stipulation.
const (
	StipulationInstructions     Stipulation = "A_DOCUMENTED_INSTRUCTIONS"
	StipulationConfidentiality  Stipulation = "B_CONFIDENTIALITY"
	StipulationSecurity         Stipulation = "C_SECURITY"
	StipulationSubprocessors    Stipulation = "D_SUBPROCESSORS"
	StipulationSubjectRights    Stipulation = "E_DATA_SUBJECT_RIGHTS"
	StipulationAssistance       Stipulation = "F_ASSISTANCE"
	StipulationDeletionOrReturn Stipulation = "G_DELETION_OR_RETURN"
	StipulationAudits           Stipulation = "H_AUDITS"
)

// Values lists every Stipulation.
func (Stipulation) Values() []string {
	return []string{string(StipulationInstructions), string(StipulationConfidentiality), string(StipulationSecurity), string(StipulationSubprocessors), string(StipulationSubjectRights), string(StipulationAssistance), string(StipulationDeletionOrReturn), string(StipulationAudits)}
}

// UnmarshalGQL implements graphql.Unmarshaler.
func (s *Stipulation) UnmarshalGQL(v any) (err error) {
	*s, err = parse[Stipulation](v)
	return err
}

// MarshalGQL implements graphql.Marshaler.
func (s Stipulation) MarshalGQL(w io.Writer) { marshal(w, s) }
