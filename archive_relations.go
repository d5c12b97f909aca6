package starling

import (
	"context"
	"time"
)

// Everything else an archive holds: relations, lists, interactions,
// settings, reports, sessions, notifications and votes.

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
