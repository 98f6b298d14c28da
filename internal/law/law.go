// Package law holds the legal decisions every engine of the hub must take
// alike, each written once: whether an instant falls within a period of
// force, which adequacy decision covers a transfer, whether a consent
// refusal applies to a flow, and when a data subject request is due. The
// trace, the findings, the filters, the exports and the request desk all
// ask here, so that the same case gets the same answer everywhere.
package law
