package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/privhub/privhub/internal/apperr"
)

// The extensions.code of requests refused before they became a GraphQL
// operation; each comes with the HTTP status the GraphQL-over-HTTP
// specification asks for.
const (
	// BadRequest: the body or the URL's parameters are not a GraphQL request
	// (not JSON, no query, a query that is not a string...); HTTP 400.
	BadRequest = "BAD_REQUEST"
	// UnsupportedMediaType: a POST body that is not application/json; HTTP 415.
	UnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE"
	// RequestTooLarge: a body over Config.MaxBodyBytes; HTTP 413.
	RequestTooLarge = "REQUEST_TOO_LARGE"
	// MethodNotAllowed: a method other than GET, POST and OPTIONS, or a
	// mutation sent with GET; HTTP 405 with an Allow header.
	MethodNotAllowed = "METHOD_NOT_ALLOWED"
)

// The media types a GraphQL response is sent as.
const (
	mediaJSON            = "application/json"
	mediaGraphQLResponse = "application/graphql-response+json"
)

// httpTransport serves GraphQL over HTTP as the GraphQL-over-HTTP
// specification describes it: POST with an application/json body, and GET
// with the parameters in the URL (queries only). The response is
// application/graphql-response+json when the Accept header asks for it, and
// application/json otherwise. A request that fails before execution (it does
// not parse or validate, or its variables do not coerce) answers 200 with
// errors as application/json, and 400 with errors and no data entry as
// application/graphql-response+json. Every refusal is a GraphQL-shaped body
// whose errors carry an extensions.code.
type httpTransport struct{}

var _ graphql.Transport = httpTransport{}

// Supports implements graphql.Transport: every request that reaches it is
// answered by it, with an error when it is not one it serves.
func (httpTransport) Supports(*http.Request) bool { return true }

// Do implements graphql.Transport.
func (httpTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	media := responseMedia(r.Header.Get("Accept"))
	start := graphql.Now()
	var params *graphql.RawParams
	switch r.Method {
	case http.MethodPost:
		p, status, code, msg := postParams(r)
		if status != 0 {
			writeRefusal(w, media, status, code, msg)
			return
		}
		params = p
	case http.MethodGet:
		p, msg := getParams(r.URL.RawQuery)
		if msg != "" {
			writeRefusal(w, media, http.StatusBadRequest, BadRequest, msg)
			return
		}
		params = p
	default:
		w.Header().Set("Allow", "GET, POST, OPTIONS")
		writeRefusal(w, media, http.StatusMethodNotAllowed, MethodNotAllowed,
			fmt.Sprintf("method %s is not allowed: send GraphQL with POST, or queries with GET", r.Method))
		return
	}
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}

	ctx := r.Context()
	oc, errs := exec.CreateOperationContext(ctx, params)
	if errs != nil {
		resp := exec.DispatchError(graphql.WithOperationContext(ctx, oc), errs)
		writeRequestError(w, media, resp)
		return
	}
	if r.Method == http.MethodGet && oc.Operation.Operation != ast.Query {
		w.Header().Set("Allow", "POST")
		writeRefusal(w, media, http.StatusMethodNotAllowed, MethodNotAllowed,
			fmt.Sprintf("a %s cannot be sent with GET: use POST", oc.Operation.Operation))
		return
	}
	responses, ctx := exec.DispatchOperation(ctx, oc)
	writeBody(w, media, http.StatusOK, responses(ctx))
}

// responseMedia picks the media type of the response from an Accept header:
// the first of application/graphql-response+json and application/json it
// names, application/json for a wildcard, and application/json, the type
// every client understands, when it names neither or is absent.
func responseMedia(accept string) string {
	for part := range strings.SplitSeq(accept, ",") {
		mt, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch mt {
		case mediaGraphQLResponse:
			return mediaGraphQLResponse
		case mediaJSON, "application/*", "*/*":
			return mediaJSON
		}
	}
	return mediaJSON
}

// postParams reads the parameters of a POST request; on failure it returns
// the HTTP status, code and message to refuse it with.
func postParams(r *http.Request) (p *graphql.RawParams, status int, code, msg string) {
	ct := r.Header.Get("Content-Type")
	mt, mtParams, err := mime.ParseMediaType(ct)
	if ct == "" || err != nil || mt != mediaJSON {
		got := "no Content-Type"
		if ct != "" {
			got = fmt.Sprintf("Content-Type %q", ct)
			if err == nil {
				got = fmt.Sprintf("Content-Type %q", mt)
			}
		}
		return nil, http.StatusUnsupportedMediaType, UnsupportedMediaType,
			fmt.Sprintf("a POST request must have Content-Type %s, not %s", mediaJSON, got)
	}
	if cs, ok := mtParams["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return nil, http.StatusUnsupportedMediaType, UnsupportedMediaType,
			fmt.Sprintf("the body must be UTF-8, not %s", cs)
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		if mb, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return nil, http.StatusRequestEntityTooLarge, RequestTooLarge,
				fmt.Sprintf("the request body is larger than the limit of %d bytes", mb.Limit)
		}
		return nil, http.StatusBadRequest, BadRequest, "the request body could not be read"
	}
	p, msg = decodeBody(body)
	if msg != "" {
		return nil, http.StatusBadRequest, BadRequest, msg
	}
	return p, 0, "", ""
}

