package requests

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/consent"
	"github.com/privhub/privhub/ent/datarecord"
	"github.com/privhub/privhub/ent/disclosure"
	"github.com/privhub/privhub/ent/request"
	"github.com/privhub/privhub/ent/user"
	"github.com/privhub/privhub/internal/apperr"
	"github.com/privhub/privhub/internal/audit"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/trace"
	"github.com/privhub/privhub/internal/vocab"
)

// ExportFormat names the layout of an Export, so that a reader can tell
// which version it holds.
const ExportFormat = "privhub.subject-export/1"

// Export is everything held about one user, and by whom: the answer to an
// access request (Art. 15) and, being machine-readable JSON, to a
// portability request (Art. 20).
type Export struct {
	Format      string            `json:"format"`
	GeneratedAt time.Time         `json:"generatedAt"`
	Request     *ExportRequest    `json:"request,omitempty"`
	Subject     ExportSubject     `json:"subject"`
	Records     []ExportRecord    `json:"records"`
	Consents    []ExportConsent   `json:"consents"`
	Requests    []ExportRequest   `json:"requests"`
	Holders     []ExportHolding   `json:"holders"`
	Blocked     []ExportBlocked   `json:"blockedTransfers"`
	Disclosures []ExportDisclosed `json:"disclosures"`
}

// ExportSubject is the user's profile.
type ExportSubject struct {
	ID          pulid.ID          `json:"id"`
	ExternalRef string            `json:"externalRef"`
	Email       string            `json:"email,omitempty"`
	Name        string            `json:"name,omitempty"`
	Country     string            `json:"country,omitempty"`
	SubjectKind vocab.SubjectKind `json:"subjectKind"`
	Status      user.Status       `json:"status"`
}

// ExportRecord is one data record, with its value where privhub holds it.
type ExportRecord struct {
	ID           pulid.ID          `json:"id"`
	Category     ExportCategory    `json:"category"`
	Collector    ExportHolder      `json:"collector"`
	Source       datarecord.Source `json:"source"`
	Purposes     []string          `json:"purposes"`
	CollectedAt  time.Time         `json:"collectedAt"`
	LastUsedAt   *time.Time        `json:"lastUsedAt,omitempty"`
	Value        *string           `json:"value,omitempty"`
	LegalHold    bool              `json:"legalHold"`
	AnonymizedAt *time.Time        `json:"anonymizedAt,omitempty"`
}

// ExportCategory names a data category.
type ExportCategory struct {
	Key         string `json:"key"`
	Name        string `json:"name"`
	Sensitivity string `json:"sensitivity"`
}

// ExportHolder names an organization or vendor.
type ExportHolder struct {
	ID      pulid.ID `json:"id"`
	Type    string   `json:"type"`
	Name    string   `json:"name"`
	Country pulid.ID `json:"country"`
}

// ExportConsent is one entry of the user's consent ledger.
type ExportConsent struct {
	ID         pulid.ID         `json:"id"`
	Purpose    string           `json:"purpose"`
	Recipient  *ExportHolder    `json:"recipient,omitempty"`
	Decision   consent.Decision `json:"decision"`
	Explicit   bool             `json:"explicit"`
	RecordedAt time.Time        `json:"recordedAt"`
	Source     string           `json:"source,omitempty"`
	Evidence   string           `json:"evidence,omitempty"`
}

// ExportRequest is one of the user's requests.
type ExportRequest struct {
	ID          pulid.ID             `json:"id"`
	Reference   string               `json:"reference,omitempty"`
	Kind        request.Kind         `json:"kind"`
	Status      request.Status       `json:"status"`
	ReceivedAt  time.Time            `json:"receivedAt"`
	DueAt       time.Time            `json:"dueAt"`
	CompletedAt *time.Time           `json:"completedAt,omitempty"`
	History     []vocab.StatusChange `json:"history,omitempty"`
	Retained    []vocab.Retained     `json:"retained,omitempty"`
}

// ExportHolding is one holder of the user's data from the trace.
type ExportHolding struct {
	Holder     ExportHolder `json:"holder"`
	Country    string       `json:"country"`
	Adequate   bool         `json:"adequateCountry"`
	Depth      int          `json:"depth"`
	Categories []string     `json:"categories"`
	Chain      []ExportStep `json:"chain"`
}

// ExportStep is one transfer of a chain.
type ExportStep struct {
	Transfer     pulid.ID             `json:"transfer"`
	Exporter     ExportHolder         `json:"exporter"`
	Importer     ExportHolder         `json:"importer"`
	ImporterRole vocab.ProcessingRole `json:"importerRole"`
	Country      string               `json:"country"`
	Mechanism    vocab.Mechanism      `json:"mechanism"`
	Contract     *ExportContract      `json:"contract,omitempty"`
	Clauses      []string             `json:"clauses,omitempty"`
	Safeguards   []vocab.Safeguard    `json:"safeguards,omitempty"`
	Purposes     []string             `json:"purposes"`
}

