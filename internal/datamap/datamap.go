// Package datamap writes a data-flow graph in formats people render: Graphviz
// DOT, Mermaid and JSON. Holders are nodes, transfers are edges labelled with
// their categories and mechanism; importers in countries that are neither in
// the EEA nor adequate are marked, and so are transfers with no mechanism.
package datamap

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/internal/trace"
	"github.com/privhub/privhub/internal/vocab"
)

// Formats lists the formats Write knows.
func Formats() []string { return []string{"dot", "mermaid", "json"} }

// Write writes g to w in format: "dot", "mermaid" or "json".
func Write(w io.Writer, g *trace.FlowGraph, format string) error {
	m := build(g)
	switch format {
	case "dot":
		return m.dot(w)
	case "mermaid":
		return m.mermaid(w)
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(m)
	}
	return fmt.Errorf("unknown data map format %q: want one of %s", format, strings.Join(Formats(), ", "))
}

// dataMap is a FlowGraph reduced to what a drawing shows.
type dataMap struct {
	At    time.Time `json:"at"`
	Nodes []node    `json:"nodes"`
	Edges []edge    `json:"edges"`
}

type node struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Kind    string `json:"kind"` // Organization or Vendor
	Country string `json:"country"`
}

type edge struct {
	Transfer     string   `json:"transfer"`
	From         string   `json:"from"`
	To           string   `json:"to"`
	Country      string   `json:"country"`
	Mechanism    string   `json:"mechanism"`
	Categories   []string `json:"categories"`
	Role         string   `json:"importerRole"`
	ThirdCountry bool     `json:"thirdCountry"` // importer country neither EEA nor covered by the mechanism's adequacy
	NoMechanism  bool     `json:"noMechanism"`
}

func build(g *trace.FlowGraph) *dataMap {
	m := &dataMap{At: g.At}
	for _, n := range g.Nodes {
		kind := "Vendor"
		if _, ok := n.Holder.(*ent.Organization); ok {
			kind = "Organization"
		}
		code := ""
		if n.Country != nil {
			code = n.Country.ID.CountryCode()
		}
		m.Nodes = append(m.Nodes, node{ID: string(n.Holder.HolderID()), Name: n.Holder.HolderName(), Kind: kind, Country: code})
	}
	for _, s := range g.Edges {
		var cats []string
		for _, c := range s.Categories {
			cats = append(cats, c.Key)
		}
		slices.Sort(cats)
		e := edge{
			Transfer: string(s.Transfer.ID), From: string(s.Exporter.HolderID()), To: string(s.Importer.HolderID()),
			Mechanism: string(s.Mechanism), Categories: cats, Role: string(s.ImporterRole),
			NoMechanism: s.Mechanism == vocab.MechanismNone,
		}
		if s.Country != nil {
			e.Country = s.Country.ID.CountryCode()
			e.ThirdCountry = !s.Country.Eea && s.Mechanism != vocab.MechanismAdequacy && s.Mechanism != vocab.MechanismIntraEEA
		}
		m.Edges = append(m.Edges, e)
	}
	return m
}

func (e edge) label() string {
	return fmt.Sprintf("%s · %s → %s", strings.Join(e.Categories, ", "), e.Mechanism, e.Country)
}

func (m *dataMap) dot(w io.Writer) error {
	var b strings.Builder
	b.WriteString("digraph datamap {\n  rankdir=LR;\n  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n")
	fmt.Fprintf(&b, "  label=%q;\n", "privhub data map as of "+m.At.Format(time.DateOnly))
	for _, n := range m.Nodes {
		shape := ""
		if n.Kind == "Organization" {
			shape = ", style=\"rounded,filled\", fillcolor=\"#e8f0fe\""
		}
		fmt.Fprintf(&b, "  %q [label=%q%s];\n", n.ID, n.Name+" ("+n.Country+")", shape)
	}
	for _, e := range m.Edges {
		attrs := ""
		switch {
		case e.NoMechanism:
			attrs = ", color=red, fontcolor=red, penwidth=2"
		case e.ThirdCountry:
			attrs = ", color=orange, fontcolor=orange"
		}
		fmt.Fprintf(&b, "  %q -> %q [label=%q%s];\n", e.From, e.To, e.label(), attrs)
	}
	b.WriteString("}\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func (m *dataMap) mermaid(w io.Writer) error {
	var b strings.Builder
	b.WriteString("flowchart LR\n")
	ids := map[string]string{}
	for i, n := range m.Nodes {
		ids[n.ID] = fmt.Sprintf("n%d", i)
		fmt.Fprintf(&b, "  %s[%q]\n", ids[n.ID], mermaidText(n.Name+" ("+n.Country+")"))
	}
	var red, orange []int
	for i, e := range m.Edges {
		fmt.Fprintf(&b, "  %s -->|%q| %s\n", ids[e.From], mermaidText(e.label()), ids[e.To])
		switch {
		case e.NoMechanism:
			red = append(red, i)
		case e.ThirdCountry:
			orange = append(orange, i)
		}
	}
	for _, i := range red {
		fmt.Fprintf(&b, "  linkStyle %d stroke:red,stroke-width:3px\n", i)
	}
	for _, i := range orange {
		fmt.Fprintf(&b, "  linkStyle %d stroke:orange\n", i)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// mermaidText keeps a label inside Mermaid's quoted text.
func mermaidText(s string) string { return strings.ReplaceAll(s, `"`, "'") }
