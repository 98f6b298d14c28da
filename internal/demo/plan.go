package demo

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/privhub/privhub/ent/consent"
	"github.com/privhub/privhub/ent/datarecord"
	"github.com/privhub/privhub/ent/request"
	"github.com/privhub/privhub/internal/vocab"
)

// person is a data subject of the plan.
type person struct {
	ref, first, last, email, country, company string
	kind                                      vocab.SubjectKind
	since                                     time.Time // sign-up, lead, registration or application
}

func (p person) name() string {
	if p.first == "" {
		return ""
	}
	return p.first + " " + p.last
}

// recordSpec is a data record of the plan; person indexes plan.people.
type recordSpec struct {
	person    int
	category  string
	collector string // holder key
	source    datarecord.Source
	at        time.Time
	lastUsed  time.Time
	value     string
	purposes  []string
}

// consentSpec is a consent ledger entry of the plan.
type consentSpec struct {
	person           int
	purpose          string
	recipient        string // vendor key, or "" for the purpose as a whole
	decision         consent.Decision
	explicit         bool
	at               time.Time
	source, evidence string
}

// disclosureSpec is a batch of users handed to a recipient.
type disclosureSpec struct {
	transfer, reference string
	at                  time.Time
	people              []int
	categories          []string
}

// requestSpec is a data subject request of DEMO.md's table.
type requestSpec struct {
	ref               string
	person            int
	kind              request.Kind
	status            request.Status
	received          time.Time
	extensionNotified time.Time
	extensionMonths   int
	extensionReason   string
	completed         time.Time
	history           []vocab.StatusChange
	note              string
}

// due is one calendar month after receipt, moved by the extension's months.
func (r requestSpec) due() time.Time { return r.received.AddDate(0, 1+r.extensionMonths, 0) }

// plan is the whole population of the demo, generated from a fixed seed
// before anything is written.
type plan struct {
	r      *rand.Rand
	emails map[string]bool

	people      []person
	records     []recordSpec
	consents    []consentSpec
	disclosures []disclosureSpec
	requests    []requestSpec
}

// Event dates of DEMO.md's three events and the Doha side event. The
// Madrid summit runs on 2026-04-22 and 23.
var (
	madridEnd   = date(2026, 4, 23)
	dubaiEvent  = date(2026, 3, 10)
	dohaEvent   = date(2026, 3, 12)
	mumbaiEvent = date(2026, 5, 14)
	// retailWebinar is the retail webinar Orbis POS co-hosted.
	retailWebinar = date(2026, 3, 24)
	referralDay   = at(2026, 2, 16, 11, 0)
)

// Sizes of the population. Users is the total DEMO.md calls "around 240".
const (
	nCustomers  = 100
	nProspects  = 30
	nMadrid     = 30 // event registrants for Madrid; ten customers register too
	nDubai      = 10
	nMumbai     = 10
	nTrainees   = 20
	nApplicants = 15
	nVisitors   = 20
	nPartners   = 5

	// Users is the number of users the demo holds.
	Users = nCustomers + nProspects + nMadrid + nDubai + nMumbai + nTrainees + nApplicants + nVisitors + nPartners
)

// newPlan generates the population. The same seed always gives the same plan.
func newPlan() *plan {
	p := &plan{r: rand.New(rand.NewPCG(1, 2)), emails: map[string]bool{}}
	g := p.generate()
	p.assignRefs()
	p.requestsOf(g)
	return p
}

// groups remembers the indices of the people of each group and of the
// planted cases, for the steps that follow generation.
type groups struct {
	customers, prospects, madrid, dubai, mumbai []int
	trainees, applicants, visitors, partners    []int

	// madridAll lists the forty Madrid registrants: the thirty event
	// registrants first, then the ten customers who registered.
	madridAll []int
	regAt     map[int]time.Time
}

// between returns a random instant between two days (inclusive), at a
// plausible time of day.
func (p *plan) between(from, to time.Time) time.Time {
	days := int(to.Sub(from).Hours()/24) + 1
	if days < 1 {
		days = 1
	}
	d := from.AddDate(0, 0, p.r.IntN(days))
	return time.Date(d.Year(), d.Month(), d.Day(), 7+p.r.IntN(13), p.r.IntN(60), 0, 0, time.UTC)
}

// onForm is when a choice made on a form is recorded: a minute before the
// data the form collects, so that the choice is in force when the data
// arrives.
func onForm(submitted time.Time) time.Time { return submitted.Add(-time.Minute) }

