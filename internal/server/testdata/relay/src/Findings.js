// A DPO's findings screen: findings paginated most urgent first, each row
// a refetchable fragment.
import { graphql } from "react-relay";

export const findingRow = graphql`
  fragment FindingsRow_finding on Finding
  @refetchable(queryName: "FindingsRowRefetchQuery") {
    id
    severity
    message
    remedy
    targetID
    targetType
    targetLabel
    historic
    since
    rule {
      id
      title
      legalReference
    }
    evidence {
      kind
      id
      label
    }
  }
`;

export const findingList = graphql`
  fragment FindingsList_query on Query
  @refetchable(queryName: "FindingsListPaginationQuery")
  @argumentDefinitions(
    first: { type: "Int", defaultValue: 25 }
    after: { type: "Cursor" }
    where: { type: "FindingWhereInput" }
  ) {
    findings(first: $first, after: $after, where: $where)
      @connection(key: "FindingsList_findings") {
      totalCount
      edges {
        node {
          id
          ...FindingsRow_finding
        }
      }
    }
  }
`;

export const findingsPage = graphql`
  query FindingsPageQuery($where: FindingWhereInput) {
    complianceSummary {
      total
      invalidTransfers
    }
    ...FindingsList_query @arguments(where: $where)
  }
`;
