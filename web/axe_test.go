package web

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"starling"
	"starling/internal/testenv"
)

// axeJS holds axe.min.js, read once for all tests.
var axeJS struct {
	once sync.Once
	js   string
	err  error
}

// axeScript returns the source of axe-core: $STARLING_AXE_JS, or the copy
// npm ci puts in node_modules at the repository root.
func axeScript(t *testing.T) string {
	t.Helper()
	axeJS.once.Do(func() {
		path := os.Getenv("STARLING_AXE_JS")
		if path == "" {
			root, err := testenv.RepoRoot()
			if err != nil {
				axeJS.err = err
				return
			}
			path = filepath.Join(root, "node_modules", "axe-core", "axe.min.js")
		}
		b, err := os.ReadFile(path)
		axeJS.js, axeJS.err = string(b), err
	})
	if axeJS.err != nil {
		testenv.RequireTools(t, fmt.Sprintf("accessibility test skipped: no axe-core (%v); run npm ci at the repository root", axeJS.err))
	}
	return axeJS.js
}

// axeViolation is the part of an axe-core result the tests report.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		// Target is a CSS selector per frame or shadow root, each a string
		// or, inside a shadow root, a list of them.
		Target         []any  `json:"target"`
		HTML           string `json:"html"`
		FailureSummary string `json:"failureSummary"`
	} `json:"nodes"`
}

// axeRun runs axe-core on the page for WCAG 2.2 A and AA, keeping only
// violations. The CSP-violation listener catches anything the page's policy
// blocks while axe runs, which would make its results quietly incomplete.
const axeRun = `(async () => {
	const blocked = [];
	const note = e => blocked.push(e.violatedDirective + " " + e.blockedURI);
	document.addEventListener("securitypolicyviolation", note);
	try {
		const r = await axe.run(document, {
			runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
			resultTypes: ["violations"],
		});
		return {violations: r.violations, blocked};
	} finally {
		document.removeEventListener("securitypolicyviolation", note);
	}
})()`

