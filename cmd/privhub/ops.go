package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/privhub/privhub/internal/metrics"
	"github.com/privhub/privhub/internal/persisted"
	"github.com/privhub/privhub/internal/server"
	"github.com/privhub/privhub/internal/telemetry"
)

// opsFlags are serve's flags for operators: metrics, traces, trusted
// documents and the access log.
type opsFlags struct {
	metricsAddr, otlpEndpoint, trustedDocs, accessLog string
}

// addOpsFlags defines the operators' flags of serve on fs.
func addOpsFlags(fs *flag.FlagSet) *opsFlags {
	o := &opsFlags{}
	fs.StringVar(&o.metricsAddr, "metrics-addr", envOr("PRIVHUB_METRICS_ADDR", ""),
		"serve Prometheus metrics on this address instead of at /metrics of --addr; \"off\": no metrics (env PRIVHUB_METRICS_ADDR)")
	fs.StringVar(&o.otlpEndpoint, "otlp-endpoint", "",
		"export traces with OTLP over HTTP to this base URL, e.g. http://127.0.0.1:4318\n(default: the standard OTEL_EXPORTER_OTLP_ENDPOINT; neither set: no tracing)")
	fs.StringVar(&o.trustedDocs, "trusted-documents", "",
		"run only the GraphQL documents of this JSON manifest {sha256: document}, asked for by\ndocumentId or extensions.persistedQuery.sha256Hash (default: any document, with automatic persisted queries)")
	fs.StringVar(&o.accessLog, "access-log", "-",
		"where the JSON access log goes: \"-\" for stderr, a file to append to, or \"off\"")
	return o
}

// ops is what apply set up, to stop when serving ends.
type ops struct {
	closers []func()
}

// close stops what apply started, last first.
func (o *ops) close() {
	for i := len(o.closers) - 1; i >= 0; i-- {
		o.closers[i]()
	}
}

// apply fills cfg from the flags and starts what they ask for: the OTLP
// exporter and, with --metrics-addr, the metrics listener.
func (f *opsFlags) apply(ctx context.Context, cfg *server.Config, stdout io.Writer, log *slog.Logger) (*ops, error) {
	o := &ops{}
	fail := func(err error) (*ops, error) { o.close(); return nil, err }
	switch f.accessLog {
	case "off":
		cfg.AccessLog = slog.New(slog.DiscardHandler)
	case "-", "":
		cfg.AccessLog = slog.New(slog.NewJSONHandler(os.Stderr, nil))
	default:
		file, err := os.OpenFile(f.accessLog, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o640)
		if err != nil {
			return fail(fmt.Errorf("opening the access log: %w", err))
		}
		o.closers = append(o.closers, func() { file.Close() })
		cfg.AccessLog = slog.New(slog.NewJSONHandler(file, nil))
	}
	if f.trustedDocs != "" {
		m, err := persisted.LoadManifest(f.trustedDocs)
		if err != nil {
			return fail(err)
		}
		cfg.TrustedDocuments = m
		log.Info("serving trusted documents only", "documents", len(m), "file", f.trustedDocs)
	}
	tel, err := telemetry.Setup(ctx, telemetry.Config{Endpoint: f.otlpEndpoint})
	if err != nil {
		return fail(err)
	}
	cfg.Telemetry = tel
	o.closers = append(o.closers, func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := tel.Shutdown(sctx); err != nil {
			log.Warn("flushing traces", "err", err)
		}
	})
	if f.metricsAddr == "off" {
		return o, nil
	}
	cfg.Metrics = metrics.New(metrics.Options{})
	if f.metricsAddr == "" {
		return o, nil
	}
	cfg.MetricsElsewhere = true
	ln, err := net.Listen("tcp", f.metricsAddr)
	if err != nil {
		return fail(fmt.Errorf("listening for metrics on %s: %w", f.metricsAddr, err))
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", cfg.Metrics.Handler())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("serving metrics", "err", err)
		}
	}()
	fmt.Fprintf(stdout, "  metrics:  http://%s/metrics\n", ln.Addr())
	o.closers = append(o.closers, func() { srv.Close() })
	return o, nil
}
