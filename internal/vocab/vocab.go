// Package vocab holds the enumerations of privhub's domain that more than one
// entity shares (regimes, transfer mechanisms, processing roles, subject kinds)
// or that are stored as lists (vendor services, safeguards, DPA stipulations).
// Each type lists its values, validates itself and marshals to GraphQL.
package vocab

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"
)

// enum is implemented by every vocabulary type.
type enum interface {
	~string
	Values() []string
}

// parse converts a GraphQL or database value into T, rejecting unknown values.
func parse[T enum](v any) (T, error) {
	var zero T
	s, ok := v.(string)
	if !ok {
		return zero, fmt.Errorf("%T must be a string, not %T", zero, v)
	}
	if !slices.Contains(zero.Values(), s) {
		return zero, fmt.Errorf("%q is not a valid %T", s, zero)
	}
	return T(s), nil
}

func marshal[T ~string](w io.Writer, v T) {
	_, _ = io.WriteString(w, strconv.Quote(string(v)))
}

// Valid reports whether v is one of its type's values.
func Valid[T enum](v T) bool { return slices.Contains(v.Values(), string(v)) }

// StatusChange is one step of a request's status history.
type StatusChange struct {
	Status string    `json:"status"`
	At     time.Time `json:"at"`
	Note   string    `json:"note,omitempty"`
}

// Retained is data kept back from an erasure: which category, until when and
// under which obligation.
type Retained struct {
	CategoryKey string     `json:"categoryKey"`
	Until       *time.Time `json:"until,omitempty"`
	Reason      string     `json:"reason"`
}
