// Every GraphQL document the console sends, in one place, so that a change
// of the API is one edit here. Each page sends one of the queries (two for
// the vendors page filtered by findings); mutations run on a user's action.

const STEP = `
  exporter { __typename id name }
  importer { __typename id name }
  importerRole
  country { code name eea }
  regime mechanism
  contract { id title sccModule }
  clauses { reference }
  purposes { key }
  categories { key }`;

export const Viewer = `query Viewer { viewer { name role user { id } } }`;

export const Overview = `query Overview($at: Time!, $soon: Time!, $expiry: Time!) {
  complianceSummary(at: $at) {
    at total invalidTransfers
    bySeverity { severity count }
    byRule { count rule { id title severity legalReference } }
  }
  overdue: requests(first: 10, where: {statusNotIn: [COMPLETED, REJECTED], receivedAtLTE: $at, dueAtLT: $at}, orderBy: {field: DUE_AT}) {
    totalCount edges { node { id reference kind status receivedAt dueAt } }
  }
  dueSoon: requests(first: 10, where: {statusNotIn: [COMPLETED, REJECTED], receivedAtLTE: $at, dueAtGTE: $at, dueAtLT: $soon}, orderBy: {field: DUE_AT}) {
    totalCount edges { node { id reference kind status receivedAt dueAt } }
  }
  expiring: contracts(first: 10, where: {expiresAtGTE: $at, expiresAtLT: $expiry}, orderBy: {field: EXPIRES_AT}) {
    totalCount edges { node { id title kind expiresAt parties { holder { __typename id name } } } }
  }
  pending: subprocessorChanges(first: 10, where: {notifiedAtLTE: $at, or: [{outcome: PENDING}, {outcomeIsNil: true}, {objectionDeadlineGTE: $at}]}, orderBy: {field: NOTIFIED_AT, direction: DESC}) {
    totalCount edges { node { id kind notifiedAt engagedAt objectionDeadline outcome processor { id name } subprocessor { id name country { code } } } }
  }
}`;

export const Vendors = `query Vendors($at: Time!, $where: VendorWhereInput, $orderBy: VendorOrder, $first: Int, $after: Cursor, $last: Int, $before: Cursor) {
  vendors(where: $where, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { node {
      id name status riskTier services
      country { id code name eea }
      findings(at: $at) { severity rule { id } }
    } }
  }
  countries(where: {hasVendors: true}, orderBy: {field: NAME}, first: 300) { edges { node { id code name } } }
  rules { id title }
}`;

// FindingTargets lists what the findings of a rule (or severity) name, to
// filter the vendors by it.
export const FindingTargets = `query FindingTargets($at: Time!, $where: FindingWhereInput) {
  findings(at: $at, where: $where, first: 500) { edges { node { targetID related evidence { id } } } }
}`;

export const Vendor = `query Vendor($id: ID!, $at: Time!) {
  node(id: $id) { __typename ... on Vendor {
    id name legalName status riskTier reviewCadenceMonths services certifications website
    dpfFrameworks dpfActiveFrom dpfActiveUntil dpfLastVerified
    country { code name eea }
    importedTransfers(first: 100) { edges { node {
      id name importerRole mechanism fallbackMechanism regime activeFrom activeUntil safeguards
      country { code name } exporter { __typename id name }
      categories { key } purposes { key } contract { id title } clauses { reference }
    } } }
    exportedTransfers(first: 100) { edges { node {
      id name importerRole mechanism fallbackMechanism regime activeFrom activeUntil safeguards
      country { code name } importer { __typename id name }
      categories { key } purposes { key } contract { id title } clauses { reference }
    } } }
    contractParties { side capacity accessionDate contract {
      id title kind regime sccDecision sccModule clause9Option clause9NoticeDays clause13Authority
      clause17LawCountry { code name } clause18ForumCountry { code name }
      dpaStipulations signedAt effectiveAt expiresAt
      clauses { reference topic }
    } }
    assessments { id kind performedAt outcome nextDue findings performedBy }
    subprocessorChanges { id kind notifiedAt engagedAt objectionDeadline outcome subprocessor { id name } }
    findings(at: $at) { id severity message remedy since historic rule { id title legalReference } }
    exposure(at: $at) {
      users
      upstream { holder { __typename id name } adequate depth chain { ${STEP} } }
      downstream { holder { __typename id name } country { code name eea } regime adequate depth chain { ${STEP} } }
    }
  } }
}`;

