package trace

import (
	"cmp"
	"context"
	stdsql "database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"entgo.io/ent/dialect"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/consent"
	"github.com/privhub/privhub/internal/pulid"
)

// group is a (collector, category) pair that records exist for.
type group struct{ holder, cat int32 }

// tally counts, for each of a question's targets (holdings, usually), the
// distinct users whose data reaches it.
//
// Users whose ledger holds no refusal that could matter are counted in
// bulk: for each user, the set of groups their records fall in, reduced to
// a signature (a bitmask of reach classes), then users counted per
// signature (by the record index, or by the database in one aggregate
// query). Only users with a relevant withdrawal or opt-out are looked at one
// by one, and walks are shared between users whose refusals are the same as
// far as a category's subgraph is concerned.
type tally struct {
	s       *snapshot
	at      time.Time
	groups  []group
	targets int
	// base returns the targets group g's data reaches for a user with no
	// relevant refusal; its walks must use admit(nil, category), which
	// notes what refusals could matter.
	base func(g int) bitset
	// blocked returns, for each group gs[k] (all of category c), the
	// targets its data reaches for a user with refusals bs[k] (restricted
	// to what matters for c, see relevant).
	blocked func(c int32, gs []int, bs []*blocks) []bitset
	// purposes of the opt-out-honouring edges and recipients of all edges
	// the walks met, in all and per category: only a refusal of one of them
	// can change a count.
	purposes, recipients       map[int32]bool
	catPurposes, catRecipients map[int32]map[int32]bool
	memo                       map[string]bitset
	restricted                 map[string]*blocks
}

func newTally(s *snapshot, at time.Time, groups []group, targets int) *tally {
	return &tally{s: s, at: at.UTC(), groups: groups, targets: targets,
		purposes: map[int32]bool{}, recipients: map[int32]bool{},
		catPurposes: map[int32]map[int32]bool{}, catRecipients: map[int32]map[int32]bool{},
		memo: map[string]bitset{}, restricted: map[string]*blocks{}}
}

// admit returns the edge filter of a walk of category c for a user with
// refusals b. Without refusals it notes the purposes and importers of the
// opt-out-honouring edges.
func (t *tally) admit(b *blocks, c int32) func(ei int32) bool {
	if b != nil {
		return func(ei int32) bool { return b.stop(&t.s.edges[ei]) == nil }
	}
	ps, rs := t.catPurposes[c], t.catRecipients[c]
	if ps == nil {
		ps, rs = map[int32]bool{}, map[int32]bool{}
		t.catPurposes[c], t.catRecipients[c] = ps, rs
	}
	return func(ei int32) bool {
		e := &t.s.edges[ei]
		if e.honours {
			for _, p := range e.purposes {
				t.purposes[p], ps[p] = true, true
			}
		}
		// A refusal naming the importer stops a flow whether or not it
		// honours opt-outs of the whole purpose.
		t.recipients[e.to], rs[e.to] = true, true
		return true
	}
}

// relevant returns b restricted to the refusals that can stop an edge the
// walks of category c met, or nil when none can. A walk with refusals only
// follows edges the walk without met, so the restriction changes no result.
func (t *tally) relevant(b *blocks, c int32) *blocks {
	if b == nil {
		return nil
	}
	k := strconv.Itoa(int(c)) + "#" + b.key
	if rb, ok := t.restricted[k]; ok {
		return rb
	}
	rb := newBlocks()
	for p, e := range b.byPurpose {
		if t.catPurposes[c][p] {
			rb.byPurpose[p] = e
		}
	}
	for h, e := range b.byRecipient {
		if t.catRecipients[c][h] {
			rb.byRecipient[h] = e
		}
	}
	for k, e := range b.named {
		if t.catRecipients[c][k.holder] {
			rb.named[k] = e
		}
	}
	rb = rb.seal()
	t.restricted[k] = rb
	return rb
}

// baseOf memoizes base.
func (t *tally) baseOf(g int) bitset {
	k := strconv.Itoa(g)
	r, ok := t.memo[k]
	if !ok {
		r = t.base(g)
		t.memo[k] = r
	}
	return r
}