// mustPassAxe runs axe-core in the page the browser shows and reports each
// violation as an error, naming the page.
//
// axe-core goes in through DevTools (Runtime.evaluate). Chromium does not
// hold such scripts to the page's script-src (even eval works in them), so
// the page keeps its real Content-Security-Policy and needs no bypass; what a
// script adds to the page is still checked against it, hence the listener in
// axeRun.
func mustPassAxe(t *testing.T, ctx context.Context, page string) {
	t.Helper()
	js := axeScript(t)
	// Inject once per document; a colour-scheme change keeps the document.
	loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof window.axe?.run === "function"`))
	if err == nil && !loaded {
		_, err = chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](js))
	}
	if err != nil {
		t.Fatalf("%s: injecting axe-core: %v", page, err)
	}
	res, err := chromedp.Run(ctx, chromedp.Evaluate[struct {
		Violations []axeViolation `json:"violations"`
		Blocked    []string       `json:"blocked"`
	}](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: running axe-core: %v", page, err)
	}
	for _, b := range res.Blocked {
		t.Errorf("%s: the page's CSP blocked %s while axe ran", page, b)
	}
	for _, v := range res.Violations {
		var b strings.Builder
		fmt.Fprintf(&b, "%s: axe %s (%s): %s", page, v.ID, v.Impact, v.Help)
		for _, n := range v.Nodes {
			fmt.Fprintf(&b, "\n\t%s\n\t\t%s\n\t\t%s", targetString(n.Target), shortHTML(n.HTML, 160),
				strings.ReplaceAll(n.FailureSummary, "\n", "\n\t\t"))
		}
		t.Error(b.String())
	}
}

// targetString writes an axe target as one selector per frame or shadow root.
func targetString(target []any) string {
	parts := make([]string, len(target))
	for i, p := range target {
		parts[i] = fmt.Sprint(p)
	}
	return strings.Join(parts, " >>> ")
}

// shortHTML cuts s to at most n runes, marking the cut.
func shortHTML(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// emulateMedia makes the page see the CSS media features given as name,
// value pairs, such as "prefers-color-scheme", "dark". Each call replaces the
// features any earlier call set; with none it clears them. The emulation
// lasts across navigations.
func emulateMedia(ctx context.Context, nameValue ...string) error {
	if len(nameValue)%2 != 0 {
		return fmt.Errorf("emulateMedia: odd number of arguments %q", nameValue)
	}
	var fs []*emulation.MediaFeature
	for i := 0; i < len(nameValue); i += 2 {
		fs = append(fs, &emulation.MediaFeature{Name: nameValue[i], Value: nameValue[i+1]})
	}
	_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Features: fs})
	return err
}

// withColorScheme makes the page see prefers-color-scheme: scheme, "light"
// or "dark", and no other emulated feature.
func withColorScheme(ctx context.Context, scheme string) error {
	if scheme != "light" && scheme != "dark" {
		return fmt.Errorf("color scheme %q: want light or dark", scheme)
	}
	return emulateMedia(ctx, "prefers-color-scheme", scheme)
}

// withReducedMotion makes the page see prefers-reduced-motion: reduce, and
// no other emulated feature.
func withReducedMotion(ctx context.Context) error {
	return emulateMedia(ctx, "prefers-reduced-motion", "reduce")
}

// keepScreenshot saves a full-page PNG of what the browser shows when the test
// ends, pass or fail, to $STARLING_ARTIFACTS/screenshots (default: .artifacts
// at the repository root). Call it after mustBrowser: cleanups run last
// first, so the browser is still open when this one runs.
func keepScreenshot(t *testing.T, ctx context.Context) {
	t.Cleanup(func() {
		// A test that ended before opening a page has nothing to show, and
		// Run would start a browser just for this.
		if _, err := chromedp.Detached(ctx); err != nil {
			t.Logf("no screenshot: %v", err)
			return
		}
		dir := os.Getenv("STARLING_ARTIFACTS")
		if dir == "" {
			root, err := testenv.RepoRoot()
			if err != nil {
				t.Logf("no screenshot: %v", err)
				return
			}
			dir = filepath.Join(root, ".artifacts")
		}
		dir = filepath.Join(dir, "screenshots")
		// The test's own deadline may have passed; give the shot a moment
		// of its own, but no more than the browser has left.
		sctx, cancel := context.WithTimeout(ctx, 15*time.Second)
		defer cancel()
		// Quality 100 makes FullScreenshot write PNG; below that it is JPEG.
		png, err := chromedp.Run(sctx, chromedp.FullScreenshot(100))
		if err == nil {
			err = os.MkdirAll(dir, 0o755)
		}
		path := filepath.Join(dir, screenshotName(t.Name())+".png")
		if err == nil {
			err = os.WriteFile(path, png, 0o644)
		}
		if err != nil {
			t.Logf("no screenshot: %v", err)
			return
		}
		t.Logf("screenshot: %s", path)
	})
}

// screenshotName makes a test name a file name: letters, digits, '.', '-' and
// '_' stay, anything else becomes '_'.
func screenshotName(name string) string {
	return strings.Map(func(r rune) rune {
		if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '.' || r == '-' {
			return r
		}
		return '_'
	}, name)
}

// TestAxeAuthPages runs axe-core on the signed-out pages, in the light and
// the dark colour scheme, keeping a screenshot of each.
func TestAxeAuthPages(t *testing.T) {
	ctx := mustBrowser(t)
	axeScript(t) // skip or fail before starting anything
	env := mustServer(t, starling.RegistrationsOpen, Options{})
	open := func(path string) chromedp.Action[chromedp.Void] {
		return chromedp.Steps(chromedp.Navigate(env.srv.URL+path), chromedp.WaitReady(chromedp.CSS("main")))
	}
	pages := []struct {
		name string
		load chromedp.Action[chromedp.Void]
	}{
		{"home", open("/")},
		{"sign in", open("/auth/sign_in")},
		{"sign up", open("/auth/sign_up")},
		{"sign up with errors", chromedp.Steps(open("/auth/sign_up"),
			chromedp.Click(chromedp.CSS(`form[action="/auth/sign_up"] button[type="submit"]`)),
			chromedp.WaitVisible(chromedp.CSS(`[aria-invalid="true"]`)))},
	}
	for _, scheme := range []string{"light", "dark"} {
		for _, p := range pages {
			t.Run(scheme+"/"+p.name, func(t *testing.T) {
				keepScreenshot(t, ctx)
				// The scheme is set before the page loads, so no CSS
				// transition is half-way when axe measures colours.
				if err := withColorScheme(ctx, scheme); err != nil {
					t.Fatal(err)
				}
				if err := chromedp.Do(ctx, p.load); err != nil {
					t.Fatalf("loading %s: %v", p.name, err)
				}
				mustPassAxe(t, ctx, p.name+" ("+scheme+")")
			})
		}
	}
}
