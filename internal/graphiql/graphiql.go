// Package graphiql serves a GraphiQL IDE page whose assets are all embedded in
// the binary, so the page works on air-gapped networks: it loads nothing from a
// CDN or any other external host.
//
// The embedded third-party assets are copied unmodified from the npm registry:
//
//	graphiql@4.1.2      graphiql.min.js, graphiql.min.css (UMD build), LICENSE
//	react@18.2.0        umd/react.production.min.js, LICENSE
//	react-dom@18.2.0    umd/react-dom.production.min.js, LICENSE
//
// The UMD build of graphiql needs only the React and ReactDOM globals. The
// page's own boot script (assets/boot.js) and layout (assets/page.css) are
// served from the same origin, so the Content-Security-Policy allows scripts
// from 'self' only.
//
// The page authenticates its requests with an API token: boot.js takes one
// from the address (/graphiql#token=phk_…), keeps it in localStorage, removes it from
// the address bar, and sends "Authorization: Bearer TOKEN" with every
// request, unless the headers editor sets an Authorization header itself.
package graphiql

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"
)

// PagePath is the URL path of the GraphiQL page (the DPO console has "/").
const PagePath = "/graphiql"

// AssetPrefix is the URL path under which Handler serves the embedded assets,
// e.g. AssetPrefix+"graphiql.min.js". The page refers to the assets by these
// root-relative paths, so Handler must be mounted at PagePath and under
// PagePath+"/" of the server.
const AssetPrefix = PagePath + "/assets/"

//go:embed assets
var assetFS embed.FS

// assetCacheControl lets browsers keep an asset for a year: the content is
// embedded in the binary and the page refers to each asset with a content
// hash in its query string, so a new binary changes the URL.
const assetCacheControl = "public, max-age=31536000, immutable"

