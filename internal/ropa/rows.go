package ropa

import (
	"strings"
)

// Row is one line of a record flattened for a table: the spreadsheet, CSV
// and Markdown forms share it.
type Row struct {
	// Organisation is whose record it is; Record "Art. 30(1)" or "Art. 30(2)".
	Organisation, Record string
	// Activity is the purpose (30(1)) or the controller (30(2)) the line is
	// about; empty for the record as a whole.
	Activity string
	// Field is the record field with its letter, e.g. "(c) data subjects".
	Field string
	// Entry is the line, or the gap's reason.
	Entry string
	// Sources are the entities it came from, as Type:ID.
	Sources string
}

// Header is the column names of Row.
var Header = []string{"Organisation", "Record", "Activity", "Field", "Entry", "Sources"}

// Cells returns the row's cells in Header order.
func (r Row) Cells() []string {
	return []string{r.Organisation, r.Record, r.Activity, r.Field, r.Entry, r.Sources}
}

// Rows flattens the records, controllers first, each record's lines in
// field order, its gaps last.
func (r *Records) Rows() []Row {
	var out []Row
	for _, c := range r.Controllers {
		org := c.Controller.Name
		add := func(activity, field string, lines ...Line) {
			for _, l := range lines {
				out = append(out, Row{Organisation: org, Record: "Art. 30(1)", Activity: activity, Field: field, Entry: l.Text, Sources: sources(l.Sources)})
			}
		}
		add("", "(a) controller", partyLines(c.Controller)...)
		if len(c.JointControllers) == 0 {
			add("", "(a) joint controllers", Line{Text: "none"})
		}
		for _, j := range c.JointControllers {
			add("", "(a) joint controllers", partyLines(j)...)
		}
		for _, a := range c.Activities {
			name := a.Purpose.Text
			add(name, "(b) purpose", a.Purpose, Line{Text: "legal basis: " + a.LegalBasis, Sources: a.Purpose.Sources})
			add(name, "(c) categories of data subjects", a.Subjects...)
			add(name, "(c) categories of personal data", a.Data...)
			add(name, "(d) categories of recipients", orNone(a.Recipients)...)
			add(name, "(e) transfers to third countries", orNone(a.Transfers)...)
			add(name, "(f) time limits for erasure", a.Erasure...)
		}
		add("", "(g) technical and organisational measures", c.Measures...)
		for _, g := range c.Gaps {
			out = append(out, Row{Organisation: org, Record: "Art. 30(1)", Field: "GAP " + g.Field, Entry: g.Reason, Sources: sources(g.Sources)})
		}
	}
	for _, p := range r.Processors {
		org := p.Processor.Name
		add := func(activity, field string, lines ...Line) {
			for _, l := range lines {
				out = append(out, Row{Organisation: org, Record: "Art. 30(2)", Activity: activity, Field: field, Entry: l.Text, Sources: sources(l.Sources)})
			}
		}
		add("", "(a) processor", partyLines(p.Processor)...)
		for _, ob := range p.Controllers {
			name := ob.Controller.Name
			add(name, "(a) controller", partyLines(ob.Controller)...)
			add(name, "(b) categories of processing", ob.Processing...)
			add(name, "(c) transfers to third countries", orNone(ob.Transfers)...)
		}
		add("", "(d) technical and organisational measures", p.Measures...)
		for _, g := range p.Gaps {
			out = append(out, Row{Organisation: org, Record: "Art. 30(2)", Field: "GAP " + g.Field, Entry: g.Reason, Sources: sources(g.Sources)})
		}
	}
	return out
}

// partyLines states a party: name and contact, DPO, representative.
func partyLines(p Party) []Line {
	lines := []Line{{Text: p.Name + " (" + p.Contact + ")", Sources: p.Sources}}
	if p.DPO != "" {
		lines = append(lines, Line{Text: "DPO: " + p.DPO, Sources: p.Sources})
	}
	if p.Representative != "" {
		lines = append(lines, Line{Text: "representative: " + p.Representative, Sources: p.Sources})
	}
	return lines
}

// orNone returns lines, or a single "none" line.
func orNone(lines []Line) []Line {
	if len(lines) == 0 {
		return []Line{{Text: "none"}}
	}
	return lines
}

// sources lists sources as Type:ID, space-separated.
func sources(ss []Source) string {
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = s.Type + ":" + string(s.ID)
	}
	return strings.Join(parts, " ")
}
