package audit

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSensitiveFollowsTheSchema: the fields sensitive reports are exactly
// those ent/schema declares Sensitive().
func TestSensitiveFollowsTheSchema(t *testing.T) {
	files, err := filepath.Glob("../../ent/schema/*.go")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	var declared []string
	fset := token.NewFileSet()
	for _, f := range files {
		file, err := parser.ParseFile(fset, f, nil, 0)
		require.NoError(t, err)
		for _, d := range file.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Name.Name != "Fields" || fn.Recv == nil || len(fn.Recv.List) != 1 {
				continue
			}
			typ, ok := fn.Recv.List[0].Type.(*ast.Ident)
			if !ok {
				continue
			}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				if name, ok := sensitiveField(n); ok {
					declared = append(declared, typ.Name+"."+name)
				}
				return true
			})
		}
	}
	require.NotEmpty(t, declared)
	for _, d := range declared {
		typ, field, _ := strings.Cut(d, ".")
		assert.True(t, sensitive(typ, field), "%s is Sensitive() in ent/schema", d)
	}
	for _, known := range []string{"DataRecord.value", "APIToken.secret_hash", "WebhookSubscriber.secret"} {
		assert.True(t, slices.Contains(declared, known), "%s is no longer Sensitive() in ent/schema", known)
	}
	assert.False(t, sensitive("User", "name"))
}

// sensitiveField reports the name of the field a builder chain such as
// field.Text("value").Optional().Sensitive() declares sensitive.
func sensitiveField(n ast.Node) (string, bool) {
	call, ok := n.(*ast.CallExpr)
	if !ok {
		return "", false
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Sensitive" {
		return "", false
	}
	for x := sel.X; ; {
		c, ok := x.(*ast.CallExpr)
		if !ok {
			return "", false
		}
		s, ok := c.Fun.(*ast.SelectorExpr)
		if !ok {
			return "", false
		}
		if pkg, ok := s.X.(*ast.Ident); ok && pkg.Name == "field" && len(c.Args) > 0 {
			lit, ok := c.Args[0].(*ast.BasicLit)
			if !ok {
				return "", false
			}
			name, err := strconv.Unquote(lit.Value)
			return name, err == nil
		}
		x = s.X
	}
}
