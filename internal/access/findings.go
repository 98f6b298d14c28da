package access

import (
	"sort"
	"strings"

	"github.com/99designs/gqlgen/graphql"

	"github.com/privhub/privhub/internal/compliance"
)

// The texts of a finding name the people it is about by their account
// reference (User.externalRef), which is a personal value: a role that does
// not see personal values (ANALYST) gets those texts with each reference
// replaced by the person's global ID, which it may see and resolve, or by
// "a person" where the ID is not at hand.

// personRef is what replaces a reference that no ID stands for.
const personRef = "a person"

// scrubFindingText returns the value of Finding.message, Finding.targetLabel
// or Evidence.label as a role that does not see personal values may read
// it; any other field's value passes unchanged.
func scrubFindingText(fc *graphql.FieldContext, res any) any {
	text, ok := res.(string)
	if !ok || fc.Parent == nil {
		return res
	}
	switch fc.Object {
	case "Finding":
		f := parentAs[compliance.Finding](fc)
		if f == nil {
			return res
		}
		switch fc.Field.Name {
		case "message":
			return scrubRefs(text, f)
		case "targetLabel":
			if f.TargetType == compliance.TargetUser {
				return string(f.TargetID)
			}
			return scrubRefs(text, f)
		}
	case "Evidence":
		e := parentAs[compliance.Evidence](fc)
		if e == nil || fc.Field.Name != "label" {
			return res
		}
		if ref, rest, ok := personalPrefix(e); ok && strings.HasPrefix(text, ref) {
			return replacement(e) + rest
		}
	}
	return res
}

// parentAs returns the object whose field fc resolves, which gqlgen hands
// over as a pointer, or for an element of a list as a pointer to the
// list's element.
func parentAs[T any](fc *graphql.FieldContext) *T {
	switch v := fc.Parent.Result.(type) {
	case *T:
		return v
	case **T:
		if v != nil {
			return *v
		}
	}
	return nil
}

// personalPrefix splits the label of evidence about a person (a user, or
// one of a user's data records), "REF: what", into the reference and the
// rest.
func personalPrefix(e *compliance.Evidence) (ref, rest string, ok bool) {
	if e.Kind != compliance.TargetUser && e.Kind != "DataRecord" {
		return "", "", false
	}
	i := strings.Index(e.Label, ": ")
	if i <= 0 {
		return "", "", false
	}
	return e.Label[:i], e.Label[i:], true
}

// replacement is what stands for the person evidence is about.
func replacement(e *compliance.Evidence) string {
	if e.Kind == compliance.TargetUser {
		return string(e.ID)
	}
	return personRef
}

// scrubRefs replaces in text every reference of a person the finding's
// evidence names.
func scrubRefs(text string, f *compliance.Finding) string {
	type pair struct{ ref, by string }
	var ps []pair
	for _, e := range f.Evidence {
		if ref, _, ok := personalPrefix(e); ok && ref != string(e.ID) {
			ps = append(ps, pair{ref, replacement(e)})
		}
	}
	if len(ps) == 0 {
		return text
	}
	// The longest first, so that no reference is replaced inside another.
	sort.SliceStable(ps, func(i, j int) bool { return len(ps[i].ref) > len(ps[j].ref) })
	args := make([]string, 0, 2*len(ps))
	for _, p := range ps {
		args = append(args, p.ref, p.by)
	}
	return strings.NewReplacer(args...).Replace(text)
}
