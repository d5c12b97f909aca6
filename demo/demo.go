// Package demo seeds a small, realistic community for trying Starling and
// for hands-on training: about fifty people and organisations in adult
// social care, a follow graph, four weeks of posts with threads, reblogs,
// likes and bookmarks, a conference hashtag, and a list.
//
// Everything is written through the use cases of starling.Service, so
// counters, home timelines and notifications are what real use would leave.
// Demo accounts are recognised by their e-mail addresses, which all end in
// "@" + EmailDomain. Every name and organisation is invented, and no post
// holds anything about a person who uses services: the community is meant
// for practising confidentiality as much as for trying the software.
package demo

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"time"

	"starling"
	"starling/password"
	"starling/text"
)

// EmailDomain ends the e-mail address of every demo account. The .invalid
// top-level domain never resolves, so no demo account can receive mail.
const EmailDomain = "demo.starling.invalid"

// Hashtag is the conference hashtag.
const Hashtag = "adassspring"

// Errors Seed returns before it changes anything.
var (
	// ErrRealMembers means the database has members who are not part of the demo.
	ErrRealMembers = errors.New("the database already has members who are not part of the demo")
)

// Options change how Seed fills the database. The zero value is the default.
type Options struct {
	// Seed decides who posts what, who follows whom and who reacts to
	// which post, so the same seed gives the same community. 0 means 1.
	Seed uint64
	// Force adds the demo beside real members instead of returning
	// ErrRealMembers. Their accounts and posts are never changed.
	Force bool
	// Now is the moment the four weeks of activity lead up to; zero means the current time.
	Now time.Time
}

// Credentials are an account that can sign in.
type Credentials struct {
	Username string
	Email    string
	Password string
}

// Result tells what Seed did.
type Result struct {
	// AlreadySeeded is set when the database held the whole demo already:
	// nothing was added, and only the two passwords below were changed.
	AlreadySeeded bool
	// Resumed is set when an earlier, interrupted seeding was completed.
	Resumed bool

	Admin  Credentials // an administrator
	Member Credentials // an ordinary member with a busy home timeline

	ListOwner   string // username of the account that owns the list ListTitle
	ListMembers int

	ConferenceDays [2]time.Time // midnight (UTC) of the two days of the #adassspring conference; zero if not found

	// What this run wrote; zero when AlreadySeeded.
	Accounts       int
	Follows        int // follows, including approved requests
	FollowRequests int // requests still waiting for approval
	Posts          int // statuses that are not replies or reblogs
	Replies        int
	Reblogs        int
	Favourites     int
	Bookmarks      int
	Edits          int
}

// Statuses is the number of statuses written: posts, replies and reblogs.
func (r *Result) Statuses() int { return r.Posts + r.Replies + r.Reblogs }

// Seed fills store with the demo community for the instance in (its domain
// decides the links in posts). It returns ErrRealMembers, before writing
// anything, if a local account has an e-mail address outside EmailDomain,
// unless opts.Force is set. If the demo is already there it only sets new
// passwords for the admin and member accounts; if an earlier run was
// interrupted, it completes it without repeating what was done, provided
// the seed is the same.
func Seed(ctx context.Context, store starling.Store, in starling.Instance, opts Options) (*Result, error) {
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	s := newSeeder(store, in, newPlan(opts.Seed, opts.Now))
	res := &Result{ConferenceDays: s.plan.confDays, ListOwner: sectorBodyKey}

	existing, err := s.findDemoAccounts(ctx)
	if err != nil {
		return nil, err
	}
	if len(existing) > 0 {
		done, err := s.finished(ctx, existing)
		if err != nil {
			return nil, err
		}
		if done {
			return s.resetPasswords(ctx, res, existing)
		}
	}
	if !opts.Force {
		if name, err := realMember(ctx, store); err != nil {
			return nil, err
		} else if name != "" {
			return nil, fmt.Errorf("%w (for example @%s)", ErrRealMembers, name)
		}
	}
	res.Resumed = len(existing) > 0
	if err := s.run(ctx, res, existing); err != nil {
		return nil, err
	}
	return res, nil
}

// emailOf is the e-mail address of the demo account with the key.
func emailOf(key string) string { return key + "@" + EmailDomain }

// IsDemoEmail reports whether an e-mail address belongs to a demo account.
func IsDemoEmail(email string) bool {
	return strings.HasSuffix(strings.ToLower(email), "@"+EmailDomain)
}

// realMember returns the username of a local account that is not part of
// the demo, or "" if there is none. It stops at the first one it finds.
func realMember(ctx context.Context, store starling.Store) (string, error) {
	const page = 200
	for offset := 0; ; offset += page {
		// An empty search matches every account.
		accounts, err := store.SearchAccounts(ctx, "", page, offset)
		if err != nil {
			return "", fmt.Errorf("look for members: %w", err)
		}
		for _, a := range accounts {
			if a.Domain != "" {
				continue
			}
			u, err := store.User(ctx, a.ID)
			if starling.ErrorCode(err) == starling.ENOTFOUND {
				continue
			} else if err != nil {
				return "", fmt.Errorf("look for members: %w", err)
			}
			if !IsDemoEmail(u.Email) {
				return a.Username, nil
			}
		}
		if len(accounts) < page {
			return "", nil
		}
	}
}

// newPassword returns a random password of 20 characters in four groups of
// five (about 116 bits), easy to read out in a training room: no 0/O, 1/l/I.
func newPassword() string {
	const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	var b strings.Builder
	buf := make([]byte, 1)
	for n := 0; n < 20; {
		_, _ = rand.Read(buf) // crypto/rand.Read never fails on supported platforms
		// Drop bytes past the last whole multiple of the alphabet, so every character is equally likely.
		if int(buf[0]) >= 256/len(alphabet)*len(alphabet) {
			continue
		}
		if n > 0 && n%5 == 0 {
			b.WriteByte('-')
		}
		b.WriteByte(alphabet[int(buf[0])%len(alphabet)])
		n++
	}
	return b.String()
}

// hasher hashes the passwords Seed prints with the full argon2id cost and
// the others cheaply. The others are 130-bit random strings that are never
// shown or stored anywhere, so no one can sign in with them, and stretching
// protects only guessable passwords: the cheap hash loses nothing and saves
// about 1.5 s per run. Both are argon2id, and Verify reads the cost from
// the hash, so either kind checks normally.
type hasher struct {
	full  password.Hasher
	cheap password.Hasher
	fast  bool // hash with the cheap parameters
}

func newHasher() *hasher {
	return &hasher{cheap: password.Hasher{Params: password.Params{Memory: 64, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}}}
}

func (h *hasher) Hash(pw string) (string, error) {
	if h.fast {
		return h.cheap.Hash(pw)
	}
	return h.full.Hash(pw)
}

func (h *hasher) Verify(hash, pw string) (bool, error) { return h.full.Verify(hash, pw) }

// clock is the service's time: the moment of the action being replayed.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// seeder carries out a plan through a Service.
type seeder struct {
	store  starling.Store
	svc    *starling.Service
	hasher *hasher
	clock  *clock
	plan   *plan
}

func newSeeder(store starling.Store, in starling.Instance, p *plan) *seeder {
	s := &seeder{store: store, hasher: newHasher(), clock: &clock{t: p.now}, plan: p}
	s.svc = starling.NewService(store, text.NewProcessor(&in), s.hasher, in, s.clock.now)
	return s
}
