package console_test

// The console in headless Chromium, on the Lumora demo: the DPO's day, the
// data subject's, and an analyst's, each page checked, photographed and
// counted (GraphQL requests, milliseconds to its "loaded" marker).

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/internal/apitest"
	"github.com/privhub/privhub/internal/auth"
	"github.com/privhub/privhub/internal/demo"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/server"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/store/storetest"
)

// demoAt is the demo's reference instant, as the console's "as of" date.
const demoAt = "2026-06-30"

// maxRequests is the most GraphQL requests a page may cost.
const maxRequests = 2

// demoServer loads the demo into db and serves it; it answers the server
// (with an ADMIN client) and a token of the role.
func demoServer(t *testing.T, db *store.DB) *apitest.Server {
	t.Helper()
	_, err := demo.Load(context.Background(), db.Client)
	require.NoError(t, err)
	return apitest.New(t, db, server.Config{})
}

// token issues a token of the role (for a SUBJECT, standing for user).
func token(t *testing.T, db *store.DB, role auth.Role, user *pulid.ID) string {
	t.Helper()
	tok, _, err := auth.Issue(context.Background(), db.Client, auth.IssueInput{Role: role, Name: "browser " + string(role), UserID: user})
	require.NoError(t, err)
	return tok
}

// requestUser answers the ID and e-mail of the person behind a request.
func requestUser(t *testing.T, s *apitest.Server, ref string) (id, email string) {
	t.Helper()
	var out struct {
		Requests struct {
			Edges []struct {
				Node struct {
					User struct{ ID, Email string }
				}
			}
		}
	}
	s.MustDo(`query($r: String) { requests(where: {reference: $r}) { edges { node { user { id email } } } } }`, map[string]any{"r": ref}, &out)
	require.Len(t, out.Requests.Edges, 1, ref)
	u := out.Requests.Edges[0].Node.User
	return u.ID, u.Email
}

// signIn opens the console, pastes the token and waits for the first page.
func (d *driver) signIn(tok, fragment, page string) {
	d.t.Helper()
	d.run(navigate(d.base + "/" + fragment))
	d.loaded("signin", 0)
	assert.Equal(d.t, "", d.str(`localStorage.length ? JSON.stringify(Object.keys(localStorage)) : ""`))
	before := d.rendered()
	d.setValue("#token", tok)
	d.click("#signin")
	d.loaded(page, before)
	assert.Empty(d.t, d.text("#token"), "the token is gone from the page")
	assert.NotContains(d.t, d.str(`location.href`), tok, "the token is never in the address")
	assert.Equal(d.t, "", d.str(`(document.cookie)`), "the session cookie is HttpOnly")
}

// checkPage checks the page cost at most maxRequests GraphQL requests and
// logs its load time.
func checkPage(t *testing.T, name string, requests, ms int) {
	t.Helper()
	assert.LessOrEqual(t, requests, maxRequests, "GraphQL requests of the %s page", name)
	assert.Positive(t, requests, "the %s page asks the API", name)
	t.Logf("page %-10s %d request(s), %d ms to loaded", name, requests, ms)
}

