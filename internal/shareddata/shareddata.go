// Package shareddata finds the public data sets (a real social graph, real
// tweets) that tests and benchmarks read but the repository does not carry:
// the folder named by STARLING_SHARED_DATA, or shared/data beside the
// repository's folder.
package shareddata

import (
	"os"
	"path/filepath"
	"testing"
)

// Env names the variable that points at the data folder.
const Env = "STARLING_SHARED_DATA"

// Path returns the path of rel inside the data folder, or skips the test
// with a message saying where it looked.
func Path(tb testing.TB, rel ...string) string {
	tb.Helper()
	var tried []string
	for _, dir := range dirs() {
		p := filepath.Join(append([]string{dir}, rel...)...)
		if _, err := os.Stat(p); err == nil {
			return p
		}
		tried = append(tried, p)
	}
	tb.Skipf("shared test data not found (set %s); tried %v", Env, tried)
	return ""
}

// dirs lists the candidate data folders: the environment's, then shared/data
// beside the module root found by walking up from the working directory.
func dirs() []string {
	var out []string
	if d := os.Getenv(Env); d != "" {
		out = append(out, d)
	}
	wd, err := os.Getwd()
	if err != nil {
		return out
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			out = append(out, filepath.Join(filepath.Dir(dir), "shared", "data"))
			break
		}
		if filepath.Dir(dir) == dir {
			break
		}
	}
	return out
}
