package server_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/internal/apitest"
	"github.com/privhub/privhub/internal/server"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/store/storetest"
)

const announceM = `mutation($in: AnnounceSubprocessorChangeInput!) { announceSubprocessorChange(input: $in) {
	clientMutationId
	subprocessorAnnouncement { id kind forced forceReason effectiveAt vendor { name } organization { name } country { code }
		informed { informedAt channel noticeDays inTime noticeRunsOut contract { title } party { holder { name } } } }
} }`

// noticeWorld is an own organisation acting as processor for Privhub SA
// under a DPA with 30 days' notice; it announces a subprocessor.
type noticeWorld struct {
	world
	Proc, Party, Sub string
}

func (a *api) seedNotices() noticeWorld {
	a.t.Helper()
	w := noticeWorld{world: a.seedWorld()}
	w.Proc = a.create("Organization", map[string]any{"name": "Privhub Inc.", "countryID": "cty_US", "parentID": w.Org})
	a.create("Clause", map[string]any{"contractID": w.DPA, "reference": "Clause 7.7(a) Option 2", "parameters": map[string]any{"noticeDays": "30"}})
	w.Party = a.create("ContractParty", map[string]any{"contractID": w.DPA, "organizationID": w.Org, "capacity": "CONTROLLER"})
	a.create("ContractParty", map[string]any{"contractID": w.DPA, "organizationID": w.Proc, "capacity": "PROCESSOR"})
	w.Sub = a.create("Vendor", map[string]any{"name": "Hostly LLC", "countryID": "cty_US", "services": []string{"HOSTING"}, "riskTier": "HIGH"})
	return w
}

// announceIn is an addition of Hostly announced on 2026-06-01.
func announceIn(w noticeWorld, effective string) map[string]any {
	return map[string]any{"clientMutationId": "m-1", "organization": w.Proc, "kind": "ADDED", "vendor": w.Sub,
		"service": "HOSTING", "mechanism": "ADEQUACY", "purposes": []string{w.Purpose}, "categories": []string{w.Child},
		"announcedAt": "2026-06-01T09:00:00Z", "effectiveAt": effective}
}

