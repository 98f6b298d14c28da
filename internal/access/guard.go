package access

import (
	"context"
	"fmt"
	"reflect"
	"strings"

	"github.com/99designs/gqlgen/graphql"

	"github.com/privhub/privhub/ent"
	gqlmodel "github.com/privhub/privhub/graph/model"
	"github.com/privhub/privhub/internal/apperr"
	"github.com/privhub/privhub/internal/auth"
	"github.com/privhub/privhub/internal/pulid"
)

// Guard enforces a Policy on every field a GraphQL operation resolves; it
// is installed as a field middleware (handler.AroundFields(g.Field)).
type Guard struct {
	policy *Policy
}

// NewGuard returns a guard enforcing p.
func NewGuard(p *Policy) *Guard { return &Guard{policy: p} }

// Field checks one field before it resolves: the caller's role must be
// allowed by the field's rule (fields without one are admin-only); a
// personal value asked for by a role that may not see it resolves to null
// with a FORBIDDEN error; a subject may only pass its own user to the root
// fields that take one (another user's answers NOT_FOUND, worded as for an
// ID that names nothing), and node and nodes answer null for any object the
// caller may not see, as for an ID that names nothing, so that no role can
// tell an existing object it may not see from a missing one; roles that do not
// see personal values may not filter or order by them either, and read the
// texts of findings with people's references replaced by their IDs (see
// scrubFindingText). Reads of personal values are noted for the audit
// trail (see ReadLog).
func (g *Guard) Field(ctx context.Context, next graphql.Resolver) (any, error) {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Field.Field == nil || strings.HasPrefix(fc.Object, "__") || strings.HasPrefix(fc.Field.Name, "__") {
		return next(ctx) // introspection and list elements
	}
	p := auth.FromContext(ctx)
	if p == nil {
		return nil, &apperr.Error{Code: apperr.Unauthenticated, Message: "an API token is required"}
	}
	typ, field := fc.Object, fc.Field.Name
	rule := g.policy.ruleOf(typ, field)
	if rule.redact.has(p.Role) {
		return nil, forbidden("%s.%s is a personal value, which the %s role does not see", typ, field, p.Role)
	}
	if !rule.allow.has(p.Role) {
		return nil, forbidden("the %s role may not use %s.%s", p.Role, typ, field)
	}
	if p.Role == auth.RoleSubject && rule.own != nil {
		if id, ok := rule.own(fc.Args); !ok || p.UserID == nil || id != *p.UserID {
			return nil, notFound()
		}
	}
	if !seesPersonal(p.Role) {
		if by := personalFilter(fc.Args); by != "" {
			return nil, forbidden("the %s role may not filter or order users by %s", p.Role, by)
		}
	}
	if typ == "Mutation" && field == "deleteNode" && p.Role != auth.RoleAdmin {
		if err := stewardMayDelete(fc.Args); err != nil {
			return nil, err
		}
	}
	res, err := next(ctx)
	if err != nil {
		return res, err
	}
	if typ == "Query" && (field == "node" || field == "nodes") {
		return g.screen(p, res), nil
	}
	if rule.personal && !empty(res) {
		noteRead(ctx, fc)
	}
	if !seesPersonal(p.Role) && (typ == "Finding" || typ == "Evidence") {
		res = scrubFindingText(fc, res)
	}
	return res, nil
}

// screen lets through the objects node and nodes found that the principal
// may see, and turns the others into null without an error: what a missing
// object gives. For a subject that is its own user, that user's records,
// consents and requests, and objects of the registry; for other roles the
// objects of the types they may read.
func (g *Guard) screen(p *auth.Principal, res any) any {
	switch v := res.(type) {
	case ent.Noder:
		if !g.visible(p, v) {
			return nil
		}
		return v
	case []ent.Noder:
		out := make([]ent.Noder, len(v))
		for i, n := range v {
			if n != nil && g.visible(p, n) {
				out[i] = n
			}
		}
		return out
	}
	return res
}

// visible reports whether the principal may see one object found by ID.
func (g *Guard) visible(p *auth.Principal, n ent.Noder) bool {
	if !g.policy.Allows(p.Role, typeName(n), "id") {
		return false
	}
	owner, personal := ownerOf(n)
	return p.Role != auth.RoleSubject || !personal || (p.UserID != nil && owner == *p.UserID)
}