func (p *plan) chance(f float64) bool { return p.r.Float64() < f }

func pick[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }

func (p *plan) country(ws []weighted) string {
	total := 0
	for _, w := range ws {
		total += w.weight
	}
	n := p.r.IntN(total)
	for _, w := range ws {
		if n < w.weight {
			return w.country
		}
		n -= w.weight
	}
	return ws[len(ws)-1].country
}

// newPerson draws a name for the country and an unused e-mail address at the
// domain (a personal domain when domain is "").
func (p *plan) newPerson(kind vocab.SubjectKind, country, company, domain string, since time.Time) int {
	pool := namesOf(country)
	if country == "BE" && p.chance(0.5) {
		pool = frenchNames
	}
	first, last := pick(p.r, pool.first), pick(p.r, pool.last)
	if domain == "" {
		domain = pick(p.r, personalDomains)
	}
	local := slug(first) + "." + slug(last)
	email := local + "@" + domain
	for n := 2; p.emails[email]; n++ {
		email = fmt.Sprintf("%s%d@%s", local, n, domain)
	}
	p.emails[email] = true
	p.people = append(p.people, person{kind: kind, first: first, last: last, email: email,
		country: country, company: company, since: since})
	return len(p.people) - 1
}

func (p *plan) record(person int, category, collector string, source datarecord.Source, at time.Time, purposes ...string) *recordSpec {
	p.records = append(p.records, recordSpec{person: person, category: category, collector: collector,
		source: source, at: at, purposes: purposes})
	return &p.records[len(p.records)-1]
}

func (p *plan) consent(person int, purpose, recipient string, d consent.Decision, at time.Time, source, evidence string) *consentSpec {
	p.consents = append(p.consents, consentSpec{person: person, purpose: purpose, recipient: recipient,
		decision: d, at: at, source: source, evidence: evidence})
	return &p.consents[len(p.consents)-1]
}

// assignRefs gives every person an account reference, shuffled so that the
// references do not follow the groups.
func (p *plan) assignRefs() {
	perm := p.r.Perm(len(p.people))
	for i := range p.people {
		p.people[i].ref = fmt.Sprintf("LUM-%06d", 101+perm[i]*7)
	}
}

// generate draws every group in a fixed order.
func (p *plan) generate() *groups {
	g := &groups{regAt: map[int]time.Time{}}
	p.customersOf(g)
	p.prospectsOf(g)
	p.registrantsOf(g)
	p.traineesOf(g)
	p.applicantsOf(g)
	p.visitorsOf(g)
	p.partnerContactsOf(g)
	p.madridOf(g)
	p.smallEventsOf(g)
	p.referralsOf(g)
	return g
}

// Consent sources and evidence, as the preference centre records them.
const (
	srcSignUp      = "sign-up form"
	srcUnsubscribe = "unsubscribe link in a newsletter"
	srcBanner      = "cookie banner"
	srcPrefs       = "preference centre"
	srcRegForm     = "event registration form"
	evBannerGrant  = "Banner v4: 'Accept analytics' clicked; consent string stored."
	evBannerReject = "Banner v4: 'Reject all' clicked."
	evSignUp       = "Unticked box 'Send me product news and offers' ticked at sign-up."
	evUnsubscribe  = "One-click unsubscribe (List-Unsubscribe-Post)."
)