func TestAnnounceSubprocessorChange(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		w := a.seedNotices()
		before := rowCounts(t, db)

		r := a.s.Do(announceM, map[string]any{"in": announceIn(w, "2026-06-20T00:00:00Z")})
		e := requireOneError(t, r, "BAD_USER_INPUT", "effectiveAt")
		assert.Contains(t, e.Message, `"DPA Nimbra"`)
		assert.Contains(t, e.Message, "the earliest allowed date is 2026-07-01")
		assert.Equal(t, before, rowCounts(t, db), "a refused announcement writes nothing")

		in := announceIn(w, "2026-06-20T00:00:00Z")
		in["force"] = true
		r = a.s.Do(announceM, map[string]any{"in": in})
		requireOneError(t, r, "BAD_USER_INPUT", "reason")

		in["reason"] = "the old host closes on 2026-06-19"
		d := a.data(announceM, map[string]any{"in": in})
		p := dig(d, "announceSubprocessorChange")
		assert.Equal(t, "m-1", dig(p, "clientMutationId"))
		sa := dig(p, "subprocessorAnnouncement")
		assert.Equal(t, true, dig(sa, "forced"))
		assert.Equal(t, "Privhub Inc.", dig(sa, "organization.name"))
		assert.Equal(t, "US", dig(sa, "country.code"), "the vendor's country by default")
		require.Len(t, dig(sa, "informed"), 1)
		inf := dig(sa, "informed.0")
		assert.Equal(t, "Privhub SA", dig(inf, "party.holder.name"))
		assert.Equal(t, "DPA Nimbra", dig(inf, "contract.title"))
		assert.Equal(t, float64(30), dig(inf, "noticeDays"))
		assert.Equal(t, false, dig(inf, "inTime"))
		requireTime(t, "2026-07-01T00:00:00Z", dig(inf, "noticeRunsOut"))
		id := dig(sa, "id").(string)

		// The forced announcement is a finding, on the announcement and in
		// the catalogue's list.
		f := a.data(`query($id: ID!) { node(id: $id) { ... on SubprocessorAnnouncement { findings(at: "2026-06-15T00:00:00Z") { rule { id } targetID message historic } } } }`,
			map[string]any{"id": id})
		require.Len(t, dig(f, "node.findings"), 1)
		assert.Equal(t, "subprocessor.announced-before-notice", dig(f, "node.findings.0.rule.id"))
		assert.Equal(t, id, dig(f, "node.findings.0.targetID"))
		assert.Contains(t, dig(f, "node.findings.0.message"), "the old host closes")

		// A proper one, and an objection from the controller informed.
		d = a.data(announceM, map[string]any{"in": announceIn(w, "2026-07-01T00:00:00Z")})
		good := dig(d, "announceSubprocessorChange.subprocessorAnnouncement.id").(string)
		assert.Equal(t, true, dig(d, "announceSubprocessorChange.subprocessorAnnouncement.informed.0.inTime"))
		obj := `mutation($in: RecordSubprocessorObjectionInput!) { recordSubprocessorObjection(input: $in) {
			clientMutationId subprocessorObjection { id text outcome receivedAt party { holder { name } } } subprocessorAnnouncement { id objections { id } } } }`
		r = a.s.Do(obj, map[string]any{"in": map[string]any{"announcement": good, "party": w.Party, "text": "no", "receivedAt": "2026-07-02T00:00:00Z"}})
		requireOneError(t, r, "BAD_USER_INPUT", "receivedAt")
		d = a.data(obj, map[string]any{"in": map[string]any{"clientMutationId": "o-1", "announcement": good, "party": w.Party,
			"text": "We need the SOC 2 report first.", "receivedAt": "2026-06-10T00:00:00Z"}})
		o := dig(d, "recordSubprocessorObjection")
		assert.Equal(t, "o-1", dig(o, "clientMutationId"))
		assert.Equal(t, "PENDING", dig(o, "subprocessorObjection.outcome"))
		assert.Equal(t, "Privhub SA", dig(o, "subprocessorObjection.party.holder.name"))
		assert.Len(t, dig(o, "subprocessorAnnouncement.objections"), 1)
		d = a.data(`mutation($in: DecideSubprocessorObjectionInput!) { decideSubprocessorObjection(input: $in) { subprocessorObjection { outcome decidedAt } } }`,
			map[string]any{"in": map[string]any{"id": dig(o, "subprocessorObjection.id"), "outcome": "WITHDRAWN", "decidedAt": "2026-06-12T00:00:00Z"}})
		assert.Equal(t, "WITHDRAWN", dig(d, "decideSubprocessorObjection.subprocessorObjection.outcome"))

		// "Was the controller informed 30 days before?" is a query.
		d = a.data(`{ subprocessorAnnouncements(where: {hasInformedWith: {inTime: false}}) { totalCount edges { node { id } } } }`, nil)
		assert.Equal(t, float64(1), dig(d, "subprocessorAnnouncements.totalCount"))
		assert.Equal(t, id, dig(d, "subprocessorAnnouncements.edges.0.node.id"))

		// Announcements are append-only.
		r = a.s.Do(`mutation($id: ID!) { deleteNode(input: {id: $id}) { deletedId } }`, map[string]any{"id": good})
		requireOneError(t, r, "BAD_USER_INPUT", "id")

		// A viewer reads the public facts, not who was informed.
		viewer := a.s.As("VIEWER", nil)
		r = viewer.Do(`{ subprocessorAnnouncements { edges { node { kind vendor { name } } } } }`, nil)
		assert.Empty(t, r.Errors)
		r = viewer.Do(`{ subprocessorAnnouncements { edges { node { informed { noticeDays } } } } }`, nil)
		require.NotEmpty(t, r.Errors)
		assert.Equal(t, "FORBIDDEN", r.Errors[0].Code())
	})
}

// public fetches a public endpoint without any token.
func public(t *testing.T, s *apitest.Server, path string) (int, http.Header, []byte) {
	t.Helper()
	res, err := http.Get(s.URL + path)
	require.NoError(t, err)
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return res.StatusCode, res.Header, body
}

