package starling

import (
	"archive/zip"
	"context"
	"io"
	"path"
	"time"
)

// The member's profile, posts and the files they uploaded, in an archive.

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
		for _, id := range ids { // the member's own: byID also holds the originals they reblogged
			s := byID[id]
			if s == nil {
				continue
			}
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
