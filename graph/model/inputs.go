package model

import (
	"github.com/privhub/privhub/internal/consent"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/requests"
)

// The inputs of the mutations whose arguments a domain package defines: each
// embeds the domain's input and adds what the mutation convention puts beside
// it (see the Mutation type in schema/privhub.graphql).

// SubmitRequestInput is the input of submitRequest.
type SubmitRequestInput struct {
	requests.SubmitInput
	// ClientMutationID is echoed unchanged in the payload.
	ClientMutationID *string
}

// RecordConsentInput is the input of recordConsent.
type RecordConsentInput struct {
	consent.RecordInput
	// ClientMutationID is echoed unchanged in the payload.
	ClientMutationID *string
}

// RectifyUserInput is the input of rectifyUser: the user, the corrected
// details and the request the correction answers.
type RectifyUserInput struct {
	requests.RectifyUserInput
	// ID is the user to correct.
	ID pulid.ID
	// Request is the rectification request the correction answers, if any.
	Request *pulid.ID
	// ClientMutationID is echoed unchanged in the payload.
	ClientMutationID *string
}