// ExportContract names a contract.
type ExportContract struct {
	ID    pulid.ID `json:"id"`
	Title string   `json:"title"`
	Kind  string   `json:"kind"`
}

// ExportBlocked is a transfer the user's choices stop.
type ExportBlocked struct {
	Transfer   pulid.ID     `json:"transfer"`
	Exporter   ExportHolder `json:"exporter"`
	Importer   ExportHolder `json:"importer"`
	Categories []string     `json:"categories"`
	Reason     string       `json:"reason"`
}

// ExportDisclosed is a dated handover of the user's data to a recipient.
type ExportDisclosed struct {
	ID          pulid.ID  `json:"id"`
	Transfer    pulid.ID  `json:"transfer"`
	DisclosedAt time.Time `json:"disclosedAt"`
	Reference   string    `json:"reference,omitempty"`
}

// ExportRequestOf exports the user of an access or portability request as
// of now; other kinds of request answer BAD_USER_INPUT.
func (d *Desk) ExportRequestOf(ctx context.Context, c *ent.Client, r *ent.Request, now time.Time) (*Export, error) {
	if r.Kind != request.KindAccess && r.Kind != request.KindPortability {
		return nil, apperr.Invalid("id", "%s is a %s request; only access and portability requests come with an export", name(r), r.Kind)
	}
	x, err := d.Export(ctx, c, r.UserID, now)
	if err != nil {
		return nil, err
	}
	x.Request = exportRequest(r)
	return x, nil
}

// Export gathers everything held about a user as of now: profile, every
// data record with its value, the consent ledger, the requests, the
// disclosures, and every holder from the trace with its chain, country and
// contract. The export is a read of personal values: it leaves an event in
// the audit trail.
func (d *Desk) Export(ctx context.Context, c *ent.Client, userID pulid.ID, now time.Time) (*Export, error) {
	u, err := c.User.Get(ctx, userID)
	if err != nil {
		return nil, notFound(err, "user", userID)
	}
	x := &Export{Format: ExportFormat, GeneratedAt: now.UTC(), Subject: ExportSubject{
		ID: u.ID, ExternalRef: u.ExternalRef, Email: u.Email, Name: u.Name, SubjectKind: u.SubjectKind, Status: u.Status,
	}}
	if u.CountryID != nil {
		x.Subject.Country = u.CountryID.CountryCode()
	}
	if err := exportRecords(ctx, c, x, userID); err != nil {
		return nil, err
	}
	if err := exportLedger(ctx, c, x, userID); err != nil {
		return nil, err
	}
	tr, err := d.Tracer.Trace(ctx, userID, now)
	if err != nil {
		return nil, fmt.Errorf("tracing the holders of %s: %w", userID, err)
	}
	x.Holders = make([]ExportHolding, 0, len(tr.Holdings))
	for _, h := range tr.Holdings {
		x.Holders = append(x.Holders, exportHolding(h))
	}
	if err := audit.Append(ctx, c, audit.Event{Action: audit.ActionExport, TargetType: "User", TargetID: string(userID),
		Changes: map[string]any{"records": len(x.Records), "holders": len(tr.Holdings), "reason": "subject export"}}); err != nil {
		return nil, fmt.Errorf("recording the export of %s: %w", userID, err)
	}
	x.Blocked = make([]ExportBlocked, 0, len(tr.Blocked))
	for _, b := range tr.Blocked {
		x.Blocked = append(x.Blocked, ExportBlocked{Transfer: b.Transfer.ID, Exporter: holder(b.Exporter), Importer: holder(b.Importer),
			Categories: keys(b.Categories), Reason: b.Reason})
	}
	return x, nil
}

