// Package ropa derives the records of processing activities of GDPR Art. 30
// from the graph as of an instant: the Art. 30(1) record of each own
// organisation acting as controller and the Art. 30(2) record of each
// acting as processor. Nothing is copied: every line names the entities it
// came from, and a field the graph cannot fill is reported as a gap.
package ropa

import (
	"time"

	"github.com/privhub/privhub/internal/pulid"
)

// Source is an entity a line of a record came from, so that a reviewer can
// jump from the line to the contract, transfer or rule behind it.
type Source struct {
	// Type is the entity's type, e.g. Transfer.
	Type string `json:"type"`
	// ID is its ID.
	ID pulid.ID `json:"id"`
}

// Line is one entry of a record field, with its sources.
type Line struct {
	// Text is the entry as the record states it.
	Text string `json:"text"`
	// Sources are the entities it came from.
	Sources []Source `json:"sources"`
}

// Gap is a field of a record the graph cannot fill.
type Gap struct {
	// Field names the field, with its Art. 30 letter, e.g. "30(1)(a) DPO".
	Field string `json:"field"`
	// Reason says what is missing and where to record it.
	Reason string `json:"reason"`
	// Sources are the entities the gap is about.
	Sources []Source `json:"sources"`
	// covered says another rule of the findings engine reports it already
	// (a transfer without a safeguard is a transfer finding).
	covered bool
}

// Party is an organisation named in a record, with how to reach it.
type Party struct {
	// Name is its name; Contact its legal name and country.
	Name    string `json:"name"`
	Contact string `json:"contact"`
	// DPO is how to reach its data protection officer, if any.
	DPO string `json:"dpo,omitempty"`
	// Representative is its Art. 27 representative, if any.
	Representative string   `json:"representative,omitempty"`
	Sources        []Source `json:"sources"`
}

// ControllerRecord is the Art. 30(1) record of one organisation acting as
// controller.
type ControllerRecord struct {
	// Controller is the organisation, (a).
	Controller Party `json:"controller"`
	// JointControllers are those it determines purposes with, (a).
	JointControllers []Party `json:"jointControllers"`
	// Activities are its processing activities, one per purpose.
	Activities []*Activity `json:"activities"`
	// Measures is the general description of the technical and
	// organisational measures (Art. 32(1)), (g).
	Measures []Line `json:"measures"`
	// Gaps are the fields the graph cannot fill.
	Gaps []Gap `json:"gaps"`
}

// Activity is one processing activity of a controller: one purpose.
type Activity struct {
	// Purpose names it and its legal basis, (b).
	Purpose Line `json:"purpose"`
	// LegalBasis is the Art. 6 ground it rests on.
	LegalBasis string `json:"legalBasis"`
	// Subjects are the categories of data subjects, (c).
	Subjects []Line `json:"subjects"`
	// Data are the categories of personal data, (c).
	Data []Line `json:"data"`
	// Recipients are the categories of recipients, third countries
	// included, (d).
	Recipients []Line `json:"recipients"`
	// Transfers are the transfers to third countries with their
	// safeguards, (e).
	Transfers []Line `json:"transfers"`
	// Erasure are the envisaged time limits for erasure per category, (f).
	Erasure []Line `json:"erasure"`
}

// ProcessorRecord is the Art. 30(2) record of one organisation acting as
// processor.
type ProcessorRecord struct {
	// Processor is the organisation, (a).
	Processor Party `json:"processor"`
	// Controllers are those on whose behalf it acts, with what it does for
	// each, (a) to (c).
	Controllers []*OnBehalf `json:"controllers"`
	// Measures is the general description of the measures, (d).
	Measures []Line `json:"measures"`
	// Gaps are the fields the graph cannot fill.
	Gaps []Gap `json:"gaps"`
}

// OnBehalf is what a processor does for one controller.
type OnBehalf struct {
	// Controller is the controller, with its DPO, (a).
	Controller Party `json:"controller"`
	// Processing are the categories of processing carried out, (b).
	Processing []Line `json:"processing"`
	// Transfers are its transfers to third countries for the controller,
	// with their safeguards, (c).
	Transfers []Line `json:"transfers"`
}

// Records are the Art. 30 records as of an instant.
type Records struct {
	// At is the instant.
	At time.Time `json:"at"`
	// Controllers are the Art. 30(1) records, by organisation name.
	Controllers []*ControllerRecord `json:"controllers"`
	// Processors are the Art. 30(2) records, by organisation name.
	Processors []*ProcessorRecord `json:"processors"`
}

// GapCount is the number of gaps of all records.
func (r *Records) GapCount() int {
	n := 0
	for _, c := range r.Controllers {
		n += len(c.Gaps)
	}
	for _, p := range r.Processors {
		n += len(p.Gaps)
	}
	return n
}
