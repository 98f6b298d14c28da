package console_test

// Load times of the console's pages on the generated benchmark dataset
// (privhub gen: 2,000 vendors, 20,000 transfers, 100,000 users, 1,000,000
// records). Generating it takes a minute or more, so it is a benchmark, not
// part of make test, and it needs PRIVHUB_CONSOLE_BENCH_DATABASE to name
// such a database, e.g.
//
//	./bin/privhub gen --database sqlite:/tmp/big.db
//	PRIVHUB_CONSOLE_BENCH_DATABASE=sqlite:/tmp/big.db go test ./internal/console/ -run '^$' -bench LoadTime -benchtime 1x -v

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/internal/audit"
	"github.com/privhub/privhub/internal/auth"
	"github.com/privhub/privhub/internal/integrity"
	"github.com/privhub/privhub/internal/server"
	"github.com/privhub/privhub/internal/store"
)

// lockedBuffer is a log sink the server's goroutines may write to.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// BenchmarkConsoleLoadTime reports each page's median time to loaded over
// three visits (it is one run, whatever b.N).
func BenchmarkConsoleLoadTime(b *testing.B) {
	url := os.Getenv("PRIVHUB_CONSOLE_BENCH_DATABASE")
	if url == "" {
		b.Skip("set PRIVHUB_CONSOLE_BENCH_DATABASE to a database filled by privhub gen")
	}
	t := b
	ctx := context.Background()
	db, err := store.Open(ctx, url)
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	integrity.Register(db.Client)
	require.NoError(t, db.Migrate(ctx))
	audit.Register(db.Client)

	// Serve as privhub serve does: caches warmed in the background.
	var logged lockedBuffer
	log := slog.New(slog.NewTextHandler(&logged, nil))
	srv := httptest.NewServer(server.Handler(server.Config{Warm: true}, db, log))
	t.Cleanup(srv.Close)
	deadline := time.Now().Add(5 * time.Minute)
	for !strings.Contains(logged.String(), "heap pre-touched") {
		require.True(t, time.Now().Before(deadline), "the server did not warm up:\n%s", logged.String())
		time.Sleep(200 * time.Millisecond)
	}
	tok, _, err := auth.Issue(ctx, db.Client, auth.IssueInput{Role: auth.RoleDPO, Name: "console load time"})
	require.NoError(t, err)

	d := newDriver(t, srv.URL, screenshotDir(t, "generated"))
	d.wait = 3 * time.Minute
	at := time.Now().UTC().Format(time.DateOnly)
	d.signIn(tok, "#/?at="+at, "overview")

	// A vendor and a person to open, and a country to filter the map by.
	d.open("#/vendors?at="+at, "vendors")
	vendor := d.str(`document.querySelector('a.vendor-link').getAttribute('href').split('?')[0].slice(2)`)
	country := d.str(`document.querySelector('#vendor-filters select[name="country"] option:nth-child(2)').value`)
	person, err := db.Client.User.Query().FirstID(ctx)
	require.NoError(t, err)
	d.open("#/findings?at="+at, "findings")
	rule := d.str(`document.querySelector('#finding-rule option:nth-child(2)').value`)

	pages := []struct{ name, fragment, page string }{
		{"overview", "#/?", "overview"},
		{"vendors", "#/vendors?", "vendors"},
		{"vendors by finding", "#/vendors?rule=" + rule + "&", "vendors"},
		{"vendor", "#/" + vendor + "?", "vendor"},
		{"findings", "#/findings?", "findings"},
		{"requests", "#/requests?", "requests"},
		{"person", "#/people/" + string(person) + "?", "person"},
		{"data map of one country", "#/datamap?country=" + country + "&", "datamap"},
		{"data map, whole", "#/datamap?", "datamap"},
	}
	var report strings.Builder
	for _, p := range pages {
		var times []int
		for i := range 3 {
			r, ms := d.open(fmt.Sprintf("%sat=%s&run=%d", p.fragment, at, i), p.page)
			require.LessOrEqual(t, r, maxRequests, p.name)
			times = append(times, ms)
		}
		slices.Sort(times)
		fmt.Fprintf(&report, "  %-24s median %4d ms (runs %v)\n", p.name, times[1], times)
		d.screenshot("generated-" + strings.ReplaceAll(p.name, " ", "-"))
	}
	t.Logf("time from the route change to the page's loaded marker, 2,000-vendor dataset:\n%s", report.String())
}