func TestConsoleDPODay(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		s := demoServer(t, db)
		dpo := token(t, db, auth.RoleDPO, nil)
		_, email := requestUser(t, s, "DSR-001")
		d := newDriver(t, s.URL, screenshotDir(t, db.Dialect))
		at := "at=" + demoAt

		// Sign in: the overview as of the demo's date.
		d.signIn(dpo, "#/?"+at, "overview")
		assert.Contains(t, d.text("#who"), "DPO", "the header says which role is signed in")
		var navMS float64
		d.eval(`performance.getEntriesByType('navigation')[0].loadEventEnd`, &navMS)
		t.Logf("first load of the console (Navigation Timing loadEventEnd): %.0f ms", navMS)
		r, ms := d.open("#/?"+at+"&x=1", "overview")
		checkPage(t, "overview", r, ms)
		assert.NotEqual(t, "0", d.text("#findings-total"))
		assert.Contains(t, d.text("#overdue"), "DSR-001", "the overdue request")
		assert.Contains(t, d.text("#by-rule"), "GDPR", "rules with their legal reference")
		assert.Positive(t, d.count(`#by-rule a[href*="scc.repealed-decision"]`), "the repealed SCC rule is listed")
		assert.Positive(t, d.count("#expiring"))
		assert.Positive(t, d.count("#pending"))
		d.screenshot("overview")

		// Keyboard: Tab reaches the skip link, then real links and buttons,
		// each with a visible focus style.
		d.run(pressTab())
		assert.Equal(t, "A", d.str(`document.activeElement.tagName`))
		assert.Contains(t, d.str(`getComputedStyle(document.activeElement).outlineStyle`), "solid", "focus is visible")

		// Vendors: search, filter by a rule's open findings, sort, then the
		// vendor with a repealed SCC.
		before := d.rendered()
		d.click(`#nav a[href^="#/vendors"]`)
		r, ms = d.loaded("vendors", before)
		checkPage(t, "vendors", r, ms)
		assert.Contains(t, d.text("#vendor-table"), "Nimbra Cloud SAS")
		before = d.rendered()
		d.setValue("#vendor-rule", "scc.repealed-decision")
		r, ms = d.loaded("vendors", before)
		checkPage(t, "vendors (by finding)", r, ms)
		assert.Contains(t, d.text("#vendor-table"), "Relaybox Inc.")
		assert.NotContains(t, d.text("#vendor-table"), "Nimbra Cloud SAS")
		before = d.rendered()
		d.setValue("#vendor-rule", "")
		d.loaded("vendors", before)
		before = d.rendered()
		d.setValue("#vendor-search", "relay")
		d.submit("#vendor-filters")
		d.loaded("vendors", before)
		assert.Contains(t, d.text("#vendor-table"), "Relaybox Inc.")
		assert.Equal(t, 1, d.count("#vendor-table tbody tr"))
		before = d.rendered()
		d.setValue("#vendor-search", "")
		d.submit("#vendor-filters")
		d.loaded("vendors", before)
		before = d.rendered()
		d.click(`button[aria-label="Sort by Name"]`)
		d.loaded("vendors", before)
		first := d.text("#vendor-table tbody tr:first-child td:first-child")
		assert.True(t, first >= "P", "sorted by name, descending: %q comes first", first)
		assert.Positive(t, d.count(`a[rel="next"]`), "25 vendors a page")
		d.screenshot("vendors")
		before = d.rendered()
		d.setValue("#vendor-rule", "scc.repealed-decision")
		d.loaded("vendors", before)
		before = d.rendered()
		d.clickText("a", "Relaybox Inc.")
		r, ms = d.loaded("vendor", before)
		checkPage(t, "vendor", r, ms)
		assert.Contains(t, d.text("#findings"), "scc.repealed-decision")
		assert.NotEmpty(t, strings.TrimSpace(d.text("#findings tbody td:nth-child(3)")), "the finding names its legal reference")
		assert.Contains(t, d.text("#contracts"), "2010/87/EU")
		assert.Contains(t, d.text("#contracts"), "Clause 17 law")
		// The chain: Postlane Mail (RO) -> Relaybox (US, no adequacy) ->
		// Bounceguard (GB, adequacy), each hop coloured by its country's
		// protection.
		picture := d.text("#chain-picture")
		for _, name := range []string{"Postlane Mail SRL", "Relaybox Inc.", "Bounceguard Ltd"} {
			assert.Contains(t, picture, name)
		}
		assert.Positive(t, d.count(`#chain-picture path.hop[data-cls="third"]`), "the hop to the US is not adequately protected")
		assert.Positive(t, d.count(`#chain-picture path.hop[data-cls="adequate"]`), "the hop to the UK is adequate")
		d.run(scrollTo("#chain"))
		d.screenshot("vendor-chain")

		// People: trace a person by e-mail, and their Art. 15 export.
		before = d.rendered()
		d.click(`#nav a[href^="#/people"]`)
		d.loaded("people", before)
		before = d.rendered()
		d.setValue("#people-email", strings.ToUpper(email))
		d.submit("#people-search")
		r, ms = d.loaded("person", before)
		checkPage(t, "person", r, ms)
		assert.Contains(t, d.text("main h1"), "", "the person's page")
		assert.Contains(t, d.text("#holdings"), "Lumora SA")
		assert.Positive(t, d.count("#trace-picture svg path.hop"), "the chains are drawn")
		assert.Contains(t, d.text("#holdings"), "Covered by")
		d.click("#export-button")
		d.until("the export", `!!document.querySelector('#export-result a[download]')`)
		var exported map[string]any
		raw := d.str(`fetch(document.querySelector('#export-result a[download]').href).then(r => r.text())`)
		require.NoError(t, json.Unmarshal([]byte(raw), &exported))
		assert.NotEmpty(t, exported)
		d.screenshot("person")

		// Requests: DSR-001 is overdue; extending it needs the Art. 12(3)
		// reason and a notification inside the first month.
		before = d.rendered()
		d.click(`#nav a[href^="#/requests"]`)
		r, ms = d.loaded("requests", before)
		checkPage(t, "requests", r, ms)
		assert.Positive(t, d.count(`#request-table tr.overdue`))
		assert.Contains(t, d.text("#request-table tr.overdue"), "DSR-001")
		d.run(clickXPath(`//tr[contains(., "DSR-001")]//button[contains(@class, "extend")]`))
		d.until("the extension form", `!!document.querySelector('.extend-form')`)
		d.setValue(".extend-form textarea", "records spread over several systems")
		d.setValue(`.extend-form input[type="date"]`, "2026-06-20")
		d.submit(".extend-form")
		d.until("the refusal", `document.querySelector('.extend-form .error').textContent.includes('first month')`)
		d.screenshot("requests-extend-refused")
		d.setValue(`.extend-form input[type="date"]`, "2026-05-30")
		before = d.rendered()
		d.submit(".extend-form")
		d.loaded("requests", before)
		row := d.str(`[...document.querySelectorAll('#request-table tbody tr')].find(r => r.innerText.includes('DSR-001')).innerText`)
		assert.Contains(t, row, "+1 month(s)")
		assert.Contains(t, row, "records spread over several systems")
		assert.Contains(t, row, "2026-07-02", "due one month later")
		assert.NotContains(t, d.text("#request-table tr.overdue"), "DSR-001", "no longer overdue")
		d.screenshot("requests")

		// Findings: the overdue request's finding is gone; changing the
		// "as of" date brings back what was true then.
		r, ms = d.open("#/findings?rule=request.overdue&"+at, "findings")
		checkPage(t, "findings", r, ms)
		assert.NotContains(t, d.text("#finding-list"), "DSR-001", "extended: no longer overdue")
		d.open("#/findings?rule=transfer.no-mechanism&"+at, "findings")
		assert.NotContains(t, d.text("main"), "Paulista", "lawful under Brazil's adequacy as of 2026-06-30")
		before = d.rendered()
		d.setValue("#asof", "2025-06-01")
		d.loaded("findings", before)
		assert.Contains(t, d.str(`location.hash`), "at=2025-06-01")
		assert.Contains(t, d.text("#finding-list"), "Paulista", "no mechanism before Brazil's adequacy")
		assert.Contains(t, d.text("main h1"), "2025-06-01")
		d.screenshot("findings-2025")
		before = d.rendered()
		d.clickText("a", "Paulista")
		d.loaded("vendor", before)
		assert.Contains(t, d.text("#findings"), "transfer.no-mechanism", "the vendor page honours the date too")

		// The data map, filtered, downloadable as SVG.
		r, ms = d.open("#/datamap?"+at, "datamap")
		checkPage(t, "datamap", r, ms)
		all := d.count("#datamap-picture path.hop")
		assert.Greater(t, all, 20)
		svg := d.str(`fetch(document.getElementById('datamap-download').href).then(r => r.text())`)
		assert.True(t, strings.HasPrefix(svg, "<?xml"), "an SVG file")
		assert.Contains(t, svg, "<svg")
		assert.Contains(t, svg, "Stratus Grid LLC")
		assert.Contains(t, d.str(`document.getElementById('datamap-download').download`), "privhub-datamap-"+demoAt)
		d.screenshot("datamap")
		before = d.rendered()
		d.setValue(`#datamap-filters select[name="country"]`, "cty_US")
		d.loaded("datamap", before)
		assert.Less(t, d.count("#datamap-picture path.hop"), all, "filtered by the importer's country")

		// A phone-sized screen: nothing wider than the screen but the tables'
		// own scrolling boxes.
		d.viewport(390, 844, true)
		d.open("#/?"+at, "overview")
		var width int
		d.eval(`document.documentElement.scrollWidth`, &width)
		assert.LessOrEqual(t, width, 400, "the page fits a phone")
		d.screenshot("overview-phone")
		d.viewport(1280, 900, false)

		// Sign-out ends the session server-side.
		before = d.rendered()
		d.click("#signout")
		d.loaded("signin", before)
		assert.Equal(t, "401", d.str(`fetch('/session').then(r => String(r.status))`))
	})
}

