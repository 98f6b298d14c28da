package ropa

import (
	"context"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/internal/compliance"
	"github.com/privhub/privhub/internal/pulid"
)

// Findings is the source of findings (see compliance.Checker.Also) that
// reports each gap of the records as of an instant as a finding of rule
// ropa.gap about the organisation whose record has it, except gaps another
// rule reports already (a transfer without a safeguard).
func Findings(c *ent.Client) compliance.Source {
	return func(ctx context.Context, at time.Time) ([]*compliance.Finding, error) {
		r, err := Derive(ctx, c, nil, at)
		if err != nil {
			return nil, err
		}
		var out []*compliance.Finding
		add := func(org Party, record string, gaps []Gap) {
			id := org.Sources[0].ID
			for _, g := range gaps {
				if g.covered {
					continue
				}
				f := compliance.NewFinding(compliance.RuleRecordGap, id, compliance.TargetOrganization, org.Name, g.Field,
					"The "+record+" record of "+org.Name+" cannot fill "+g.Field+": "+g.Reason+".", at)
				for _, s := range g.Sources {
					f.Evidence = append(f.Evidence, &compliance.Evidence{Kind: s.Type, ID: s.ID, Label: s.Type + " " + string(s.ID)})
					if s.ID != id {
						f.Related = appendID(f.Related, s.ID)
					}
				}
				out = append(out, f)
			}
		}
		for _, cr := range r.Controllers {
			add(cr.Controller, "Art. 30(1)", cr.Gaps)
		}
		for _, pr := range r.Processors {
			add(pr.Processor, "Art. 30(2)", pr.Gaps)
		}
		return out, nil
	}
}

func appendID(ids []pulid.ID, id pulid.ID) []pulid.ID {
	for _, x := range ids {
		if x == id {
			return ids
		}
	}
	return append(ids, id)
}