// customersOf draws the customers: account, billing, devices, logs, support,
// marketing and analytics choices.
func (p *plan) customersOf(g *groups) {
	for i := range nCustomers {
		country := p.country(customerCountries)
		since := p.between(date(2019, 1, 7), date(2025, 12, 15))
		if i == 0 { // DSR-003: a customer since 2019, with an invoice every year
			country, since = "BE", at(2019, 3, 14, 10, 12)
		}
		company := pick(p.r, companies)
		c := p.newPerson(vocab.SubjectCustomer, country, company, companyDomain(company), since)
		g.customers = append(g.customers, c)
	}
	optOuts := 0
	for i, c := range g.customers {
		since := p.people[c].since
		rich := i == 1 // DSR-005: a complete export

		marketing := p.chance(0.6) || i == 0 || rich
		marketingNow := marketing
		if marketing {
			p.consent(c, "marketing", "", consent.DecisionGranted, onForm(since), srcSignUp, evSignUp)
			if i >= 20 && optOuts < 10 {
				optOuts++
				marketingNow = false
				p.consent(c, "marketing", "", consent.DecisionOptedOut,
					p.between(maxTime(since.AddDate(0, 1, 0), date(2022, 1, 3)), date(2026, 5, 29)), srcUnsubscribe, evUnsubscribe)
			}
		}

		p.record(c, "identity.name", "E1", datarecord.SourceProvided, since, "service", "billing")
		email := []string{"service", "support"}
		if marketingNow {
			email = append(email, "marketing")
		}
		p.record(c, "contact.email", "E1", datarecord.SourceProvided, since, email...)
		p.record(c, "contact.company", "E1", datarecord.SourceProvided, since, "service", "billing")
		if p.chance(0.6) || rich {
			p.record(c, "contact.phone", "E1", datarecord.SourceProvided, since, "service", "support")
		}
		p.record(c, "contact.address", "E1", datarecord.SourceProvided, since, "service", "billing")
		p.record(c, "credentials.password_hash", "E1", datarecord.SourceProvided, since, "service", "security").
			lastUsed = p.between(date(2026, 5, 1), date(2026, 6, 28))
		if p.chance(0.7) || rich || i == 0 {
			p.record(c, "billing.vat_id", "E1", datarecord.SourceProvided, since, "billing")
		}
		if p.chance(0.5) || rich {
			p.record(c, "billing.payment_token", "E1", datarecord.SourceProvided, since, "billing")
		}
		// One invoice per subscription year; the first one since 2019 is
		// kept until the end of 2026, the last one until 2033-12-31.
		for inv := since; !inv.After(date(2026, 6, 28)); inv = inv.AddDate(1, 0, 0) {
			p.record(c, "billing.invoice", "E1", datarecord.SourceDerived, inv, "billing").
				value = fmt.Sprintf("INV-%d-%05d", inv.Year(), 1+p.r.IntN(99999))
		}
		p.record(c, "device.metadata", "E1", datarecord.SourceObserved, p.between(date(2025, 8, 1), date(2026, 6, 28)), "security")
		p.record(c, "device.browser", "E1", datarecord.SourceObserved, p.between(date(2025, 8, 1), date(2026, 6, 28)), "service")
		p.record(c, "logs.access", "E1", datarecord.SourceLog, p.between(date(2026, 5, 5), date(2026, 6, 28)), "security")
		if p.chance(0.4) || rich {
			for range 1 + p.r.IntN(3) {
				p.record(c, "support.ticket", "E1", datarecord.SourceProvided,
					p.between(maxTime(since, date(2023, 9, 4)), date(2026, 6, 20)), "support")
			}
		}
		if p.chance(0.1) {
			p.record(c, "diagnostics.crash", "E1", datarecord.SourceDiagnostic, p.between(date(2026, 1, 15), date(2026, 6, 20)), "support")
		}
		backupFrom := maxTime(since.AddDate(0, 0, 1), date(2025, 7, 10))
		p.record(c, "backup.snapshot", "E1", datarecord.SourceDerived, p.between(backupFrom, maxTime(backupFrom, date(2025, 8, 31))), "security")

		// Analytics cookies: a choice at the banner; raw identifiers only
		// for those who accepted, and only for the last two months.
		u := p.r.Float64()
		switch {
		case i == 17: // rejected, yet tracked by Metricly's untagged property
			u = 0.55
		case i == 18: // never answered the banner
			u = 0.99
		case i == 0:
			u = 0.99
		case rich:
			u = 0
		}
		bannerAt := p.between(maxTime(since, date(2025, 1, 6)), date(2026, 4, 30))
		switch {
		case u < 0.5:
			p.consent(c, "analytics", "", consent.DecisionGranted, bannerAt, srcBanner, evBannerGrant)
			p.record(c, "cookies.analytics", "E1", datarecord.SourceCookie, p.between(date(2026, 5, 5), date(2026, 6, 28)), "analytics").
				value = fmt.Sprintf("_lum_a=%08x", p.r.Uint32())
		case u < 0.62:
			p.consent(c, "analytics", "", consent.DecisionOptedOut, bannerAt, srcBanner, evBannerReject)
		case u < 0.68:
			p.consent(c, "analytics", "", consent.DecisionGranted, bannerAt, srcBanner, evBannerGrant)
			p.consent(c, "analytics", "", consent.DecisionWithdrawn, p.between(bannerAt.AddDate(0, 0, 7), date(2026, 6, 20)),
				srcPrefs, "Analytics switched off in the preference centre.")
		}
	}
	// Two customers objected to partner referrals; they are never referred.
	for _, c := range g.customers[15:17] {
		p.consent(c, "partners", "", consent.DecisionOptedOut, p.between(date(2025, 9, 1), date(2026, 1, 30)),
			srcPrefs, "'Do not refer me to certified partners' selected.")
	}
	// Edge logs of ten customers, kept by Aegis Shield for 180 days.
	for _, c := range g.customers[20:30] {
		p.edgeLog(c)
	}
}

