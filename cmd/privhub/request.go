package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
)

// requestCmd is being written.
func requestCmd(ctx context.Context, args []string, stdout io.Writer, log *slog.Logger) error {
	return errors.New("request: not written yet")
}
