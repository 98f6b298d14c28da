package graph

import (
	"context"
	"sync"
	"time"

	"github.com/privhub/privhub/internal/compliance"
)

// A findings memo keeps, for one GraphQL operation, the findings of each
// instant asked about, so that a list asking each of its rows for its
// findings (vendors { findings(at:) }) evaluates the rules once, not once
// per row: the checker caches only its last evaluation, and the sources
// added to it (the records of processing) derive theirs at every call.
type findingsMemo struct {
	mu sync.Mutex
	at map[int64]*memoEntry
}

// memoEntry is the evaluation of one instant, made once.
type memoEntry struct {
	once     sync.Once
	findings []*compliance.Finding
	err      error
}

type findingsMemoKey struct{}

// WithFindingsMemo returns ctx carrying a fresh findings memo: install it
// around each operation (handler.AroundOperations).
func WithFindingsMemo(ctx context.Context) context.Context {
	return context.WithValue(ctx, findingsMemoKey{}, &findingsMemo{at: map[int64]*memoEntry{}})
}

// check returns the findings as of at, from the operation's memo when ctx
// carries one.
func (r *Resolver) check(ctx context.Context, at time.Time) ([]*compliance.Finding, error) {
	m, _ := ctx.Value(findingsMemoKey{}).(*findingsMemo)
	if m == nil {
		return r.Checker.Check(ctx, at)
	}
	m.mu.Lock()
	e := m.at[at.UnixNano()]
	if e == nil {
		e = &memoEntry{}
		m.at[at.UnixNano()] = e
	}
	m.mu.Unlock()
	e.once.Do(func() { e.findings, e.err = r.Checker.Check(ctx, at) })
	return e.findings, e.err
}