// seedPublic records, through GraphQL, a forced addition and a replacement
// with an objection, so that the public answers have secrets to leak.
func (a *api) seedPublic() noticeWorld {
	a.t.Helper()
	w := a.seedNotices()
	in := announceIn(w, "2026-06-20T00:00:00Z")
	in["force"], in["reason"] = true, "SECRET-REASON the old host closes"
	a.data(announceM, map[string]any{"in": in})
	swap := announceIn(w, "2026-09-01T00:00:00Z")
	swap["kind"], swap["vendor"], swap["replaces"], swap["country"], swap["announcedAt"] = "REPLACED", w.Vendor2, w.Sub, "cty_IN", "2026-07-01T00:00:00Z"
	d := a.data(announceM, map[string]any{"in": swap})
	a.data(`mutation($in: RecordSubprocessorObjectionInput!) { recordSubprocessorObjection(input: $in) { subprocessorObjection { id } } }`,
		map[string]any{"in": map[string]any{"announcement": dig(d, "announceSubprocessorChange.subprocessorAnnouncement.id"), "party": w.Party,
			"text": "SECRET-OBJECTION", "receivedAt": "2026-07-05T00:00:00Z"}})
	return w
}

// leaks are strings no public answer may contain: IDs of any type, the
// forced reason, the objection, contract titles, the controller, risk and
// findings.
var leaks = []*regexp.Regexp{
	regexp.MustCompile(`\b[a-z]{3}_[0-9a-z]{26}\b`),
	regexp.MustCompile(`SECRET`), regexp.MustCompile(`(?i)nimbra`), regexp.MustCompile(`Privhub SA`),
	regexp.MustCompile(`HIGH|(?i)risk`), regexp.MustCompile(`(?i)finding|announced-before-notice|forced`),
	regexp.MustCompile(`@`), regexp.MustCompile(`(?i)clause|contract`),
}

func assertNoLeak(t *testing.T, what string, body []byte) {
	t.Helper()
	for _, re := range leaks {
		assert.NotRegexp(t, re, string(body), "%s leaks %s", what, re)
	}
}

func TestPublicSubprocessorListJSON(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		a.seedPublic()
		status, h, body := public(t, a.s, "/subprocessors.json?at=2026-08-01")
		require.Equal(t, http.StatusOK, status, string(body))
		assert.Equal(t, "application/json", h.Get("Content-Type"))
		assertNoLeak(t, "the JSON list", body)

		// Every key of every object is in the allowed list.
		allowed := map[string]bool{"asOf": true, "organizations": true, "organization": true, "subprocessors": true, "changes": true,
			"vendor": true, "service": true, "country": true, "countryCode": true, "transferMechanism": true, "purposes": true,
			"dataCategories": true, "change": true, "replaces": true, "announcedAt": true, "effectiveAt": true}
		var doc any
		require.NoError(t, json.Unmarshal(body, &doc))
		var walk func(v any)
		walk = func(v any) {
			switch x := v.(type) {
			case map[string]any:
				for k, e := range x {
					assert.True(t, allowed[k], "field %q is not public", k)
					walk(e)
				}
			case []any:
				for _, e := range x {
					walk(e)
				}
			}
		}
		walk(doc)

		orgs := dig(doc, "organizations").([]any)
		require.Len(t, orgs, 1)
		assert.Equal(t, "Privhub Inc.", dig(orgs[0], "organization"))
		assert.Equal(t, "Hostly LLC", dig(orgs[0], "subprocessors.0.vendor"), "as of 2026-08-01 the replacement is pending")
		assert.Equal(t, []any{"Contact details"}, dig(orgs[0], "subprocessors.0.dataCategories"), "coarse categories only")
		assert.Equal(t, "REPLACED", dig(orgs[0], "changes.0.change"))
		assert.Equal(t, "Hostly LLC", dig(orgs[0], "changes.0.replaces"))
		assert.Equal(t, "IN", dig(orgs[0], "changes.0.countryCode"))

		status, _, _ = public(t, a.s, "/subprocessors.json?organization=Nobody")
		assert.Equal(t, http.StatusNotFound, status)
		status, _, _ = public(t, a.s, "/subprocessors.json?at=yesterday")
		assert.Equal(t, http.StatusBadRequest, status)
		status, _, body = public(t, a.s, "/subprocessors.json?organization=privhub%20inc.")
		assert.Equal(t, http.StatusOK, status)
		assert.Contains(t, string(body), "Privhub Inc.")
	})
}

