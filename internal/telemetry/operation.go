package telemetry

import (
	"context"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
)

// Operations is the gqlgen extension that names the request's span after
// its GraphQL operation ("query VendorList"), with the operation's name and
// type as attributes and, when it answered with errors, their codes. A
// request that did not pass through Handler gets a span of its own. The
// document and the variables are never recorded.
type Operations struct {
	T *Telemetry
}

var _ interface {
	graphql.HandlerExtension
	graphql.ResponseInterceptor
} = Operations{}

// ExtensionName implements graphql.HandlerExtension.
func (Operations) ExtensionName() string { return "Tracing" }

// Validate implements graphql.HandlerExtension.
func (Operations) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptResponse implements graphql.ResponseInterceptor. gqlgen calls
// it around the execution of each operation, and for operations refused
// before execution.
func (o Operations) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	if !o.T.Enabled() {
		return next(ctx)
	}
	span := trace.SpanFromContext(ctx)
	if !span.IsRecording() {
		ctx, span = o.T.tracer().Start(ctx, "graphql", trace.WithSpanKind(trace.SpanKindServer))
		defer span.End()
	}
	name, opType := "", ""
	if graphql.HasOperationContext(ctx) {
		if oc := graphql.GetOperationContext(ctx); oc != nil && oc.Operation != nil {
			name, opType = oc.Operation.Name, string(oc.Operation.Operation)
		}
	}
	switch {
	case opType == "":
		span.SetName("graphql")
	case name == "":
		span.SetName(opType)
	default:
		span.SetName(opType + " " + name)
		span.SetAttributes(attribute.String("graphql.operation.name", name))
	}
	if opType != "" {
		span.SetAttributes(attribute.String("graphql.operation.type", opType))
	}
	resp := next(ctx)
	if resp != nil && len(resp.Errors) > 0 {
		errCodes := make([]string, 0, len(resp.Errors))
		for _, e := range resp.Errors {
			if c, _ := e.Extensions["code"].(string); c != "" {
				errCodes = append(errCodes, c)
			}
		}
		span.SetAttributes(attribute.StringSlice("graphql.error.codes", errCodes))
		span.SetStatus(codes.Error, strings.Join(errCodes, ","))
	}
	return resp
}