// edgeLog adds a CDN log line Aegis Shield collected 180 days before the
// demo's reference date, against a 2-month rule.
func (p *plan) edgeLog(person int) {
	d := RefDate.AddDate(0, 0, -180)
	p.record(person, "logs.edge", "V03", datarecord.SourceLog,
		time.Date(d.Year(), d.Month(), d.Day(), p.r.IntN(24), p.r.IntN(60), 0, 0, time.UTC), "security")
}

// metriclyCookie adds an analytics cookie Metricly set directly on the
// community site, where its tag is not gated by the consent banner.
func (p *plan) metriclyCookie(person int) {
	p.record(person, "cookies.analytics", "V08", datarecord.SourceCookie, p.between(date(2026, 5, 5), date(2026, 6, 28)), "analytics").
		value = fmt.Sprintf("_mtr_uid=%08x (community.lumora.example)", p.r.Uint32())
}

// prospectsOf draws leads who subscribed to marketing.
func (p *plan) prospectsOf(g *groups) {
	for i := range nProspects {
		since := p.between(date(2025, 1, 6), date(2026, 6, 15))
		if i < 4 { // referred to Baltic ERP Partners on 2026-02-16
			since = p.between(date(2025, 1, 6), date(2026, 1, 30))
		}
		company := pick(p.r, companies)
		x := p.newPerson(vocab.SubjectProspect, p.country(customerCountries), company, companyDomain(company), since)
		g.prospects = append(g.prospects, x)
		src := pick(p.r, []string{"webinar sign-up form", "whitepaper download form", "newsletter sign-up"})
		p.consent(x, "marketing", "", consent.DecisionGranted, onForm(since), src, "Double opt-in confirmed by e-mail.")
		p.record(x, "identity.name", "E1", datarecord.SourceProvided, since, "marketing")
		p.record(x, "contact.email", "E1", datarecord.SourceProvided, since, "marketing")
		p.record(x, "contact.company", "E1", datarecord.SourceProvided, since, "marketing")
		if p.chance(0.4) && since.Before(date(2026, 6, 20)) {
			p.consent(x, "analytics", "", consent.DecisionGranted, onForm(since), srcBanner, evBannerGrant)
			p.record(x, "cookies.analytics", "E1", datarecord.SourceCookie,
				p.between(maxTime(since.AddDate(0, 0, 1), date(2026, 5, 5)), date(2026, 6, 28)), "analytics").
				value = fmt.Sprintf("_lum_a=%08x", p.r.Uint32())
		}
	}
}

// registrantsOf draws the people who registered only for an event.
func (p *plan) registrantsOf(g *groups) {
	// The three V22 opt-outs and the two V21 opt-outs register early enough
	// to change their minds before the sponsors receive the lists.
	fixed := map[int]time.Time{
		0: at(2026, 2, 3, 18, 22), 1: at(2026, 2, 10, 12, 5), 2: at(2026, 2, 17, 9, 48),
		17: at(2026, 2, 24, 14, 30), 18: at(2026, 3, 2, 16, 10),
	}
	add := func(n int, countries []weighted, from, to time.Time, into *[]int) {
		for i := range n {
			reg := p.between(from, to)
			if t, ok := fixed[i]; ok && into == &g.madrid {
				reg = t
			}
			company := pick(p.r, companies)
			domain := companyDomain(company)
			if p.chance(0.4) {
				domain = ""
			}
			x := p.newPerson(vocab.SubjectEventRegistrant, p.country(countries), company, domain, reg)
			*into = append(*into, x)
			g.regAt[x] = reg
		}
	}
	add(nMadrid, madridCountries, date(2026, 1, 15), date(2026, 3, 25), &g.madrid)
	add(nDubai, dubaiCountries, date(2026, 1, 12), date(2026, 2, 25), &g.dubai)
	add(nMumbai, mumbaiCountries, date(2026, 3, 10), date(2026, 5, 1), &g.mumbai)
}

