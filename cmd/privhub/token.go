package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/privhub/privhub/ent"
	"github.com/privhub/privhub/internal/apperr"
	"github.com/privhub/privhub/internal/auth"
	"github.com/privhub/privhub/internal/pulid"
	"github.com/privhub/privhub/internal/store"
)

const tokenUsage = `Usage: privhub token <action> [flags]

Actions:
  create     make an API token for a new operator and print the token, alone, on
             stdout: --role (admin, dpo, analyst, viewer, subject), --name, --user
             (a subject's ID, e-mail address or external reference), --expires
             (e.g. 720h or 90d; default never)
  list       list the tokens with their operator, role, hint, expiry, revocation
             and last use (never the secret: only its hash is kept)
  revoke ID  revoke a token at once

A token is shown once, when it is made. Every action takes --database.
`

// tokenCmd makes, lists and revokes API tokens.
func tokenCmd(ctx context.Context, args []string, stdout io.Writer, _ *slog.Logger) error {
	act, args, ok, err := action(args, tokenUsage, stdout)
	if !ok {
		return err
	}
	fs, dbURL := newFlags("token "+act, "See \"privhub token help\".", stdout)
	role := fs.String("role", "", "the operator's role: admin, dpo, analyst, viewer or subject (create)")
	name := fs.String("name", "", "the token's and its operator's name, as the audit trail shows it (create)")
	who := fs.String("user", "", "the user a subject token stands for: an ID, an e-mail address or an external reference (create)")
	expires := fs.String("expires", "", "how long the token is valid, e.g. 720h or 90d (create; default never)")
	target, err := parseWithTarget(fs, args)
	if err != nil {
		return err
	}
	switch act {
	case "create", "list":
	case "revoke":
		if target == "" {
			return errors.New("token revoke: say which token (its ID, as token list shows)")
		}
	default:
		fmt.Fprint(stdout, tokenUsage)
		return fmt.Errorf("unknown token action %q", act)
	}
	var expiresIn time.Duration
	if *expires != "" {
		if expiresIn, err = parseExpiry(*expires); err != nil {
			return err
		}
	}
	db, err := openDB(ctx, *dbURL)
	if err != nil {
		return err
	}
	defer db.Close()

	switch act {
	case "create":
		in := auth.IssueInput{Role: auth.Role(strings.ToUpper(*role)), Name: *name, ExpiresIn: expiresIn}
		if *who != "" {
			u, err := findUser(ctx, db.Client, *who)
			if err != nil {
				return err
			}
			in.UserID = &u.ID
		}
		token, tok, err := auth.Issue(ctx, db.Client, in)
		if err != nil {
			return flagError(err)
		}
		// stdout gets the token alone, so that it can be piped or captured.
		fmt.Fprintf(os.Stderr, "issued token %s (%s) for operator %s (%s), expires %s; it is shown only this once\n",
			tok.ID, tok.Name, tok.OperatorID, tok.Edges.Operator.Role, instant(tok.ExpiresAt, "never"))
		_, err = fmt.Fprintln(stdout, token)
		return err
	case "list":
		toks, err := auth.List(ctx, db.Client)
		if err != nil {
			return err
		}
		return printTokens(stdout, toks)
	default: // revoke
		tok, err := auth.Revoke(ctx, db.Client, pulid.ID(target))
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "token %s (%s) is revoked since %s\n", tok.ID, tok.Name, instant(tok.RevokedAt, "-"))
		return nil
	}
}

// parseExpiry parses a token's lifetime: a Go duration (720h, 30m) or a
// number of days (90d).
func parseExpiry(s string) (time.Duration, error) {
	var d time.Duration
	var err error
	if days, ok := strings.CutSuffix(s, "d"); ok {
		var n int
		n, err = strconv.Atoi(days)
		d = time.Duration(n) * 24 * time.Hour
	} else {
		d, err = time.ParseDuration(s)
	}
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("--expires %q: want a positive duration such as 720h or 90d", s)
	}
	return d, nil
}

// flagError words bad input to auth.Issue in terms of the command's flags.
func flagError(err error) error {
	e, ok := apperr.As(err)
	if !ok || e.Field == "" {
		return err
	}
	flag := map[string]string{"role": "--role", "name": "--name", "userID": "--user", "expiresIn": "--expires"}[e.Field]
	if flag == "" {
		return err
	}
	return fmt.Errorf("%s: %s", flag, e.Message)
}

// printTokens prints one line per token.
func printTokens(stdout io.Writer, toks []*ent.APIToken) error {
	w := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tNAME\tROLE\tOPERATOR\tHINT\tEXPIRES\tREVOKED\tLAST USED")
	for _, t := range toks {
		role, op := "", string(t.OperatorID)
		if o := t.Edges.Operator; o != nil {
			role, op = string(o.Role), o.Name
			if o.Disabled {
				op += " (disabled)"
			}
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Name, role, op,
			auth.TokenPrefix+t.Hint+"…", instant(t.ExpiresAt, "never"), instant(t.RevokedAt, "-"), instant(t.LastUsedAt, "never"))
	}
	return w.Flush()
}

// instant formats an optional instant in UTC to the second, or none.
func instant(t *time.Time, none string) string {
	if t == nil {
		return none
	}
	return t.UTC().Format(time.RFC3339)
}

// localAdminToken returns the ADMIN token serve prints: the one kept in
// file, or by default beside a SQLite database file, made when missing or
// no longer valid; a fresh one for an in-memory database, which keeps
// nothing; none for PostgreSQL without file.
func localAdminToken(ctx context.Context, db *store.DB, dbURL, file string, log *slog.Logger) (string, error) {
	if file == "" {
		if path, ok := store.SQLiteFile(dbURL); ok {
			file = path + ".admin-token"
		}
	}
	if file == "" {
		if !strings.HasPrefix(dbURL, "sqlite:") {
			return "", nil
		}
		token, _, err := auth.Issue(ctx, db.Client, auth.IssueInput{Role: auth.RoleAdmin, Name: auth.LocalAdminName})
		return token, err
	}
	token, created, err := auth.EnsureLocalAdmin(ctx, db.Client, file)
	if err != nil {
		return "", fmt.Errorf("keeping the local admin token: %w", err)
	}
	if created {
		log.Info("issued a local admin token", "file", file)
	}
	return token, nil
}
