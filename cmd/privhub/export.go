package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
)

// exports are the things "privhub export" writes, by name.
var exports = map[string]func(context.Context, []string, io.Writer, *slog.Logger) error{
	"datamap": exportDatamap,
	"ropa": func(ctx context.Context, args []string, w io.Writer, _ *slog.Logger) error {
		return exportROPA(ctx, args, w)
	},
	"manifest":        exportManifest,
	"manifest-schema": exportManifestSchema,
	"fideslang":       exportFideslang,
}

const exportUsage = `Usage: privhub export <what> [flags]

  datamap          the data-flow map as Graphviz DOT, Mermaid or JSON
  ropa             the records of processing activities (Art. 30) as JSON, CSV, Markdown or XLSX
  manifest         the registry as a YAML manifest (see plan and apply)
  manifest-schema  the JSON Schema of a manifest, for editors
  fideslang        the registry as fideslang resources (data_category, data_use, data_subject, system)
`

func exportCmd(ctx context.Context, args []string, stdout io.Writer, log *slog.Logger) error {
	if len(args) > 0 {
		if fn, ok := exports[args[0]]; ok {
			return fn(ctx, args[1:], stdout, log)
		}
	}
	fmt.Fprint(stdout, exportUsage)
	if len(args) == 0 {
		return errors.New("say what to export")
	}
	return fmt.Errorf("unknown export %q", args[0])
}