func TestConsoleSubjectDay(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		s := demoServer(t, db)
		me, myEmail := requestUser(t, s, "DSR-003")
		other, otherEmail := requestUser(t, s, "DSR-001")
		uid := pulid.ID(me)
		d := newDriver(t, s.URL, screenshotDir(t, db.Dialect))

		// A person's choices take effect when they make them: the subject's
		// day is as of today, not the demo's date.
		d.signIn(token(t, db, auth.RoleSubject, &uid), "#/", "self")
		assert.Contains(t, d.str(`location.hash`), "#/people/"+me, "a subject lands on its own page")
		assert.Contains(t, d.text("#who"), "SUBJECT")
		r, ms := d.open(fmt.Sprintf("#/people/%s?x=1", me), "self")
		checkPage(t, "self", r, ms)
		assert.Equal(t, 1, d.count("#nav a"), "one page: its own")
		assert.Contains(t, d.text("main"), myEmail)
		assert.Contains(t, d.text("#holdings"), "Postlane Mail SRL", "who has its data")
		assert.Contains(t, d.text("#holdings"), "Orbis POS Inc.", "the sponsor it consented to")
		assert.Contains(t, d.text("#records"), "billing.invoice", "what is held")
		assert.Equal(t, "true", d.str(`document.getElementById('switch-events').getAttribute('aria-checked')`))
		d.screenshot("subject")

		// Opt out of the event sharing with sponsors.
		holdersBefore := d.count("#holdings tbody tr")
		before := d.rendered()
		d.click("#switch-events")
		d.loaded("self", before)
		assert.Equal(t, "false", d.str(`document.getElementById('switch-events').getAttribute('aria-checked')`))
		assert.Contains(t, d.text("#choices"), "you opted out")
		holdersAfter := d.count("#holdings tbody tr")
		assert.Less(t, holdersAfter, holdersBefore, "the opt-out stops flows at once")
		assert.Contains(t, d.text("#holdings .notice"), "Stopped by this person's choices")
		t.Logf("after the opt-out: %d holdings (%d before); %s", holdersAfter, holdersBefore, d.text("#holdings .notice"))

		// Ask for erasure.
		erasures := func() int {
			var out struct {
				Requests struct{ TotalCount int }
			}
			s.MustDo(`query($u: ID!) { requests(where: {userID: $u, kind: ERASURE}) { totalCount } }`, map[string]any{"u": me}, &out)
			return out.Requests.TotalCount
		}
		before = erasures()
		d.click("#ask-erasure")
		d.until("the receipt", `document.getElementById('request-status').innerText.includes('erasure request was received')`)
		d.screenshot("subject-erasure")
		assert.Equal(t, before+1, erasures(), "the request is on record")

		// Someone else's page answers exactly as a page of nobody.
		d.open(fmt.Sprintf("#/people/%s", other), "self")
		someone := d.text("main")
		assert.Contains(t, someone, "Not found")
		assert.NotContains(t, d.str(`document.documentElement.outerHTML`), otherEmail)
		d.open(fmt.Sprintf("#/people/%s", pulid.New("usr")), "self")
		assert.Equal(t, someone, d.text("main"), "another person's ID answers as an ID that names nobody")
		d.screenshot("subject-not-found")
	})
}

