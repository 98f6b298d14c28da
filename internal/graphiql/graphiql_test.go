package graphiql

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// get sends a request to h and returns the recorded response.
func get(t *testing.T, h http.Handler, method, target string, header http.Header) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for k, v := range header {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

var linkRE = regexp.MustCompile(`\b(?:src|href)\s*=\s*"([^"]*)"`)

// pageLinks returns the (HTML-unescaped) src= and href= values of page.
func pageLinks(page string) []string {
	var out []string
	for _, m := range linkRE.FindAllStringSubmatch(page, -1) {
		out = append(out, html.UnescapeString(m[1]))
	}
	return out
}

func TestPage(t *testing.T) {
	h := Handler("privhub API", "/graphql")
	rec := get(t, h, http.MethodGet, PagePath, nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET / = %d, want 200", rec.Code)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("Content-Type = %q, want text/html", ct)
	}
	body := rec.Body.String()
	if !strings.Contains(body, "<title>privhub API</title>") {
		t.Errorf("page has no title:\n%s", body)
	}
	if !strings.Contains(body, `data-endpoint="/graphql"`) {
		t.Errorf("page does not carry the endpoint:\n%s", body)
	}
	lower := strings.ToLower(body)
	for _, bad := range []string{"http://", "https://", "//cdn", "cdn.", "unpkg", "jsdelivr", "cdnjs"} {
		if strings.Contains(lower, bad) {
			t.Errorf("page contains %q:\n%s", bad, body)
		}
	}
	if strings.Contains(lower, "cdn") {
		t.Errorf("page mentions a CDN:\n%s", body)
	}
	// The boot code lives in an asset: the page has no inline script.
	if regexp.MustCompile(`<script\b[^>]*>\s*[^<\s]`).MatchString(body) {
		t.Errorf("page has an inline script:\n%s", body)
	}
	if regexp.MustCompile(`\son[a-z]+\s*=`).MatchString(body) {
		t.Errorf("page has an inline event handler:\n%s", body)
	}

	csp := rec.Header().Get("Content-Security-Policy")
	directives := map[string]string{}
	for d := range strings.SplitSeq(csp, ";") {
		name, value, _ := strings.Cut(strings.TrimSpace(d), " ")
		directives[name] = value
	}
	for name, want := range map[string]string{
		"default-src": "'none'",
		"script-src":  "'self'",
		"connect-src": "'self'",
	} {
		if got := directives[name]; got != want {
			t.Errorf("CSP %s = %q, want %q (policy %q)", name, got, want, csp)
		}
	}
	if !strings.HasPrefix(directives["style-src"], "'self'") {
		t.Errorf("CSP style-src = %q, want 'self' first", directives["style-src"])
	}
	if strings.Contains(csp, "http") || strings.Contains(csp, "*") {
		t.Errorf("CSP allows other hosts: %q", csp)
	}
	if got := rec.Header().Get("Cache-Control"); got != "no-cache" {
		t.Errorf("page Cache-Control = %q, want no-cache", got)
	}
}

func TestPageLinksAreServed(t *testing.T) {
	h := Handler("privhub", "/graphql")
	page := get(t, h, http.MethodGet, PagePath, nil).Body.String()
	links := pageLinks(page)

	wantTypes := map[string]string{
		"graphiql.min.css":            "text/css",
		"page.css":                    "text/css",
		"react.production.min.js":     "text/javascript",
		"react-dom.production.min.js": "text/javascript",
		"graphiql.min.js":             "text/javascript",
		"boot.js":                     "text/javascript",
	}
	seen := map[string]bool{}
	for _, link := range links {
		u, err := url.Parse(link)
		if err != nil {
			t.Errorf("bad link %q: %v", link, err)
			continue
		}
		if u.Scheme != "" || u.Host != "" || !strings.HasPrefix(u.Path, AssetPrefix) {
			t.Errorf("link %q is not a root-relative path under %s", link, AssetPrefix)
			continue
		}
		name := path.Base(u.Path)
		want, ok := wantTypes[name]
		if !ok {
			t.Errorf("unexpected link %q", link)
			continue
		}
		seen[name] = true

		rec := get(t, h, http.MethodGet, link, nil)
		if rec.Code != http.StatusOK {
			t.Errorf("GET %s = %d, want 200", link, rec.Code)
			continue
		}
		if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, want) {
			t.Errorf("GET %s: Content-Type = %q, want %s", link, ct, want)
		}
		if cc := rec.Header().Get("Cache-Control"); !strings.Contains(cc, "immutable") || !strings.Contains(cc, "max-age=31536000") {
			t.Errorf("GET %s: Cache-Control = %q, want long-lived immutable", link, cc)
		}
		if rec.Header().Get("ETag") == "" {
			t.Errorf("GET %s: no ETag", link)
		}
		if rec.Header().Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s: no X-Content-Type-Options: nosniff", link)
		}
		embedded, err := assetFS.ReadFile("assets/" + name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(rec.Body.Bytes(), embedded) {
			t.Errorf("GET %s: body differs from the embedded file", link)
		}
		// The cache-busting version in the URL is a hash of the content.
		sum := sha256.Sum256(embedded)
		if v := u.Query().Get("v"); v == "" || !strings.HasPrefix(hex.EncodeToString(sum[:]), v) {
			t.Errorf("link %q: version %q is not a prefix of the content hash", link, v)
		}
	}
	for name := range wantTypes {
		if !seen[name] {
			t.Errorf("page does not link %s:\n%s", name, page)
		}
	}
	// Scripts must load in dependency order.
	order := []string{"react.production.min.js", "react-dom.production.min.js", "graphiql.min.js", "boot.js"}
	last := -1
	for _, name := range order {
		i := strings.Index(page, AssetPrefix+name)
		if i < last {
			t.Errorf("%s is loaded out of order", name)
		}
		last = i
	}
}

