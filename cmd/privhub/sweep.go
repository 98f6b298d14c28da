package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
)

// sweep is being written.
func sweep(ctx context.Context, args []string, stdout io.Writer, log *slog.Logger) error {
	return errors.New("sweep: not written yet")
}
