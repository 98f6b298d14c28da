package graph

import (
	"time"

	"entgo.io/contrib/entgql"

	"github.com/privhub/privhub/graph/model"
	"github.com/privhub/privhub/internal/apperr"
	"github.com/privhub/privhub/internal/compliance"
	"github.com/privhub/privhub/internal/pulid"
)

// instant is the "as of" of a question: the given time, or now rounded up
// to the next second, so that the fields of one request share one
// evaluation and what was written just now is already in it.
func instant(at *time.Time) time.Time {
	if at != nil {
		return *at
	}
	return time.Now().UTC().Truncate(time.Second).Add(time.Second)
}

// pageFindings cuts one Relay page out of an ordered list of findings; a
// finding's cursor is its stable ID.
func pageFindings(all []*compliance.Finding, after *entgql.Cursor[pulid.ID], first *int, before *entgql.Cursor[pulid.ID], last *int) (*model.FindingConnection, error) {
	if first != nil && last != nil {
		return nil, apperr.Invalid("first", "give first or last, not both")
	}
	index := func(c *entgql.Cursor[pulid.ID], field string) (int, error) {
		for i, f := range all {
			if pulid.ID(f.ID) == c.ID {
				return i, nil
			}
		}
		return 0, apperr.Invalid(field, "the cursor names no finding of this list")
	}
	lo, hi := 0, len(all)
	if after != nil {
		i, err := index(after, "after")
		if err != nil {
			return nil, err
		}
		lo = i + 1
	}
	if before != nil {
		i, err := index(before, "before")
		if err != nil {
			return nil, err
		}
		hi = min(hi, i)
	}
	if hi < lo {
		hi = lo
	}
	from, to := lo, hi
	if first != nil && to-from > *first {
		to = from + *first
	}
	if last != nil && to-from > *last {
		from = to - *last
	}
	conn := &model.FindingConnection{TotalCount: len(all), Edges: make([]*model.FindingEdge, 0, to-from)}
	for _, f := range all[from:to] {
		conn.Edges = append(conn.Edges, &model.FindingEdge{Node: f, Cursor: entgql.Cursor[pulid.ID]{ID: pulid.ID(f.ID)}})
	}
	conn.PageInfo.HasNextPage = to < len(all)
	conn.PageInfo.HasPreviousPage = from > 0
	if n := len(conn.Edges); n > 0 {
		conn.PageInfo.StartCursor = &conn.Edges[0].Cursor
		conn.PageInfo.EndCursor = &conn.Edges[n-1].Cursor
	}
	return conn, nil
}
