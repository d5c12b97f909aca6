package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"starling/mastodon"
	"strconv"
	"strings"
	"time"

	"starling"
	"starling/safeguard"
)

// Config is everything `starling serve` can be told.
type Config struct {
	Listen        string
	Data          string
	DB            string
	Domain        string
	Registrations string
	MaxChars      int
	AltText       string
	TLSCert       string
	TLSKey        string
	Title         string
	Description   string
	ContactEmail  string
	AuthRate      int           // sign-in, token and sign-up attempts per minute per address; 0 turns the limit off
	StreamLimit   int           // open streams the server holds
	StreamPerTok  int           // open streams one access token may hold
	MetricsListen string        // localhost address for /metrics and /debug/pprof; empty: off
	Redis         string        // redis:// URL shared by several servers; empty: one server on its own
	RedisPrefix   string        // keys and channels of this community in Redis
	FanOutLimit   int           // followers above which posts are merged into home timelines at read time
	JobLease      time.Duration // how long a server keeps a job before another may take it over
	DBReplica     string        // postgres:// URL of read replicas for visitors' reads; empty: none
	MediaS3       string        // http(s)://host:port/bucket for uploads; empty: the data folder
	MediaS3Access string
	MediaS3Secret string
	MediaS3Region string

	// Safeguarding is the policy when text seems to hold personal data:
	// block, warn or off; see docs/safeguarding.md.
	Safeguarding         string
	SafeguardingAllow    string   // comma-separated values never reported (the switchboard number, the office postcode)
	SafeguardingDisable  string   // comma-separated rule names to switch off
	SafeguardingPatterns []string // the community's own rules: name=label=regexp, or @file with one a line

	RequireStaff2FA bool // moderators and admins must set up two-factor sign-in to use the staff pages

	// SecretKey encrypts secrets at rest (TOTP keys): 32 bytes as base64 or
	// hex; empty: the key in data/secret.key, made on the first start.
	SecretKey string
}

// DefaultConfig is a server on this machine with an embedded database.
func DefaultConfig() Config {
	return Config{
		Listen: "127.0.0.1:8080", Data: "./data", Registrations: string(starling.RegistrationsApproval), MaxChars: 500,
		Title: "Starling", Description: "A professional community on Starling.", AuthRate: 10, RedisPrefix: "starling:", AltText: string(starling.AltTextNudge),
		StreamLimit: mastodon.DefaultMaxStreams, StreamPerTok: mastodon.DefaultMaxStreamsPerToken,
		FanOutLimit: starling.DefaultFanOutLimit, JobLease: starling.DefaultJobLease, Safeguarding: string(starling.SafeguardBlock),
	}
}

// envFlags is a FlagSet whose flags default to STARLING_<NAME> when set.
type envFlags struct {
	*flag.FlagSet
	getenv func(string) string
	errs   []error
}

func newFlags(name string, getenv func(string) string, stderr io.Writer) *envFlags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return &envFlags{FlagSet: fs, getenv: getenv}
}

func envName(flagName string) string {
	return "STARLING_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

func (f *envFlags) str(p *string, name, usage string) {
	if v := f.getenv(envName(name)); v != "" {
		*p = v
	}
	f.StringVar(p, name, *p, usage+" ("+envName(name)+")")
}

func (f *envFlags) integer(p *int, name, usage string) {
	if v := f.getenv(envName(name)); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			f.errs = append(f.errs, fmt.Errorf("%s=%q is not a number", envName(name), v))
		}
		*p = n
	}
	f.IntVar(p, name, *p, usage+" ("+envName(name)+")")
}

func (f *envFlags) duration(p *time.Duration, name, usage string) {
	if v := f.getenv(envName(name)); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			f.errs = append(f.errs, fmt.Errorf("%s=%q is not a duration such as 30s", envName(name), v))
		}
		*p = d
	}
	f.DurationVar(p, name, *p, usage+" ("+envName(name)+")")
}

