package compliance_test

import (
	"bytes"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/internal/compliance"
)

func TestCatalogue(t *testing.T) {
	id := regexp.MustCompile(`^[a-z]+\.[a-z0-9-]+$`)
	seen := map[string]bool{}
	for _, r := range compliance.Rules() {
		assert.Regexp(t, id, r.ID)
		assert.False(t, seen[r.ID], "duplicate rule %s", r.ID)
		seen[r.ID] = true
		assert.Less(t, r.Severity.Rank(), 4, r.ID)
		assert.NotEmpty(t, r.Title, r.ID)
		assert.NotEmpty(t, r.LegalReference, r.ID)
		assert.NotEmpty(t, r.Remedy, r.ID)
		got, ok := compliance.RuleByID(r.ID)
		require.True(t, ok)
		assert.Same(t, r, got)
	}
	_, ok := compliance.RuleByID("no.such-rule")
	assert.False(t, ok)
	assert.Len(t, compliance.New(nil).Rules(), len(seen))

	var invalidating []string
	for _, r := range compliance.Rules() {
		if r.InvalidatesTransfer {
			invalidating = append(invalidating, r.ID)
		}
	}
	assert.ElementsMatch(t, []string{
		compliance.RuleNoMechanism, compliance.RuleOnwardNoGrounds, compliance.RuleDPFInactive,
		compliance.RuleSCCRepealed, compliance.RuleSCCModuleMismatch, compliance.RuleSCCClause17,
		compliance.RuleSCCClause18, compliance.RuleSCCBeforeAccession,
	}, invalidating)
}

func TestSeverity(t *testing.T) {
	s, err := compliance.ParseSeverity("high")
	require.NoError(t, err)
	assert.Equal(t, compliance.High, s)
	_, err = compliance.ParseSeverity("urgent")
	assert.Error(t, err)

	assert.True(t, compliance.Critical.AtLeast(compliance.High))
	assert.True(t, compliance.High.AtLeast(compliance.High))
	assert.False(t, compliance.Medium.AtLeast(compliance.High))

	var buf bytes.Buffer
	compliance.Low.MarshalGQL(&buf)
	assert.Equal(t, `"LOW"`, buf.String())
	var back compliance.Severity
	require.NoError(t, back.UnmarshalGQL("MEDIUM"))
	assert.Equal(t, compliance.Medium, back)
	assert.Error(t, back.UnmarshalGQL(3))

	fs := []*compliance.Finding{{Severity: compliance.Medium}, {Severity: compliance.High}, {Severity: compliance.Low}}
	worst, ok := compliance.MaxSeverity(fs)
	assert.True(t, ok)
	assert.Equal(t, compliance.High, worst)
	_, ok = compliance.MaxSeverity(nil)
	assert.False(t, ok)
}