// traineesOf draws certification candidates.
func (p *plan) traineesOf(g *groups) {
	for range nTrainees {
		since := p.between(date(2021, 9, 6), date(2026, 3, 30))
		x := p.newPerson(vocab.SubjectTrainee, p.country(customerCountries), "", "", since)
		g.trainees = append(g.trainees, x)
		email := []string{"training"}
		if p.chance(0.3) {
			p.consent(x, "marketing", "", consent.DecisionGranted, onForm(since), srcSignUp, evSignUp)
			email = append(email, "marketing")
		}
		p.record(x, "identity.name", "E1", datarecord.SourceProvided, since, "training")
		p.record(x, "contact.email", "E1", datarecord.SourceProvided, since, email...)
		for range 1 + p.r.IntN(2) {
			exam := p.between(maxTime(since.AddDate(0, 1, 0), date(2022, 1, 10)), date(2026, 6, 15))
			p.record(x, "training.exam_result", "E1", datarecord.SourceDerived, exam, "training").
				value = fmt.Sprintf("Lumora Certified %s: %d%%", pick(p.r, []string{"Administrator", "Developer", "Consultant"}), 55+p.r.IntN(45))
		}
	}
}

// applicantsOf draws job applicants; the first five applied more than 24
// months before the reference date and were never deleted.
func (p *plan) applicantsOf(g *groups) {
	for i := range nApplicants {
		applied := p.between(date(2024, 9, 2), date(2026, 6, 10))
		if i < 5 {
			applied = p.between(date(2023, 10, 2), date(2024, 5, 31))
		}
		x := p.newPerson(vocab.SubjectJobApplicant, p.country(customerCountries[:8]), "", "", applied)
		g.applicants = append(g.applicants, x)
		p.record(x, "identity.name", "E1", datarecord.SourceProvided, applied, "recruitment")
		p.record(x, "contact.email", "E1", datarecord.SourceProvided, applied, "recruitment")
		if p.chance(0.7) {
			p.record(x, "contact.phone", "E1", datarecord.SourceProvided, applied, "recruitment")
		}
		p.record(x, "recruitment.cv", "E1", datarecord.SourceProvided, applied, "recruitment")
	}
}

// visitorsOf draws anonymous website visitors, known by their cookies only.
func (p *plan) visitorsOf(g *groups) {
	for i := range nVisitors {
		seen := p.between(date(2026, 3, 1), date(2026, 6, 28))
		p.people = append(p.people, person{kind: vocab.SubjectWebsiteVisitor, country: p.country(customerCountries), since: seen})
		x := len(p.people) - 1
		g.visitors = append(g.visitors, x)
		p.record(x, "device.browser", "E1", datarecord.SourceObserved, seen, "service")
		banner := p.between(date(2025, 10, 1), date(2026, 4, 30))
		switch {
		case i < 10:
			p.consent(x, "analytics", "", consent.DecisionGranted, banner, srcBanner, evBannerGrant)
			p.record(x, "cookies.analytics", "E1", datarecord.SourceCookie, p.between(date(2026, 5, 5), date(2026, 6, 28)), "analytics").
				value = fmt.Sprintf("_lum_a=%08x", p.r.Uint32())
		case i < 14:
			p.consent(x, "analytics", "", consent.DecisionOptedOut, banner, srcBanner, evBannerReject)
		}
		if i >= 10 {
			p.metriclyCookie(x)
		}
		p.edgeLog(x)
	}
	for _, c := range g.customers[17:19] {
		p.metriclyCookie(c)
	}
}

// partnerContactsOf draws the contacts Lumora keeps at its certified partners.
func (p *plan) partnerContactsOf(g *groups) {
	employers := []string{"V23", "V23", "V24", "V25", "V25"}
	for _, key := range employers[:nPartners] {
		var country, domain string
		for _, v := range vendorTable {
			if v.key == key {
				country, domain = v.country, v.website[len("https://"):]
			}
		}
		since := p.between(date(2023, 3, 1), date(2025, 6, 30))
		x := p.newPerson(vocab.SubjectPartnerContact, country, holderName(key), domain, since)
		g.partners = append(g.partners, x)
		used := p.between(date(2025, 9, 1), date(2026, 6, 15))
		for _, cat := range []string{"identity.name", "contact.email", "contact.company"} {
			p.record(x, cat, "E1", datarecord.SourceProvided, since, "partners").lastUsed = used
		}
	}
}

