package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
)

// consentCmd is being written.
func consentCmd(ctx context.Context, args []string, stdout io.Writer, log *slog.Logger) error {
	return errors.New("consent: not written yet")
}
