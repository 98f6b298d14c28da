package compliance

import (
	"context"
	"fmt"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/auditevent"
	"github.com/privhub/privhub/internal/audit"
)

// trail follows the audit trail, on which every privhub process records
// its writes (see package audit), so that a watching checker sees the
// writes of other processes sharing the database (another server, a CLI
// job) as well as those its hooks see. Reading the trail's last position
// costs one indexed statement per check; the events since the last check
// are then read as the distinct kinds of write they record.
type trail struct {
	seq    int64
	primed bool
}

// catchUp counts in w, as writes, the events appended to the audit trail
// since the last call: a row's create, update or delete as such (see
// audit.WriteOp), reads and exports as nothing, anything else (a summary
// of writes, e.g. privhub gen's) as a change to everything. The first call
// only learns the trail's position.
func (t *trail) catchUp(ctx context.Context, c *ent.Client, w *writes) error {
	last, err := c.AuditEvent.Query().Order(ent.Desc(auditevent.FieldSeq)).Limit(1).
		Select(auditevent.FieldSeq).Ints(ctx)
	if err != nil {
		return fmt.Errorf("compliance: reading the audit trail's position: %w", err)
	}
	seq := int64(0)
	if len(last) > 0 {
		seq = int64(last[0])
	}
	if !t.primed || seq <= t.seq {
		t.seq, t.primed = max(t.seq, seq), true
		return nil
	}
	var kinds []struct {
		TargetType string `json:"target_type"`
		Action     string `json:"action"`
	}
	err = c.AuditEvent.Query().Where(auditevent.SeqGT(t.seq), auditevent.SeqLTE(seq)).
		GroupBy(auditevent.FieldTargetType, auditevent.FieldAction).Scan(ctx, &kinds)
	if err != nil {
		return fmt.Errorf("compliance: reading the audit trail: %w", err)
	}
	for _, k := range kinds {
		switch op, ok := audit.WriteOp(k.Action); {
		case ok:
			if bump := w.counterFor(k.TargetType, op); bump != nil {
				bump()
			}
		case !audit.Harmless(k.Action):
			w.all()
		}
	}
	t.seq = seq
	return nil
}
