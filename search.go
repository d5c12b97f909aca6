package starling

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// SearchQuery is a search as GET /api/v2/search takes it.
type SearchQuery struct {
	Q         string
	Type      string // "accounts", "hashtags", "statuses" or "" for all
	Following bool   // only accounts viewer follows
	AccountID int64  // only statuses by this account
	MaxID     int64  // only statuses older than this one
	MinID     int64  // only statuses newer than this one
	Limit     int
	Offset    int
}

// SearchResults holds what a search found.
type SearchResults struct {
	Accounts []*Account
	Statuses []*Status
	Hashtags []string
}

// Search finds accounts by username and display name, hashtags by name, a
// local status or account from its URL, and statuses by their words (see
// ParseStatusQuery for what a status search may say). Statuses are searched
// for members only, as on Mastodon: visitors get none. It returns EINVALID
// for text that is not UTF-8 or a status search that cannot be parsed.
func (svc *Service) Search(ctx context.Context, viewer *Account, q SearchQuery) (*SearchResults, error) {
	q.Q = strings.TrimSpace(q.Q)
	if q.Limit <= 0 {
		q.Limit = 20
	}
	q.Limit = min(q.Limit, 80)
	q.Offset = max(q.Offset, 0)
	res := &SearchResults{}
	if q.Q == "" {
		return res, nil
	}
	if !utf8.ValidString(q.Q) || strings.ContainsRune(q.Q, 0) {
		return nil, Errorf(EINVALID, "Validation failed: the search must be UTF-8 text without NUL characters")
	}
	if u, err := url.Parse(q.Q); err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" {
		return res, svc.resolveURL(ctx, viewer, u, q, res)
	}
	// The status search goes first: a query it cannot parse fails the whole search.
	if (q.Type == "" || q.Type == "statuses") && viewer != nil {
		statuses, err := svc.searchStatuses(ctx, viewer, q)
		if err != nil {
			return nil, err
		}
		res.Statuses = statuses
	}
	if q.Type == "" || q.Type == "accounts" {
		accounts, err := svc.SearchAccounts(ctx, q.Q, q.Limit, q.Offset)
		if err != nil {
			return nil, err
		}
		// Only followed accounts if asked; never those viewer blocks or
		// that block viewer, nor limited ones viewer does not follow.
		if viewer == nil {
			accounts = slices.DeleteFunc(accounts, func(a *Account) bool { return a.Limited() })
		}
		if viewer != nil && len(accounts) > 0 {
			ids := make([]int64, len(accounts))
			for i, a := range accounts {
				ids[i] = a.ID
			}
			rels, err := svc.store.Relationships(ctx, viewer.ID, ids)
			if err != nil {
				return nil, err
			}
			kept := accounts[:0]
			for _, a := range accounts {
				r := rels[a.ID]
				if r != nil && (r.Blocking || r.BlockedBy) || q.Following && (r == nil || !r.Following) || a.ID != viewer.ID && moderatedFor(a, r) {
					continue
				}
				kept = append(kept, a)
			}
			accounts = kept
		}
		res.Accounts = accounts
	}
	if (q.Type == "" || q.Type == "hashtags") && q.Offset == 0 {
		if name := svc.text.NormalizeTag(strings.TrimPrefix(q.Q, "#")); name != "" {
			tags, err := svc.store.SearchTags(ctx, name, q.Limit)
			if err != nil {
				return nil, err
			}
			res.Hashtags = tags
		}
	}
	return res, nil
}

// searchStatuses runs the full-text part of a search for viewer: the store
// finds candidates among what viewer may find, newest first, and
// loadStatuses checks each can still be read before it is shown.
func (svc *Service) searchStatuses(ctx context.Context, viewer *Account, q SearchQuery) ([]*Status, error) {
	sq, err := ParseStatusQuery(q.Q)
	if err != nil {
		return nil, err
	}
	f := StatusSearch{Words: sq.Words, Phrases: sq.Phrases, Without: sq.Without, ViewerID: viewer.ID, AccountID: q.AccountID, HasMedia: sq.HasMedia,
		MaxID: q.MaxID, MinID: q.MinID, Limit: q.Limit, Offset: q.Offset}
	if sq.FromMe || sq.From != "" {
		id := viewer.ID
		if !sq.FromMe {
			a, err := svc.LookupAccount(ctx, sq.From)
			if ErrorCode(err) == ENOTFOUND {
				return nil, nil
			} else if err != nil {
				return nil, err
			}
			id = a.ID
		}
		if f.AccountID != 0 && f.AccountID != id {
			return nil, nil // account_id and from: name different authors
		}
		f.AccountID = id
	}
	if !sq.Before.IsZero() {
		if bound := MinIDAt(sq.Before); f.MaxID == 0 || bound < f.MaxID {
			f.MaxID = bound
		}
	}
	if !sq.After.IsZero() {
		f.MinID = max(f.MinID, MinIDAt(sq.After)-1)
	}
	if len(f.Words)+len(f.Phrases) == 0 && f.AccountID == 0 && !f.HasMedia && sq.Before.IsZero() && sq.After.IsZero() {
		// Nothing to look for: a name or a tag, only punctuation, or only
		// words to leave out, which would mean reading every status.
		return nil, nil
	}
	ids, err := svc.store.SearchStatuses(ctx, f)
	if err != nil {
		return nil, err
	}
	return svc.loadStatusesIn(ctx, svc.store, viewer, ids, readTimeline, FilterPublic)
}

