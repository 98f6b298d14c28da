package server_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/internal/auth"
	"github.com/privhub/privhub/internal/demo"
	"github.com/privhub/privhub/internal/server"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/store/storetest"
)

// TestAnalystFindingsNameNoPerson: the texts of findings name people by
// their account reference, a personal value; an analyst reads them with
// each reference replaced by the person's ID, a DPO as they are.
func TestAnalystFindingsNameNoPerson(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		_, err := demo.Load(context.Background(), db.Client)
		require.NoError(t, err)
		a := newAPI(t, db, server.Config{})
		refs := map[string]bool{}
		for _, e := range dig(a.data(`{ users(first: 500) { edges { node { externalRef } } } }`, nil), "users.edges").([]any) {
			refs[dig(e, "node.externalRef").(string)] = true
		}
		require.NotEmpty(t, refs)
		const q = `{ findings(at: "2026-06-30T00:00:00Z", first: 500) { edges { node { targetType targetID targetLabel message evidence { kind id label } } } } }`
		dpo := string(a.s.As(auth.RoleDPO, nil).Do(q, nil).Data)
		analyst := a.s.As(auth.RoleAnalyst, nil).Do(q, nil)
		require.Empty(t, analyst.Errors)
		text := string(analyst.Data)
		named := 0
		for ref := range refs {
			if strings.Contains(dpo, ref) {
				named++
			}
			assert.NotContains(t, text, ref, "an analyst reads no account reference")
		}
		assert.Positive(t, named, "the DPO reads the references")
		assert.Contains(t, text, `"label":"usr_`, "evidence about a user names the user's ID")
		assert.Contains(t, text, `"label":"a person: `, "evidence about a record names no one")
	})
}
