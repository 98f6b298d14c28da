package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/goccy/go-yaml"

	"github.com/privhub/privhub/internal/fideslang"
	"github.com/privhub/privhub/internal/manifest"
)

func exportFideslang(ctx context.Context, args []string, stdout io.Writer, log *slog.Logger) error {
	fs, dbURL := newFlags("export fideslang", "Writes the registry as fideslang YAML: the taxonomy as data_category,\ndata_use and data_subject, and every holder as a system with its privacy\ndeclarations, egress and ingress. What fideslang cannot express is listed on\nstandard error.", stdout)
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
		return fmt.Errorf("exporting fideslang: %w", err)
	}
	r, dropped := fideslang.Export(m)
	b, err := yaml.Marshal(r)
	if err != nil {
		return fmt.Errorf("writing fideslang: %w", err)
	}
	for _, d := range dropped {
		log.Info("not expressible in fideslang, dropped", "what", d)
	}
	_, err = stdout.Write(b)
	return err
}

func importCmd(ctx context.Context, args []string, stdout io.Writer, log *slog.Logger) error {
	if len(args) == 0 || args[0] != "fideslang" {
		fmt.Fprintln(stdout, "Usage: privhub import fideslang -f FILE [flags]")
		return errors.New("say what to import: fideslang")
	}
	fs, dbURL := newFlags("import fideslang", "Imports a fideslang file (data_category, data_use, data_subject, system) into\nthe registry in one transaction, as \"privhub apply\" does, and prints what\nthe hub's model had to drop or assume.", stdout)
	file := fs.String("f", "", "the fideslang YAML file")
	opt := fideslang.ImportOptions{}
	fs.StringVar(&opt.Controller, "controller", "", "the organization whose systems' data flows start from (required for systems)")
	fs.StringVar(&opt.Country, "country", "", "a system's country when its third_country_transfers name none")
	fs.StringVar(&opt.LegalBasis, "legal-basis", "LEGITIMATE_INTERESTS", "the legal basis of imported data uses")
	dry := fs.Bool("dry-run", false, "print the plan only")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	data, err := os.ReadFile(*file)
	if err != nil {
		return fmt.Errorf("reading %s: %w", *file, err)
	}
	var r fideslang.Resources
	if err := yaml.UnmarshalWithOptions(data, &r); err != nil {
		return fmt.Errorf("%s: %s", *file, yaml.FormatError(err, false, false))
	}
	m, dropped := fideslang.Import(&r, opt)
	out, err := yaml.Marshal(m)
	if err != nil {
		return err
	}
	src, err := manifest.Parse(*file+" (as a manifest)", out)
	if err != nil {
		return err
	}
	db, err := openDB(ctx, *dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	var changes []manifest.Change
	if *dry {
		changes, err = manifest.Plan(ctx, db.Client, src, false)
	} else {
		changes, err = manifest.Apply(ctx, db.Client, src, false)
	}
	if err != nil {
		return err
	}
	for _, d := range dropped {
		fmt.Fprintln(stdout, "dropped:", d)
	}
	manifest.WritePlan(stdout, changes)
	return nil
}
