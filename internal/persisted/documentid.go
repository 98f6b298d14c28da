package persisted

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime"
	"net/http"
)

type documentIDKey struct{}

// documentIDFrom returns the documentId DocumentIDs found, or "".
func documentIDFrom(ctx context.Context) string {
	id, _ := ctx.Value(documentIDKey{}).(string)
	return id
}

// DocumentIDs passes to Trusted the documentId of a request, the
// GraphQL-over-HTTP name of a persisted document, which gqlgen's transports
// do not decode: from the URL of a GET, from the JSON body of a POST. The
// body is left for the transport to read as it was.
func DocumentIDs(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var id string
		switch r.Method {
		case http.MethodGet:
			id = r.URL.Query().Get("documentId")
		case http.MethodPost:
			id = bodyDocumentID(r)
		}
		if id != "" {
			r = r.WithContext(context.WithValue(r.Context(), documentIDKey{}, id))
		}
		next.ServeHTTP(w, r)
	})
}

// bodyDocumentID reads the documentId of a JSON body and puts the body back.
func bodyDocumentID(r *http.Request) string {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" || r.Body == nil {
		return ""
	}
	body, err := io.ReadAll(r.Body)
	r.Body = readCloser{io.MultiReader(bytes.NewReader(body), errReader{err}), r.Body}
	if err != nil || !bytes.Contains(body, []byte(`"documentId"`)) {
		return ""
	}
	var p struct {
		DocumentID string `json:"documentId"`
	}
	if json.Unmarshal(body, &p) != nil {
		return ""
	}
	return p.DocumentID
}

// readCloser reads from one reader and closes the original body.
type readCloser struct {
	io.Reader
	io.Closer
}

// errReader fails with err once the body read before is consumed; a nil
// err is the end of the body.
type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	return 0, io.EOF
}