// Map returns the export as the JSON object it encodes to.
func (x *Export) Map() (map[string]any, error) {
	b, err := json.Marshal(x)
	if err != nil {
		return nil, fmt.Errorf("encoding the export: %w", err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("decoding the export: %w", err)
	}
	return m, nil
}

// exportRecords adds the user's data records, loading their edges in one
// query per edge.
func exportRecords(ctx context.Context, c *ent.Client, x *Export, userID pulid.ID) error {
	records, err := c.DataRecord.Query().Where(datarecord.UserID(userID)).
		WithCategory().WithPurposes().WithCollectorOrganization().WithCollectorVendor().
		Order(datarecord.ByCollectedAt(), datarecord.ByID()).All(ctx)
	if err != nil {
		return fmt.Errorf("reading the records of %s: %w", userID, err)
	}
	x.Records = make([]ExportRecord, 0, len(records))
	for _, r := range records {
		e := ExportRecord{ID: r.ID, Source: r.Source, CollectedAt: r.CollectedAt, LastUsedAt: r.LastUsedAt, Value: r.Value,
			LegalHold: r.LegalHold, AnonymizedAt: r.AnonymizedAt, Purposes: make([]string, 0, len(r.Edges.Purposes))}
		if cat := r.Edges.Category; cat != nil {
			e.Category = ExportCategory{Key: cat.Key, Name: cat.Name, Sensitivity: string(cat.Sensitivity)}
		}
		if o := r.Edges.CollectorOrganization; o != nil {
			e.Collector = holder(o)
		} else if v := r.Edges.CollectorVendor; v != nil {
			e.Collector = holder(v)
		}
		for _, p := range r.Edges.Purposes {
			e.Purposes = append(e.Purposes, p.Key)
		}
		x.Records = append(x.Records, e)
	}
	return nil
}

// exportLedger adds the user's consents, requests and disclosures.
func exportLedger(ctx context.Context, c *ent.Client, x *Export, userID pulid.ID) error {
	consents, err := c.Consent.Query().Where(consent.UserID(userID)).WithPurpose().WithRecipient().
		Order(consent.ByRecordedAt(), consent.ByID()).All(ctx)
	if err != nil {
		return fmt.Errorf("reading the consents of %s: %w", userID, err)
	}
	x.Consents = make([]ExportConsent, 0, len(consents))
	for _, e := range consents {
		out := ExportConsent{ID: e.ID, Decision: e.Decision, Explicit: e.Explicit, RecordedAt: e.RecordedAt, Source: e.Source, Evidence: e.Evidence}
		if p := e.Edges.Purpose; p != nil {
			out.Purpose = p.Key
		}
		if v := e.Edges.Recipient; v != nil {
			h := holder(v)
			out.Recipient = &h
		}
		x.Consents = append(x.Consents, out)
	}
	reqs, err := c.Request.Query().Where(request.UserID(userID)).Order(request.ByReceivedAt(), request.ByID()).All(ctx)
	if err != nil {
		return fmt.Errorf("reading the requests of %s: %w", userID, err)
	}
	x.Requests = make([]ExportRequest, 0, len(reqs))
	for _, r := range reqs {
		x.Requests = append(x.Requests, *exportRequest(r))
	}
	ds, err := c.Disclosure.Query().Where(disclosure.HasUsersWith(user.ID(userID))).
		Order(disclosure.ByDisclosedAt(), disclosure.ByID()).All(ctx)
	if err != nil {
		return fmt.Errorf("reading the disclosures of %s: %w", userID, err)
	}
	x.Disclosures = make([]ExportDisclosed, 0, len(ds))
	for _, d := range ds {
		x.Disclosures = append(x.Disclosures, ExportDisclosed{ID: d.ID, Transfer: d.TransferID, DisclosedAt: d.DisclosedAt, Reference: d.Reference})
	}
	return nil
}

// exportRequest describes one request.
func exportRequest(r *ent.Request) *ExportRequest {
	return &ExportRequest{ID: r.ID, Reference: r.Reference, Kind: r.Kind, Status: r.Status, ReceivedAt: r.ReceivedAt,
		DueAt: r.DueAt, CompletedAt: r.CompletedAt, History: r.History, Retained: r.Retained}
}

// exportHolding describes one holding of the trace.
func exportHolding(h *trace.Holding) ExportHolding {
	out := ExportHolding{Holder: holder(h.Holder), Adequate: h.Adequate(), Depth: h.Depth(), Categories: keys(h.Categories),
		Chain: make([]ExportStep, 0, len(h.Chain))}
	if h.Country != nil {
		out.Country = h.Country.ID.CountryCode()
	}
	for _, s := range h.Chain {
		step := ExportStep{Transfer: s.Transfer.ID, Exporter: holder(s.Exporter), Importer: holder(s.Importer),
			ImporterRole: s.ImporterRole, Mechanism: s.Mechanism, Safeguards: s.Safeguards, Purposes: make([]string, 0, len(s.Purposes))}
		if s.Country != nil {
			step.Country = s.Country.ID.CountryCode()
		}
		if s.Contract != nil {
			step.Contract = &ExportContract{ID: s.Contract.ID, Title: s.Contract.Title, Kind: string(s.Contract.Kind)}
		}
		for _, cl := range s.Clauses {
			step.Clauses = append(step.Clauses, cl.Reference)
		}
		for _, p := range s.Purposes {
			step.Purposes = append(step.Purposes, p.Key)
		}
		out.Chain = append(out.Chain, step)
	}
	return out
}

// holder names an organization or vendor.
func holder(h ent.Holder) ExportHolder {
	kind := "Vendor"
	if _, ok := h.(*ent.Organization); ok {
		kind = "Organization"
	}
	return ExportHolder{ID: h.HolderID(), Type: kind, Name: h.HolderName(), Country: h.HolderCountry()}
}

// keys lists the keys of categories.
func keys(cats []*ent.DataCategory) []string {
	out := make([]string, 0, len(cats))
	for _, c := range cats {
		out = append(out, c.Key)
	}
	return out
}
