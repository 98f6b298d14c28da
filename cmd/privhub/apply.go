package main

import (
	"context"
	"errors"
	"io"
	"log/slog"

	"github.com/privhub/privhub/internal/manifest"
)

func applyCmd(ctx context.Context, args []string, stdout io.Writer, _ *slog.Logger) error {
	fs, dbURL := newFlags("apply", "Makes the registry what the manifest says, in one transaction: creates and\nupdates what differs and, with --prune, deletes what it no longer names. A\nbad value or reference fails with its file:line:col and writes nothing.\nApplying twice changes nothing the second time.", stdout)
	file := fs.String("f", "", "the manifest: a YAML file, or a directory of them")
	prune := fs.Bool("prune", false, "delete what the manifest no longer names")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *file == "" {
		fs.Usage()
		return errors.New("say which manifest: -f PATH")
	}
	src, err := manifest.Load(*file)
	if err != nil {
		return err
	}
	db, err := openDB(ctx, *dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	changes, err := manifest.Apply(ctx, db.Client, src, *prune)
	if err != nil {
		return err
	}
	manifest.WritePlan(stdout, changes)
	return nil
}
