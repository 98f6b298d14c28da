package compliance

// IDPrefix is the type prefix of findings' global IDs ("fnd_..."); no
// stored entity uses it.
const IDPrefix = "fnd"

// IsNode marks a finding as a Relay node: node(id:) refetches it by its ID.
func (*Finding) IsNode() {}
