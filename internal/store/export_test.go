package store

import "context"

// MigrateOnly applies the named migrations only, so that tests can build a
// database as an older release left it.
func (db *DB) MigrateOnly(ctx context.Context, versions []string) error {
	return db.applyAll(ctx, versions)
}
