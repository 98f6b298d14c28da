// Package server serves privhub over HTTP: GraphQL at /graphql, the DPO
// console at / with its sign-in at /session, the embedded GraphiQL IDE at
// /graphiql, the public subprocessor list at /subprocessors, and health
// checks, with the limits a public API needs.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/privhub/privhub/graph"
	"github.com/privhub/privhub/internal/access"
	"github.com/privhub/privhub/internal/accesslog"
	"github.com/privhub/privhub/internal/announce"
	"github.com/privhub/privhub/internal/apperr"
	"github.com/privhub/privhub/internal/compliance"
	"github.com/privhub/privhub/internal/console"
	"github.com/privhub/privhub/internal/graphiql"
	"github.com/privhub/privhub/internal/metrics"
	"github.com/privhub/privhub/internal/persisted"
	"github.com/privhub/privhub/internal/pretouch"
	"github.com/privhub/privhub/internal/publiclist"
	"github.com/privhub/privhub/internal/reqinfo"
	"github.com/privhub/privhub/internal/requests"
	"github.com/privhub/privhub/internal/ropa"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/telemetry"
	"github.com/privhub/privhub/internal/trace"
	"github.com/privhub/privhub/internal/webhook"
)

const (
	// DefaultPageSize is the page size of a connection asked for without
	// first or last, at any depth.
	DefaultPageSize = 50
	// MaxPageSize is the largest first or last a client may ask for.
	MaxPageSize = 500
)

// Config holds the server's settings; its zero value is usable and means the
// defaults below.
type Config struct {
	// Addr is the address to listen on (default 127.0.0.1:8080).
	Addr string
	// MaxBodyBytes caps a request body (default 1 MiB).
	MaxBodyBytes int64
	// MaxDepth caps how deeply a query nests fields (default 12; the
	// introspection fields of GraphiQL are not counted).
	MaxDepth int
	// MaxComplexity caps a query's cost, where a connection costs its page
	// size times its fields (default 100000, about as many objects).
	MaxComplexity int
	// MaxTokens and MaxFields cap a document's tokens (default 10000) and
	// the fields it selects (default 500); both are counted before parsing.
	MaxTokens, MaxFields int
	// Timeout bounds the handling of one request (default 30s).
	Timeout time.Duration
	// DisableIntrospection turns schema introspection off.
	DisableIntrospection bool
	// Warm loads the trace engine's graph and record index, then the
	// compliance checker's data, in the background at start-up, so that
	// the first questions do not wait; then it touches the heap up to the
	// collector's next run (see internal/pretouch), so that the first
	// answers do not pay the page faults of its growth.
	Warm bool
	// RateLimit caps the requests per second each API token may send to
	// /graphql (0, the default, does not limit); a request over it gets
	// HTTP 429 with Retry-After and the code RATE_LIMITED.
	RateLimit float64
	// RateBurst is how many requests a token may send at once above
	// RateLimit (default twice RateLimit, at least 1).
	RateBurst int
	// Metrics, when not nil, counts requests, errors, refusals, the
	// database pool and sweeps, served at /metrics unless MetricsElsewhere.
	Metrics          *metrics.Metrics
	MetricsElsewhere bool
	// Telemetry traces each GraphQL request and its statements (nil: off).
	Telemetry *telemetry.Telemetry
	// TrustedDocuments, when not nil, are the only documents served (see
	// internal/persisted); otherwise automatic persisted queries are on.
	TrustedDocuments persisted.Manifest
	// AccessLog gets one JSON line per request (nil: the server's log).
	AccessLog *slog.Logger
	// Announcements publishes each subprocessor announcement inside the
	// transaction that records it (default: to the webhook outbox,
	// webhook.Announcements).
	Announcements announce.Publisher
}

func (c Config) withDefaults() Config {
	if c.Announcements == nil {
		c.Announcements = webhook.Announcements()
	}
	if c.Addr == "" {
		c.Addr = "127.0.0.1:8080"
	}
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = 1 << 20
	}
	if c.MaxDepth <= 0 {
		c.MaxDepth = 12
	}
	if c.MaxComplexity <= 0 {
		c.MaxComplexity = 100000
	}
	if c.MaxTokens <= 0 {
		c.MaxTokens = 10000
	}
	if c.MaxFields <= 0 {
		c.MaxFields = 500
	}
	if c.Timeout <= 0 {
		c.Timeout = 30 * time.Second
	}
	if c.RateLimit > 0 && c.RateBurst <= 0 {
		c.RateBurst = max(1, int(math.Ceil(2*c.RateLimit)))
	}
	return c
}