// refuser is a user, or users, with a relevant refusal: the live groups
// their records fall in, and their refusals.
type refuser struct {
	groups []int
	b      *blocks
	n      int // how many users
}

// countRefusers adds to counts the users with a relevant refusal. Users
// with the same groups and refusals count together, and the searches with
// refusals are batched per category.
func (t *tally) countRefusers(counts []int, users []refuser, classOf []int, classes []bitset) {
	same := map[string]*refuser{}
	var distinct []*refuser
	for _, u := range users {
		slices.Sort(u.groups)
		u.groups = slices.Compact(u.groups)
		k := fmt.Sprint(u.groups)
		if u.b != nil {
			k += "|" + u.b.key
		}
		if r := same[k]; r != nil {
			r.n += u.n
			continue
		}
		r := u
		same[k] = &r
		distinct = append(distinct, &r)
	}
	// The searches needed: one per group and restricted refusals.
	type need struct {
		gs []int
		bs []*blocks
	}
	needs := map[int32]*need{}
	results := map[string]bitset{}
	for _, u := range distinct {
		for _, g := range u.groups {
			c := t.groups[g].cat
			rb := t.relevant(u.b, c)
			if rb == nil {
				continue
			}
			k := strconv.Itoa(g) + "|" + rb.key
			if _, ok := results[k]; ok {
				continue
			}
			results[k] = nil
			if needs[c] == nil {
				needs[c] = &need{}
			}
			needs[c].gs = append(needs[c].gs, g)
			needs[c].bs = append(needs[c].bs, rb)
		}
	}
	for c, nd := range needs {
		for i, r := range t.blocked(c, nd.gs, nd.bs) {
			results[strconv.Itoa(nd.gs[i])+"|"+nd.bs[i].key] = r
		}
	}
	union := newBitset(t.targets)
	for _, u := range distinct {
		clear(union)
		for _, g := range u.groups {
			if rb := t.relevant(u.b, t.groups[g].cat); rb != nil {
				union.or(results[strconv.Itoa(g)+"|"+rb.key])
			} else {
				union.or(classes[classOf[g]])
			}
		}
		union.each(func(i int32) { counts[i] += u.n })
	}
}