// Planted Madrid sets, as positions in groups.madridAll (0..29 are event
// registrants, 30..39 customers).
var (
	// v22Granted consented to sharing with Orbis POS (V22); 0, 1 and 2 then
	// opted out between 2026-03-01 and 2026-04-05, and 0 is DSR-004.
	// The DSR-003 customer, who consented at the Orbis POS webinar, makes
	// the list twenty.
	v22Granted = []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 30, 31}
	// v21Granted consented to sharing with CloudNine Hardware (V21); 17 and
	// 18 opted out before the list was sent, and were left out of it.
	v21Granted = []int{3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 31, 33}
	// explicitNeeds declared accessibility or dietary needs with an explicit
	// consent; 3..8 accessibility, 3..5, 9 and 10 dietary.
	explicitNeeds = []int{3, 4, 5, 6, 7, 8, 9, 10}
	// implicitNeeds declared accessibility needs without an explicit
	// consent: the twelve of DEMO.md. 19..26 ticked the general terms only.
	implicitNeeds = []int{19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 36}
)

// madridOf registers the Madrid attendees, their choices and needs, and the
// lists handed to the organiser and the two sponsors.
func (p *plan) madridOf(g *groups) {
	g.madridAll = append(append([]int{}, g.madrid...), g.customers[5:15]...)
	for _, c := range g.customers[5:15] {
		g.regAt[c] = p.between(date(2026, 1, 15), date(2026, 3, 25))
	}
	for i, x := range g.madridAll {
		reg := g.regAt[x]
		if i < nMadrid {
			p.registrantRecords(x, reg, madridEnd, i == 0)
		}
		p.record(x, "event.registration", "E1", datarecord.SourceProvided, reg, "events").lastUsed = madridEnd
	}
	m := func(i int) int { return g.madridAll[i] }
	sponsorEvidence := "Separate unticked box per sponsor on the registration form."
	for _, i := range v22Granted {
		p.consent(m(i), "events", "V22", consent.DecisionGranted, onForm(g.regAt[m(i)]), srcRegForm+": sponsor sharing", sponsorEvidence)
	}
	// The DSR-003 customer did not go to Madrid: they registered for the
	// retail webinar Orbis POS co-hosted, and agreed to be contacted by it.
	webinarReg := at(2026, 3, 10, 12, 15)
	p.record(g.customers[0], "event.registration", "E1", datarecord.SourceProvided, webinarReg, "events").lastUsed = retailWebinar
	p.consent(g.customers[0], "events", "V22", consent.DecisionGranted, onForm(webinarReg), srcRegForm+" (webinar): sponsor sharing", sponsorEvidence)
	for _, i := range v21Granted {
		p.consent(m(i), "events", "V21", consent.DecisionGranted, onForm(g.regAt[m(i)]), srcRegForm+": sponsor sharing", sponsorEvidence)
	}
	for _, i := range explicitNeeds {
		p.consent(m(i), "events", "", consent.DecisionGranted, onForm(g.regAt[m(i)]), srcRegForm+": accessibility and dietary section",
			"Separate unticked box: 'I consent to Lumora and the organiser using the needs I declare to adapt the event (Art. 9(2)(a) GDPR)'.").
			explicit = true
		if i <= 8 {
			p.needs(m(i), "event.accessibility", g.regAt[m(i)])
		}
		if i <= 5 || i >= 9 {
			p.needs(m(i), "event.dietary", g.regAt[m(i)])
		}
	}
	for _, i := range implicitNeeds {
		if i <= 26 {
			p.consent(m(i), "events", "", consent.DecisionGranted, onForm(g.regAt[m(i)]), srcRegForm+": general terms",
				"Terms-of-registration checkbox only; the form version of January 2026 had no separate consent for accessibility needs.")
		}
		p.needs(m(i), "event.accessibility", g.regAt[m(i)])
	}

	// The three sponsor opt-outs that Orbis POS still received.
	p.consent(m(0), "marketing", "", consent.DecisionOptedOut, at(2026, 3, 1, 9, 14),
		"DSR-004: objection to direct marketing (e-mail to dpo@lumora.example)", "Objection under Art. 21(2) GDPR, ticket DSR-004.")
	p.consent(m(0), "events", "V22", consent.DecisionOptedOut, at(2026, 3, 1, 9, 14),
		"DSR-004: objection to direct marketing (e-mail to dpo@lumora.example)", "Objection covers sponsor marketing; ticket DSR-004.")
	p.consent(m(1), "events", "V22", consent.DecisionOptedOut, at(2026, 3, 18, 20, 3), "sponsor preferences page", "'Do not share with Orbis POS' selected.")
	p.consent(m(2), "events", "V22", consent.DecisionWithdrawn, at(2026, 4, 5, 8, 37), "e-mail to events@lumora.example", "Withdrawal of sponsor consent by e-mail.")
	// The two CloudNine opt-outs, which were respected.
	p.consent(m(17), "events", "V21", consent.DecisionOptedOut, at(2026, 3, 20, 17, 45), "sponsor preferences page", "'Do not share with CloudNine Hardware' selected.")
	p.consent(m(18), "events", "V21", consent.DecisionOptedOut, at(2026, 4, 2, 11, 20), "sponsor preferences page", "'Do not share with CloudNine Hardware' selected.")

	p.disclosures = append(p.disclosures,
		disclosureSpec{transfer: "E1-V18", reference: "Lumora Summit Madrid 2026: final attendee list for EventWorks Iberia",
			at: at(2026, 4, 8, 10, 0), people: g.madridAll,
			categories: []string{"identity.name", "contact.email", "contact.company", "event.registration", "event.accessibility", "event.dietary"}},
		disclosureSpec{transfer: "E1-V22", reference: "Sponsor lead list for Orbis POS: Lumora Summit Madrid 2026 and the retail webinar of 2026-03-24",
			at: at(2026, 4, 10, 15, 30), people: append(positions(g.madridAll, v22Granted), g.customers[0]),
			categories: []string{"identity.name", "contact.email", "contact.company"}},
		disclosureSpec{transfer: "E1-V21", reference: "Lumora Summit Madrid 2026: sponsor lead list for CloudNine Hardware",
			at: at(2026, 4, 10, 15, 30), people: positions(g.madridAll, without(v21Granted, 17, 18)),
			categories: []string{"identity.name", "contact.email", "contact.company"}},
	)
}

