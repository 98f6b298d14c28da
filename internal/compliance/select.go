package compliance

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"

	"github.com/privhub/privhub/internal/pulid"
)

// Selection picks findings; every field that is set must match.
type Selection struct {
	Severity        *Severity
	SeverityAtLeast *Severity // this severity or a more urgent one
	Rule            *string
	TargetType      *string
	Target          *pulid.ID // about the object, or naming it (see Finding.Involves)
	Historic        *bool
}

// Select returns the findings that match s, in their order, in a new slice.
func Select(findings []*Finding, s Selection) []*Finding {
	out := make([]*Finding, 0, len(findings))
	for _, f := range findings {
		switch {
		case s.Severity != nil && f.Severity != *s.Severity,
			s.SeverityAtLeast != nil && !f.Severity.AtLeast(*s.SeverityAtLeast),
			s.Rule != nil && f.RuleID != *s.Rule,
			s.TargetType != nil && f.TargetType != *s.TargetType,
			s.Target != nil && !f.Involves(*s.Target),
			s.Historic != nil && f.Historic != *s.Historic:
			continue
		}
		out = append(out, f)
	}
	return out
}

// OrderField is what findings can be sorted by.
type OrderField string

// The fields findings can be sorted by.
const (
	OrderSeverity OrderField = "SEVERITY"
	OrderRule     OrderField = "RULE"
	OrderTarget   OrderField = "TARGET"
	OrderSince    OrderField = "SINCE"
)

// Sort orders findings in place by field, most urgent, first rule, first
// target label or earliest first unless desc; ties keep the default order
// (severity, rule, target). Findings without a start sort last by SINCE.
func Sort(findings []*Finding, field OrderField, desc bool) {
	slices.SortStableFunc(findings, func(a, b *Finding) int {
		var c int
		switch field {
		case OrderSeverity:
			c = cmp.Compare(a.Severity.Rank(), b.Severity.Rank())
		case OrderRule:
			c = cmp.Compare(a.RuleID, b.RuleID)
		case OrderTarget:
			c = cmp.Compare(a.TargetLabel, b.TargetLabel)
		case OrderSince:
			c = cmp.Compare(sinceKey(a), sinceKey(b))
		}
		if desc {
			return -c
		}
		return c
	})
}

// Values lists the order fields, for GraphQL.
func (OrderField) Values() []string {
	return []string{string(OrderSeverity), string(OrderRule), string(OrderTarget), string(OrderSince)}
}

// UnmarshalGQL implements graphql.Unmarshaler.
func (o *OrderField) UnmarshalGQL(v any) error {
	s, ok := v.(string)
	if !ok || !slices.Contains(OrderField("").Values(), s) {
		return fmt.Errorf("%v is not a finding order field", v)
	}
	*o = OrderField(s)
	return nil
}

// MarshalGQL implements graphql.Marshaler.
func (o OrderField) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(o))) }

func sinceKey(f *Finding) int64 {
	if f.Since == nil {
		return 1<<63 - 1
	}
	return f.Since.UTC().Round(time.Second).Unix()
}