// Handler returns the HTTP handler of the whole service over db. /graphql
// needs an API token (Authorization: Bearer TOKEN) or a console session
// cookie (with its CSRF token on writes); the console at /, its sign-in at
// /session, GraphiQL at /graphiql, the health checks and the public
// subprocessor list (/subprocessors, .json and .atom, see
// internal/publiclist) do not.
func Handler(cfg Config, db *store.DB, log *slog.Logger) http.Handler {
	cfg = cfg.withDefaults()
	mux := http.NewServeMux()
	gql := graph.WithHolders(db.Client)(GraphQL(cfg, db, log))
	if cfg.TrustedDocuments != nil {
		gql = persisted.DocumentIDs(gql)
	}
	mux.Handle("/graphql", cfg.Telemetry.Handler(cfg.Metrics.Instrument(newAuthenticator(cfg, db.Client, log).wrap(gql))))
	mux.Handle("/session", sessions{client: db.Client, log: log})
	if cfg.Metrics != nil {
		if err := cfg.Metrics.CollectDB(db.SQL, db.Dialect); err != nil {
			log.Warn("database pool metrics", "err", err)
		}
		if !cfg.MetricsElsewhere {
			mux.Handle("GET /metrics", cfg.Metrics.Handler())
		}
	}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if err := db.Ping(ctx); err != nil {
			log.WarnContext(ctx, "readiness check failed", "err", err)
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintln(w, "database unavailable")
			return
		}
		fmt.Fprintln(w, "ok")
	})
	publiclist.Mount(mux, db.Client, log) // public: no token
	ide := graphiql.Handler("privhub", "/graphql")
	mux.Handle(graphiql.PagePath, ide)
	mux.Handle(graphiql.PagePath+"/", ide)
	mux.Handle("/", console.Handler())
	if cfg.AccessLog == nil {
		cfg.AccessLog = log
	}
	return withActor(accesslog.Handler(cfg.AccessLog, limitBody(cfg.MaxBodyBytes, withTimeout(cfg.Timeout, mux))))
}

// GraphQL returns the GraphQL endpoint: POST and GET transports, mutations
// in one transaction each, depth, page and complexity limits, and every error
// presented with an extensions.code. It installs on db.Client the hooks that
// keep the compliance and trace caches current and the interceptor that
// prefetches holders, so it is called once per client.
func GraphQL(cfg Config, db *store.DB, log *slog.Logger) http.Handler {
	cfg = cfg.withDefaults()
	graph.PrefetchHolders(db.Client)
	checker := compliance.New(db.Client)
	checker.Watch(db.Client)
	checker.Also(ropa.Findings(db.Client))
	tracer := trace.New(db.Client)
	tracer.Watch(db.Client)
	if cfg.Warm {
		// One after the other: on a small machine, side by side they
		// would only compete.
		go func() {
			ctx := context.Background()
			if err := tracer.Warm(ctx); err != nil {
				log.Warn("warming the trace engine", "err", err)
			}
			if err := checker.Warm(ctx); err != nil {
				log.Warn("warming the compliance checker", "err", err)
			}
			start := time.Now()
			n := pretouch.Heap(ctx)
			log.Info("heap pre-touched", "MiB", n>>20, "took", time.Since(start).Round(time.Millisecond))
		}()
	}
	schema := graph.NewExecutableSchema(graph.Config{Resolvers: &graph.Resolver{
		Client: db.Client, Checker: checker, Tracer: tracer, Requests: &requests.Desk{Tracer: tracer}, Metrics: cfg.Metrics,
		Announcements: cfg.Announcements}})
	srv := handler.New(pagedComplexity{schema})
	srv.AddTransport(transport.Options{})
	srv.AddTransport(httpTransport{}) // GET and POST, as GraphQL over HTTP asks
	// No query cache: pageLimits completes each operation's own parsed
	// document, which a shared cache would expose to concurrent requests.
	srv.Use(reqinfo.Extension{}) // first: it sees every response and its errors
	srv.Use(telemetry.Operations{T: cfg.Telemetry})
	srv.Use(persisted.Extension(cfg.TrustedDocuments, 0)) // a persisted document's text is known before it is measured
	srv.SetParserTokenLimit(cfg.MaxTokens)
	srv.Use(documentLimits{maxTokens: cfg.MaxTokens, maxFields: cfg.MaxFields}) // before parsing
	srv.SetDisableSuggestion(true)
	if !cfg.DisableIntrospection {
		srv.Use(extension.Introspection{})
	}
	srv.Use(depthLimit{max: cfg.MaxDepth})
	srv.Use(pageLimits{def: DefaultPageSize, max: MaxPageSize, schema: schema.Schema()})
	srv.Use(extension.FixedComplexityLimit(cfg.MaxComplexity))
	srv.Use(access.ReadLog{Client: db.Client}) // outside the transaction: the reads are recorded once it committed
	srv.Use(transactioner{client: db.Client})
	srv.AroundFields(access.NewGuard(access.NewPolicy()).Field)
	// A query evaluates the rules once per instant, however many of its
	// rows ask for their findings; a mutation reads them after each write.
	srv.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		if oc := graphql.GetOperationContext(ctx); oc != nil && oc.Operation != nil && oc.Operation.Operation == ast.Query {
			ctx = graph.WithFindingsMemo(ctx)
		}
		return next(ctx)
	})
	srv.SetErrorPresenter(graph.PresentError)
	srv.SetRecoverFunc(func(ctx context.Context, p any) error {
		log.ErrorContext(ctx, "panic while resolving", "panic", p, "path", graphql.GetPath(ctx).String(), "stack", string(debug.Stack()))
		return &apperr.Error{Code: apperr.Internal, Message: "internal error"}
	})
	return srv
}

// Serve listens on cfg.Addr and serves h until ctx is cancelled, then shuts
// down gracefully, letting requests in flight finish for up to 15 seconds.
// ready, when not nil, receives the address actually listened on.
func Serve(ctx context.Context, cfg Config, h http.Handler, log *slog.Logger, ready func(addr string)) error {
	cfg = cfg.withDefaults()
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", cfg.Addr, err)
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       cfg.Timeout,
		WriteTimeout:      cfg.Timeout + 5*time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	if ready != nil {
		ready(ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serving: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil {
		return fmt.Errorf("shutting down: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serving: %w", err)
	}
	return nil
}
