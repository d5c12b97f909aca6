package starling

import (
	"archive/zip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path"
	"strings"
	"time"
)

// A member's archive (UK GDPR's rights of access and portability) is a zip
// of JSON files, one per kind of data Starling holds about them, their
// media files under media/, and an index.html and posts.html to browse
// offline. It is streamed as it is built: the data is read a page at a
// time, so memory stays bounded however much the member posted.

// ArchiveStore reads what archives and subject-access lookups need beyond
// the other stores.
type ArchiveStore interface {
	// ArchiveStatusIDs returns up to limit IDs of the account's statuses
	// (reblogs and direct messages included) below maxID (0: from the newest), newest first.
	ArchiveStatusIDs(ctx context.Context, accountID, maxID int64, limit int) ([]int64, error)
	// ArchiveStatuses reads statuses by ID like Statuses, but past the row
	// cache: a member's whole history, read once, must not push out the
	// rows everyone is reading.
	ArchiveStatuses(ctx context.Context, ids []int64) (map[int64]*Status, error)
	// SentFollowRequests pages through the follow requests the account sent.
	SentFollowRequests(ctx context.Context, accountID int64, p Page) ([]AccountRef, error)
	// AccountReports lists, newest first, the reports the account filed or,
	// with about, the reports about it.
	AccountReports(ctx context.Context, accountID int64, about bool, limit int) ([]*Report, error)
	// AuditEntriesFor lists, newest first, the audit entries about a target.
	AuditEntriesFor(ctx context.Context, targetType string, targetID int64, limit int) ([]*AuditEntry, error)
	// MentioningStatusIDs returns, newest first, statuses by others that mention the account.
	MentioningStatusIDs(ctx context.Context, accountID int64, limit int) ([]int64, error)
	// AccountDataCounts counts the rows of each kind that belong to or
	// name the account, keyed by a short name ("statuses", "favourites", …).
	AccountDataCounts(ctx context.Context, accountID int64) (map[string]int, error)
	// AccountPollVotes returns the account's poll votes, oldest first.
	AccountPollVotes(ctx context.Context, accountID int64, limit int) ([]ArchiveVote, error)
	// StartArchiveDownload records a download at at, unless the account
	// had one after notBefore: then it returns false and records nothing.
	StartArchiveDownload(ctx context.Context, accountID int64, at, notBefore time.Time) (bool, error)
}

// ArchiveInterval is how often a member may download their archive: it
// reads everything they ever posted, so a tight loop of downloads would
// load the server for nothing.
const ArchiveInterval = 10 * time.Minute

// archivePage is how many rows the archive reads at a time.
const archivePage = 200

// ArchiveWriter writes an archive to w.
type ArchiveWriter func(w io.Writer) error

// DownloadArchive lets a member download their own archive, once per
// ArchiveInterval (ERATELIMITED otherwise). It returns the writer that
// streams it, so the caller can send headers first.
func (svc *Service) DownloadArchive(ctx context.Context, a *Account, u *User) (ArchiveWriter, error) {
	if a == nil || u == nil || u.AccountID != a.ID {
		return nil, Errorf(EUNAUTHORIZED, "This action requires a signed-in user")
	}
	now := svc.now()
	var ok bool
	err := svc.store.Update(ctx, func(tx Tx) (err error) {
		ok, err = tx.StartArchiveDownload(ctx, a.ID, now, now.Add(-ArchiveInterval))
		return err
	})
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, Errorf(ERATELIMITED, "You downloaded your archive a few minutes ago; try again in %d minutes", int(ArchiveInterval/time.Minute))
	}
	return svc.archiveWriter(ctx, a.ID), nil
}

// ArchiveFileName is the name the archive of a is offered under.
func ArchiveFileName(a *Account, at time.Time) string {
	return "starling-archive-" + a.Username + "-" + at.UTC().Format("20060102") + ".zip"
}

// archiveWriter returns the writer of the archive of accountID. The
// archive is built from the primary store, so it holds what was last
// written.
func (svc *Service) archiveWriter(ctx context.Context, accountID int64) ArchiveWriter {
	return func(w io.Writer) error {
		z := zip.NewWriter(w)
		ar := &archive{svc: svc, q: svc.store, z: z, accountID: accountID, at: svc.now()}
		if err := ar.write(ctx); err != nil {
			return err
		}
		return z.Close()
	}
}

