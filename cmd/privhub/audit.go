package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
)

// auditCmd is being written.
func auditCmd(ctx context.Context, args []string, stdout io.Writer, log *slog.Logger) error {
	return errors.New("audit: not written yet")
}