// count returns the number of distinct users per target, from the record
// index cs or, when nil, with SQL.
func (t *tally) count(ctx context.Context, c *ent.Client, cs *census) ([]int, error) {
	counts := make([]int, t.targets)
	// Reach classes: groups reaching the same targets count alike.
	classOf := make([]int, len(t.groups))
	var classes []bitset
	seen := map[string]int{}
	var live []int
	for g := range t.groups {
		r := t.baseOf(g)
		if r.empty() {
			classOf[g] = -1
			continue
		}
		k := r.key()
		i, ok := seen[k]
		if !ok {
			i = len(classes)
			seen[k] = i
			classes = append(classes, r)
		}
		classOf[g] = i
		live = append(live, g)
	}
	if len(live) == 0 {
		return counts, nil
	}
	refusals := len(t.purposes)+len(t.recipients) > 0
	if cs != nil {
		return t.countInMemory(cs, counts, live, classOf, classes, refusals), nil
	}

	// 1. Users with no relevant refusal, counted per signature.
	const bitsPerWord = 62
	words := (len(classes) + bitsPerWord - 1) / bitsPerWord
	q := t.newQuery(c)
	q.sql("SELECT ")
	for w := range words {
		q.sql("x.s" + strconv.Itoa(w) + ", ")
	}
	q.sql("COUNT(*) FROM (SELECT d.user_id")
	for w := range words {
		q.sql(fmt.Sprintf(", COALESCE(SUM(DISTINCT CASE WHEN g.column3 = %d THEN g.column4 END), 0) AS s%d", w, w))
	}
	q.sql(" FROM data_records d JOIN (VALUES ")
	for i, g := range live {
		if i > 0 {
			q.sql(", ")
		}
		k := classOf[g]
		q.sql("(").arg(string(t.s.holders[t.groups[g].holder].HolderID())).sql(", ").
			arg(string(t.s.cats[t.groups[g].cat].ID)).
			sql(fmt.Sprintf(", %d, %d)", k/bitsPerWord, int64(1)<<(k%bitsPerWord)))
	}
	q.sql(") AS g ON d.category_id = g.column2 AND COALESCE(d.collector_organization_id, d.collector_vendor_id) = g.column1")
	q.recordFilter(t, live)
	if refusals {
		q.sql(" AND d.user_id NOT IN (")
		q.refusers(t)
		q.sql(")")
	}
	q.sql(" GROUP BY d.user_id) x GROUP BY ")
	for w := range words {
		if w > 0 {
			q.sql(", ")
		}
		q.sql("x.s" + strconv.Itoa(w))
	}
	rows, err := q.run(ctx)
	if err != nil {
		return nil, err
	}
	sig := make([]int64, words)
	dest := make([]any, words+1)
	for w := range sig {
		dest[w] = &sig[w]
	}
	var n int
	dest[words] = &n
	union := newBitset(t.targets)
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			rows.Close()
			return nil, fmt.Errorf("trace: counting users: %w", err)
		}
		clear(union)
		for w, bitsOf := range sig {
			for k := range bitsPerWord {
				if bitsOf&(int64(1)<<k) != 0 {
					if ci := w*bitsPerWord + k; ci < len(classes) {
						union.or(classes[ci])
					}
				}
			}
		}
		union.each(func(i int32) { counts[i] += n })
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("trace: counting users: %w", err)
	}
	if !refusals {
		return counts, nil
	}

	// 2. Users with a relevant refusal, one by one.
	userGroups, err := t.refuserGroups(ctx, c, live)
	if err != nil {
		return nil, err
	}
	if len(userGroups) == 0 {
		return counts, nil
	}
	ledgers, err := t.refuserLedgers(ctx, c)
	if err != nil {
		return nil, err
	}
	users := make([]refuser, 0, len(userGroups))
	for u, gs := range userGroups {
		users = append(users, refuser{groups: gs, b: t.s.effective(ledgers[u], t.at.UnixNano()), n: 1})
	}
	t.countRefusers(counts, users, classOf, classes)
	return counts, nil
}

