package law

import "time"

// MaxExtensionMonths is the longest extension of a data subject request
// GDPR Art. 12(3) allows.
const MaxExtensionMonths = 2

// DueDate is when a request received at received must be answered: one
// calendar month later, plus extension months (GDPR Art. 12(3)). A month
// later than the 31st is the last day of the shorter month.
func DueDate(received time.Time, extension int) time.Time {
	y, mo, d := received.Date()
	target := time.Date(y, mo+time.Month(1+extension), 1, received.Hour(), received.Minute(), received.Second(), 0, received.Location())
	if last := target.AddDate(0, 1, -1).Day(); d > last {
		d = last
	}
	return time.Date(target.Year(), target.Month(), d, received.Hour(), received.Minute(), received.Second(), received.Nanosecond(), received.Location())
}

// Deadline is what the law makes of a request's timing as of an instant.
type Deadline struct {
	// FirstMonth is when the first month after receipt runs out: an
	// extension must be notified by then.
	FirstMonth time.Time
	// Due is when the request must be answered: the first month, plus the
	// extension when it was notified in time (at most two months).
	Due time.Time
	// Limit is the latest the request can lawfully be answered with the
	// longest extension.
	Limit time.Time
	// NotifiedLate says an extension was notified after the first month,
	// so it does not count.
	NotifiedLate bool
	// Notified is when the extension was notified, as of the instant; nil
	// when it was not (yet).
	Notified *time.Time
	// Requested is the extension on record, in months, once notified;
	// Extended is the part of it that counts (none when notified late).
	Requested, Extended int
}

// TooLong reports whether the extension on record goes beyond what Art.
// 12(3) allows, or the due date set on the request beyond the limit.
func (d Deadline) TooLong(dueOnRecord time.Time) bool {
	if d.Notified == nil {
		return false
	}
	return d.Requested > MaxExtensionMonths || (!dueOnRecord.IsZero() && dateOf(dueOnRecord).After(dateOf(d.Limit)))
}

// dateOf is the calendar day of t, at midnight UTC.
func dateOf(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// DeadlineOf decides when a request received at received is due as of
// instant at, given the months of extension on record and when the
// extension was notified (nil when it was not); a notification later than
// at does not count yet.
func DeadlineOf(received time.Time, extensionMonths *int, notified *time.Time, at time.Time) Deadline {
	d := Deadline{FirstMonth: DueDate(received, 0)}
	d.Due = d.FirstMonth
	d.Limit = DueDate(received, MaxExtensionMonths)
	if alt := received.AddDate(0, 1+MaxExtensionMonths, 0); alt.After(d.Limit) {
		d.Limit = alt // the calendar months without the month-end rule
	}
	if notified == nil || notified.After(at) {
		return d
	}
	d.Notified = notified
	if extensionMonths != nil {
		d.Requested = *extensionMonths
	}
	if notified.After(d.FirstMonth) {
		d.NotifiedLate = true
		return d
	}
	d.Extended = min(d.Requested, MaxExtensionMonths)
	d.Due = DueDate(received, d.Extended)
	return d
}

// Overdue reports whether a request still open at instant at is past its
// due date.
func (d Deadline) Overdue(at time.Time) bool { return d.Due.Before(at) }
