package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"starling/safeguard"
)

// TestSafeguardingFlags: the policy, allow-list, own patterns (repeated, from
// a file, from the environment) and disabled rules are read and checked;
// anything wrong stops the server from starting with a message naming the
// flag.
func TestSafeguardingFlags(t *testing.T) {
	none := func(string) string { return "" }
	c, err := parseServeFlags(nil, none, &syncBuffer{})
	if err != nil || c.Safeguarding != "block" {
		t.Fatalf("default: %q, %v", c.Safeguarding, err)
	}

	file := filepath.Join(t.TempDir(), "patterns.txt")
	if err := os.WriteFile(file, []byte("# the council's own\n\nmosaic_id=a Mosaic ID=(?i)\\bmosaic id:? \\d{7}\\b\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err = parseServeFlags([]string{"--safeguarding", "warn", "--safeguarding-allow", "020 7946 0958, SW1A 1AA",
		"--safeguarding-pattern", `case_ref=a case record number=\bCR-?\d{6}\b`, "--safeguarding-pattern", "@" + file,
		"--safeguarding-disable", "date_of_birth"}, none, &syncBuffer{})
	if err != nil {
		t.Fatal(err)
	}
	d, err := c.Detector()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range d.Rules() {
		names = append(names, r.Name)
	}
	if got := strings.Join(names, " "); got != "nhs_number ni_number postcode phone email card case_ref mosaic_id" {
		t.Errorf("rules %s", got)
	}
	for text, want := range map[string]string{
		"Ring 020 7946 0958 or visit SW1A 1AA": "",
		"Ring 020 7946 0000":                   safeguard.Phone,
		"See CR-123456":                        "case_ref",
		"Mosaic ID 1234567":                    "mosaic_id",
		"DOB 12/03/1941":                       "",
	} {
		ms := d.Scan(text)
		got := ""
		if len(ms) > 0 {
			got = ms[0].Rule
		}
		if got != want {
			t.Errorf("%q: %q, want %q", text, got, want)
		}
	}

	// The environment: several patterns on separate lines; a flag replaces them.
	env := map[string]string{"STARLING_SAFEGUARDING": "off",
		"STARLING_SAFEGUARDING_PATTERN": "a_ref=an A reference=\\bA\\d{5}\\b\nb_ref=a B reference=\\bB\\d{5}\\b"}
	c, err = parseServeFlags(nil, func(k string) string { return env[k] }, &syncBuffer{})
	if err != nil || c.Safeguarding != "off" || len(c.SafeguardingPatterns) != 2 {
		t.Fatalf("from the environment: %+v %v", c, err)
	}
	c, err = parseServeFlags([]string{"--safeguarding-pattern", `c_ref=a C reference=\bC\d{5}\b`}, func(k string) string { return env[k] }, &syncBuffer{})
	if err != nil || len(c.SafeguardingPatterns) != 1 {
		t.Fatalf("a flag and the environment: %v %v", c.SafeguardingPatterns, err)
	}

	for name, tc := range map[string]struct {
		args []string
		want string
	}{
		"Policy":         {[]string{"--safeguarding", "strict"}, `--safeguarding must be block, warn or off, not "strict"`},
		"Shape":          {[]string{"--safeguarding-pattern", "case_ref"}, `--safeguarding-pattern "case_ref": want name=label=regexp`},
		"NoLabel":        {[]string{"--safeguarding-pattern", `case_ref==\d+`}, "want name=label=regexp"},
		"Regexp":         {[]string{"--safeguarding-pattern", `case_ref=a case record number=CR(\d{6}`}, `--safeguarding-pattern: safeguard: extra pattern "case_ref"`},
		"Name":           {[]string{"--safeguarding-pattern", `Case Ref=a case record number=CR\d{6}`}, "name"},
		"Clash":          {[]string{"--safeguarding-pattern", `phone=a phone=\d{11}`}, "already exists"},
		"File":           {[]string{"--safeguarding-pattern", "@" + filepath.Join(t.TempDir(), "missing.txt")}, "--safeguarding-pattern"},
		"UnknownDisable": {[]string{"--safeguarding-disable", "nhs"}, `--safeguarding-disable: safeguard: cannot disable "nhs"`},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := parseServeFlags(tc.args, none, &syncBuffer{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("parseServeFlags(%v) = %v, want an error with %q", tc.args, err, tc.want)
			}
		})
	}
	// A bad line in a file is named by its number.
	bad := filepath.Join(t.TempDir(), "bad.txt")
	os.WriteFile(bad, []byte("ok_ref=a ref=\\bR\\d{4}\\b\nbroken\n"), 0o600)
	if _, err := parseServeFlags([]string{"--safeguarding-pattern", "@" + bad}, none, &syncBuffer{}); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("a bad line: %v", err)
	}
}

// TestSafeguardingServe: the flags reach the running server: an own
// pattern is refused through the API with its label and rule, an
// allow-listed number is not, and a bad pattern stops `serve` before it
// listens.
func TestSafeguardingServe(t *testing.T) {
	base, data := MustRunMain(t, "--safeguarding-pattern", `case_ref=a case record number=\bCR-?\d{6}\b`, "--safeguarding-allow", "020 7946 0958")
	token := MustCreateAccount(t, data, "alice")
	postStatus := func(text string) (int, map[string]any) {
		req, _ := http.NewRequest("POST", base+"/api/v1/statuses", strings.NewReader(url.Values{"status": {text}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var out map[string]any
		_ = json.NewDecoder(res.Body).Decode(&out)
		return res.StatusCode, out
	}
	if status, out := postStatus("Call the office on 020 7946 0958"); status != http.StatusOK {
		t.Fatalf("an allow-listed number: %d %v", status, out)
	}
	status, out := postStatus("Notes for CR-123456 are on the system")
	details, _ := out["details"].([]any)
	if status != http.StatusUnprocessableEntity || !strings.Contains(out["error"].(string), "a case record number") || len(details) != 1 ||
		details[0].(map[string]any)["rule"] != "case_ref" {
		t.Fatalf("own pattern: %d %v", status, out)
	}

	var stderr syncBuffer
	err := run(context.Background(), []string{"serve", "--listen", "127.0.0.1:0", "--data", t.TempDir(), "--safeguarding-pattern", `x=a thing=(`},
		func(string) string { return "" }, &syncBuffer{}, &stderr)
	if err == nil || !strings.Contains(err.Error(), "--safeguarding-pattern") {
		t.Fatalf("serve with a bad pattern: %v", err)
	}
}