// countInMemory is count over the in-memory index: signatures are built
// from the cohorts of the live groups, and the users with a relevant
// refusal found in the ledgers.
func (t *tally) countInMemory(cs *census, counts []int, live, classOf []int, classes []bitset, refusals bool) []int {
	at := t.at.UnixNano()
	var refusing []bool
	if refusals {
		refusing = make([]bool, cs.users)
		for _, u := range cs.refusers {
			refusing[u] = slices.ContainsFunc(cs.ledgers[u], func(e ledgerEntry) bool {
				if !e.refusal || e.at > at {
					return false
				}
				if e.recipient >= 0 {
					if h, ok := t.s.holderIdx[cs.refs[e.recipient]]; ok && t.recipients[h] {
						return true
					}
				}
				p, ok := t.s.purposeIdx[cs.refs[e.purpose]]
				return ok && t.purposes[p]
			})
		}
	}
	// Each user's signature is the set of classes their records fall in,
	// interned in a trie: node 0 is the empty set, and taking the groups in
	// class order builds every set in one way, so that one node is one set.
	byClass := slices.Clone(live)
	slices.SortStableFunc(byClass, func(a, b int) int { return cmp.Compare(classOf[a], classOf[b]) })
	sigOf := make([]int32, cs.users)
	nodeClass, nodeParent := []int32{-1}, []int32{-1}
	refuserGroups := map[int32][]int{}
	for i := 0; i < len(byClass); {
		k := int32(classOf[byClass[i]])
		// Transitions by class k from the nodes that exist now.
		trans := make([]int32, len(nodeClass))
		for ; i < len(byClass) && int32(classOf[byClass[i]]) == k; i++ {
			g := byClass[i]
			gr := t.groups[g]
			co := cs.cohorts[[2]pulid.ID{t.s.holders[gr.holder].HolderID(), t.s.cats[gr.cat].ID}]
			if co == nil {
				continue
			}
			for j, u := range co.users {
				if co.since[j] > at {
					continue
				}
				if refusing != nil && refusing[u] {
					if gs := refuserGroups[u]; len(gs) == 0 || gs[len(gs)-1] != g {
						refuserGroups[u] = append(gs, g)
					}
					continue
				}
				from := sigOf[u]
				if nodeClass[from] == k {
					continue // already in k
				}
				to := trans[from]
				if to == 0 {
					to = int32(len(nodeClass))
					nodeClass = append(nodeClass, k)
					nodeParent = append(nodeParent, from)
					trans[from] = to
				}
				sigOf[u] = to
			}
		}
	}
	perNode := make([]int, len(nodeClass))
	for _, n := range sigOf {
		perNode[n]++
	}
	// Each node reaches what its parent reaches and its class; parents come
	// before children.
	nodeReach := make([]bitset, len(nodeClass))
	for n := 1; n < len(nodeClass); n++ {
		r := newBitset(t.targets)
		if p := nodeParent[n]; p > 0 {
			r.or(nodeReach[p])
		}
		r.or(classes[nodeClass[n]])
		nodeReach[n] = r
		if c := perNode[n]; c > 0 {
			r.each(func(i int32) { counts[i] += c })
		}
	}

	users := make([]refuser, 0, len(refuserGroups))
	for u, gs := range refuserGroups {
		users = append(users, refuser{groups: gs, b: t.s.effective(cs.ledger(u), at), n: 1})
	}
	t.countRefusers(counts, users, classOf, classes)
	return counts
}

// refuserGroups returns, for each user with a relevant refusal, the groups
// among live their records fall in.
func (t *tally) refuserGroups(ctx context.Context, c *ent.Client, live []int) (map[pulid.ID][]int, error) {
	q := t.newQuery(c)
	q.sql("SELECT DISTINCT d.user_id, g.column3 FROM data_records d JOIN (VALUES ")
	for i, g := range live {
		if i > 0 {
			q.sql(", ")
		}
		q.sql("(").arg(string(t.s.holders[t.groups[g].holder].HolderID())).sql(", ").
			arg(string(t.s.cats[t.groups[g].cat].ID)).sql(", " + strconv.Itoa(g) + ")")
	}
	q.sql(") AS g ON d.category_id = g.column2 AND COALESCE(d.collector_organization_id, d.collector_vendor_id) = g.column1")
	q.recordFilter(t, live)
	q.sql(" AND d.user_id IN (")
	q.refusers(t)
	q.sql(")")
	rows, err := q.run(ctx)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	m := map[pulid.ID][]int{}
	for rows.Next() {
		var u pulid.ID
		var g int
		if err := rows.Scan(&u, &g); err != nil {
			return nil, fmt.Errorf("trace: reading records of users with refusals: %w", err)
		}
		m[u] = append(m[u], g)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("trace: reading records of users with refusals: %w", err)
	}
	for _, gs := range m {
		slices.Sort(gs)
	}
	return m, nil
}

// refuserLedgers returns the relevant ledger entries of users with a
// relevant refusal, in recording order.
func (t *tally) refuserLedgers(ctx context.Context, c *ent.Client) (map[pulid.ID][]choice, error) {
	q := t.newQuery(c)
	q.sql("SELECT c.id, c.user_id, c.purpose_id, c.recipient_id, c.decision, c.recorded_at FROM consents c WHERE c.recorded_at <= ").
		arg(t.at)
	q.sql(" AND ")
	q.relevantEntry(t, "c")
	q.sql(" AND c.user_id IN (")
	q.refusers(t)
	q.sql(") ORDER BY c.user_id, c.recorded_at, c.created_at, c.id")
	rows, err := q.run(ctx)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	m := map[pulid.ID][]choice{}
	for rows.Next() {
		var (
			id, user, purpose pulid.ID
			recipient         *pulid.ID
			decision          string
			at                time.Time
		)
		if err := rows.Scan(&id, &user, &purpose, &recipient, &decision, &at); err != nil {
			return nil, fmt.Errorf("trace: reading consents of users with refusals: %w", err)
		}
		m[user] = append(m[user], choice{
			purpose: purpose, recipient: deref(recipient, nil), at: at.UnixNano(),
			refusal: decision != string(consent.DecisionGranted),
		})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("trace: reading consents of users with refusals: %w", err)
	}
	return m, nil
}

