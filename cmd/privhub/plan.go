package main

import (
	"context"
	"errors"
	"io"
	"log/slog"

	"github.com/privhub/privhub/internal/manifest"
)

func planCmd(ctx context.Context, args []string, stdout io.Writer, _ *slog.Logger) error {
	fs, dbURL := newFlags("plan", "Prints what \"privhub apply\" would create (+), update (~) and delete (-) to make\nthe registry what the manifest says; writes nothing.", stdout)
	file := fs.String("f", "", "the manifest: a YAML file, or a directory of them")
	prune := fs.Bool("prune", false, "also plan to delete what the manifest no longer names")
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
	changes, err := manifest.Plan(ctx, db.Client, src, *prune)
	if err != nil {
		return err
	}
	manifest.WritePlan(stdout, changes)
	return nil
}