// archive is one archive being written.
type archive struct {
	svc       *Service
	q         Tx
	z         *zip.Writer
	accountID int64
	at        time.Time
	account   *Account
	user      *User
	files     []archiveFile // what index.html lists
	media     int           // how many media files
	posts     int           // how many posts
}

type archiveFile struct{ name, about string }

// create starts a file in the zip, noting it for the index.
func (ar *archive) create(name, about string) (io.Writer, error) {
	if about != "" {
		ar.files = append(ar.files, archiveFile{name, about})
	}
	return ar.z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: ar.at})
}

// writeJSON writes one JSON file holding v.
func (ar *archive) writeJSON(name, about string, v any) error {
	w, err := ar.create(name, about)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// jsonList writes a JSON array whose elements come a page at a time.
type jsonList struct {
	w   io.Writer
	n   int
	err error
}

func (ar *archive) startList(name, about string) (*jsonList, error) {
	w, err := ar.create(name, about)
	if err != nil {
		return nil, err
	}
	_, err = io.WriteString(w, "[")
	return &jsonList{w: w}, err
}

func (l *jsonList) add(v any) error {
	if l.err != nil {
		return l.err
	}
	b, err := json.MarshalIndent(v, "  ", "  ")
	if err != nil {
		l.err = err
		return err
	}
	sep := ",\n  "
	if l.n == 0 {
		sep = "\n  "
	}
	l.n++
	if _, l.err = io.WriteString(l.w, sep); l.err == nil {
		_, l.err = l.w.Write(b)
	}
	return l.err
}

func (l *jsonList) close() error {
	if l.err != nil {
		return l.err
	}
	_, err := io.WriteString(l.w, "\n]\n")
	return err
}

func (ar *archive) write(ctx context.Context) error {
	var err error
	if ar.account, err = ar.q.Account(ctx, ar.accountID); err != nil {
		return err
	}
	if ar.user, err = ar.q.User(ctx, ar.accountID); err != nil {
		return err
	}
	steps := []func(context.Context) error{
		ar.writeAccount, ar.writePosts, ar.writeRelations, ar.writeLists, ar.writeInteractions,
		ar.writeSettings, ar.writeReports, ar.writeSessions, ar.writeNotifications, ar.writeVotes, ar.writeMedia, ar.writePostsHTML, ar.writeIndex,
	}
	for _, step := range steps {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := step(ctx); err != nil {
			return fmt.Errorf("archive: %w", err)
		}
	}
	return nil
}

// ArchiveAccount is the profile and sign-in record in an archive.
type ArchiveAccount struct {
	ID             string    `json:"id"`
	Username       string    `json:"username"`
	URL            string    `json:"url"`
	DisplayName    string    `json:"display_name"`
	Note           string    `json:"note"`
	Fields         []Field   `json:"fields"`
	Locked         bool      `json:"locked"`
	Bot            bool      `json:"bot"`
	Discoverable   bool      `json:"discoverable"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
	FollowersCount int       `json:"followers_count"`
	FollowingCount int       `json:"following_count"`
	StatusesCount  int       `json:"statuses_count"`
	Avatar         string    `json:"avatar"` // "": Starling keeps no profile pictures yet
	Header         string    `json:"header"`

	Email         string    `json:"email"`
	Role          Role      `json:"role"`
	Locale        string    `json:"locale"`
	Approved      bool      `json:"approved"`
	SignUpReason  string    `json:"sign_up_reason"`
	SignedUpAt    time.Time `json:"signed_up_at"`
	FeedActiveAt  time.Time `json:"home_timeline_read_at"`
	TwoFactorOn   bool      `json:"two_factor_enabled"`
	ArchiveMadeAt time.Time `json:"archive_made_at"`
}

func (ar *archive) writeAccount(ctx context.Context) error {
	a, u := ar.account, ar.user
	two, err := ar.svc.HasTwoFactor(ctx, a.ID)
	if err != nil {
		return err
	}
	fields := a.Fields
	if fields == nil {
		fields = []Field{}
	}
	return ar.writeJSON("account.json", "Your profile and sign-in record (never your password or two-factor secret)", ArchiveAccount{
		ID: FormatID(a.ID), Username: a.Username, URL: ar.svc.instance.ProfileURL(a), DisplayName: a.DisplayName, Note: a.Note,
		Fields: fields, Locked: a.Locked, Bot: a.Bot, Discoverable: a.Discoverable, CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt,
		FollowersCount: a.FollowersCount, FollowingCount: a.FollowingCount, StatusesCount: a.StatusesCount,
		Email: u.Email, Role: u.Role, Locale: u.Locale, Approved: u.Approved, SignUpReason: u.Reason,
		SignedUpAt: u.CreatedAt, FeedActiveAt: u.FeedActiveAt, TwoFactorOn: two, ArchiveMadeAt: ar.at,
	})
}

// ArchivePost is one status in an archive.
type ArchivePost struct {
	ID          string         `json:"id"`
	URL         string         `json:"url"`
	CreatedAt   time.Time      `json:"created_at"`
	EditedAt    *time.Time     `json:"edited_at"`
	Visibility  Visibility     `json:"visibility"`
	Text        string         `json:"text"`
	SpoilerText string         `json:"spoiler_text"`
	Sensitive   bool           `json:"sensitive"`
	Language    string         `json:"language"`
	InReplyToID string         `json:"in_reply_to_id,omitempty"`
	ReblogOfID  string         `json:"reblog_of_id,omitempty"`
	QuoteOfID   string         `json:"quote_of_id,omitempty"`
	Counts      map[string]int `json:"counts"`
	Media       []ArchiveMedia `json:"media"`
	Poll        *ArchivePoll   `json:"poll,omitempty"`
	Edits       []ArchiveEdit  `json:"edits,omitempty"`
	Mentions    []string       `json:"mentions,omitempty"` // account IDs
}

// ArchiveMedia is an attachment: its file is at File in the zip.
type ArchiveMedia struct {
	ID          string `json:"id"`
	File        string `json:"file"`
	Type        string `json:"type"`
	Description string `json:"description"`
	Width       int    `json:"width"`
	Height      int    `json:"height"`
}

// ArchivePoll is a poll and its results.
type ArchivePoll struct {
	ExpiresAt   time.Time    `json:"expires_at"`
	Multiple    bool         `json:"multiple"`
	VotersCount int          `json:"voters_count"`
	Options     []PollOption `json:"options"`
}

// ArchiveEdit is an earlier version of a post.
type ArchiveEdit struct {
	Text        string    `json:"text"`
	SpoilerText string    `json:"spoiler_text"`
	Sensitive   bool      `json:"sensitive"`
	CreatedAt   time.Time `json:"created_at"`
}

// mediaFile is the path of an attachment's file in the zip.
func mediaFile(m *MediaAttachment) string {
	return "media/" + FormatID(m.ID) + path.Ext(m.FileKey)
}

// eachPostPage calls fn with the member's statuses a page at a time,
// newest first, with media, polls and edits loaded.
func (ar *archive) eachPostPage(ctx context.Context, fn func([]*ArchivePost) error) error {
	var maxID int64
	for {
		ids, err := ar.q.ArchiveStatusIDs(ctx, ar.accountID, maxID, archivePage)
		if err != nil || len(ids) == 0 {
			return err
		}
		maxID = ids[len(ids)-1]
		byID, err := ar.q.ArchiveStatuses(ctx, ids)
		if err != nil {
			return err
		}
		var withMedia, pollIDs []int64
		for _, s := range byID {
			if s.MediaCount > 0 {
				withMedia = append(withMedia, s.ID)
			}
			if s.PollID != 0 {
				pollIDs = append(pollIDs, s.PollID)
			}
		}
		media, err := ar.q.MediaOfStatuses(ctx, withMedia)
		if err != nil {
			return err
		}
		polls, err := ar.q.Polls(ctx, pollIDs, 0)
		if err != nil {
			return err
		}
		page := make([]*ArchivePost, 0, len(ids))
		for _, id := range ids {
			s := byID[id]
			if s == nil {
				continue
			}
			p := &ArchivePost{ID: FormatID(s.ID), URL: ar.svc.instance.StatusURL(ar.account, s.ID), CreatedAt: s.CreatedAt,
				Visibility: s.Visibility, Text: s.Text, SpoilerText: s.SpoilerText, Sensitive: s.Sensitive, Language: s.Language,
				Counts: map[string]int{"replies": s.RepliesCount, "reblogs": s.ReblogsCount, "favourites": s.FavouritesCount},
				Media:  []ArchiveMedia{}}
			if !s.EditedAt.IsZero() {
				t := s.EditedAt
				p.EditedAt = &t
				edits, err := ar.q.StatusHistory(ctx, s.ID)
				if err != nil {
					return err
				}
				for _, e := range edits {
					p.Edits = append(p.Edits, ArchiveEdit{Text: e.Text, SpoilerText: e.SpoilerText, Sensitive: e.Sensitive, CreatedAt: e.CreatedAt})
				}
			}
			if s.InReplyToID != 0 {
				p.InReplyToID = FormatID(s.InReplyToID)
			}
			if s.ReblogOfID != 0 {
				p.ReblogOfID = FormatID(s.ReblogOfID)
			}
			if s.QuoteOfID != 0 {
				p.QuoteOfID = FormatID(s.QuoteOfID)
			}
			for _, m := range s.MentionIDs {
				p.Mentions = append(p.Mentions, FormatID(m))
			}
			for _, m := range media[s.ID] {
				p.Media = append(p.Media, ArchiveMedia{ID: FormatID(m.ID), File: mediaFile(m), Type: m.Type, Description: m.Description, Width: m.Width, Height: m.Height})
			}
			if poll := polls[s.PollID]; poll != nil {
				p.Poll = &ArchivePoll{ExpiresAt: poll.ExpiresAt, Multiple: poll.Multiple, VotersCount: poll.VotersCount, Options: poll.Options}
			}
			page = append(page, p)
		}
		if err := fn(page); err != nil {
			return err
		}
		if len(ids) < archivePage {
			return nil
		}
	}
}

func (ar *archive) writePosts(ctx context.Context) error {
	l, err := ar.startList("posts.json", "Your posts and reblogs, newest first, with earlier versions, polls and media descriptions")
	if err != nil {
		return err
	}
	err = ar.eachPostPage(ctx, func(page []*ArchivePost) error {
		for _, p := range page {
			if err := l.add(p); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return l.close()
}

// ArchiveAccountRef names another account in an archive.
type ArchiveAccountRef struct {
	ID   string    `json:"id"`
	Acct string    `json:"acct,omitempty"` // "" if the account is gone
	URL  string    `json:"url,omitempty"`
	At   time.Time `json:"created_at,omitzero"`
}

// writeRefs writes a JSON list of accounts read by page.
func (ar *archive) writeRefs(ctx context.Context, name, about string, page func(Page) ([]AccountRef, error)) error {
	l, err := ar.startList(name, about)
	if err != nil {
		return err
	}
	p := Page{Limit: archivePage}
	for {
		refs, err := page(p)
		if err != nil {
			return err
		}
		ids := make([]int64, len(refs))
		for i, r := range refs {
			ids[i] = r.AccountID
		}
		if err := ar.addAccounts(ctx, l, ids); err != nil {
			return err
		}
		if len(refs) < p.Limit {
			return l.close()
		}
		p.MaxID = refs[len(refs)-1].RowID
	}
}

func (ar *archive) addAccounts(ctx context.Context, l *jsonList, ids []int64) error {
	accounts, err := ar.q.Accounts(ctx, ids)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := l.add(ar.ref(accounts, id)); err != nil {
			return err
		}
	}
	return nil
}

func (ar *archive) ref(accounts map[int64]*Account, id int64) ArchiveAccountRef {
	r := ArchiveAccountRef{ID: FormatID(id)}
	if a := accounts[id]; a != nil {
		r.Acct, r.URL = a.Acct(), ar.svc.instance.ProfileURL(a)
	}
	return r
}

func (ar *archive) writeRelations(ctx context.Context) error {
	id := ar.accountID
	lists := []struct {
		name, about string
		page        func(Page) ([]AccountRef, error)
	}{
		{"following.json", "Accounts you follow", func(p Page) ([]AccountRef, error) { return ar.q.Following(ctx, id, p) }},
		{"followers.json", "Accounts that follow you", func(p Page) ([]AccountRef, error) { return ar.q.Followers(ctx, id, p) }},
		{"follow_requests_received.json", "Follow requests waiting for your answer", func(p Page) ([]AccountRef, error) { return ar.q.FollowRequests(ctx, id, p) }},
		{"follow_requests_sent.json", "Follow requests you sent that wait for an answer", func(p Page) ([]AccountRef, error) { return ar.q.SentFollowRequests(ctx, id, p) }},
		{"blocks.json", "Accounts you block", func(p Page) ([]AccountRef, error) { return ar.q.Blocks(ctx, id, p) }},
		{"mutes.json", "Accounts you mute", func(p Page) ([]AccountRef, error) {
			mutes, err := ar.q.Mutes(ctx, id, p)
			refs := make([]AccountRef, len(mutes))
			for i, m := range mutes {
				refs[i] = m.AccountRef
			}
			return refs, err
		}},
	}
	for _, x := range lists {
		if err := ar.writeRefs(ctx, x.name, x.about, x.page); err != nil {
			return err
		}
	}
	return nil
}

// ArchiveList is one of the member's lists.
type ArchiveList struct {
	ID            string              `json:"id"`
	Title         string              `json:"title"`
	RepliesPolicy string              `json:"replies_policy"`
	Exclusive     bool                `json:"exclusive"`
	Public        bool                `json:"public"`
	Members       []ArchiveAccountRef `json:"members"`
}

func (ar *archive) writeLists(ctx context.Context) error {
	lists, err := ar.q.Lists(ctx, ar.accountID)
	if err != nil {
		return err
	}
	l, err := ar.startList("lists.json", "Your lists and their members")
	if err != nil {
		return err
	}
	for _, x := range lists {
		out := ArchiveList{ID: FormatID(x.ID), Title: x.Title, RepliesPolicy: x.RepliesPolicy, Exclusive: x.Exclusive, Public: x.Public, Members: []ArchiveAccountRef{}}
		p := Page{Limit: archivePage}
		for {
			ids, err := ar.q.ListMembers(ctx, x.ID, p)
			if err != nil {
				return err
			}
			accounts, err := ar.q.Accounts(ctx, ids)
			if err != nil {
				return err
			}
			for _, id := range ids {
				out.Members = append(out.Members, ar.ref(accounts, id))
			}
			if len(ids) < p.Limit {
				break
			}
			p.MaxID = ids[len(ids)-1]
		}
		if err := l.add(out); err != nil {
			return err
		}
	}
	return l.close()
}

// ArchiveStatusRef names another status in an archive.
type ArchiveStatusRef struct {
	ID  string `json:"id"`
	URL string `json:"url,omitempty"` // "" if the post is gone
}

func (ar *archive) writeInteractions(ctx context.Context) error {
	id := ar.accountID
	for _, x := range []struct {
		name, about string
		page        func(Page) ([]StatusRef, error)
	}{
		{"favourites.json", "Posts you favourited", func(p Page) ([]StatusRef, error) { return ar.q.Favourites(ctx, id, p) }},
		{"bookmarks.json", "Posts you bookmarked", func(p Page) ([]StatusRef, error) { return ar.q.Bookmarks(ctx, id, p) }},
	} {
		l, err := ar.startList(x.name, x.about)
		if err != nil {
			return err
		}
		p := Page{Limit: archivePage}
		for {
			refs, err := x.page(p)
			if err != nil {
				return err
			}
			ids := make([]int64, len(refs))
			for i, r := range refs {
				ids[i] = r.StatusID
			}
			statuses, err := ar.q.Statuses(ctx, ids)
			if err != nil {
				return err
			}
			authors := map[int64]bool{}
			for _, s := range statuses {
				authors[s.AccountID] = true
			}
			accounts, err := ar.q.Accounts(ctx, keys(authors))
			if err != nil {
				return err
			}
			for _, sid := range ids {
				r := ArchiveStatusRef{ID: FormatID(sid)}
				if s := statuses[sid]; s != nil && accounts[s.AccountID] != nil {
					r.URL = ar.svc.instance.StatusURL(accounts[s.AccountID], sid)
				}
				if err := l.add(r); err != nil {
					return err
				}
			}
			if len(refs) < p.Limit {
				break
			}
			p.MaxID = refs[len(refs)-1].RowID
		}
		if err := l.close(); err != nil {
			return err
		}
	}
	return nil
}

// ArchiveFilter is one of the member's filters.
type ArchiveFilter struct {
	Title     string     `json:"title"`
	Context   []string   `json:"context"`
	Action    string     `json:"action"`
	ExpiresAt *time.Time `json:"expires_at"`
	Keywords  []string   `json:"keywords"`
	Statuses  []string   `json:"status_ids"`
}

func (ar *archive) writeSettings(ctx context.Context) error {
	filters, err := ar.q.Filters(ctx, ar.accountID)
	if err != nil {
		return err
	}
	out := []ArchiveFilter{}
	for _, f := range filters {
		x := ArchiveFilter{Title: f.Title, Action: string(f.Action), Context: []string{}, Keywords: []string{}, Statuses: []string{}}
		for _, c := range f.Context {
			x.Context = append(x.Context, string(c))
		}
		if !f.ExpiresAt.IsZero() {
			t := f.ExpiresAt
			x.ExpiresAt = &t
		}
		for _, k := range f.Keywords {
			x.Keywords = append(x.Keywords, k.Keyword)
		}
		for _, s := range f.Statuses {
			x.Statuses = append(x.Statuses, FormatID(s.StatusID))
		}
		out = append(out, x)
	}
	if err := ar.writeJSON("filters.json", "Your filters", out); err != nil {
		return err
	}
	var followed []string
	p := Page{Limit: archivePage}
	for {
		tags, err := ar.q.FollowedTags(ctx, ar.accountID, p)
		if err != nil {
			return err
		}
		for _, t := range tags {
			followed = append(followed, t.Name)
		}
		if len(tags) < p.Limit {
			break
		}
		p.MaxID = tags[len(tags)-1].ID
	}
	if followed == nil {
		followed = []string{}
	}
	if err := ar.writeJSON("followed_tags.json", "Hashtags you follow", followed); err != nil {
		return err
	}
	featured, err := ar.q.FeaturedTags(ctx, ar.accountID)
	if err != nil {
		return err
	}
	names := []string{}
	for _, t := range featured {
		names = append(names, t.Name)
	}
	return ar.writeJSON("featured_tags.json", "Hashtags you feature on your profile", names)
}

// ArchiveReport is a report the member filed. Staff's notes and who
// decided stay out: the member sees what they sent and what became of it.
type ArchiveReport struct {
	ID        string    `json:"id"`
	AccountID string    `json:"target_account_id"`
	Category  string    `json:"category"`
	Comment   string    `json:"comment"`
	StatusIDs []string  `json:"status_ids"`
	CreatedAt time.Time `json:"created_at"`
	Open      bool      `json:"open"`
}

func (ar *archive) writeReports(ctx context.Context) error {
	reports, err := ar.q.AccountReports(ctx, ar.accountID, false, 10000)
	if err != nil {
		return err
	}
	out := []ArchiveReport{}
	for _, r := range reports {
		x := ArchiveReport{ID: FormatID(r.ID), AccountID: FormatID(r.TargetAccountID), Category: string(r.Category), Comment: r.Comment,
			StatusIDs: []string{}, CreatedAt: r.CreatedAt, Open: r.Open()}
		for _, s := range r.StatusIDs {
			x.StatusIDs = append(x.StatusIDs, FormatID(s))
		}
		out = append(out, x)
	}
	return ar.writeJSON("reports.json", "Reports you filed", out)
}

// ArchiveSession is a sign-in: a browser session or an app authorised.
type ArchiveSession struct {
	Application string    `json:"application"`
	Website     string    `json:"website,omitempty"`
	Scopes      string    `json:"scopes"`
	CreatedAt   time.Time `json:"created_at"`
	LastUsedAt  time.Time `json:"last_used_at,omitzero"`
}

func (ar *archive) writeSessions(ctx context.Context) error {
	tokens, err := ar.q.AccountTokens(ctx, ar.accountID)
	if err != nil {
		return err
	}
	appIDs := map[int64]bool{}
	for _, t := range tokens {
		appIDs[t.ApplicationID] = true
	}
	apps, err := ar.q.Applications(ctx, keys(appIDs))
	if err != nil {
		return err
	}
	out := []ArchiveSession{}
	for _, t := range tokens {
		s := ArchiveSession{Scopes: t.Scopes.String(), CreatedAt: t.CreatedAt, LastUsedAt: t.LastUsedAt}
		if app := apps[t.ApplicationID]; app != nil {
			s.Application, s.Website = app.Name, app.Website
		}
		out = append(out, s)
	}
	return ar.writeJSON("sessions.json", "Browsers and apps signed in as you (the secrets themselves are never exported)", out)
}

// writeMedia copies every file the member uploaded into media/.
func (ar *archive) writeMedia(ctx context.Context) error {
	if ar.svc.files == nil {
		return nil
	}
	var after int64
	for {
		list, err := ar.q.AccountMedia(ctx, ar.accountID, after, archivePage)
		if err != nil {
			return err
		}
		for _, m := range list {
			if err := ar.copyMedia(ctx, m); err != nil {
				return err
			}
			after = m.ID
		}
		if len(list) < archivePage {
			return nil
		}
	}
}

func (ar *archive) copyMedia(ctx context.Context, m *MediaAttachment) error {
	r, _, err := ar.svc.files.Get(ctx, m.FileKey)
	if ErrorCode(err) == ENOTFOUND {
		return nil // lost from storage: nothing to give
	} else if err != nil {
		return err
	}
	defer r.Close()
	// Images are compressed already: stored, not deflated again.
	w, err := ar.z.CreateHeader(&zip.FileHeader{Name: mediaFile(m), Method: zip.Store, Modified: m.CreatedAt})
	if err != nil {
		return err
	}
	ar.media++
	_, err = io.Copy(w, r)
	return err
}

// archiveText escapes s for HTML: the archive's pages are written by
// hand, not with html/template, as the root package stays free of
// presentation; everything a member typed goes through this.
var archiveText = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace

const archiveHead = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>%s</title><style>body{font-family:system-ui,sans-serif;max-width:48rem;margin:1rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}
article{border-bottom:1px solid #ccc;padding:.75rem 0}img{max-width:100%%;height:auto}.meta{color:#555;font-size:.9rem}pre{white-space:pre-wrap;font:inherit;margin:.25rem 0}</style></head>
<body><main>
`

func (ar *archive) writePostsHTML(ctx context.Context) error {
	w, err := ar.create("posts.html", "")
	if err != nil {
		return err
	}
	fmt.Fprintf(w, archiveHead, "Posts by @"+archiveText(ar.account.Username))
	fmt.Fprintf(w, "<h1>Posts by @%s</h1>\n<p><a href=\"index.html\">Back to the archive</a></p>\n", archiveText(ar.account.Username))
	err = ar.eachPostPage(ctx, func(page []*ArchivePost) error {
		for _, p := range page {
			ar.posts++
			fmt.Fprintf(w, "<article><p class=\"meta\"><time datetime=\"%s\">%s</time> · %s",
				p.CreatedAt.Format(time.RFC3339), p.CreatedAt.Format("2 January 2006 15:04"), archiveText(string(p.Visibility)))
			if p.EditedAt != nil {
				fmt.Fprintf(w, " · edited")
			}
			if p.ReblogOfID != "" {
				fmt.Fprintf(w, " · reblog of post %s", p.ReblogOfID)
			}
			if p.InReplyToID != "" {
				fmt.Fprintf(w, " · reply to post %s", p.InReplyToID)
			}
			fmt.Fprintf(w, "</p>\n")
			if p.SpoilerText != "" {
				fmt.Fprintf(w, "<p><strong>%s</strong></p>\n", archiveText(p.SpoilerText))
			}
			if p.Text != "" {
				fmt.Fprintf(w, "<pre>%s</pre>\n", archiveText(p.Text))
			}
			if p.Poll != nil {
				fmt.Fprintf(w, "<ul>")
				for _, o := range p.Poll.Options {
					fmt.Fprintf(w, "<li>%s: %d votes</li>", archiveText(o.Title), o.Votes)
				}
				fmt.Fprintf(w, "</ul>\n")
			}
			for _, m := range p.Media {
				fmt.Fprintf(w, "<p><a href=\"%s\"><img src=\"%s\" alt=\"%s\" width=\"%d\" height=\"%d\" loading=\"lazy\"></a></p>\n",
					archiveText(m.File), archiveText(m.File), archiveText(m.Description), m.Width, m.Height)
			}
			if _, err := fmt.Fprintf(w, "</article>\n"); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if ar.posts == 0 {
		fmt.Fprintf(w, "<p>No posts.</p>\n")
	}
	_, err = fmt.Fprintf(w, "</main></body></html>\n")
	return err
}

func (ar *archive) writeIndex(ctx context.Context) error {
	w, err := ar.create("index.html", "")
	if err != nil {
		return err
	}
	a := ar.account
	title := "Archive of @" + archiveText(a.Username)
	fmt.Fprintf(w, archiveHead, title)
	fmt.Fprintf(w, "<h1>%s</h1>\n<p>Everything %s holds about you on %s, as it stood on %s. The files are JSON, which other services and programs can read.</p>\n",
		title, archiveText(ar.svc.instance.Title), archiveText(ar.svc.instance.Domain), ar.at.Format("2 January 2006 at 15:04 UTC"))
	fmt.Fprintf(w, "<h2>Your profile</h2>\n<dl><dt>Name</dt><dd>%s</dd><dt>Bio</dt><dd><pre>%s</pre></dd>", archiveText(a.DisplayName), archiveText(a.Note))
	for _, f := range a.Fields {
		fmt.Fprintf(w, "<dt>%s</dt><dd>%s</dd>", archiveText(f.Name), archiveText(f.Value))
	}
	fmt.Fprintf(w, "<dt>Email</dt><dd>%s</dd><dt>Joined</dt><dd>%s</dd></dl>\n", archiveText(ar.user.Email), a.CreatedAt.Format("2 January 2006"))
	fmt.Fprintf(w, "<h2>Your posts</h2>\n<p><a href=\"posts.html\">Read your %d posts</a> (their images are in the media folder: %d files).</p>\n", ar.posts, ar.media)
	fmt.Fprintf(w, "<h2>Files</h2>\n<ul>\n")
	for _, f := range ar.files {
		fmt.Fprintf(w, "<li><a href=\"%s\">%s</a>: %s</li>\n", archiveText(f.name), archiveText(f.name), archiveText(f.about))
	}
	_, err = fmt.Fprintf(w, "</ul>\n</main></body></html>\n")
	return err
}

// ArchiveNotification is a notification the member received.
type ArchiveNotification struct {
	Type      NotificationType  `json:"type"`
	From      ArchiveAccountRef `json:"from"`
	StatusID  string            `json:"status_id,omitempty"`
	CreatedAt time.Time         `json:"created_at"`
}

func (ar *archive) writeNotifications(ctx context.Context) error {
	l, err := ar.startList("notifications.json", "Notifications you received")
	if err != nil {
		return err
	}
	p := Page{Limit: archivePage}
	for {
		list, err := ar.q.Notifications(ctx, ar.accountID, NotificationFilter{}, p)
		if err != nil {
			return err
		}
		from := map[int64]bool{}
		for _, n := range list {
			from[n.FromAccountID] = true
		}
		accounts, err := ar.q.Accounts(ctx, keys(from))
		if err != nil {
			return err
		}
		for _, n := range list {
			x := ArchiveNotification{Type: n.Type, From: ar.ref(accounts, n.FromAccountID), CreatedAt: n.CreatedAt}
			if n.StatusID != 0 {
				x.StatusID = FormatID(n.StatusID)
			}
			if err := l.add(x); err != nil {
				return err
			}
		}
		if len(list) < p.Limit {
			return l.close()
		}
		p.MaxID = list[len(list)-1].ID
	}
}

// ArchiveVote is one answer the member chose in a poll.
type ArchiveVote struct {
	StatusID  string    `json:"status_id"`
	Choice    int       `json:"choice"` // 0 is the first answer
	CreatedAt time.Time `json:"created_at"`
}

// archiveVotes bounds the votes an archive lists: members answer a few
// polls a week, and the list is read in one go.
const archiveVotes = 100000

func (ar *archive) writeVotes(ctx context.Context) error {
	votes, err := ar.q.AccountPollVotes(ctx, ar.accountID, archiveVotes)
	if err != nil {
		return err
	}
	if votes == nil {
		votes = []ArchiveVote{}
	}
	return ar.writeJSON("poll_votes.json", "Your answers to polls", votes)
}
