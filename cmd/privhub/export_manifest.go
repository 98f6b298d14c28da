package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/privhub/privhub/internal/manifest"
)

func exportManifest(ctx context.Context, args []string, stdout io.Writer, _ *slog.Logger) error {
	fs, dbURL := newFlags("export manifest", "Writes the registry (organisations, taxonomy, purposes, retention rules,\nvendors, contracts with parties and clauses, transfers, security measures) as\nYAML named by natural keys, never database IDs, in a stable order. Edit it,\nthen \"privhub plan -f\" and \"privhub apply -f\" it.", stdout)
	out := fs.String("o", "", "write to this file (.yaml) or into this directory (registry.yaml); default stdout")
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := openDB(ctx, *dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	m, err := manifest.Read(ctx, db.Client)
	if err != nil {
		return fmt.Errorf("exporting the manifest: %w", err)
	}
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "# yaml-language-server: $schema=%s\n", manifest.SchemaID)
	if err := manifest.Write(&buf, m); err != nil {
		return err
	}
	if *out == "" {
		_, err := stdout.Write(buf.Bytes())
		return err
	}
	path := *out
	if info, err := os.Stat(path); (err == nil && info.IsDir()) || (!strings.HasSuffix(path, ".yaml") && !strings.HasSuffix(path, ".yml")) {
		if err := os.MkdirAll(path, 0o755); err != nil {
			return fmt.Errorf("creating %s: %w", path, err)
		}
		path = filepath.Join(path, "registry.yaml")
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("writing the manifest: %w", err)
	}
	fmt.Fprintf(stdout, "wrote %s\n", path)
	return nil
}

func exportManifestSchema(_ context.Context, args []string, stdout io.Writer, _ *slog.Logger) error {
	fs, _ := newFlags("export manifest-schema", "Writes the JSON Schema of a manifest (also committed as schema/json/manifest.schema.json).", stdout)
	if err := fs.Parse(args); err != nil {
		return err
	}
	b, err := manifest.JSONSchema()
	if err != nil {
		return err
	}
	_, err = stdout.Write(b)
	return err
}
