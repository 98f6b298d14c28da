package graph

import (
	"time"

	"entgo.io/contrib/entgql"

	"github.com/privhub/privhub/graph/model"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/retention"
)

// retentionPage wraps one page of the retention preview as a Relay
// connection; an item's cursor is its record's ID, the preview's order.
func retentionPage(page *retention.Page) *model.RetentionItemConnection {
	conn := &model.RetentionItemConnection{TotalCount: page.Total, PageInfo: &entgql.PageInfo[pulid.ID]{},
		Edges: make([]*model.RetentionItemEdge, 0, len(page.Items))}
	for _, it := range page.Items {
		conn.Edges = append(conn.Edges, &model.RetentionItemEdge{Node: it, Cursor: entgql.Cursor[pulid.ID]{ID: it.Record.ID}})
	}
	conn.PageInfo.HasNextPage = page.More
	if n := len(conn.Edges); n > 0 {
		conn.PageInfo.StartCursor = &conn.Edges[0].Cursor
		conn.PageInfo.EndCursor = &conn.Edges[n-1].Cursor
	}
	return conn
}

// orNow returns *t, or now when t is nil.
func orNow(t *time.Time) time.Time {
	if t != nil {
		return *t
	}
	return time.Now()
}

// deref returns *s, or "" when s is nil.
func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
