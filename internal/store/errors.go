package store

import (
	"database/sql"
	"database/sql/driver"
	"errors"
	"strings"

	"github.com/lib/pq"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// IsUniqueViolation reports whether err is a database's refusal of a
// duplicate value in a unique column.
func IsUniqueViolation(err error) bool {
	var pe *pq.Error
	if errors.As(err, &pe) {
		return pe.Code == "23505"
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// IsForeignKeyViolation reports whether err is a database's refusal of a
// reference to a row that does not exist, or of deleting a row still
// referenced.
func IsForeignKeyViolation(err error) bool {
	var pe *pq.Error
	if errors.As(err, &pe) {
		return pe.Code == "23503"
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
	}
	return strings.Contains(err.Error(), "FOREIGN KEY constraint failed")
}

// IsDriverError reports whether err comes from the database driver or from
// database/sql itself: text written for developers (SQL, driver codes), to
// be logged and never shown to callers.
func IsDriverError(err error) bool {
	var pe *pq.Error
	var se *sqlite.Error
	return errors.As(err, &pe) || errors.As(err, &se) ||
		errors.Is(err, sql.ErrNoRows) || errors.Is(err, sql.ErrConnDone) ||
		errors.Is(err, sql.ErrTxDone) || errors.Is(err, driver.ErrBadConn)
}
