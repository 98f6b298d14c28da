package reqinfo

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
)

// Extension is the gqlgen extension that fills the request's Info: the
// operation's name and type, whether it ran, and the
// code of every error of its response, refusals before it ran included.
type Extension struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationInterceptor
	graphql.ResponseInterceptor
} = Extension{}

// ExtensionName implements graphql.HandlerExtension.
func (Extension) ExtensionName() string { return "RequestInfo" }

// Validate implements graphql.HandlerExtension.
func (Extension) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptOperation implements graphql.OperationInterceptor: it runs only
// for operations that passed parsing, validation and every limit.
func (Extension) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	From(ctx).SetExecuted()
	return next(ctx)
}

// InterceptResponse implements graphql.ResponseInterceptor; gqlgen calls it
// for refused operations too, with their errors.
func (Extension) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	info := From(ctx)
	if info == nil {
		return next(ctx)
	}
	if graphql.HasOperationContext(ctx) {
		if oc := graphql.GetOperationContext(ctx); oc != nil && oc.Operation != nil {
			info.SetOperation(oc.Operation.Name, string(oc.Operation.Operation))
		}
	}
	resp := next(ctx)
	if resp != nil {
		for _, e := range resp.Errors {
			code, _ := e.Extensions["code"].(string)
			info.AddCode(code)
		}
	}
	return resp
}
