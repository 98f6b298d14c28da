// Package console serves the DPO console: a browser app of static HTML, CSS
// and JavaScript modules (no build step, no third-party code), embedded in
// the binary and served at "/". The app is a client of the public GraphQL
// API like any other: it signs in at /session (see internal/session), which
// sets an HttpOnly session cookie, then sends its queries to /graphql with
// that cookie and, on every POST, the session's CSRF token. Every GraphQL
// document it sends is in static/queries.js.
//
// The pages live in the address's fragment (/#/vendors?at=2026-06-30), so
// the server serves one page and the assets under AssetPrefix; it loads
// nothing from any other host.
package console

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"
)

// AssetPrefix is the URL path under which the console's files are served.
const AssetPrefix = "/console/"

//go:embed static
var static embed.FS

// contentSecurityPolicy allows the console's own scripts, styles and
// requests only; images may be data: URLs (the SVG download is a blob).
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; " +
	"connect-src 'self' blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// file is one embedded file, ready to serve.
type file struct {
	body        []byte
	contentType string
	etag        string
}

// handler serves the page and the assets; it is immutable once built.
type handler struct {
	files map[string]*file // by path under static/, e.g. "app.js"
}

// Handler returns the console's handler. Mount it at "/": it answers GET and
// HEAD for "/" with the page and for AssetPrefix+name with a file, and 404
// for any other path.
func Handler() http.Handler {
	h := &handler{files: map[string]*file{}}
	err := fs.WalkDir(static, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := static.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		name := strings.TrimPrefix(p, "static/")
		h.files[name] = &file{body: body, contentType: contentType(name), etag: `"` + hex.EncodeToString(sum[:16]) + `"`}
		return nil
	})
	if err != nil {
		// Embedded at build time: failing to read them is a build defect.
		panic("console: reading embedded files: " + err.Error())
	}
	if h.files["index.html"] == nil {
		panic("console: no index.html")
	}
	return h
}

// contentType returns the media type of an embedded file.
func contentType(name string) string {
	switch path.Ext(name) {
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".html":
		return "text/html; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	}
	if t := mime.TypeByExtension(path.Ext(name)); t != "" {
		return t
	}
	return "application/octet-stream"
}

// ServeHTTP implements http.Handler.
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var f *file
	switch {
	case r.URL.Path == "/":
		f = h.files["index.html"]
	case strings.HasPrefix(r.URL.Path, AssetPrefix):
		name := strings.TrimPrefix(r.URL.Path, AssetPrefix)
		if name != "index.html" {
			f = h.files[name]
		}
	}
	if f == nil {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
		return
	}
	hdr := w.Header()
	hdr.Set("Content-Type", f.contentType)
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("Content-Security-Policy", contentSecurityPolicy)
	hdr.Set("Referrer-Policy", "no-referrer")
	hdr.Set("X-Frame-Options", "DENY")
	// Modules import each other by plain names: revalidate every time,
	// which costs a 304 per file once the browser has them.
	hdr.Set("Cache-Control", "no-cache")
	hdr.Set("ETag", f.etag)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(f.body))
}