const FLOW = `edges {
  transfer { id }
  exporter { __typename id name country { code name } }
  importer { __typename id name country { code name } }
  importerRole country { code name eea } regime mechanism
  categories { key } purposes { key }
}`;

export const DataMap = `query DataMap($at: Time!, $ok: DataFlowFilter, $bad: DataFlowFilter) {
  adequate: dataFlows(at: $at, where: $ok) { ${FLOW} }
  inadequate: dataFlows(at: $at, where: $bad) { ${FLOW} }
  dataCategories(first: 300, orderBy: {field: KEY}) { edges { node { id key } } }
  purposes(first: 100, orderBy: {field: KEY}) { edges { node { id key name } } }
  countries(where: {hasTransfers: true}, orderBy: {field: NAME}, first: 300) { edges { node { id code name } } }
}`;

export const FindPeople = `query FindPeople($email: String!) {
  users(first: 10, where: {emailEqualFold: $email}) {
    totalCount edges { node { id externalRef name email subjectKind status country { code } } }
  }
}`;

const PERSON = `
  id externalRef name email subjectKind status createdAt
  country { code name }
  dataRecords(first: 200, orderBy: {field: COLLECTED_AT}) { totalCount edges { node {
    id source collectedAt legalHold
    category { key name sensitivity } collector { __typename id name } purposes { key }
  } } }
  effectiveConsents(at: $at) { id decision recordedAt source explicit purpose { id key name } recipient { id name } }
  requests(orderBy: {field: RECEIVED_AT, direction: DESC}) { edges { node { id reference kind status receivedAt dueAt } } }
  trace(at: $at) {
    holdings { holder { __typename id name } categories { key } country { code name eea } regime adequate depth chain { ${STEP} } }
    blocked { importer { name } reason }
  }`;

export const Person = `query Person($id: ID!, $at: Time!) {
  node(id: $id) { __typename ... on User { ${PERSON} } }
}`;

// Self is the data subject's own page: the user, and the purposes whose
// sharing a person may switch off.
export const Self = `query Self($id: ID!, $at: Time!) {
  viewer { name role }
  node(id: $id) { __typename ... on User { ${PERSON} } }
  purposes(where: {optOutAllowed: true}, orderBy: {field: KEY}) { edges { node { id key name description marketing } } }
}`;

export const RequestExport = `query RequestExport($id: ID!) {
  node(id: $id) { ... on Request { id reference kind export } }
}`;

export const Requests = `query Requests($where: RequestWhereInput, $first: Int, $after: Cursor) {
  requests(where: $where, orderBy: {field: DUE_AT}, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node {
      id reference kind status receivedAt dueAt extensionNotifiedAt extensionMonths extensionReason completedAt
      user { id externalRef }
    } }
  }
}`;

export const ErasurePreview = `query ErasurePreview($user: ID!, $at: Time) {
  erasurePreview(user: $user, at: $at) {
    at
    deleted { categoryKey records }
    retained { categoryKey until reason }
    instruct { holder { __typename id name } role erase kept required }
    notify { holder { __typename id name } role erase kept required }
  }
}`;

export const Findings = `query Findings($at: Time!, $where: FindingWhereInput, $first: Int, $after: Cursor) {
  findings(at: $at, where: $where, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node {
      id severity targetID targetType targetLabel message remedy since historic related
      evidence { kind id label }
      rule { id title legalReference }
    } }
  }
  rules { id title severity }
}`;

export const ExtendRequest = `mutation ExtendRequest($input: ExtendRequestInput!) {
  extendRequest(input: $input) { request {
    id status dueAt extensionMonths extensionReason extensionNotifiedAt
  } }
}`;

export const CompleteRequest = `mutation CompleteRequest($input: CompleteRequestInput!) {
  completeRequest(input: $input) { request { id status completedAt } }
}`;

export const SubmitRequest = `mutation SubmitRequest($input: SubmitRequestInput!) {
  submitRequest(input: $input) { request { id reference kind status receivedAt dueAt } }
}`;

// RecordConsents records n choices in one mutation, so in one transaction:
// a purpose's opt-out and those of the recipients the person had allowed.
export function RecordConsents(n) {
  const vars = [...Array(n).keys()].map((i) => `$in${i}: RecordConsentInput!`).join(', ');
  const fields = [...Array(n).keys()].map((i) => `  c${i}: recordConsent(input: $in${i}) { consent { id decision recordedAt purpose { key } } }`).join('\n');
  return `mutation RecordConsents(${vars}) {\n${fields}\n}`;
}
