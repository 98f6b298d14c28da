// Package telemetry traces privhub with OpenTelemetry: one span per HTTP
// request to the GraphQL endpoint, named after its operation, and a child
// span per database statement. Spans are exported with OTLP over HTTP when
// an endpoint is configured; otherwise tracing is off and costs nothing.
package telemetry

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strings"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"
)

// instrumentation is the name of privhub's tracers.
const instrumentation = "github.com/privhub/privhub"

// Config says where spans go.
type Config struct {
	// Endpoint is the base URL of an OTLP/HTTP receiver, such as
	// http://127.0.0.1:4318; spans are posted to its /v1/traces (a URL
	// whose path already ends so is used as it is). Empty means the
	// standard environment variables OTEL_EXPORTER_OTLP_TRACES_ENDPOINT and
	// OTEL_EXPORTER_OTLP_ENDPOINT decide; with neither set, tracing is off.
	Endpoint string
	// ServiceName is the service.name of the spans (default privhub).
	ServiceName string
}

// Telemetry is a tracer provider and how to stop it.
type Telemetry struct {
	provider   trace.TracerProvider
	propagator propagation.TextMapPropagator
	shutdown   func(context.Context) error
	enabled    bool
}

// Off returns a Telemetry that records nothing.
func Off() *Telemetry {
	return &Telemetry{provider: noop.NewTracerProvider(), shutdown: func(context.Context) error { return nil }}
}

// New returns a Telemetry that hands its spans to provider, e.g. an SDK
// provider with an in-memory exporter in tests. Its Shutdown does not shut
// provider down.
func New(provider trace.TracerProvider) *Telemetry {
	return &Telemetry{
		provider:   provider,
		propagator: propagation.TraceContext{},
		shutdown:   func(context.Context) error { return nil },
		enabled:    true,
	}
}

// Setup returns the Telemetry cfg describes: exporting with OTLP over HTTP
// in batches when an endpoint is set, off otherwise.
func Setup(ctx context.Context, cfg Config) (*Telemetry, error) {
	var opts []otlptracehttp.Option
	switch {
	case cfg.Endpoint != "":
		u, err := tracesURL(cfg.Endpoint)
		if err != nil {
			return nil, err
		}
		opts = append(opts, otlptracehttp.WithEndpointURL(u))
	case os.Getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") == "" && os.Getenv("OTEL_EXPORTER_OTLP_ENDPOINT") == "":
		return Off(), nil
	}
	exp, err := otlptracehttp.New(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("creating the OTLP trace exporter: %w", err)
	}
	name := cfg.ServiceName
	if name == "" {
		name = "privhub"
	}
	tp := sdktrace.NewTracerProvider(
		sdktrace.WithBatcher(exp),
		sdktrace.WithResource(resource.NewSchemaless(attribute.String("service.name", name))),
	)
	t := New(tp)
	t.shutdown = tp.Shutdown
	return t, nil
}

// tracesURL is the URL spans are posted to for the base URL endpoint.
func tracesURL(endpoint string) (string, error) {
	u, err := url.Parse(endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("OTLP endpoint %q: want a URL such as http://127.0.0.1:4318", endpoint)
	}
	if !strings.HasSuffix(u.Path, "/v1/traces") {
		u.Path = strings.TrimSuffix(u.Path, "/") + "/v1/traces"
	}
	return u.String(), nil
}

// Enabled reports whether spans are recorded.
func (t *Telemetry) Enabled() bool { return t != nil && t.enabled }

// Provider returns the tracer provider.
func (t *Telemetry) Provider() trace.TracerProvider {
	if t == nil {
		return noop.NewTracerProvider()
	}
	return t.provider
}

// tracer returns privhub's tracer.
func (t *Telemetry) tracer() trace.Tracer { return t.Provider().Tracer(instrumentation) }

// Shutdown exports the spans still buffered and stops the exporter.
func (t *Telemetry) Shutdown(ctx context.Context) error {
	if t == nil {
		return nil
	}
	if err := t.shutdown(ctx); err != nil {
		return fmt.Errorf("shutting the tracer provider down: %w", err)
	}
	return nil
}