func TestEscaping(t *testing.T) {
	title := `</title><script>alert("t")</script>`
	endpoint := `/graphql"><script>alert('e')</script>`
	h := Handler(title, endpoint)
	body := get(t, h, http.MethodGet, PagePath, nil).Body.String()
	if strings.Contains(body, "<script>alert") {
		t.Fatalf("title or endpoint not escaped:\n%s", body)
	}
	m := regexp.MustCompile(`<title>([^<]*)</title>`).FindStringSubmatch(body)
	if m == nil || html.UnescapeString(m[1]) != title {
		t.Errorf("title not preserved: %q", m)
	}
	m = regexp.MustCompile(`data-endpoint="([^"]*)"`).FindStringSubmatch(body)
	if m == nil || html.UnescapeString(m[1]) != endpoint {
		t.Errorf("endpoint not preserved: %q", m)
	}
	m = regexp.MustCompile(`data-default-query="([^"]*)"`).FindStringSubmatch(body)
	if m == nil || !strings.Contains(html.UnescapeString(m[1]), title) {
		t.Errorf("default query not preserved: %q", m)
	}
}

func TestDefaultQueryIsComment(t *testing.T) {
	body := get(t, Handler("privhub", "/graphql"), http.MethodGet, PagePath, nil).Body.String()
	m := regexp.MustCompile(`data-default-query="([^"]*)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no default query:\n%s", body)
	}
	q := html.UnescapeString(m[1])
	for line := range strings.SplitSeq(strings.TrimRight(q, "\n"), "\n") {
		if !strings.HasPrefix(line, "#") {
			t.Errorf("default query line %q is not a comment", line)
		}
	}
	if !strings.Contains(q, "Authorization") {
		t.Errorf("default query does not explain the Authorization header:\n%s", q)
	}
}

func TestNotFound(t *testing.T) {
	h := Handler("privhub", "/graphql")
	for _, target := range []string{
		AssetPrefix + "nope.js",
		AssetPrefix,
		AssetPrefix + "assets/boot.js",
		AssetPrefix + "../graphiql.go",
		AssetPrefix + "sub/boot.js",
		"/assets/boot.js",
		"/boot.js",
		"/index.html",
		"/graphiql/",
		"/", // the DPO console's
		"/favicon.ico",
	} {
		if rec := get(t, h, http.MethodGet, target, nil); rec.Code != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", target, rec.Code)
		}
	}
}

func TestMethods(t *testing.T) {
	h := Handler("privhub", "/graphql")
	for _, target := range []string{PagePath, AssetPrefix + "boot.js"} {
		rec := get(t, h, http.MethodPost, target, nil)
		if rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") != "GET, HEAD" {
			t.Errorf("POST %s = %d (Allow %q), want 405 (GET, HEAD)", target, rec.Code, rec.Header().Get("Allow"))
		}
		rec = get(t, h, http.MethodHead, target, nil)
		if rec.Code != http.StatusOK || rec.Body.Len() != 0 || rec.Header().Get("Content-Length") == "" {
			t.Errorf("HEAD %s = %d, body %d bytes, Content-Length %q; want 200, empty, set",
				target, rec.Code, rec.Body.Len(), rec.Header().Get("Content-Length"))
		}
	}
}

func TestConditionalGet(t *testing.T) {
	h := Handler("privhub", "/graphql")
	for _, target := range []string{PagePath, AssetPrefix + "graphiql.min.js"} {
		etag := get(t, h, http.MethodGet, target, nil).Header().Get("ETag")
		if etag == "" {
			t.Fatalf("GET %s: no ETag", target)
		}
		rec := get(t, h, http.MethodGet, target, http.Header{"If-None-Match": {etag}})
		if rec.Code != http.StatusNotModified {
			t.Errorf("GET %s with If-None-Match = %d, want 304", target, rec.Code)
		}
	}
}

func TestGzip(t *testing.T) {
	h := Handler("privhub", "/graphql")
	target := AssetPrefix + "graphiql.min.js"
	plain := get(t, h, http.MethodGet, target, nil)
	if plain.Header().Get("Content-Encoding") != "" {
		t.Fatalf("compressed without Accept-Encoding")
	}
	rec := get(t, h, http.MethodGet, target, http.Header{"Accept-Encoding": {"br, gzip;q=0.8"}})
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Encoding") != "gzip" {
		t.Fatalf("GET %s with gzip = %d, Content-Encoding %q", target, rec.Code, rec.Header().Get("Content-Encoding"))
	}
	if !strings.Contains(rec.Header().Get("Vary"), "Accept-Encoding") {
		t.Errorf("no Vary: Accept-Encoding")
	}
	if rec.Header().Get("ETag") == plain.Header().Get("ETag") {
		t.Errorf("gzip and identity share an ETag")
	}
	if !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/javascript") {
		t.Errorf("Content-Type = %q", rec.Header().Get("Content-Type"))
	}
	zr, err := gzip.NewReader(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, plain.Body.Bytes()) {
		t.Errorf("gzip body does not decompress to the asset")
	}
	if rec.Body.Len() != 0 {
		t.Errorf("trailing data after gzip stream")
	}
}

func TestAcceptsGzip(t *testing.T) {
	for _, tc := range []struct {
		values []string
		want   bool
	}{
		{nil, false},
		{[]string{""}, false},
		{[]string{"gzip"}, true},
		{[]string{"GZIP"}, true},
		{[]string{"x-gzip"}, true},
		{[]string{"deflate, br"}, false},
		{[]string{"br", "gzip, deflate"}, true},
		{[]string{"gzip;q=0"}, false},
		{[]string{"gzip; q=0.0"}, false},
		{[]string{"gzip;q=0.5"}, true},
		{[]string{"gzip;q=bogus"}, false},
		{[]string{"gzipx"}, false},
	} {
		if got := acceptsGzip(tc.values); got != tc.want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", tc.values, got, tc.want)
		}
	}
}

func TestAbsoluteEndpointCSP(t *testing.T) {
	for _, tc := range []struct {
		endpoint, connect string
	}{
		{"/graphql", "connect-src 'self';"},
		{"graphql", "connect-src 'self';"},
		{"https://api.example.com:8443/graphql", "connect-src 'self' https://api.example.com:8443;"},
		{"javascript:alert(1)", "connect-src 'self';"},
		{"https://a.example; script-src *", "connect-src 'self';"},
	} {
		rec := get(t, Handler("privhub", tc.endpoint), http.MethodGet, PagePath, nil)
		if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, tc.connect) {
			t.Errorf("endpoint %q: CSP %q does not contain %q", tc.endpoint, csp, tc.connect)
		}
	}
}

// TestEmbeddedAssets pins the vendored npm files (graphiql@4.1.2, react@18.2.0,
// react-dom@18.2.0) so an accidental edit or a partial upgrade is noticed.
func TestEmbeddedAssets(t *testing.T) {
	pins := map[string]string{
		"graphiql.min.js":             "867226ba8af5ce7949903fc53932f78dac9f4bfc6cc8da0fd3869b8bc6c5256b",
		"graphiql.min.css":            "30487e07635d312a63f647b140d37740a73c53332b0975bf4b1fe985ca6ec885",
		"react.production.min.js":     "4b4969fa4ef3594324da2c6d78ce8766fbbc2fd121fff395aedf997db0a99a06",
		"react-dom.production.min.js": "21758ed084cd0e37e735722ee4f3957ea960628a29dfa6c3ce1a1d47a2d6e4f7",
		"LICENSE.graphiql":            "4b18fbe55c4e8f9169cb702be138f4d858a2dad920c39857204ffdc9c1c9fdc4",
		"LICENSE.react":               "52412d7bc7ce4157ea628bbaacb8829e0a9cb3c58f57f99176126bc8cf2bfc85",
		"LICENSE.react-dom":           "52412d7bc7ce4157ea628bbaacb8829e0a9cb3c58f57f99176126bc8cf2bfc85",
	}
	h := Handler("privhub", "/graphql")
	for name, want := range pins {
		b, err := assetFS.ReadFile("assets/" + name)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) != want {
			t.Errorf("%s: sha256 %x, want %s", name, sum, want)
		}
		rec := get(t, h, http.MethodGet, AssetPrefix+name, nil)
		if rec.Code != http.StatusOK {
			t.Errorf("GET %s = %d, want 200", name, rec.Code)
		}
		if strings.HasPrefix(name, "LICENSE") && rec.Header().Get("Content-Type") != "text/plain; charset=utf-8" {
			t.Errorf("GET %s: Content-Type %q", name, rec.Header().Get("Content-Type"))
		}
	}
}

// TestStylesLoadNothingExternal checks that the embedded CSS pulls in no
// other file: fonts and images must be data: URLs and there is no @import.
func TestStylesLoadNothingExternal(t *testing.T) {
	urlRE := regexp.MustCompile(`url\(\s*['"]?([^'")\s]{0,16})`)
	for _, name := range []string{"graphiql.min.css", "page.css"} {
		b, err := assetFS.ReadFile("assets/" + name)
		if err != nil {
			t.Fatal(err)
		}
		css := string(b)
		if strings.Contains(strings.ToLower(css), "@import") {
			t.Errorf("%s uses @import", name)
		}
		for _, m := range urlRE.FindAllStringSubmatch(css, -1) {
			if !strings.HasPrefix(m[1], "data:") {
				t.Errorf("%s loads url(%s...)", name, m[1])
			}
		}
	}
}

// TestBootScriptSendsTheToken checks that boot.js takes the API token from
// #token=… or localStorage, removes it from the address bar, and builds its
// fetcher on a fetch that sends the Authorization header.
func TestBootScriptSendsTheToken(t *testing.T) {
	h := Handler("privhub", "/graphql")
	rec := get(t, h, http.MethodGet, AssetPrefix+"boot.js", nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET boot.js = %d", rec.Code)
	}
	js := rec.Body.String()
	for _, want := range []string{
		"window.location.hash",
		"params.get('token')",
		"window.history.replaceState(",
		"window.localStorage.setItem(TOKEN_KEY",
		"window.localStorage.getItem(TOKEN_KEY)",
		"headers.set('Authorization', 'Bearer ' + token)",
		"GraphiQL.createFetcher({ url: endpoint, fetch: authorizedFetch })",
	} {
		if !strings.Contains(js, want) {
			t.Errorf("boot.js does not contain %q", want)
		}
	}
	if strings.Contains(js, "eval(") || strings.Contains(js, "new Function") {
		t.Errorf("boot.js evaluates code, which the CSP forbids")
	}
}

// bootHarness runs boot.js in Node with stand-ins for the browser and
// GraphiQL, then sends one request through the fetcher it built without an
// Authorization header and one with its own; it prints what was sent.
const bootHarness = `
// node -e CODE -- SCRIPT HASH STORED puts SCRIPT in process.argv[1].
const [file, hash, stored] = process.argv.slice(1);
const src = require('fs').readFileSync(file, 'utf8');
const store = new Map(stored ? [['privhub.token', stored]] : []);
const sent = [];
let address = null;
const window = {
  location: { hash, pathname: '/', search: '', href: 'http://h/' + hash },
  history: { state: null, replaceState: (s, t, u) => { address = u; } },
  localStorage: {
    getItem: k => store.has(k) ? store.get(k) : null,
    setItem: (k, v) => store.set(k, v),
    removeItem: k => store.delete(k),
  },
  fetch: (url, init) => { sent.push(init.headers.get('Authorization')); return Promise.resolve(); },
};
let opts;
const GraphiQL = { createFetcher: o => { opts = o; return () => {}; } };
const document = { getElementById: () => ({ dataset: { endpoint: '/graphql' } }) };
const ReactDOM = { createRoot: () => ({ render() {} }) };
const React = { createElement() {} };
new Function('window', 'document', 'GraphiQL', 'ReactDOM', 'React', src)(window, document, GraphiQL, ReactDOM, React);
opts.fetch('http://h/graphql', { method: 'POST', headers: { 'content-type': 'application/json' } });
opts.fetch('http://h/graphql', { method: 'POST', headers: { authorization: 'Bearer typed' } });
console.log(JSON.stringify({ sent, address, stored: store.get('privhub.token') || null }));
`

// TestBootScriptInNode runs boot.js (when Node is installed) and checks
// what it sends.
func TestBootScriptInNode(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("node is not installed; CI runs this test")
		}
		t.Skip("node is not installed")
	}
	dir := t.TempDir()
	script := filepath.Join(dir, "boot.js")
	b, err := assetFS.ReadFile("assets/boot.js")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(script, b, 0o600); err != nil {
		t.Fatal(err)
	}
	type result struct {
		Sent    []*string
		Address *string
		Stored  *string
	}
	str := func(s string) *string { return &s }
	for _, tc := range []struct {
		hash, stored string
		want         result
	}{
		{"#token=phk_abc&x=1", "", result{[]*string{str("Bearer phk_abc"), str("Bearer typed")}, str("/#x=1"), str("phk_abc")}},
		{"#token=phk_new", "phk_old", result{[]*string{str("Bearer phk_new"), str("Bearer typed")}, str("/"), str("phk_new")}},
		{"", "phk_kept", result{[]*string{str("Bearer phk_kept"), str("Bearer typed")}, nil, str("phk_kept")}},
		{"#token=", "phk_kept", result{[]*string{nil, str("Bearer typed")}, str("/"), nil}},
		{"", "", result{[]*string{nil, str("Bearer typed")}, nil, nil}},
	} {
		out, err := exec.Command(node, "-e", bootHarness, "--", script, tc.hash, tc.stored).CombinedOutput()
		if err != nil {
			t.Fatalf("hash %q: node: %v\n%s", tc.hash, err, out)
		}
		var got result
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatalf("hash %q: %v\n%s", tc.hash, err, out)
		}
		show := func(r result) string {
			return fmt.Sprintf("%q, %q, %q", deref(r.Sent), deref1(r.Address), deref1(r.Stored))
		}
		if g, w := show(got), show(tc.want); g != w {
			t.Errorf("hash %q, stored %q: sent, address, kept = %s, want %s", tc.hash, tc.stored, g, w)
		}
	}
}

func deref(ss []*string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = deref1(s)
	}
	return out
}

func deref1(s *string) string {
	if s == nil {
		return "<none>"
	}
	return *s
}
