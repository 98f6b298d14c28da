package publiclist

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/privhub/privhub/internal/announce"
)

// pageTemplate is the public page: one section per organisation, with the
// subprocessors in use and the change log, as plain tables with captions
// and column headers; no script, no external asset.
const pageTemplate = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Subprocessors</title>
<link rel="alternate" type="application/atom+xml" title="Subprocessor changes (Atom)" href="{{.Feed}}">
<link rel="alternate" type="application/json" title="Subprocessors (JSON)" href="{{.JSON}}">
<style>
body { font-family: system-ui, sans-serif; line-height: 1.5; margin: 0 auto; max-width: 72rem; padding: 1rem; color: #1a1a1a; background: #fff; }
table { border-collapse: collapse; width: 100%; margin: 0 0 2rem; }
caption { text-align: left; font-weight: bold; padding: .5rem 0; }
th, td { border: 1px solid #767676; padding: .4rem .6rem; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
a { color: #0645ad; }
a:focus, a:hover { outline: 2px solid #0645ad; }
.pending { font-weight: bold; }
</style>
</head>
<body>
<header>
<h1>Subprocessors</h1>
<p>The subprocessors we use to process personal data on our customers' behalf, as of
<time datetime="{{iso .AsOf}}">{{date .AsOf}}</time>, and every change we announced, with the date it was
announced and the date it takes effect. Follow the changes in the <a href="{{.Feed}}">Atom feed</a>,
or read this list as <a href="{{.JSON}}">JSON</a>.</p>
</header>
<main>
{{- range .Lists}}
<section aria-labelledby="{{.ID}}">
<h2 id="{{.ID}}">{{.Name}}</h2>
<table>
<caption>Subprocessors of {{.Name}} in use as of {{date $.AsOf}}</caption>
<thead><tr><th scope="col">Subprocessor</th><th scope="col">Service</th><th scope="col">Country</th><th scope="col">Transfer mechanism</th><th scope="col">Purposes</th><th scope="col">Data categories</th></tr></thead>
<tbody>
{{- range .List.Subprocessors}}
<tr><th scope="row">{{.Vendor}}</th><td>{{service .Service}}</td><td>{{.Country}}</td><td>{{mechanism .TransferMechanism}}</td><td>{{join .Purposes}}</td><td>{{join .DataCategories}}</td></tr>
{{- else}}
<tr><td colspan="6">None.</td></tr>
{{- end}}
</tbody>
</table>
<table>
<caption>Changes announced by {{.Name}}, latest first</caption>
<thead><tr><th scope="col">Announced</th><th scope="col">Takes effect</th><th scope="col">Change</th><th scope="col">Subprocessor</th><th scope="col">Service</th><th scope="col">Country</th><th scope="col">Transfer mechanism</th><th scope="col">Purposes</th><th scope="col">Data categories</th></tr></thead>
<tbody>
{{- range .List.Changes}}
<tr id="change-{{.Key}}"><td><time datetime="{{iso .AnnouncedAt}}">{{date .AnnouncedAt}}</time></td><td><time datetime="{{iso .EffectiveAt}}">{{date .EffectiveAt}}</time>{{if .Pending $.AsOf}} <span class="pending">(pending)</span>{{end}}</td><td>{{change .}}</td><th scope="row">{{.Vendor}}</th><td>{{service .Service}}</td><td>{{.Country}}</td><td>{{mechanism .TransferMechanism}}</td><td>{{join .Purposes}}</td><td>{{join .DataCategories}}</td></tr>
{{- else}}
<tr><td colspan="9">None.</td></tr>
{{- end}}
</tbody>
</table>
</section>
{{- else}}
<p>No subprocessor changes have been announced.</p>
{{- end}}
</main>
</body>
</html>
`

// page is what the template renders.
type page struct {
	AsOf  time.Time
	Feed  string
	JSON  string
	Lists []pageList
}

// pageList is one organisation's section, with the anchor it is linked by.
type pageList struct {
	ID, Name string
	List     *announce.List
}

// funcs returns the template's helpers.
func funcs() template.FuncMap {
	return template.FuncMap{
		"date":      func(t time.Time) string { return t.UTC().Format("2 January 2006") },
		"iso":       func(t time.Time) string { return t.UTC().Format(time.DateOnly) },
		"join":      func(xs []string) string { return strings.Join(xs, ", ") },
		"service":   serviceLabel,
		"mechanism": mechanismLabel,
		"change":    changeLabel,
	}
}

// parsePage parses the page template.
func parsePage() *template.Template {
	return template.Must(template.New("page").Funcs(funcs()).Parse(pageTemplate))
}

func (s *server) page(w http.ResponseWriter, r *http.Request) {
	at, lists, ok := s.lists(w, r)
	if !ok {
		return
	}
	p := page{AsOf: at, Feed: AtomPath + query(r), JSON: JSONPath + query(r)}
	for i, l := range lists {
		p.Lists = append(p.Lists, pageList{ID: fmt.Sprintf("organization-%d", i+1), Name: l.Organization, List: l})
	}
	var buf bytes.Buffer
	if err := s.tmpl.Execute(&buf, p); err != nil {
		s.fail(r.Context(), w, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
	cacheable(w)
	_, _ = w.Write(buf.Bytes())
}

// query returns the request's organization and at parameters as a query
// string for links to the other forms of the list.
func query(r *http.Request) string {
	v := url.Values{}
	for _, k := range []string{"organization", "at"} {
		if s := r.URL.Query().Get(k); s != "" {
			v.Set(k, s)
		}
	}
	if len(v) == 0 {
		return ""
	}
	return "?" + v.Encode()
}