// SearchStore runs full-text searches of statuses.
type SearchStore interface {
	// SearchStatuses returns the IDs of the statuses that match f, newest
	// first, paged by f.Limit and f.Offset. It looks among the public
	// statuses of discoverable accounts and, when f.ViewerID is set, the
	// unlisted and followers-only statuses of discoverable accounts the
	// viewer follows, and the viewer's own statuses, those that mention the
	// viewer and those the viewer favourited, bookmarked or reblogged,
	// whatever their visibility and author. Reblogs themselves are never
	// returned. Callers still check that the viewer may read each status (a
	// follower who favourited a followers-only post may have unfollowed
	// since). An AccountID that names no account finds nothing, without
	// error.
	SearchStatuses(ctx context.Context, f StatusSearch) ([]int64, error)
}

// StatusSearch is a full-text search of statuses as the store runs it.
// Every condition set must hold; zero values set none.
type StatusSearch struct {
	// Words must each appear in the text or content warning, in any form
	// the engine's English stemming takes to be the same word ("carers"
	// finds "carer"); upper and lower case are the same.
	Words []string
	// Phrases must each appear as words one after another, in this order.
	Phrases []string
	// Without are words and phrases none of which may appear.
	Without   []string
	ViewerID  int64 // the searcher, whose own statuses and interactions are searched too
	AccountID int64 // only statuses by this account
	HasMedia  bool  // only statuses with attachments
	MaxID     int64 // only statuses with smaller IDs, that is made earlier
	MinID     int64 // only statuses with larger IDs
	Limit     int
	Offset    int
}

// Limits of a status search, so that no query asks the database for more
// work than a person could mean.
const (
	MaxSearchChars = 500 // characters of the whole query
	MaxSearchTerms = 32  // words and phrases
)

// StatusQuery is what someone searching statuses typed, parsed by
// ParseStatusQuery.
type StatusQuery struct {
	Words    []string  // plain words, each of which must appear
	Phrases  []string  // "quoted phrases", each of which must appear as it is
	Without  []string  // -word and -"a phrase": none of these may appear
	From     string    // from:username, from:@username or from:user@domain, without the @
	FromMe   bool      // from:me
	HasMedia bool      // has:media
	Before   time.Time // before:DATE and during:DATE: only statuses made before this moment
	After    time.Time // after:DATE and during:DATE: only statuses made at or after this moment
}

// ParseStatusQuery parses a status search. It understands:
//
//   - plain words, all of which must appear;
//   - "quoted phrases" (an unclosed quote runs to the end);
//   - -word and -"a phrase", which must not appear;
//   - from:username, from:@username, from:user@domain and from:me;
//   - has:media;
//   - before:YYYY-MM-DD (made before that day), after:YYYY-MM-DD (made
//     after that day) and during:YYYY-MM-DD (on that day), in UTC.
//
// Words and phrases are kept as typed; they are never search syntax for
// the database, which receives them quoted, and which splits words at
// punctuation as it does the text. Words of punctuation alone (such as "*"
// or "--") are dropped. Another "name:value" is a plain word too, except
// the operators Mastodon has that Starling does not (is:, in:, language:),
// which are refused, as are operators with values they do not take. It
// returns EINVALID for those, and for queries over MaxSearchChars
// characters or MaxSearchTerms words and phrases.
func ParseStatusQuery(s string) (StatusQuery, error) {
	var q StatusQuery
	if utf8.RuneCountInString(s) > MaxSearchChars {
		return q, Errorf(EINVALID, "Validation failed: a search may be at most %d characters long", MaxSearchChars)
	}
	// Invalid bytes and control characters separate words, as spaces do.
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return ' '
		}
		return r
	}, strings.ToValidUTF8(s, " "))
	for len(s) > 0 {
		s = strings.TrimLeftFunc(s, unicode.IsSpace)
		if s == "" {
			break
		}
		if without := strings.HasPrefix(s, `-"`); without || s[0] == '"' {
			if without {
				s = s[1:]
			}
			phrase, rest, _ := strings.Cut(s[1:], `"`)
			s = rest
			words := strings.Fields(phrase)
			switch {
			case !hasWordChar(phrase):
			case without:
				q.Without = append(q.Without, strings.Join(words, " "))
			case len(words) == 1:
				q.Words = append(q.Words, words[0])
			default:
				q.Phrases = append(q.Phrases, strings.Join(words, " "))
			}
			continue
		}
		end := strings.IndexFunc(s, unicode.IsSpace)
		if end < 0 {
			end = len(s)
		}
		tok := s[:end]
		s = s[end:]
		if err := q.addToken(tok); err != nil {
			return StatusQuery{}, err
		}
	}
	if len(q.Words)+len(q.Phrases)+len(q.Without) > MaxSearchTerms {
		return StatusQuery{}, Errorf(EINVALID, "Validation failed: a search may have at most %d words and phrases", MaxSearchTerms)
	}
	return q, nil
}