// notFound is the one answer for an ID that names nothing the caller may
// use, whether it names nothing at all or something that is not the
// caller's: it does not echo the ID, so that both answers are the same.
func notFound() error {
	return &apperr.Error{Code: apperr.NotFound, Message: "not found"}
}

// ownerOf returns the user an object of a person's data belongs to.
func ownerOf(n ent.Noder) (pulid.ID, bool) {
	switch v := n.(type) {
	case *ent.User:
		return v.ID, true
	case *ent.DataRecord:
		return v.UserID, true
	case *ent.Consent:
		return v.UserID, true
	case *ent.Request:
		return v.UserID, true
	}
	return "", false
}

// seesPersonal reports whether a role may read personal values at all.
func seesPersonal(r auth.Role) bool {
	return r == auth.RoleAdmin || r == auth.RoleDPO || r == auth.RoleSubject
}

// stewardMayDelete lets a DPO delete objects of the registry only
// (countries, reference data, are not).
func stewardMayDelete(args map[string]any) error {
	var id pulid.ID
	switch in := args["input"].(type) {
	case gqlmodel.DeleteNodeInput:
		id = in.ID
	case *gqlmodel.DeleteNodeInput:
		id = in.ID
	}
	table, ok := ent.TableOf(id)
	if !ok {
		return nil // nothing has the ID: deleteNode answers NOT_FOUND
	}
	switch table {
	case "organizations", "vendors", "transfers", "subprocessor_changes", "disclosures", "data_categories", "purposes",
		"contracts", "contract_parties", "clauses", "retention_rules", "security_measures", "assessments", "request_tasks":
		return nil
	}
	return forbidden("the DPO role deletes objects of the registry only")
}

// personalFilter returns the personal field that a where or orderBy
// argument filters or orders users by, or "".
func personalFilter(args map[string]any) string {
	for _, a := range args {
		if by := walkFilter(reflect.ValueOf(a), 0); by != "" {
			return by
		}
	}
	return ""
}

var (
	userWhere = reflect.TypeFor[ent.UserWhereInput]()
	userOrder = reflect.TypeFor[ent.UserOrder]()
)

// walkFilter looks through a decoded argument for personal predicates of a
// UserWhereInput and for an ordering of users by a personal field.
func walkFilter(v reflect.Value, depth int) string {
	if depth > 32 || !v.IsValid() {
		return ""
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return ""
		}
		return walkFilter(v.Elem(), depth+1)
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			if by := walkFilter(v.Index(i), depth+1); by != "" {
				return by
			}
		}
	case reflect.Struct:
		switch v.Type() {
		case userOrder:
			if f := v.Interface().(ent.UserOrder).Field; f != nil {
				switch s := f.String(); s {
				case "EMAIL", "NAME", "EXTERNAL_REF":
					return strings.ToLower(s)
				}
			}
			return ""
		case userWhere:
			for i := range v.NumField() {
				name := v.Type().Field(i).Name
				for _, p := range []string{"Email", "Name", "ExternalRef"} {
					if strings.HasPrefix(name, p) && !v.Field(i).IsZero() {
						return strings.ToLower(p[:1]) + p[1:]
					}
				}
			}
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				if by := walkFilter(v.Field(i), depth+1); by != "" {
					return by
				}
			}
		}
	}
	return ""
}

// forbidden is a FORBIDDEN error.
func forbidden(format string, args ...any) error {
	return &apperr.Error{Code: apperr.Forbidden, Message: fmt.Sprintf(format, args...)}
}

// typeName is the GraphQL type name of an ent object, e.g. "User".
func typeName(n ent.Noder) string {
	t := reflect.TypeOf(n)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.Name()
}

// idOf returns an ent object's ID.
func idOf(n ent.Noder) string {
	v := reflect.ValueOf(n)
	for v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	if f := v.FieldByName("ID"); f.IsValid() {
		return fmt.Sprint(f.Interface())
	}
	return ""
}

// empty reports whether a resolved personal value holds nothing worth
// auditing: the personal fields are strings and the export's map.
func empty(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case string:
		return v == ""
	case *string:
		return v == nil || *v == ""
	case map[string]any:
		return len(v) == 0
	}
	return false
}