// query builds one SQL statement with the placeholders of its dialect.
type query struct {
	c    *ent.Client
	pg   bool
	b    strings.Builder
	args []any
}

func (t *tally) newQuery(c *ent.Client) *query {
	return &query{c: c, pg: t.s.dialect == dialect.Postgres}
}

func (q *query) sql(s string) *query {
	q.b.WriteString(s)
	return q
}

func (q *query) arg(v any) *query {
	q.args = append(q.args, v)
	if q.pg {
		q.b.WriteString("$" + strconv.Itoa(len(q.args)))
	} else {
		q.b.WriteByte('?')
	}
	return q
}

// list writes "(a, b, ...)" as placeholders; vals must not be empty.
func (q *query) list(vals []string) *query {
	q.sql("(")
	for i, v := range vals {
		if i > 0 {
			q.sql(", ")
		}
		q.arg(v)
	}
	return q.sql(")")
}

// recordFilter restricts data_records d to the instant and to the
// categories of groups (which lets the database use the category index).
func (q *query) recordFilter(t *tally, groups []int) {
	var cats []string
	for _, g := range groups {
		id := string(t.s.cats[t.groups[g].cat].ID)
		if !slices.Contains(cats, id) {
			cats = append(cats, id)
		}
	}
	q.sql(" WHERE d.collected_at <= ").arg(t.at)
	q.sql(" AND d.category_id IN ").list(cats)
}

// refusers writes a subquery of the users with a relevant refusal on
// record at the instant.
func (q *query) refusers(t *tally) {
	q.sql("SELECT r.user_id FROM consents r WHERE r.decision IN (").
		arg(string(consent.DecisionWithdrawn)).sql(", ").arg(string(consent.DecisionOptedOut)).
		sql(") AND r.recorded_at <= ").arg(t.at).sql(" AND ")
	q.relevantEntry(t, "r")
}

// maxListed bounds the recipients relevantEntry lists; beyond it, the
// condition is left out (a long IN list costs more than it saves).
const maxListed = 64

// relevantEntry writes the condition on consents alias that an entry is
// about a purpose of an opt-out-honouring edge met, or a recipient met.
// It only narrows what is read: entries that do not matter are ignored
// later anyway.
func (q *query) relevantEntry(t *tally, alias string) {
	if len(t.recipients) > maxListed || len(t.purposes) == len(t.s.purposes) {
		q.sql("1 = 1")
		return
	}
	var purposes, recipients []string
	for p := range t.purposes {
		purposes = append(purposes, string(t.s.purposes[p].ID))
	}
	for h := range t.recipients {
		recipients = append(recipients, string(t.s.holders[h].HolderID()))
	}
	slices.Sort(purposes)
	slices.Sort(recipients)
	q.sql("(")
	switch {
	case len(purposes) > 0 && len(recipients) > 0:
		q.sql(alias + ".purpose_id IN ").list(purposes).sql(" OR " + alias + ".recipient_id IN ").list(recipients)
	case len(purposes) > 0:
		q.sql(alias + ".purpose_id IN ").list(purposes)
	default:
		q.sql(alias + ".recipient_id IN ").list(recipients)
	}
	q.sql(")")
}

func (q *query) run(ctx context.Context) (*stdsql.Rows, error) {
	rows, err := q.c.QueryContext(ctx, q.b.String(), q.args...)
	if err != nil {
		return nil, fmt.Errorf("trace: querying: %w", err)
	}
	return rows, nil
}