// pageTemplate is the GraphiQL page. Script order matters: graphiql's UMD
// build reads the React and ReactDOM globals when it runs, and boot.js uses
// all three. Deferred scripts run in document order after parsing.
const pageTemplate = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{{.Title}}</title>
{{range .Styles}}<link rel="stylesheet" href="{{.}}">
{{end}}{{range .Scripts}}<script defer src="{{.}}"></script>
{{end -}}
</head>
<body>
<div id="graphiql" data-endpoint="{{.Endpoint}}" data-default-query="{{.DefaultQuery}}">
<div class="graphiql-boot-message">Loading…</div>
<noscript><div class="graphiql-boot-message">GraphiQL needs JavaScript.</div></noscript>
</div>
</body>
</html>
`

// defaultQueryFormat is the query editor's initial content (until the user
// edits it: GraphiQL then keeps the user's query in localStorage). %s is the
// page title.
const defaultQueryFormat = `# Welcome to the %s GraphQL API.
#
# Run a query with Ctrl-Enter or the run button.
# Ctrl-Space autocompletes; the Docs panel
# (book icon, left) documents the schema.
#
# Every operation needs an API token. Open
# this page as /graphiql#token=<your token> (the
# link privhub serve prints does) and the
# page sends it with every request; or open
# the Headers tab below and paste
#   {"Authorization": "Bearer <your token>"}
#
# Try: { __typename }
`

// asset is one embedded file, ready to serve.
type asset struct {
	body        []byte
	contentType string
	etag        string // quoted strong ETag of body
	version     string // short content hash, used in URLs to bust caches

	gzipOnce sync.Once
	gzipBody []byte // nil if compression does not pay off
}

// gzipped returns the gzip-compressed body and its ETag, compressing on first
// use, or ok=false if the compressed form is not smaller.
func (a *asset) gzipped() (body []byte, etag string, ok bool) {
	a.gzipOnce.Do(func() {
		var buf bytes.Buffer
		zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		if err != nil {
			return
		}
		if _, err := zw.Write(a.body); err != nil {
			return
		}
		if err := zw.Close(); err != nil {
			return
		}
		if buf.Len() < len(a.body) {
			a.gzipBody = buf.Bytes()
		}
	})
	if a.gzipBody == nil {
		return nil, "", false
	}
	return a.gzipBody, strings.TrimSuffix(a.etag, `"`) + `-gzip"`, true
}

// handler serves the page and the assets; it is immutable after construction
// apart from each asset's lazily computed gzip form.
type handler struct {
	page     []byte
	pageETag string
	csp      string
	assets   map[string]*asset // by file name under AssetPrefix
}

// Handler returns an http.Handler that serves the GraphiQL page at PagePath and the
// embedded assets under AssetPrefix, for a GraphQL endpoint at endpoint (e.g. "/graphql").
//
// Mount it at PagePath and PagePath+"/" of the server: it answers GET and HEAD for
// PagePath with the page and for AssetPrefix+name with an embedded asset; any
// other path answers 404.
// The endpoint may be relative to the page (it is resolved against the page
// URL in the browser) or absolute; an absolute endpoint's origin is added to
// the page's connect-src policy. title is shown as the page title.
func Handler(title, endpoint string) http.Handler {
	h := &handler{assets: make(map[string]*asset)}

	err := fs.WalkDir(assetFS, "assets", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := assetFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum256 := sha256.Sum256(body)
		name := path.Base(p)
		h.assets[name] = &asset{
			body:        body,
			contentType: contentType(name),
			etag:        `"` + hex.EncodeToString(sum256[:]) + `"`,
			version:     hex.EncodeToString(sum256[:6]),
		}
		return nil
	})
	if err != nil {
		// The assets are embedded at build time; failing to read them is a
		// build defect, not a runtime condition.
		panic("graphiql: reading embedded assets: " + err.Error())
	}

	links := func(names []string) []string {
		out := make([]string, 0, len(names))
		for _, name := range names {
			a, ok := h.assets[name]
			if !ok {
				panic("graphiql: missing embedded asset " + name)
			}
			out = append(out, AssetPrefix+name+"?v="+a.version)
		}
		return out
	}

	tmpl := template.Must(template.New("graphiql").Parse(pageTemplate))
	var buf bytes.Buffer
	err = tmpl.Execute(&buf, struct {
		Title        string
		Endpoint     string
		DefaultQuery string
		Styles       []string
		Scripts      []string
	}{
		Title:        title,
		Endpoint:     endpoint,
		DefaultQuery: fmt.Sprintf(defaultQueryFormat, title),
		Styles:       links([]string{"graphiql.min.css", "page.css"}),
		Scripts: links([]string{
			"react.production.min.js",
			"react-dom.production.min.js",
			"graphiql.min.js",
			"boot.js",
		}),
	})
	if err != nil {
		panic("graphiql: rendering page: " + err.Error())
	}
	h.page = buf.Bytes()
	sum := sha256.Sum256(h.page)
	h.pageETag = `"` + hex.EncodeToString(sum[:]) + `"`
	h.csp = contentSecurityPolicy(endpoint)
	return h
}

// contentSecurityPolicy returns the page's policy: everything from 'self'
// only, plus data: fonts and images (graphiql's CSS inlines them), inline
// styles (React and its UI libraries set style attributes and inject <style>
// elements at run time), and the endpoint's origin if it is on another host.
func contentSecurityPolicy(endpoint string) string {
	connect := "'self'"
	if origin := endpointOrigin(endpoint); origin != "" {
		connect += " " + origin
	}
	return strings.Join([]string{
		"default-src 'none'",
		"script-src 'self'",
		"style-src 'self' 'unsafe-inline'",
		"img-src 'self' data:",
		"font-src 'self' data:",
		"connect-src " + connect,
		"base-uri 'none'",
		"form-action 'none'",
		"frame-ancestors 'none'",
	}, "; ")
}

// endpointOrigin returns scheme://host of an absolute http(s)/ws(s) endpoint,
// or "" for a relative one (covered by 'self') or one it cannot put safely in
// a policy.
func endpointOrigin(endpoint string) string {
	u, err := url.Parse(endpoint)
	if err != nil || u.Host == "" {
		return ""
	}
	switch scheme := strings.ToLower(u.Scheme); scheme {
	case "http", "https", "ws", "wss":
		for _, c := range u.Host {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
				strings.ContainsRune(".-:[]", c)) {
				return ""
			}
		}
		return scheme + "://" + u.Host
	default:
		return ""
	}
}

// contentType returns the media type to serve an embedded file with.
func contentType(name string) string {
	switch path.Ext(name) {
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	}
	if strings.HasPrefix(name, "LICENSE") {
		return "text/plain; charset=utf-8"
	}
	if t := mime.TypeByExtension(path.Ext(name)); t != "" {
		return t
	}
	return "application/octet-stream"
}

// ServeHTTP implements http.Handler.
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hdr := w.Header()
	hdr.Set("X-Content-Type-Options", "nosniff")

	var a *asset
	isPage := r.URL.Path == PagePath
	if !isPage {
		name, ok := strings.CutPrefix(r.URL.Path, AssetPrefix)
		if ok {
			a = h.assets[name]
		}
		if a == nil {
			http.NotFound(w, r)
			return
		}
	}

	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		hdr.Set("Allow", "GET, HEAD")
		http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
		return
	}

	if isPage {
		hdr.Set("Content-Type", "text/html; charset=utf-8")
		hdr.Set("Content-Security-Policy", h.csp)
		hdr.Set("Referrer-Policy", "no-referrer")
		hdr.Set("X-Frame-Options", "DENY")
		// The page is tiny and names the assets by content hash: always
		// revalidate it so a new binary's assets are picked up at once.
		hdr.Set("Cache-Control", "no-cache")
		hdr.Set("ETag", h.pageETag)
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(h.page))
		return
	}

	body, etag := a.body, a.etag
	hdr.Add("Vary", "Accept-Encoding")
	if acceptsGzip(r.Header.Values("Accept-Encoding")) {
		if gz, gzETag, ok := a.gzipped(); ok {
			body, etag = gz, gzETag
			hdr.Set("Content-Encoding", "gzip")
		}
	}
	hdr.Set("Content-Type", a.contentType)
	hdr.Set("Cache-Control", assetCacheControl)
	hdr.Set("ETag", etag)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
}

// acceptsGzip reports whether Accept-Encoding header values allow gzip
// (a "gzip" or "x-gzip" coding whose q-value is not zero).
func acceptsGzip(values []string) bool {
	for _, v := range values {
		for part := range strings.SplitSeq(v, ",") {
			coding, params, _ := strings.Cut(part, ";")
			coding = strings.TrimSpace(coding)
			if !strings.EqualFold(coding, "gzip") && !strings.EqualFold(coding, "x-gzip") {
				continue
			}
			q := 1.0
			for param := range strings.SplitSeq(params, ";") {
				k, val, _ := strings.Cut(param, "=")
				if strings.EqualFold(strings.TrimSpace(k), "q") {
					f, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
					if err != nil {
						f = 0
					}
					q = f
				}
			}
			if q > 0 {
				return true
			}
		}
	}
	return false
}
