// A data subject request desk: open requests by due date, each one a
// refetchable fragment, and the mutations that move a request on.
import { graphql } from "react-relay";

export const requestCard = graphql`
  fragment RequestsCard_request on Request
  @refetchable(queryName: "RequestsCardRefetchQuery") {
    id
    reference
    kind
    status
    receivedAt
    dueAt
    extensionMonths
    extensionReason
    completedAt
    history {
      status
      at
      note
    }
    tasks {
      id
      status
      holder {
        id
        name
      }
    }
  }
`;

export const requestList = graphql`
  fragment RequestsList_query on Query
  @refetchable(queryName: "RequestsListPaginationQuery")
  @argumentDefinitions(
    first: { type: "Int", defaultValue: 20 }
    after: { type: "Cursor" }
  ) {
    requests(
      first: $first
      after: $after
      where: { statusNotIn: [COMPLETED, REJECTED] }
      orderBy: { field: DUE_AT }
    ) @connection(key: "RequestsList_requests") {
      totalCount
      edges {
        node {
          id
          ...RequestsCard_request
        }
      }
    }
  }
`;

export const requestsPage = graphql`
  query RequestsPageQuery {
    ...RequestsList_query
  }
`;

export const submitRequest = graphql`
  mutation RequestsSubmitMutation($input: SubmitRequestInput!) {
    submitRequest(input: $input) {
      clientMutationId
      request {
        id
        ...RequestsCard_request
      }
    }
  }
`;