// list adds a flag that may be given several times. The environment
// variable holds one value, or several on separate lines; values given as
// flags replace those of the environment.
func (f *envFlags) list(p *[]string, name, usage string) {
	if v := f.getenv(envName(name)); v != "" {
		for _, line := range strings.Split(v, "\n") {
			if line = strings.TrimSpace(line); line != "" {
				*p = append(*p, line)
			}
		}
	}
	fromEnv := true
	f.Func(name, usage+" ("+envName(name)+", one a line)", func(v string) error {
		if fromEnv {
			*p, fromEnv = nil, false
		}
		*p = append(*p, v)
		return nil
	})
}

func (f *envFlags) boolean(p *bool, name, usage string) {
	if v := f.getenv(envName(name)); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			f.errs = append(f.errs, fmt.Errorf("%s=%q is not true or false", envName(name), v))
		}
		*p = b
	}
	f.BoolVar(p, name, *p, usage+" ("+envName(name)+")")
}

// parse parses args after the environment defaults, and reports bad environment values.
func (f *envFlags) parse(args []string) error {
	if len(f.errs) > 0 {
		return f.errs[0]
	}
	if err := f.Parse(args); err != nil {
		return err
	}
	if f.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", f.Arg(0))
	}
	return nil
}

// storageFlags adds --data and --db, which every command that opens the database takes.
func storageFlags(f *envFlags, c *Config) {
	f.str(&c.Data, "data", "data folder: SQLite file, media and keys")
	f.str(&c.DB, "db", "database: empty for SQLite in the data folder, or a postgres:// URL")
}

// parseServeFlags reads the serve command's flags and environment.
func parseServeFlags(args []string, getenv func(string) string, stderr io.Writer) (Config, error) {
	c := DefaultConfig()
	f := newFlags("serve", getenv, stderr)
	f.str(&c.Listen, "listen", "address to listen on")
	storageFlags(f, &c)
	f.str(&c.Domain, "domain", "public host name (with port if not 80/443) used in URLs and handles; default from --listen")
	f.str(&c.Registrations, "registrations", "who may sign up: open, approval or closed")
	f.integer(&c.MaxChars, "max-chars", "maximum characters in a post")
	f.str(&c.AltText, "alt-text", "image descriptions: optional, nudge (the web pages remind and ask before posting without) or required (posts are refused without)")
	f.str(&c.Safeguarding, "safeguarding", "when a post, image description or profile seems to hold personal data (an NHS number, a phone number…): block (refused), warn (refused unless the author confirms it is not personal data) or off")
	f.str(&c.SafeguardingAllow, "safeguarding-allow", "comma-separated values the safeguarding check never reports, such as the organisation's switchboard number and office postcode")
	f.str(&c.SafeguardingDisable, "safeguarding-disable", "comma-separated safeguarding rules to switch off: nhs_number, ni_number, postcode, phone, email, card, date_of_birth, or a --safeguarding-pattern's name")
	f.list(&c.SafeguardingPatterns, "safeguarding-pattern", "a rule of the community's own, as name=label=regexp (\"case_ref=a case record number=\\bCR-?\\d{6}\\b\"), or @file with one such rule a line; repeatable")
	f.str(&c.SecretKey, "secret-key", "server key encrypting two-factor secrets at rest: 32 bytes as base64 or hex (openssl rand -base64 32); give the same one to every server; empty: data/secret.key, made on the first start. Prefer the environment variable: flags show in the process list")
	f.boolean(&c.RequireStaff2FA, "require-staff-2fa", "moderators and admins must set up two-factor sign-in (an authenticator app) before they can use the staff pages")
	f.str(&c.TLSCert, "tls-cert", "TLS certificate file (PEM); serve HTTPS")
	f.str(&c.TLSKey, "tls-key", "TLS private key file (PEM)")
	f.str(&c.Title, "title", "the community's name")
	f.str(&c.Description, "description", "one-line description of the community")
	f.str(&c.ContactEmail, "contact-email", "address people can write to about the server")
	f.integer(&c.StreamLimit, "stream-limit", "open streaming connections (WebSocket and server-sent events) the server holds; more are refused with 429")
	f.integer(&c.StreamPerTok, "stream-limit-per-token", "open streaming connections one access token may hold")
	f.integer(&c.AuthRate, "auth-rate", "sign-in, token and sign-up attempts per minute per client address after a burst of 30; 0 turns the limit off (load tests)")
	f.str(&c.Redis, "redis", "redis://host:port/db shared by several servers of one community: home and list feeds, and streams across servers; empty: one server on its own")
	f.str(&c.RedisPrefix, "redis-prefix", "prefix of this community's keys and channels in Redis, so communities can share one")
	f.integer(&c.FanOutLimit, "fanout-limit", "followers above which an account's posts are merged into home timelines when read, not written to each on posting")
	f.duration(&c.JobLease, "job-lease", "how long a server holds a background job before another server may take it over (a server that died mid-job)")
	f.str(&c.DBReplica, "db-replica", "postgres:// URL of a read replica (several hosts: postgres://h1,h2/db?load_balance_hosts=random) for public, hashtag and profile timelines read by visitors; members read the primary")
	f.str(&c.MediaS3, "media-s3", "S3-compatible bucket for uploads, as http(s)://host:port/bucket, so several servers share them; empty: the data folder")
	f.str(&c.MediaS3Access, "media-s3-access-key", "access key of the --media-s3 bucket")
	f.str(&c.MediaS3Secret, "media-s3-secret-key", "secret key of the --media-s3 bucket; prefer the environment variable, which ps does not show")
	f.str(&c.MediaS3Region, "media-s3-region", "region of the --media-s3 bucket, if the store needs one")
	f.str(&c.MetricsListen, "metrics-listen", "loopback address serving Prometheus /metrics and /debug/pprof, e.g. 127.0.0.1:9090; empty: off")
	if err := f.parse(args); err != nil {
		return c, err
	}
	return c, c.Validate()
}

