package auth

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/ent/operator"
	"github.com/privhub/privhub/internal/apperr"
)

// LocalAdminName names the operator and token EnsureLocalAdmin makes.
const LocalAdminName = "local admin"

// EnsureLocalAdmin gives a local installation an ADMIN token kept in the
// file at path: when the file holds a token that still authenticates as
// ADMIN, it returns that token; otherwise it issues a new ADMIN token named
// "local admin" that never expires (for the existing enabled "local admin"
// operator, if there is one), writes it to path with mode 0600, creating
// the directory, and returns it with created set.
func EnsureLocalAdmin(ctx context.Context, c *ent.Client, path string) (token string, created bool, err error) {
	b, err := os.ReadFile(path)
	switch {
	case err == nil:
		old := strings.TrimSpace(string(b))
		p, err := Authenticate(ctx, c, old, time.Now())
		if err == nil && p.Role == RoleAdmin {
			return old, false, nil
		}
		if e, ok := apperr.As(err); err != nil && (!ok || e.Code != apperr.Unauthenticated) {
			return "", false, fmt.Errorf("checking the admin token in %s: %w", path, err)
		}
	case errors.Is(err, fs.ErrNotExist):
	default:
		return "", false, fmt.Errorf("reading the admin token: %w", err)
	}

	in := IssueInput{Role: RoleAdmin, Name: LocalAdminName}
	op, err := c.Operator.Query().
		Where(operator.Name(LocalAdminName), operator.RoleEQ(RoleAdmin), operator.Disabled(false)).
		Order(operator.ByCreatedAt()).
		First(ctx)
	switch {
	case err == nil:
		in.OperatorID = &op.ID
	case !ent.IsNotFound(err):
		return "", false, fmt.Errorf("finding the local admin operator: %w", err)
	}
	token, tok, err := Issue(ctx, c, in)
	if err != nil {
		return "", false, err
	}
	if err := writeSecret(path, token); err != nil {
		// A token nobody can read is revoked at once.
		if _, rerr := Revoke(ctx, c, tok.ID); rerr != nil {
			err = errors.Join(err, rerr)
		}
		return "", false, err
	}
	return token, true, nil
}

// writeSecret replaces the file at path with secret and a newline, readable
// by its owner only; a reader never sees a half-written file.
func writeSecret(path, secret string) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("creating the directory of %s: %w", path, err)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err := f.Chmod(0o600); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if _, err := f.WriteString(secret + "\n"); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
