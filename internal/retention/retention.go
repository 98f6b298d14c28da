// Package retention decides when a data record's retention runs out and
// applies the retention rules: a sweep deletes or anonymises what has
// expired, in batches, each batch one transaction, leaving records under
// legal hold alone; a preview lists what the next sweep would touch.
package retention

import (
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/retentionrule"
)

// Item is one data record past its retention as of an instant.
type Item struct {
	// Record is the data record.
	Record *ent.DataRecord
	// Rule is the retention rule that ran out last among those that govern the record.
	Rule *ent.RetentionRule
	// Action is what the rule does: delete the record or anonymise it.
	Action retentionrule.Action
	// ExpiredAt is when the retention ran out.
	ExpiredAt time.Time
}

// Report says what a sweep did, or with DryRun what it would do.
type Report struct {
	// At is the instant the retention was evaluated as of.
	At time.Time
	// DryRun is true when nothing was changed.
	DryRun bool
	// Scanned counts the records examined: those not anonymised and
	// collected by At.
	Scanned int
	// Expired counts the records found past their retention, held ones included.
	Expired int
	// Deleted counts the records deleted (or that would be).
	Deleted int
	// Anonymized counts the records anonymised (or that would be).
	Anonymized int
	// Held counts the records past retention left alone under legal hold.
	Held int
	// Batches counts the transactions committed (in a dry run, those a
	// sweep would commit).
	Batches int
	// Rules breaks the changes down by retention rule.
	Rules []*RuleCount
}

// RuleCount is how many records one retention rule deleted or anonymised.
type RuleCount struct {
	// Rule is the retention rule.
	Rule *ent.RetentionRule
	// Action is what the rule does.
	Action retentionrule.Action
	// Records counts the records it changed (or would change).
	Records int
	// FirstExpiry is the earliest instant the retention of one of these
	// records ran out.
	FirstExpiry time.Time
}
