// Package testenv helps tests that need tools from outside Go: a browser,
// Node.js and the npm packages in the repository's package.json.
package testenv

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// RequireTools skips the test for why, or fails it when
// STARLING_REQUIRE_BROWSER=1: CI installs Chromium, Node.js and the npm
// packages, and there a missing one must not pass quietly as a skip.
func RequireTools(t testing.TB, why string) {
	t.Helper()
	if os.Getenv("STARLING_REQUIRE_BROWSER") == "1" {
		t.Fatal(why + " (and STARLING_REQUIRE_BROWSER=1)")
	}
	t.Skip(why)
}

// RepoRoot returns the folder holding go.mod, above the package's folder
// where tests run: package.json and node_modules live there.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the test's folder")
		}
		dir = parent
	}
}
