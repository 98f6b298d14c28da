package retention

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/retentionrule"
	"github.com/privhub/privhub/internal/pulid"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func ptr[T any](v T) *T { return &v }

// TestPolicy decides, rule by rule, when records' retention runs out.
func TestPolicy(t *testing.T) {
	const (
		contact  = pulid.ID("cat_contact")
		email    = pulid.ID("cat_contact_email") // child of contact
		logs     = pulid.ID("cat_logs")
		invoice  = pulid.ID("cat_invoice")
		cookies  = pulid.ID("cat_cookies")
		orphan   = pulid.ID("cat_orphan")
		support  = pulid.ID("pur_a_support")
		market   = pulid.ID("pur_b_marketing")
		security = pulid.ID("pur_c_security")
		billing  = pulid.ID("pur_d_billing")
		alice    = pulid.ID("usr_alice")
		bob      = pulid.ID("usr_bob")
	)
	rule := func(id string, cat pulid.ID, purpose pulid.ID, period string, trig retentionrule.Trigger) *ent.RetentionRule {
		r := &ent.RetentionRule{ID: pulid.ID(id), CategoryID: cat, Period: period, Trigger: trig, Action: retentionrule.ActionDelete}
		if purpose != "" {
			r.PurposeID = ptr(purpose)
		}
		return r
	}
	anyContact := rule("ret_1", contact, "", "P3Y", retentionrule.TriggerCollection)
	contactSupport := rule("ret_2", contact, support, "P1Y", retentionrule.TriggerCollection)
	emailMarketing := rule("ret_3", email, market, "P30D", retentionrule.TriggerOptOut)
	logsSecurity := rule("ret_4", logs, security, "P2M", retentionrule.TriggerCollection)
	invoices := rule("ret_5", invoice, billing, "P7Y", retentionrule.TriggerFiscalYearEnd)
	cookiesLastUse := rule("ret_6", cookies, "", "P12M", retentionrule.TriggerLastUse)
	closure := rule("ret_7", orphan, "", "P3W", retentionrule.TriggerAccountClosure)
	anyMarketingOptOut := rule("ret_8", logs, "", "P1D", retentionrule.TriggerOptOut) // an opt-out with no purpose never fires
	p := NewPolicy([]*ent.RetentionRule{anyContact, contactSupport, emailMarketing, logsSecurity, invoices, cookiesLastUse, closure, anyMarketingOptOut},
		map[pulid.ID]pulid.ID{email: contact})

	optOuts := func(user, purpose pulid.ID) (time.Time, bool) {
		if user == alice && purpose == market {
			return day(2026, 1, 10), true
		}
		return time.Time{}, false
	}
	at := day(2026, 6, 30)
	cases := []struct {
		name    string
		rec     Record
		at      time.Time
		want    *ent.RetentionRule // nil: kept
		wantExp time.Time
	}{
		{name: "a child category falls back on its parent's rule for its purpose",
			rec: Record{Category: email, Purposes: []pulid.ID{support}, CollectedAt: day(2025, 3, 1)}, want: contactSupport, wantExp: day(2026, 3, 1)},
		{name: "a purpose-specific rule comes before the rule for any purpose",
			rec: Record{Category: contact, Purposes: []pulid.ID{support}, CollectedAt: day(2025, 6, 29)}, want: contactSupport, wantExp: day(2026, 6, 29)},
		{name: "not yet run out",
			rec: Record{Category: contact, Purposes: []pulid.ID{support}, CollectedAt: day(2025, 7, 1)}},
		{name: "another purpose falls back on the rule for any purpose",
			rec: Record{Category: contact, Purposes: []pulid.ID{security}, CollectedAt: day(2023, 6, 1)}, want: anyContact, wantExp: day(2026, 6, 1)},
		{name: "no purpose at all uses the rule for any purpose",
			rec: Record{Category: contact, CollectedAt: day(2023, 6, 1)}, want: anyContact, wantExp: day(2026, 6, 1)},
		{name: "multi-purpose record kept while one purpose still runs",
			rec: Record{Category: contact, Purposes: []pulid.ID{support, security}, CollectedAt: day(2024, 1, 1)}},
		{name: "multi-purpose record: the binding rule is the one that ran out last",
			rec: Record{Category: contact, Purposes: []pulid.ID{support, security}, CollectedAt: day(2023, 1, 1)}, want: anyContact, wantExp: day(2026, 1, 1)},
		{name: "a purpose without any rule keeps the record, though the other purpose's ran out",
			rec: Record{Category: invoice, Purposes: []pulid.ID{billing, support}, CollectedAt: day(2010, 1, 1)}},
		{name: "an opt-out rule for any purpose never fires",
			rec: Record{User: alice, Category: logs, Purposes: []pulid.ID{security, support}, CollectedAt: day(2020, 1, 1)}},
		{name: "a category without any rule keeps the record",
			rec: Record{Category: pulid.ID("cat_unknown"), Purposes: []pulid.ID{support}, CollectedAt: day(2000, 1, 1)}},
		{name: "P2M from collection",
			rec: Record{Category: logs, Purposes: []pulid.ID{security}, CollectedAt: day(2026, 4, 30)}, want: logsSecurity, wantExp: day(2026, 6, 30)},
		{name: "P2M at a month end overflows as time.AddDate does: 31 December + 2 months = 3 March",
			rec: Record{Category: logs, Purposes: []pulid.ID{security}, CollectedAt: day(2025, 12, 31)}, want: logsSecurity, wantExp: day(2026, 3, 3)},
		{name: "P2M from 31 December before a leap year: 2 March",
			rec: Record{Category: logs, Purposes: []pulid.ID{security}, CollectedAt: day(2023, 12, 31)}, want: logsSecurity, wantExp: day(2024, 3, 2)},
		{name: "P2M from 31 March: 31 May",
			rec: Record{Category: logs, Purposes: []pulid.ID{security}, CollectedAt: day(2026, 3, 31)}, want: logsSecurity, wantExp: day(2026, 5, 31)},
		{name: "fiscal year end: 7 years from 1 January after collection",
			rec: Record{Category: invoice, Purposes: []pulid.ID{billing}, CollectedAt: day(2019, 3, 15)}, want: invoices, wantExp: day(2027, 1, 1), at: day(2027, 1, 1)},
		{name: "fiscal year end: not a day before",
			rec: Record{Category: invoice, Purposes: []pulid.ID{billing}, CollectedAt: day(2019, 12, 31)}, at: day(2026, 12, 31)},
		{name: "opt-out: 30 days after the user opted out",
			rec: Record{User: alice, Category: email, Purposes: []pulid.ID{market}, CollectedAt: day(2020, 1, 1)}, want: emailMarketing, wantExp: day(2026, 2, 9)},
		{name: "opt-out: no opt-out keeps the record",
			rec: Record{User: bob, Category: email, Purposes: []pulid.ID{market}, CollectedAt: day(2020, 1, 1)}},
		{name: "opt-out: not yet 30 days",
			rec: Record{User: alice, Category: email, Purposes: []pulid.ID{market}, CollectedAt: day(2020, 1, 1)}, at: day(2026, 2, 8)},
		{name: "last use, when known",
			rec: Record{Category: cookies, CollectedAt: day(2020, 1, 1), LastUsedAt: ptr(day(2025, 7, 1))}},
		{name: "last use falls back to collection",
			rec: Record{Category: cookies, CollectedAt: day(2025, 6, 1)}, want: cookiesLastUse, wantExp: day(2026, 6, 1)},
		{name: "account closure never fires",
			rec: Record{Category: orphan, CollectedAt: day(2000, 1, 1)}},
		{name: "a record collected after the instant is not held yet",
			rec: Record{Category: logs, Purposes: []pulid.ID{security}, CollectedAt: day(2026, 7, 1)}, at: day(2026, 6, 30)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			when := at
			if !tc.at.IsZero() {
				when = tc.at
			}
			got, exp, ok := p.Expired(tc.rec, when, optOuts)
			if tc.want == nil {
				assert.False(t, ok, "expired under %v on %s", got, exp)
				assert.Nil(t, got)
				return
			}
			require.True(t, ok, "kept")
			assert.Equal(t, tc.want.ID, got.ID)
			assert.Equal(t, tc.wantExp, exp.UTC())
		})
	}
	t.Run("without an OptOuts function an opt-out rule keeps the record", func(t *testing.T) {
		_, _, ok := p.Expired(Record{User: alice, Category: email, Purposes: []pulid.ID{market}, CollectedAt: day(2020, 1, 1)}, at, nil)
		assert.False(t, ok)
	})
	t.Run("the purposes an opt-out rule runs from", func(t *testing.T) {
		assert.Equal(t, []pulid.ID{market}, p.OptOutPurposes())
	})
	t.Run("of two rules for the same category and purpose the greater ID counts", func(t *testing.T) {
		a, b := rule("ret_a", logs, "", "P1Y", retentionrule.TriggerCollection), rule("ret_b", logs, "", "P2Y", retentionrule.TriggerCollection)
		for _, rules := range [][]*ent.RetentionRule{{a, b}, {b, a}} {
			assert.Equal(t, b, NewPolicy(rules, nil).RuleFor(logs, ""))
		}
	})
	t.Run("a cycle in the taxonomy ends the walk", func(t *testing.T) {
		q := NewPolicy([]*ent.RetentionRule{logsSecurity}, map[pulid.ID]pulid.ID{"cat_x": "cat_y", "cat_y": "cat_x"})
		assert.Nil(t, q.RuleFor("cat_x", security))
	})
}

func TestParsePeriod(t *testing.T) {
	for in, want := range map[string][3]int{"P7Y": {7, 0, 0}, "P2M": {0, 2, 0}, "P3W": {0, 0, 21}, "P30D": {0, 0, 30}, "P1Y6M2W3D": {1, 6, 17}} {
		y, m, d, ok := ParsePeriod(in)
		require.True(t, ok, in)
		assert.Equal(t, want, [3]int{y, m, d}, in)
	}
	for _, bad := range []string{"", "P", "7Y", "PT1H", "P1.5Y", "P-1D", "p1y"} {
		_, _, _, ok := ParsePeriod(bad)
		assert.False(t, ok, bad)
	}
}