func TestPublicSubprocessorPage(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		a.seedPublic()
		status, h, body := public(t, a.s, "/subprocessors?at=2026-08-01")
		require.Equal(t, http.StatusOK, status, string(body))
		assert.Equal(t, "text/html; charset=utf-8", h.Get("Content-Type"))
		assert.Contains(t, h.Get("Content-Security-Policy"), "default-src 'none'")
		assertNoLeak(t, "the page", body)
		page := string(body)
		assert.Contains(t, page, `<html lang="en">`)
		assert.NotRegexp(t, `(?i)<script|src=|https?://`, page, "no script and no external asset")
		// Every column is one of the public fields.
		allowed := map[string]bool{"Subprocessor": true, "Service": true, "Country": true, "Transfer mechanism": true,
			"Purposes": true, "Data categories": true, "Announced": true, "Takes effect": true, "Change": true}
		heads := regexp.MustCompile(`<th scope="col">([^<]*)</th>`).FindAllStringSubmatch(page, -1)
		require.NotEmpty(t, heads)
		for _, m := range heads {
			assert.True(t, allowed[m[1]], "column %q is not public", m[1])
		}
		assert.Contains(t, page, "Replaces Hostly LLC")
		assert.Contains(t, page, "(pending)")
		assert.Contains(t, page, "<caption>")
	})
}

// atomFeed is what RFC 4287 requires of a feed and its entries (4.1.1,
// 4.1.2), read with encoding/xml in the Atom namespace.
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string      `xml:"http://www.w3.org/2005/Atom id"`
	Title   string      `xml:"http://www.w3.org/2005/Atom title"`
	Updated string      `xml:"http://www.w3.org/2005/Atom updated"`
	Authors []atomName  `xml:"http://www.w3.org/2005/Atom author"`
	Entries []atomEntry `xml:"http://www.w3.org/2005/Atom entry"`
}

type atomName struct {
	Name string `xml:"http://www.w3.org/2005/Atom name"`
}

type atomEntry struct {
	ID      string     `xml:"http://www.w3.org/2005/Atom id"`
	Title   string     `xml:"http://www.w3.org/2005/Atom title"`
	Updated string     `xml:"http://www.w3.org/2005/Atom updated"`
	Authors []atomName `xml:"http://www.w3.org/2005/Atom author"`
	Content string     `xml:"http://www.w3.org/2005/Atom content"`
	Links   []struct {
		Href string `xml:"href,attr"`
	} `xml:"http://www.w3.org/2005/Atom link"`
}

func TestPublicSubprocessorFeedIsAtom(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		a.seedPublic()
		status, h, body := public(t, a.s, "/subprocessors.atom")
		require.Equal(t, http.StatusOK, status, string(body))
		assert.Equal(t, "application/atom+xml; charset=utf-8", h.Get("Content-Type"))
		assertNoLeak(t, "the feed", body)

		var f atomFeed
		require.NoError(t, xml.Unmarshal(body, &f))
		assert.NotEmpty(t, f.ID)
		assert.NotEmpty(t, f.Title)
		_, err := time.Parse(time.RFC3339, f.Updated)
		require.NoError(t, err, "feed updated is an RFC 3339 date")
		require.Len(t, f.Entries, 2)
		ids := map[string]bool{}
		for _, e := range f.Entries {
			assert.Regexp(t, `^urn:uuid:[0-9a-f-]{36}$`, e.ID)
			assert.False(t, ids[e.ID], "entry ids are unique")
			ids[e.ID] = true
			assert.NotEmpty(t, e.Title)
			_, err := time.Parse(time.RFC3339, e.Updated)
			require.NoError(t, err)
			assert.True(t, len(f.Authors) > 0 || len(e.Authors) > 0, "an author for every entry")
			require.NotEmpty(t, e.Links)
			// The content states only the public fields, one per line.
			for _, line := range strings.Split(e.Content, "\n") {
				label, _, ok := strings.Cut(line, ": ")
				require.True(t, ok, "line %q", line)
				assert.Contains(t, []string{"Change", "Subprocessor", "Service", "Country", "Transfer mechanism", "Purposes",
					"Data categories", "Announced", "Takes effect"}, label)
			}
		}
		assert.Contains(t, f.Entries[0].Title, "replaces Hostly LLC with", "the latest first")

		// Only the elements of Atom that the feed is meant to have.
		allowed := map[string]bool{"feed": true, "title": true, "id": true, "updated": true, "subtitle": true, "link": true,
			"author": true, "name": true, "entry": true, "published": true, "content": true}
		dec := xml.NewDecoder(bytes.NewReader(body))
		for {
			tok, err := dec.Token()
			if err == io.EOF {
				break
			}
			require.NoError(t, err)
			if se, ok := tok.(xml.StartElement); ok {
				assert.Equal(t, "http://www.w3.org/2005/Atom", se.Name.Space)
				assert.True(t, allowed[se.Name.Local], "element %s", se.Name.Local)
			}
		}

		// The same feed twice has the same ids: they are permanent.
		_, _, again := public(t, a.s, "/subprocessors.atom")
		var g atomFeed
		require.NoError(t, xml.Unmarshal(again, &g))
		assert.Equal(t, f.ID, g.ID)
		assert.Equal(t, f.Entries[0].ID, g.Entries[0].ID)
	})
}