// decodeBody decodes a POST body: one JSON object with a string query and
// optional operationName (a string), variables and extensions (objects); each
// may be null. The message says what is wrong, or is empty.
func decodeBody(body []byte) (*graphql.RawParams, string) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, "the request body is empty: send a JSON object with a query"
	}
	var members map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&members); err != nil || members == nil {
		return nil, "the request body is not a JSON object (batches of operations are not supported)"
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, "the request body has data after its JSON object"
	}
	p := &graphql.RawParams{}
	if msg := decodeString(members["query"], "query", &p.Query); msg != "" {
		return nil, msg
	}
	if msg := decodeString(members["operationName"], "operationName", &p.OperationName); msg != "" {
		return nil, msg
	}
	if msg := decodeObject(members["variables"], "variables", &p.Variables); msg != "" {
		return nil, msg
	}
	if msg := decodeObject(members["extensions"], "extensions", &p.Extensions); msg != "" {
		return nil, msg
	}
	if p.Query == "" && isNull(members["documentId"]) && !persistedRef(p.Extensions) {
		return nil, "the request has no query"
	}
	return p, ""
}

// persistedRef reports whether a request's extensions name a persisted
// document by hash instead of sending its text.
func persistedRef(ext map[string]any) bool {
	_, ok := ext["persistedQuery"]
	return ok
}

// getParams reads the parameters of a GET request from its URL's query;
// variables and extensions are JSON objects encoded in the URL.
func getParams(rawQuery string) (*graphql.RawParams, string) {
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return nil, "the URL's query string is malformed"
	}
	p := &graphql.RawParams{Query: q.Get("query"), OperationName: q.Get("operationName")}
	if v := q.Get("variables"); v != "" {
		if msg := decodeObject(json.RawMessage(v), "variables", &p.Variables); msg != "" {
			return nil, msg
		}
	}
	if v := q.Get("extensions"); v != "" {
		if msg := decodeObject(json.RawMessage(v), "extensions", &p.Extensions); msg != "" {
			return nil, msg
		}
	}
	if p.Query == "" && q.Get("documentId") == "" && !persistedRef(p.Extensions) {
		return nil, "the request has no query: put it in the URL's query parameter"
	}
	return p, ""
}

// decodeString decodes an optional string parameter; null or absent leaves
// dst empty.
func decodeString(raw json.RawMessage, name string, dst *string) string {
	if isNull(raw) {
		return ""
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		return fmt.Sprintf("the %s parameter must be a string", name)
	}
	return ""
}

// decodeObject decodes an optional object parameter, numbers kept exact;
// null or absent leaves dst nil.
func decodeObject(raw json.RawMessage, name string, dst *map[string]any) string {
	if isNull(raw) {
		return ""
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(dst); err != nil || *dst == nil {
		return fmt.Sprintf("the %s parameter must be a JSON object", name)
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Sprintf("the %s parameter must be a JSON object", name)
	}
	return ""
}

func isNull(raw json.RawMessage) bool {
	s := bytes.TrimSpace(raw)
	return len(s) == 0 || string(s) == "null"
}

// requestErrorBody is the response to a request that never ran: errors and
// no data entry.
type requestErrorBody struct {
	Errors     gqlerror.List  `json:"errors"`
	Extensions map[string]any `json:"extensions,omitempty"`
}

// writeRequestError answers a request that failed before execution: 200 as
// application/json, 400 (500 for an internal failure) as
// application/graphql-response+json; never a data entry.
func writeRequestError(w http.ResponseWriter, media string, resp *graphql.Response) {
	status := http.StatusOK
	if media == mediaGraphQLResponse {
		status = http.StatusBadRequest
		for _, e := range resp.Errors {
			if c, _ := e.Extensions["code"].(string); c == string(apperr.Internal) {
				status = http.StatusInternalServerError
			}
		}
	}
	writeBody(w, media, status, requestErrorBody{Errors: resp.Errors, Extensions: resp.Extensions})
}

// writeRefusal answers a request that is not a GraphQL request this server
// serves, with one error of the code.
func writeRefusal(w http.ResponseWriter, media string, status int, code, msg string) {
	writeBody(w, media, status, requestErrorBody{Errors: gqlerror.List{{
		Message:    msg,
		Extensions: map[string]any{"code": code},
	}}})
}

// writeBody writes v as JSON with the status and media type.
func writeBody(w http.ResponseWriter, media string, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		status = http.StatusInternalServerError
		buf.Reset()
		buf.WriteString(`{"errors":[{"message":"internal error","extensions":{"code":"INTERNAL"}}]}`)
	}
	w.Header().Set("Content-Type", media+"; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}
