// A vendor registry screen: a paginated list of vendors, each card a
// refetchable fragment (it reloads one vendor through node(id:)).
import { graphql } from "react-relay";

export const vendorCard = graphql`
  fragment VendorsCard_vendor on Vendor
  @refetchable(queryName: "VendorsCardRefetchQuery")
  @argumentDefinitions(at: { type: "Time" }) {
    id
    name
    status
    riskTier
    country {
      id
      code
      name
    }
    findings(at: $at) {
      id
      ...FindingsRow_finding
    }
    exportedTransfers(first: 5) {
      totalCount
      edges {
        node {
          id
          mechanism
          importer {
            id
            name
          }
        }
      }
    }
  }
`;

export const vendorList = graphql`
  fragment VendorsList_query on Query
  @refetchable(queryName: "VendorsListPaginationQuery")
  @argumentDefinitions(
    first: { type: "Int", defaultValue: 20 }
    after: { type: "Cursor" }
    where: { type: "VendorWhereInput" }
  ) {
    vendors(first: $first, after: $after, where: $where, orderBy: { field: NAME })
      @connection(key: "VendorsList_vendors") {
      totalCount
      edges {
        node {
          id
          ...VendorsCard_vendor
        }
      }
    }
  }
`;

export const vendorsPage = graphql`
  query VendorsPageQuery {
    viewer {
      name
      role
    }
    ...VendorsList_query
  }
`;

export const updateVendor = graphql`
  mutation VendorsUpdateMutation($input: UpdateVendorInput!) {
    updateVendor(input: $input) {
      clientMutationId
      vendor {
        id
        ...VendorsCard_vendor
      }
    }
  }
`;