// registrantRecords adds the contact details an event registrant gives.
func (p *plan) registrantRecords(x int, reg, eventEnd time.Time, forceMarketing bool) {
	p.record(x, "identity.name", "E1", datarecord.SourceProvided, reg, "events").lastUsed = eventEnd
	p.record(x, "contact.company", "E1", datarecord.SourceProvided, reg, "events").lastUsed = eventEnd
	email := []string{"events"}
	if forceMarketing || p.chance(0.4) {
		p.consent(x, "marketing", "", consent.DecisionGranted, onForm(reg), srcRegForm, evSignUp)
		if !forceMarketing { // the DSR-004 registrant objected on 2026-03-01
			email = append(email, "marketing")
		}
	}
	p.record(x, "contact.email", "E1", datarecord.SourceProvided, reg, email...).lastUsed = eventEnd
}

// needs adds a special-category answer of the Madrid registration form.
func (p *plan) needs(x int, category string, reg time.Time) {
	p.record(x, category, "E1", datarecord.SourceProvided, reg, "events").lastUsed = madridEnd
}

// smallEventsOf registers the Dubai and Mumbai attendees and the lists their
// organisers received, including the Doha guest list Summit Loop passed on.
func (p *plan) smallEventsOf(g *groups) {
	for _, ev := range []struct {
		people []int
		end    time.Time
	}{{g.dubai, dubaiEvent}, {g.mumbai, mumbaiEvent}} {
		for _, x := range ev.people {
			p.registrantRecords(x, g.regAt[x], ev.end, false)
			p.record(x, "event.registration", "E1", datarecord.SourceProvided, g.regAt[x], "events").lastUsed = ev.end
		}
	}
	cats := []string{"identity.name", "contact.email", "contact.company", "event.registration"}
	p.disclosures = append(p.disclosures,
		disclosureSpec{transfer: "E1-V19", reference: "Lumora Summit Dubai 2026: attendee list for Summit Loop Events",
			at: at(2026, 3, 2, 9, 0), people: g.dubai, categories: cats},
		disclosureSpec{transfer: "V19-" + venue, reference: "Doha side event: guest list sent by Summit Loop to Pearl Venue Hospitality",
			at: dohaEvent.AddDate(0, 0, -7).Add(14 * time.Hour), people: g.dubai[:6], categories: []string{"identity.name", "event.registration"}},
		disclosureSpec{transfer: "E1-V20", reference: "Lumora Meetup Mumbai 2026: attendee list for Konkan Meetups",
			at: at(2026, 5, 6, 9, 0), people: g.mumbai, categories: cats},
	)
}