// addToken adds a word or an operator.
func (q *StatusQuery) addToken(tok string) error {
	if w, ok := strings.CutPrefix(tok, "-"); ok {
		if hasWordChar(w) {
			q.Without = append(q.Without, w)
		}
		return nil
	}
	name, value, ok := strings.Cut(tok, ":")
	if !ok || value == "" {
		q.addWord(tok)
		return nil
	}
	switch op := strings.ToLower(name); op {
	case "from":
		switch {
		case strings.EqualFold(value, "me"):
			q.FromMe = true
		case strings.TrimPrefix(value, "@") != "":
			q.From = strings.TrimPrefix(value, "@")
		}
	case "has":
		if !strings.EqualFold(value, "media") {
			return Errorf(EINVALID, "Validation failed: has: takes media (has:media)")
		}
		q.HasMedia = true
	case "before", "after", "during":
		day, err := time.Parse(time.DateOnly, value)
		if err != nil || day.Year() < 1970 || day.Year() > 2999 { // IDs hold times from 1970 on
			return Errorf(EINVALID, "Validation failed: %s: takes a date as YYYY-MM-DD, such as %s:2025-03-31", op, op)
		}
		next := day.AddDate(0, 0, 1)
		if op == "before" || op == "during" {
			limit := day
			if op == "during" {
				limit = next
			}
			if q.Before.IsZero() || limit.Before(q.Before) {
				q.Before = limit
			}
		}
		if op == "after" || op == "during" {
			start := next
			if op == "during" {
				start = day
			}
			if start.After(q.After) {
				q.After = start
			}
		}
	case "is", "in", "language":
		return Errorf(EINVALID, "Validation failed: %s: is not supported here; use from:, has:media, before:, after: or during:", op)
	default:
		q.addWord(tok) // "col:val" or a link: the engines split it as they split the text
	}
	return nil
}

// addWord adds a plain word unless it has no letter or digit to search for.
func (q *StatusQuery) addWord(w string) {
	if hasWordChar(w) {
		q.Words = append(q.Words, w)
	}
}

// hasWordChar reports whether s has a letter or digit: the characters both
// engines index. Anything else only separates words.
func hasWordChar(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }) >= 0
}

// resolveURL finds the local account or status a URL points at:
// /@user, /@user/ID, /users/user, /users/user/statuses/ID.
func (svc *Service) resolveURL(ctx context.Context, viewer *Account, u *url.URL, q SearchQuery, res *SearchResults) error {
	if !strings.EqualFold(u.Host, svc.instance.Domain) {
		return nil // remote lookups arrive with federation
	}
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	var username, statusID string
	switch {
	case len(parts) >= 1 && strings.HasPrefix(parts[0], "@"):
		username = parts[0][1:]
		if len(parts) == 2 {
			statusID = parts[1]
		}
	case len(parts) >= 2 && parts[0] == "users":
		username = parts[1]
		if len(parts) == 4 && parts[2] == "statuses" {
			statusID = parts[3]
		}
	default:
		return nil
	}
	a, err := svc.store.AccountByUsername(ctx, username, "")
	if ErrorCode(err) == ENOTFOUND {
		return nil
	} else if err != nil {
		return err
	}
	if statusID == "" {
		if q.Type == "" || q.Type == "accounts" {
			res.Accounts = []*Account{a}
		}
		return nil
	}
	id, ok := ParseID(statusID)
	if !ok || !(q.Type == "" || q.Type == "statuses") {
		return nil
	}
	s, err := svc.GetStatus(ctx, viewer, id)
	if ErrorCode(err) == ENOTFOUND || err == nil && s.AccountID != a.ID {
		return nil
	} else if err != nil {
		return err
	}
	res.Statuses = []*Status{s}
	return nil
}

// Tag returns the stored name of a hashtag that has been used, or ENOTFOUND.
func (svc *Service) Tag(ctx context.Context, name string) (string, error) {
	n := svc.text.NormalizeTag(strings.TrimPrefix(name, "#"))
	if n == "" {
		return "", Errorf(ENOTFOUND, "Record not found")
	}
	ok, err := svc.store.TagExists(ctx, n)
	if err != nil {
		return "", err
	} else if !ok {
		return "", Errorf(ENOTFOUND, "Record not found")
	}
	return n, nil
}

// NormalizeTag returns the stored form of a hashtag name ("AdassSpring" →
// "adassspring"), or "" if it is not a valid one.
func (svc *Service) NormalizeTag(name string) string { return svc.text.NormalizeTag(name) }

// Stats counts this server's members and their statuses.
func (svc *Service) Stats(ctx context.Context) (users, statuses int, err error) {
	return svc.store.InstanceStats(ctx)
}
