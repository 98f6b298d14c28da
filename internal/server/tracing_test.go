package server_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	coltrace "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/proto"

	"github.com/privhub/privhub/internal/server"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/store/storetest"
	"github.com/privhub/privhub/internal/telemetry"
)

// attr returns a span's attribute, or an invalid value.
func attr(s sdktrace.ReadOnlySpan, key string) attribute.Value {
	for _, kv := range s.Attributes() {
		if string(kv.Key) == key {
			return kv.Value
		}
	}
	return attribute.Value{}
}

func TestTracesOneSpanPerOperationWithDatabaseChildren(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		exp := tracetest.NewInMemoryExporter()
		tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
		t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
		a := newAPI(t, db, server.Config{Telemetry: telemetry.New(tp)})

		// The caller's trace is continued (W3C traceparent).
		const traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
		body := `{"query":"query VendorList { vendors(first: 3) { totalCount edges { node { name country { code } } } } }"}`
		req, _ := http.NewRequest(http.MethodPost, a.s.URL+"/graphql", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("traceparent", "00-"+traceID+"-00f067aa0ba902b7-01")
		a.s.Authorize(req.Header)
		res, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		res.Body.Close()
		require.Equal(t, http.StatusOK, res.StatusCode)

		spans := exp.GetSpans().Snapshots()
		var op sdktrace.ReadOnlySpan
		for _, s := range spans {
			if s.Name() == "query VendorList" {
				require.Nil(t, op, "two spans for one operation")
				op = s
			}
		}
		require.NotNil(t, op, "no span named after the operation among %d spans", len(spans))
		require.Equal(t, traceID, op.SpanContext().TraceID().String())
		require.Equal(t, "VendorList", attr(op, "graphql.operation.name").AsString())
		require.Equal(t, "query", attr(op, "graphql.operation.type").AsString())

		var statements int
		for _, s := range spans {
			if attr(s, "db.system.name").AsString() == "" {
				continue
			}
			statements++
			require.Equal(t, op.SpanContext().SpanID(), s.Parent().SpanID(), "statement span %s is not a child of the operation", s.Name())
			require.NotEmpty(t, attr(s, "db.query.text").AsString())
		}
		// At least the token lookup and the vendors' page.
		require.GreaterOrEqual(t, statements, 2, "statement spans")

		// A refused document still gets its span, marked as an error.
		exp.Reset()
		r := a.s.Do(`query Broken { noSuchField }`, nil)
		require.NotEmpty(t, r.Errors)
		var refused bool
		for _, s := range exp.GetSpans().Snapshots() {
			if s.Name() == "graphql" && attr(s, "graphql.error.codes").AsStringSlice() != nil {
				refused = true
				require.Equal(t, []string{"GRAPHQL_VALIDATION_FAILED"}, attr(s, "graphql.error.codes").AsStringSlice())
			}
		}
		require.True(t, refused, "no span for the refused document")
	})
}

// otlpReceiver is a local OTLP/HTTP receiver: it decodes what is posted to
// /v1/traces.
type otlpReceiver struct {
	*httptest.Server
	mu    sync.Mutex
	names []string
	svc   []string
}

func newOTLPReceiver(t *testing.T) *otlpReceiver {
	o := &otlpReceiver{}
	o.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/v1/traces" || r.Header.Get("Content-Type") != "application/x-protobuf" {
			http.Error(w, "want POST /v1/traces application/x-protobuf", http.StatusBadRequest)
			return
		}
		raw, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		var req coltrace.ExportTraceServiceRequest
		if err := proto.Unmarshal(raw, &req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		o.mu.Lock()
		for _, rs := range req.GetResourceSpans() {
			for _, kv := range rs.GetResource().GetAttributes() {
				if kv.GetKey() == "service.name" {
					o.svc = append(o.svc, kv.GetValue().GetStringValue())
				}
			}
			for _, ss := range rs.GetScopeSpans() {
				for _, s := range ss.GetSpans() {
					o.names = append(o.names, s.GetName())
				}
			}
		}
		o.mu.Unlock()
		out, _ := proto.Marshal(&coltrace.ExportTraceServiceResponse{})
		w.Header().Set("Content-Type", "application/x-protobuf")
		_, _ = w.Write(out)
	}))
	t.Cleanup(o.Close)
	return o
}

func (o *otlpReceiver) spanNames() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]string(nil), o.names...)
}

func TestTracesAreExportedWithOTLPOverHTTP(t *testing.T) {
	db := storetest.Open(t, "sqlite3")
	for _, how := range []string{"flag", "env"} {
		t.Run(how, func(t *testing.T) {
			rcv := newOTLPReceiver(t)
			cfg := telemetry.Config{ServiceName: "privhub-test"}
			if how == "flag" {
				cfg.Endpoint = rcv.URL
			} else {
				t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", rcv.URL)
			}
			tel, err := telemetry.Setup(context.Background(), cfg)
			require.NoError(t, err)
			require.True(t, tel.Enabled())
			a := newAPI(t, db, server.Config{Telemetry: tel})
			a.s.MustDo(`query CountVendors { vendors { totalCount } }`, nil, nil)
			require.NoError(t, tel.Shutdown(context.Background())) // flushes the batch
			names := rcv.spanNames()
			require.Contains(t, names, "query CountVendors")
			require.Contains(t, names, "SELECT", "statement spans are exported too")
			rcv.mu.Lock()
			require.Contains(t, rcv.svc, "privhub-test")
			rcv.mu.Unlock()
		})
	}
}

func TestTracingIsOffWithoutAnEndpoint(t *testing.T) {
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "")
	t.Setenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "")
	tel, err := telemetry.Setup(context.Background(), telemetry.Config{})
	require.NoError(t, err)
	require.False(t, tel.Enabled())
	_, err = telemetry.Setup(context.Background(), telemetry.Config{Endpoint: "not a url"})
	require.Error(t, err)
}