// referralsOf refers customers and prospects to Baltic ERP Partners (V23).
func (p *plan) referralsOf(g *groups) {
	referred := append([]int{g.customers[0]}, g.customers[10:15]...)
	referred = append(referred, g.prospects[:4]...)
	for i := range p.records {
		r := &p.records[i]
		if r.category == "contact.company" && r.collector == "E1" && slices.Contains(referred, r.person) {
			r.purposes = append(r.purposes, "partners")
			r.lastUsed = referralDay
		}
	}
	p.disclosures = append(p.disclosures, disclosureSpec{transfer: "E1-V23",
		reference: "Partner referral batch 2026-02: implementation leads for Baltic ERP Partners",
		at:        referralDay, people: referred, categories: []string{"identity.name", "contact.email", "contact.company"}})
}

// requestsOf adds DSR-001..DSR-006 exactly as DEMO.md's table describes them.
func (p *plan) requestsOf(g *groups) {
	hist := func(steps ...vocab.StatusChange) []vocab.StatusChange { return steps }
	step := func(status string, t time.Time, note string) vocab.StatusChange {
		return vocab.StatusChange{Status: status, At: t, Note: note}
	}
	m0 := g.madridAll[0]
	reqs := []requestSpec{
		{ref: "DSR-001", person: g.customers[2], kind: request.KindAccess, status: request.StatusInProgress,
			received: at(2026, 5, 2, 8, 41),
			history: hist(step("RECEIVED", at(2026, 5, 2, 8, 41), "Web form."),
				step("IN_PROGRESS", at(2026, 5, 4, 9, 15), "Identity verified.")),
			note: "Access request; no extension was notified."},
		{ref: "DSR-002", person: g.customers[3], kind: request.KindErasure, status: request.StatusInProgress,
			received: at(2026, 4, 20, 10, 5), extensionNotified: at(2026, 5, 10, 11, 30), extensionMonths: 2,
			extensionReason: "Complex request: the account's data is held by several processors and two partners, whose confirmations are awaited. The subject was told on 2026-05-10.",
			history: hist(step("RECEIVED", at(2026, 4, 20, 10, 5), "E-mail to dpo@lumora.example."),
				step("IN_PROGRESS", at(2026, 4, 21, 9, 0), "Identity verified."))},
		{ref: "DSR-003", person: g.customers[0], kind: request.KindErasure, status: request.StatusReceived,
			received: at(2026, 6, 22, 14, 20),
			history:  hist(step("RECEIVED", at(2026, 6, 22, 14, 20), "Account closure and erasure requested in the customer portal.")),
			note:     "Customer since 2019: invoices fall under the 7-year tax retention; contact data also reached Postlane Mail, Orbis POS and Baltic ERP Partners."},
		{ref: "DSR-004", person: m0, kind: request.KindObjection, status: request.StatusCompleted,
			received: at(2026, 3, 1, 9, 2), completed: at(2026, 3, 2, 10, 0),
			history: hist(step("RECEIVED", at(2026, 3, 1, 9, 2), "E-mail to dpo@lumora.example."),
				step("COMPLETED", at(2026, 3, 2, 10, 0), "Marketing and sponsor sharing stopped on 2026-03-01.")),
			note: "Objection to direct marketing (Art. 21(2)); recorded as opt-outs of marketing and of sharing with Orbis POS."},
		{ref: "DSR-005", person: g.customers[1], kind: request.KindPortability, status: request.StatusReceived,
			received: at(2026, 6, 18, 16, 45),
			history:  hist(step("RECEIVED", at(2026, 6, 18, 16, 45), "Customer portal.")),
			note:     "Portability: a complete export of the account is expected."},
		{ref: "DSR-006", person: g.customers[4], kind: request.KindAccess, status: request.StatusCompleted,
			received: at(2026, 3, 3, 9, 30), extensionNotified: at(2026, 4, 20, 15, 0), extensionMonths: 2,
			extensionReason: "Volume of support history to review.",
			completed:       at(2026, 5, 26, 16, 0),
			history: hist(step("RECEIVED", at(2026, 3, 3, 9, 30), "Web form."),
				step("IN_PROGRESS", at(2026, 3, 5, 10, 0), "Identity verified."),
				step("COMPLETED", at(2026, 5, 26, 16, 0), "Export sent.")),
			note: "The extension was notified on 2026-04-20, after the first month had run out on 2026-04-03."},
	}
	p.requests = reqs
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// positions maps positions in s to the elements at them.
func positions(s, at []int) []int {
	out := make([]int, len(at))
	for i, a := range at {
		out[i] = s[a]
	}
	return out
}

// without returns s without the given values.
func without(s []int, drop ...int) []int {
	var out []int
	for _, v := range s {
		if !slices.Contains(drop, v) {
			out = append(out, v)
		}
	}
	return out
}