// Validate checks the combination of settings.
func (c *Config) Validate() error {
	switch starling.Registrations(c.Registrations) {
	case starling.RegistrationsOpen, starling.RegistrationsApproval, starling.RegistrationsClosed:
	default:
		return fmt.Errorf("--registrations must be open, approval or closed, not %q", c.Registrations)
	}
	switch starling.AltText(c.AltText) {
	case starling.AltTextOptional, starling.AltTextNudge, starling.AltTextRequired:
	default:
		return fmt.Errorf("--alt-text must be optional, nudge or required, not %q", c.AltText)
	}
	if _, err := c.Detector(); err != nil {
		return err
	}
	if c.MaxChars < 1 || c.MaxChars > 100000 {
		return fmt.Errorf("--max-chars must be between 1 and 100000, not %d", c.MaxChars)
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		return fmt.Errorf("--tls-cert and --tls-key must be given together")
	}
	if _, _, err := net.SplitHostPort(c.Listen); err != nil {
		return fmt.Errorf("--listen %q is not host:port", c.Listen)
	}
	if c.StreamLimit < 1 || c.StreamPerTok < 1 {
		return fmt.Errorf("--stream-limit and --stream-limit-per-token must be at least 1")
	}
	if c.FanOutLimit < 1 {
		return fmt.Errorf("--fanout-limit must be at least 1, not %d", c.FanOutLimit)
	}
	if c.JobLease < time.Second {
		return fmt.Errorf("--job-lease must be at least 1s, not %v", c.JobLease)
	}
	if c.AuthRate < 0 {
		return fmt.Errorf("--auth-rate must be 0 or more, not %d", c.AuthRate)
	}
	if c.MetricsListen != "" {
		host, _, err := net.SplitHostPort(c.MetricsListen)
		if ip := net.ParseIP(host); err != nil || host != "localhost" && (ip == nil || !ip.IsLoopback()) {
			return fmt.Errorf("--metrics-listen %q must be a loopback host:port: profiles and metrics are not for the public", c.MetricsListen)
		}
	}
	if strings.ContainsAny(c.Domain, "/ @") {
		return fmt.Errorf("--domain %q must be a host name, optionally with :port, without scheme or path", c.Domain)
	}
	return nil
}

