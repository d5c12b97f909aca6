package starling

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"starling/safeguard"
)

// Registrations says who may sign up.
type Registrations string

const (
	RegistrationsOpen     Registrations = "open"     // anyone; accounts work at once
	RegistrationsApproval Registrations = "approval" // anyone may apply; an admin approves
	RegistrationsClosed   Registrations = "closed"   // only admins create accounts
)

// Instance describes this community's server to the use cases.
type Instance struct {
	Domain        string // public host name, possibly with a port: "care.example.org", "127.0.0.1:8443"
	BaseURL       string // scheme and domain: "https://care.example.org"
	Title         string
	Description   string
	ContactEmail  string
	Registrations Registrations
	MaxChars      int
	Version       string  // Starling's own version, e.g. "0.1.0"
	AltText       AltText // whether images need a description
	Polls         PollLimits
	Safeguarding  SafeguardPolicy // what happens when text seems to hold personal data; "" is block

	// RequireStaffTwoFactor keeps admins and moderators off the staff pages until they set up two-factor sign-in.
	RequireStaffTwoFactor bool
}

// AltText says how strongly a community asks for image descriptions.
type AltText string

const (
	AltTextOptional AltText = "optional" // no reminder
	AltTextNudge    AltText = "nudge"    // the web pages remind and ask before posting without
	AltTextRequired AltText = "required" // a post's images must each have one
)

// ProfileURL is the web address of an account's profile.
func (in *Instance) ProfileURL(a *Account) string {
	if a.Domain != "" {
		return "https://" + a.Domain + "/@" + url.PathEscape(a.Username)
	}
	return in.BaseURL + "/@" + url.PathEscape(a.Username)
}

// StatusURL is the web address of a status.
func (in *Instance) StatusURL(a *Account, id int64) string {
	return in.ProfileURL(a) + "/" + FormatID(id)
}

// StatusURI is the permanent identifier of a local status (its ActivityPub id, later).
func (in *Instance) StatusURI(a *Account, id int64) string {
	return in.BaseURL + "/users/" + url.PathEscape(a.Username) + "/statuses/" + FormatID(id)
}

// AccountURI is the permanent identifier of a local account.
func (in *Instance) AccountURI(a *Account) string {
	return in.BaseURL + "/users/" + url.PathEscape(a.Username)
}

// TagURL is the web address of a hashtag page.
func (in *Instance) TagURL(name string) string { return in.BaseURL + "/tags/" + url.PathEscape(name) }

// IsLocalDomain reports whether domain names this server.
func (in *Instance) IsLocalDomain(domain string) bool {
	return domain == "" || strings.EqualFold(domain, in.Domain)
}

// TextProcessor turns the plain text of posts into entities and HTML.
// Package text implements it.
type TextProcessor interface {
	// Analyze finds the mentions, hashtags and links in s.
	Analyze(s string) TextAnalysis
	// Length counts s against the character limit as Mastodon does.
	Length(s string) int
	// Render returns s as sanitised HTML; mentions whose lower-case acct (as
	// written) is a key of mentionURLs are linked, hashtags always are.
	Render(s string, mentionURLs map[string]string) string
	// NormalizeTag returns the stored form of a hashtag name, or "" if invalid.
	NormalizeTag(name string) string
	// ValidUsername reports whether s may be a local username.
	ValidUsername(s string) bool
}

// TextAnalysis is what TextProcessor.Analyze finds.
type TextAnalysis struct {
	Mentions []MentionRef
	Tags     []string // as written, de-duplicated
	URLs     []string
}

// MentionRef is an @mention as written: Domain is "" for "@user".
type MentionRef struct {
	Username string
	Domain   string
}

// Key is the lower-case "user" or "user@domain" used to match a rendered mention.
func (m MentionRef) Key() string {
	if m.Domain == "" {
		return strings.ToLower(m.Username)
	}
	return strings.ToLower(m.Username + "@" + m.Domain)
}

// PasswordHasher hashes and checks passwords. Package password implements it with argon2id.
type PasswordHasher interface {
	Hash(password string) (string, error)
	Verify(hash, password string) (bool, error)
}

// Service holds the use cases: everything the Mastodon API, the web pages and
// the command line do goes through it, so each rule lives in one place.
type Service struct {
	store     Store
	text      TextProcessor
	passwords PasswordHasher
	instance  Instance
	ids       IDGenerator
	now       func() time.Time

	dummyOnce sync.Once
	dummyHash string // a hash to check unknown logins against, so they take as long as known ones

	feedSeen sync.Map // account ID → time.Time it last marked its home timeline active

	events Events // where changes are published for streams; nil for nowhere

	fanOutLimit int           // followers above which posts are merged at read time; see fanout.go
	large       largeAccounts // the accounts above fanOutLimit

	replica Tx // where visitors' reads go; nil: the store

	cards CardFetcher // link previews; nil: none

	trends trendCache // trending tags by region, recounted every few minutes

	files  MediaFiles     // where uploads are stored; nil: uploads refused
	images ImageProcessor // checks and cleans uploaded images

	safeguard *safeguard.Detector // finds personal data in what members publish; see safeguarding.go

	secrets *SecretBox // encrypts TOTP secrets at rest; nil: kept as they are (see SetSecretKey)
}

// NewService returns a Service over store. now may be nil for the wall clock.
func NewService(store Store, text TextProcessor, passwords PasswordHasher, in Instance, now func() time.Time) *Service {
	if now == nil {
		now = func() time.Time { return time.Now().UTC() }
	}
	if in.MaxChars <= 0 {
		in.MaxChars = 500
	}
	if in.Registrations == "" {
		in.Registrations = RegistrationsApproval
	}
	if in.AltText == "" {
		in.AltText = AltTextNudge
	}
	if in.Safeguarding == "" {
		in.Safeguarding = SafeguardBlock
	}
	svc := &Service{text: text, passwords: passwords, instance: in, now: now, safeguard: defaultDetector()}
	svc.store = &publishingStore{Store: store, svc: svc}
	return svc
}

// Instance returns the server description the service was made with.
func (svc *Service) Instance() *Instance { return &svc.instance }

// Store gives read access for callers that only need to look things up.
func (svc *Service) Store() Store { return svc.store }

// newID returns a fresh ID for now.
func (svc *Service) newID(now time.Time) int64 { return svc.ids.Next(now) }

// Ping checks the database answers.
func (svc *Service) Ping(ctx context.Context) error {
	if err := svc.store.Ping(ctx); err != nil {
		return fmt.Errorf("ping database: %w", err)
	}
	return nil
}
