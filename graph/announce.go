package graph

import (
	"github.com/privhub/privhub/graph/model"
	"github.com/privhub/privhub/internal/announce"
)

// announceInput turns the GraphQL input of announceSubprocessorChange into
// the domain's.
func announceInput(in model.AnnounceSubprocessorChangeInput) announce.Input {
	out := announce.Input{
		Organization: in.Organization, Kind: in.Kind, Vendor: in.Vendor, Replaces: in.Replaces,
		Service: in.Service, Country: in.Country, Mechanism: in.Mechanism,
		Purposes: in.Purposes, Categories: in.Categories,
		AnnouncedAt: in.AnnouncedAt, EffectiveAt: in.EffectiveAt, InformedAt: in.InformedAt, Channel: in.Channel,
		Force: in.Force, Reason: in.Reason,
	}
	for _, r := range in.Informed {
		if r != nil {
			out.Informed = append(out.Informed, announce.Recipient{Party: r.Party, InformedAt: r.InformedAt, Channel: r.Channel})
		}
	}
	return out
}