// publicURL returns the domain and base URL the server hands out. With no
// --domain it is the listen address (":8080" becomes "localhost:8080"). The
// scheme is https when serving TLS or when --domain names a public host (the
// server then sits behind a TLS-terminating proxy); plain http otherwise.
func (c *Config) publicURL(listenAddr string) (domain, baseURL string) {
	domain = c.Domain
	explicit := domain != ""
	if !explicit {
		host, port, _ := net.SplitHostPort(listenAddr)
		if host == "" || host == "::" || host == "0.0.0.0" {
			host = "localhost"
		}
		domain = net.JoinHostPort(host, port)
	}
	scheme := "http"
	if c.TLSCert != "" || explicit && !isLoopback(domain) {
		scheme = "https"
	}
	return strings.ToLower(domain), scheme + "://" + strings.ToLower(domain)
}

func isLoopback(domain string) bool {
	host := domain
	if h, _, err := net.SplitHostPort(domain); err == nil {
		host = h
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// Detector returns the safeguarding check the flags describe, or an error
// that names the flag, and the pattern, at fault. It never quotes an
// --safeguarding-allow value.
func (c *Config) Detector() (*safeguard.Detector, error) {
	if _, err := starling.ParseSafeguardPolicy(c.Safeguarding); err != nil {
		return nil, fmt.Errorf("--safeguarding must be block, warn or off, not %q", c.Safeguarding)
	}
	var sc safeguard.Config
	sc.Allow = splitList(c.SafeguardingAllow)
	sc.Disabled = splitList(c.SafeguardingDisable)
	for _, v := range c.SafeguardingPatterns {
		ps, err := readPatterns(v)
		if err != nil {
			return nil, err
		}
		sc.Extra = append(sc.Extra, ps...)
	}
	// Patterns first, so that the message names the flag at fault.
	if _, err := safeguard.New(safeguard.Config{Extra: sc.Extra}); err != nil {
		return nil, fmt.Errorf("--safeguarding-pattern: %w", err)
	}
	d, err := safeguard.New(sc)
	if err != nil {
		return nil, fmt.Errorf("--safeguarding-disable: %w", err)
	}
	return d, nil
}

// splitList splits a comma-separated list, dropping empty items.
func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// readPatterns reads one --safeguarding-pattern: name=label=regexp, or
// @file holding one such rule a line (blank lines and lines starting with
// # are skipped).
func readPatterns(v string) ([]safeguard.Pattern, error) {
	file, ok := strings.CutPrefix(v, "@")
	if !ok {
		p, err := parsePattern(v)
		if err != nil {
			return nil, fmt.Errorf("--safeguarding-pattern %q: %w", v, err)
		}
		return []safeguard.Pattern{p}, nil
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("--safeguarding-pattern: %w", err)
	}
	var out []safeguard.Pattern
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		p, err := parsePattern(line)
		if err != nil {
			return nil, fmt.Errorf("--safeguarding-pattern %s, line %d: %w", file, i+1, err)
		}
		out = append(out, p)
	}
	return out, nil
}

// parsePattern reads name=label=regexp. The label may not hold "="; the
// regular expression may.
func parsePattern(s string) (safeguard.Pattern, error) {
	parts := strings.SplitN(s, "=", 3)
	if len(parts) != 3 || strings.TrimSpace(parts[0]) == "" || strings.TrimSpace(parts[1]) == "" || parts[2] == "" {
		return safeguard.Pattern{}, errors.New(`want name=label=regexp, such as case_ref=a case record number=\bCR-?\d{6}\b`)
	}
	return safeguard.Pattern{Name: strings.TrimSpace(parts[0]), Label: strings.TrimSpace(parts[1]), Expr: parts[2]}, nil
}
