package model

import (
	"entgo.io/contrib/entgql"

	"github.com/privhub/privhub/internal/compliance"
	"github.com/privhub/privhub/internal/pulid"
)

// FindingConnection is a page of findings.
type FindingConnection struct {
	Edges      []*FindingEdge
	PageInfo   entgql.PageInfo[pulid.ID]
	TotalCount int
}

// FindingEdge is one finding of a page, with its cursor.
type FindingEdge struct {
	Node   *compliance.Finding
	Cursor entgql.Cursor[pulid.ID]
}
