package law

import "time"

// Within reports whether instant at falls within the period from from to
// until, both included; a nil bound is open. An instrument valid until a
// day is still in force on it.
func Within(at time.Time, from, until *time.Time) bool {
	return (from == nil || !from.After(at)) && (until == nil || !until.Before(at))
}

// EndOf returns the first instant after a period ending at until (included)
// at which the period is over: the boundary a timeline cuts at.
func EndOf(until time.Time) time.Time { return until.Add(time.Nanosecond) }
