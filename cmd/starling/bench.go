package main

import (
	"context"
	"errors"
	"io"
)

// runBench load-tests a server. (Being built.)
func runBench(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return errors.New("bench: not built yet")
}