// TestAnnouncementListHasNoNPlusOne: listing announcements with their
// organisation, vendor, informed controllers and objections costs the same
// number of statements for 2 announcements as for 8.
func TestAnnouncementListHasNoNPlusOne(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		w := a.seedNotices()
		for i := range 8 {
			in := announceIn(w, fmt.Sprintf("2026-%02d-01T00:00:00Z", 7+i%5))
			in["announcedAt"] = fmt.Sprintf("2026-05-%02dT09:00:00Z", 1+i)
			a.data(announceM, map[string]any{"in": in})
		}
		s, n := countingServer(t, db)
		q := `query($n: Int!) { subprocessorAnnouncements(first: $n, orderBy: {field: ANNOUNCED_AT}) { totalCount edges { node {
			kind organization { name } vendor { name } country { code } purposes { name } categories { key }
			informed { noticeDays inTime noticeRunsOut contract { title } party { holder { name } } }
			objections { text }
		} } } }`
		measure := func(size int) int64 {
			var out struct {
				SubprocessorAnnouncements struct {
					TotalCount int
					Edges      []struct {
						Node struct {
							Informed []struct {
								Party struct{ Holder struct{ Name string } }
							}
						}
					}
				}
			}
			n.Store(0)
			s.MustDo(q, map[string]any{"n": size}, &out)
			require.Equal(t, 8, out.SubprocessorAnnouncements.TotalCount)
			require.Len(t, out.SubprocessorAnnouncements.Edges, size)
			for _, e := range out.SubprocessorAnnouncements.Edges {
				require.Len(t, e.Node.Informed, 1)
				assert.Equal(t, "Privhub SA", e.Node.Informed[0].Party.Holder.Name)
			}
			return n.Load()
		}
		small, large := measure(2), measure(8)
		assert.Equal(t, small, large, "statements for 2 and for 8 announcements")
	})
}

// An announcement goes to the webhook outbox with it: one pending delivery
// per subscriber of subprocessor changes, and none when it is refused.
func TestAnnouncementReachesTheWebhookOutbox(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newAPI(t, db, server.Config{})
		w := a.seedNotices()
		a.data(createSubscriberQ, map[string]any{"in": map[string]any{
			"url": "https://hooks.example.com/changes", "events": []string{"subprocessor.change"}}})
		a.data(createSubscriberQ, map[string]any{"in": map[string]any{
			"url": "https://hooks.example.com/pings", "events": []string{"ping"}}})
		const deliveries = `{ webhookDeliveries(first: 10) { totalCount edges { node {
			status subscriber { url } event { kind payload } } } } }`

		r := a.s.Do(announceM, map[string]any{"in": announceIn(w, "2026-06-20T00:00:00Z")})
		requireOneError(t, r, "BAD_USER_INPUT", "effectiveAt")
		assert.Equal(t, float64(0), dig(a.data(deliveries, nil), "webhookDeliveries.totalCount"), "a refused announcement sends nothing")

		a.data(announceM, map[string]any{"in": announceIn(w, "2026-07-01T00:00:00Z")})
		d := a.data(deliveries, nil)
		require.Equal(t, float64(1), dig(d, "webhookDeliveries.totalCount"), "only the subscriber of subprocessor changes")
		n := dig(d, "webhookDeliveries.edges.0.node")
		assert.Equal(t, "PENDING", dig(n, "status"))
		assert.Equal(t, "https://hooks.example.com/changes", dig(n, "subscriber.url"))
		assert.Equal(t, "subprocessor.change", dig(n, "event.kind"))
		assert.Equal(t, "Privhub Inc.", dig(n, "event.payload.organization"))
		assert.Equal(t, "Hostly LLC", dig(n, "event.payload.change.vendor"))
		assert.Equal(t, "ADDED", dig(n, "event.payload.change.change"))
	})
}
