package changes

import (
	"context"
	"fmt"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/auditevent"
	"github.com/privhub/privhub/internal/audit"
)

// Trail follows the audit trail, on which every privhub process records
// its writes (see package audit), so that a cache sees the writes of other
// processes sharing the database (another server, a CLI job) as well as
// those its own hooks see. Reading the trail's last position costs one
// indexed statement; the events appended since the last call are then read
// as the distinct kinds of write they record. A Trail is not safe for
// concurrent use.
type Trail struct {
	seq    int64
	primed bool
}

// CatchUp reads the events appended to the audit trail since the last call
// and calls write once for each kind of row write among them (the entity
// type and operation, see audit.WriteOp), and other once if any is neither
// a row write nor harmless (a summary of writes, e.g. privhub gen's). Reads
// and exports call nothing. The first call only learns the trail's
// position: call it before reading what the cache holds.
func (t *Trail) CatchUp(ctx context.Context, c *ent.Client, write func(typ string, op ent.Op), other func()) error {
	last, err := c.AuditEvent.Query().Order(ent.Desc(auditevent.FieldSeq)).Limit(1).
		Select(auditevent.FieldSeq).Ints(ctx)
	if err != nil {
		return fmt.Errorf("reading the audit trail's position: %w", err)
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
		return fmt.Errorf("reading the audit trail: %w", err)
	}
	summarised := false
	for _, k := range kinds {
		switch op, ok := audit.WriteOp(k.Action); {
		case ok:
			write(k.TargetType, op)
		case !audit.Harmless(k.Action) && !summarised:
			other()
			summarised = true
		}
	}
	t.seq = seq
	return nil
}