// TestConsoleAnalystSeesNoPersonalValue: an analyst's console shows the
// model, the traces and the findings, and not one e-mail address, name or
// account reference.
func TestConsoleAnalystSeesNoPersonalValue(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		s := demoServer(t, db)
		var out struct {
			Users struct {
				Edges []struct {
					Node struct {
						ID, Email, Name, ExternalRef string
					}
				}
			}
		}
		s.MustDo(`{ users(first: 500) { edges { node { id email name externalRef } } } }`, nil, &out)
		require.NotEmpty(t, out.Users.Edges)
		person, email := requestUser(t, s, "DSR-001")
		d := newDriver(t, s.URL, screenshotDir(t, db.Dialect))
		d.signIn(token(t, db, auth.RoleAnalyst, nil), "#/?at="+demoAt, "overview")

		pages := []struct{ fragment, page string }{
			{"#/?at=" + demoAt, "overview"},
			{"#/requests?status=all&at=" + demoAt, "requests"},
			{"#/people/" + person + "?at=" + demoAt, "person"},
			{"#/people?email=" + email + "&at=" + demoAt, "people"},
			{"#/findings?at=" + demoAt, "findings"},
			{"#/vendors?at=" + demoAt, "vendors"},
		}
		for _, p := range pages {
			d.open(p.fragment, p.page)
			html := d.str(`document.documentElement.outerHTML`)
			for _, e := range out.Users.Edges {
				u := e.Node
				for _, v := range []string{u.Email, u.Name, u.ExternalRef} {
					if v != "" {
						if strings.Contains(html, v) {
							i := strings.Index(html, v)
							t.Errorf("page %s shows the personal value %q: …%s…", p.fragment, v, html[max(0, i-200):min(len(html), i+100)])
						}
					}
				}
			}
		}
		d.open("#/people/"+person+"?at="+demoAt, "person")
		assert.Contains(t, d.text("main"), "hidden for your role")
		assert.Contains(t, d.text("#holdings"), "Lumora SA", "the trace itself is there")
		d.click("#export-button")
		d.until("the refusal", `document.getElementById('export-result').innerText.includes('FORBIDDEN')`)
		d.screenshot("analyst-person")
	})
}
