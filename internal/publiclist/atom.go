package publiclist

import (
	"crypto/sha256"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gorilla/feeds"

	"github.com/privhub/privhub/internal/announce"
)

// atom answers the Atom feed (RFC 4287) of every change the lists hold,
// the latest announced first. Each entry's id is a URN derived from the
// announcement's public key, so that it never changes; its updated and
// published dates are the announcement's; its content states the change
// with the fields of announce.Entry only.
func (s *server) atom(w http.ResponseWriter, r *http.Request) {
	at, lists, ok := s.lists(w, r)
	if !ok {
		return
	}
	base := baseURL(r)
	org := r.URL.Query().Get("organization")
	title, key := "Subprocessor changes", ""
	if org != "" && len(lists) == 1 {
		title += " of " + lists[0].Organization
		key = lists[0].Organization
	}
	f := &feeds.Feed{
		Title:       title,
		Link:        &feeds.Link{Href: base + PagePath + query(r), Rel: "alternate"},
		Description: "Every addition, replacement and removal of a subprocessor, with the date it was announced and the date it takes effect.",
		Author:      &feeds.Author{Name: authorOf(lists)},
		Updated:     updated(lists, at),
	}
	type meta struct {
		id, org string
		change  announce.Change
	}
	var metas []meta
	for _, l := range lists {
		for _, ch := range l.Changes {
			metas = append(metas, meta{id: urn("subprocessor change " + ch.Key), org: l.Organization, change: ch})
		}
	}
	slices.SortStableFunc(metas, func(a, b meta) int { return b.change.AnnouncedAt.Compare(a.change.AnnouncedAt) })
	for _, m := range metas {
		ch := m.change
		f.Items = append(f.Items, &feeds.Item{
			Title:   fmt.Sprintf("%s %s %s (%s), effective %s", m.org, verb(ch), ch.Vendor, strings.ToLower(serviceLabel(ch.Service)), ch.EffectiveAt.Format(time.DateOnly)),
			Link:    &feeds.Link{Href: base + PagePath + query(r) + "#change-" + ch.Key},
			Created: ch.AnnouncedAt,
			Updated: ch.AnnouncedAt,
		})
	}
	feed := (&feeds.Atom{Feed: f}).AtomFeed()
	feed.Id = urn("subprocessor feed " + key)
	for i, e := range feed.Entries {
		e.Id = metas[i].id
		e.Published = e.Updated
		e.Summary = nil
		e.Content = &feeds.AtomContent{Content: describe(metas[i].change), Type: "text"}
		e.Author = &feeds.AtomAuthor{AtomPerson: feeds.AtomPerson{Name: metas[i].org}}
	}
	body, err := feeds.ToXML(feed)
	if err != nil {
		s.fail(r.Context(), w, err)
		return
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	cacheable(w)
	_, _ = w.Write([]byte(body))
}

// describe states a change in plain text, with the public fields only.
func describe(ch announce.Change) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Change: %s\nSubprocessor: %s\nService: %s\nCountry: %s\nTransfer mechanism: %s\n",
		changeLabel(ch), ch.Vendor, serviceLabel(ch.Service), ch.Country, mechanismLabel(ch.TransferMechanism))
	fmt.Fprintf(&b, "Purposes: %s\nData categories: %s\nAnnounced: %s\nTakes effect: %s",
		orNone(ch.Purposes), orNone(ch.DataCategories), ch.AnnouncedAt.Format(time.DateOnly), ch.EffectiveAt.Format(time.DateOnly))
	return b.String()
}

// orNone joins a list, or says none.
func orNone(xs []string) string {
	if len(xs) == 0 {
		return "none stated"
	}
	return strings.Join(xs, ", ")
}

// updated is when the feed last changed: its latest announcement, or at
// for a feed without one.
func updated(lists []*announce.List, at time.Time) time.Time {
	var last time.Time
	for _, l := range lists {
		if u := l.Updated(); u.After(last) {
			last = u
		}
	}
	if last.IsZero() {
		return at
	}
	return last
}

// authorOf names the feed's author: the organisation when there is one,
// otherwise every organisation of the feed.
func authorOf(lists []*announce.List) string {
	names := make([]string, 0, len(lists))
	for _, l := range lists {
		names = append(names, l.Organization)
	}
	if len(names) == 0 {
		return "privhub"
	}
	return strings.Join(names, ", ")
}

// urn returns a name-based UUID URN (RFC 9562 version 8, from SHA-256) for
// a stable identifier.
func urn(name string) string {
	sum := sha256.Sum256([]byte(name))
	u := sum[:16]
	u[6] = u[6]&0x0f | 0x80 // version 8
	u[8] = u[8]&0x3f | 0x80 // RFC 9562 variant
	return fmt.Sprintf("urn:uuid:%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}

// baseURL is the scheme and host the request reached, for absolute links.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
