// Package pulid implements privhub's identifiers: a short type prefix, an
// underscore and a ULID with random entropy ("vnd_01J9Z3..."). They are
// globally unique across types, opaque to clients and not sequential, and the
// prefix lets node(id:) find the table without a lookup.
package pulid

import (
	"crypto/rand"
	"database/sql/driver"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/oklog/ulid/v2"
)

// ID is a prefixed ULID. Reference data keyed by a natural code keeps the
// prefix and puts the code in place of the ULID: a country's ID is
// "cty_" and its ISO 3166-1 alpha-2 code ("cty_BE", see Country).
type ID string

// CountryPrefix is the type prefix of countries' IDs.
const CountryPrefix = "cty"

// Country returns the ID of the country with an ISO 3166-1 alpha-2 code.
func Country(code string) ID { return ID(CountryPrefix + "_" + code) }

// CountryCode returns the ISO 3166-1 alpha-2 code of a country's ID, or ""
// when id is not a country's.
func (id ID) CountryCode() string {
	code, ok := strings.CutPrefix(string(id), CountryPrefix+"_")
	if !ok {
		return ""
	}
	return code
}

// New returns a fresh ID with the given type prefix.
func New(prefix string) ID {
	// ulid.New with crypto/rand reads 80 random bits per ID, so IDs made in
	// the same millisecond are not ordered and cannot be guessed.
	u := ulid.MustNew(ulid.Timestamp(time.Now()), rand.Reader)
	return ID(prefix + "_" + strings.ToLower(u.String()))
}

// Prefix returns the type prefix of id, or "" when id has none.
func (id ID) Prefix() string {
	p, _, ok := strings.Cut(string(id), "_")
	if !ok {
		return ""
	}
	return p
}

// String returns id as a string.
func (id ID) String() string { return string(id) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (id *ID) UnmarshalGQL(v any) error {
	switch s := v.(type) {
	case string:
		*id = ID(s)
	case ID:
		*id = s
	default:
		return fmt.Errorf("an ID must be a string, not %T", v)
	}
	return nil
}

// MarshalGQL implements graphql.Marshaler.
func (id ID) MarshalGQL(w io.Writer) {
	_, _ = io.WriteString(w, strconv.Quote(string(id)))
}

// Scan implements sql.Scanner.
func (id *ID) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		return nil
	case string:
		*id = ID(v)
	case []byte:
		*id = ID(string(v))
	case ID:
		*id = v
	default:
		return fmt.Errorf("pulid: cannot scan %T into an ID", src)
	}
	return nil
}

// Value implements driver.Valuer.
func (id ID) Value() (driver.Value, error) { return string(id), nil }

// Interner shares the strings of IDs read as bytes, so that many rows
// naming the same IDs hold one copy of each. Its zero value is ready to
// use; it is not safe for concurrent use.
type Interner struct{ m map[string]ID }

// Intern returns b as an ID, the same string for equal bytes.
func (in *Interner) Intern(b []byte) ID {
	if id, ok := in.m[string(b)]; ok {
		return id
	}
	if in.m == nil {
		in.m = map[string]ID{}
	}
	id := ID(b)
	in.m[string(id)] = id
	return id
}
