package mastodon

import (
	"html"
	"strings"
	"time"

	"starling"
)

// The types in this file are the Mastodon API's JSON entities
// (https://docs.joinmastodon.org/entities/), kept apart from the domain
// types so the API's shape can follow Mastodon without bending the domain.

// Account is the Account entity.
type Account struct {
	ID             string   `json:"id"`
	Username       string   `json:"username"`
	Acct           string   `json:"acct"`
	DisplayName    string   `json:"display_name"`
	Locked         bool     `json:"locked"`
	Bot            bool     `json:"bot"`
	Discoverable   bool     `json:"discoverable"`
	Indexable      bool     `json:"indexable"`
	Group          bool     `json:"group"`
	CreatedAt      string   `json:"created_at"`
	Note           string   `json:"note"`
	URL            string   `json:"url"`
	URI            string   `json:"uri"`
	Avatar         string   `json:"avatar"`
	AvatarStatic   string   `json:"avatar_static"`
	Header         string   `json:"header"`
	HeaderStatic   string   `json:"header_static"`
	FollowersCount int      `json:"followers_count"`
	FollowingCount int      `json:"following_count"`
	StatusesCount  int      `json:"statuses_count"`
	LastStatusAt   *string  `json:"last_status_at"`
	HideCollection bool     `json:"hide_collections"`
	Noindex        bool     `json:"noindex"`
	Emojis         []Emoji  `json:"emojis"`
	Roles          []any    `json:"roles"`
	Fields         []Field  `json:"fields"`
	Source         *Source  `json:"source,omitempty"`
	Role           *Role    `json:"role,omitempty"`
	Moved          *Account `json:"moved,omitempty"`
	// Suspended and Limited are present only when staff suspended or
	// limited the account, as in Mastodon.
	Suspended bool `json:"suspended,omitempty"`
	Limited   bool `json:"limited,omitempty"`
}

// Field is a profile field; Value is HTML.
type Field struct {
	Name       string  `json:"name"`
	Value      string  `json:"value"`
	VerifiedAt *string `json:"verified_at"`
}

// Source is the plain-text profile a member edits (CredentialAccount only).
type Source struct {
	Privacy             string        `json:"privacy"`
	Sensitive           bool          `json:"sensitive"`
	Language            string        `json:"language"`
	Note                string        `json:"note"`
	Fields              []SourceField `json:"fields"`
	FollowRequestsCount int           `json:"follow_requests_count"`
	HideCollections     bool          `json:"hide_collections"`
	Discoverable        bool          `json:"discoverable"`
	Indexable           bool          `json:"indexable"`
	AttributionDomains  []string      `json:"attribution_domains"`
}

// SourceField is a profile field as typed.
type SourceField struct {
	Name       string  `json:"name"`
	Value      string  `json:"value"`
	VerifiedAt *string `json:"verified_at"`
}

// Role is the signed-in member's role (CredentialAccount only).
type Role struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Permissions string `json:"permissions"`
	Color       string `json:"color"`
	Highlighted bool   `json:"highlighted"`
}

// Emoji is a custom emoji. Starling has none yet; the type keeps arrays typed.
type Emoji struct {
	Shortcode       string `json:"shortcode"`
	URL             string `json:"url"`
	StaticURL       string `json:"static_url"`
	VisibleInPicker bool   `json:"visible_in_picker"`
}

// Status is the Status entity.
type Status struct {
	ID                 string            `json:"id"`
	CreatedAt          string            `json:"created_at"`
	InReplyToID        *string           `json:"in_reply_to_id"`
	InReplyToAccountID *string           `json:"in_reply_to_account_id"`
	Sensitive          bool              `json:"sensitive"`
	SpoilerText        string            `json:"spoiler_text"`
	Visibility         string            `json:"visibility"`
	Language           *string           `json:"language"`
	URI                string            `json:"uri"`
	URL                *string           `json:"url"`
	RepliesCount       int               `json:"replies_count"`
	ReblogsCount       int               `json:"reblogs_count"`
	FavouritesCount    int               `json:"favourites_count"`
	QuotesCount        int               `json:"quotes_count"`
	EditedAt           *string           `json:"edited_at"`
	Favourited         *bool             `json:"favourited,omitempty"`
	Reblogged          *bool             `json:"reblogged,omitempty"`
	Muted              *bool             `json:"muted,omitempty"`
	Bookmarked         *bool             `json:"bookmarked,omitempty"`
	Pinned             *bool             `json:"pinned,omitempty"`
	Content            string            `json:"content"`
	Text               *string           `json:"text,omitempty"`
	Filtered           []FilterResult    `json:"filtered,omitempty"`
	Reblog             *Status           `json:"reblog"`
	Application        *Application      `json:"application,omitempty"`
	Account            *Account          `json:"account"`
	MediaAttachments   []MediaAttachment `json:"media_attachments"`
	Mentions           []Mention         `json:"mentions"`
	Tags               []Tag             `json:"tags"`
	Emojis             []Emoji           `json:"emojis"`
	Card               *PreviewCard      `json:"card"`
	Poll               *Poll             `json:"poll"`
	Quote              *Quote            `json:"quote"`
	QuoteApproval      *QuoteApproval    `json:"quote_approval"`
}

// Mention is a mention inside a Status.
type Mention struct {
	ID       string `json:"id"`
	Username string `json:"username"`
	URL      string `json:"url"`
	Acct     string `json:"acct"`
}

// Tag is a hashtag.
type Tag struct {
	// ID is the tag's normalised name, which is its key here; statuses'
	// tags go without one, as Mastodon's do.
	ID        string `json:"id,omitempty"`
	Name      string `json:"name"`
	URL       string `json:"url"`
	History   []any  `json:"history,omitzero"` // omitzero: absent on statuses (nil), [] elsewhere
	Following *bool  `json:"following,omitempty"`
}

// Application is an OAuth app, as shown on statuses and at registration.
type Application struct {
	ID                    string   `json:"id,omitempty"`
	Name                  string   `json:"name"`
	Website               *string  `json:"website"`
	Scopes                []string `json:"scopes,omitempty"`
	RedirectURI           string   `json:"redirect_uri,omitempty"`
	RedirectURIs          []string `json:"redirect_uris,omitempty"`
	ClientID              string   `json:"client_id,omitempty"`
	ClientSecret          string   `json:"client_secret,omitempty"`
	ClientSecretExpiresAt *int     `json:"client_secret_expires_at,omitempty"`
	VapidKey              *string  `json:"vapid_key,omitempty"`
}

// Relationship is the Relationship entity.
type Relationship struct {
	ID                  string `json:"id"`
	Following           bool   `json:"following"`
	ShowingReblogs      bool   `json:"showing_reblogs"`
	Notifying           bool   `json:"notifying"`
	Languages           *[]any `json:"languages"`
	FollowedBy          bool   `json:"followed_by"`
	Blocking            bool   `json:"blocking"`
	BlockedBy           bool   `json:"blocked_by"`
	Muting              bool   `json:"muting"`
	MutingNotifications bool   `json:"muting_notifications"`
	Requested           bool   `json:"requested"`
	RequestedBy         bool   `json:"requested_by"`
	DomainBlocking      bool   `json:"domain_blocking"`
	Endorsed            bool   `json:"endorsed"`
	Note                string `json:"note"`
}

// Notification is the Notification entity.
type Notification struct {
	ID        string   `json:"id"`
	Type      string   `json:"type"`
	GroupKey  string   `json:"group_key"`
	CreatedAt string   `json:"created_at"`
	Account   *Account `json:"account"`
	Status    *Status  `json:"status,omitempty"`
	// ModerationWarning is set on moderation_warning notifications.
	ModerationWarning *AccountWarning `json:"moderation_warning,omitempty"`
}

// List is the List entity.
type List struct {
	ID            string `json:"id"`
	Title         string `json:"title"`
	RepliesPolicy string `json:"replies_policy"`
	Exclusive     bool   `json:"exclusive"`
	// Public is Starling's own: anyone may read who is on the list and
	// follow them all with POST /api/v1/lists/:id/follow.
	Public bool `json:"public"`
}

// Marker is one read marker.
type Marker struct {
	LastReadID string `json:"last_read_id"`
	Version    int    `json:"version"`
	UpdatedAt  string `json:"updated_at"`
}

// Conversation is a direct-message conversation.
type Conversation struct {
	ID         string     `json:"id"`
	Unread     bool       `json:"unread"`
	Accounts   []*Account `json:"accounts"`
	LastStatus *Status    `json:"last_status"`
}

// Token is an OAuth token response.
type Token struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	Scope        string `json:"scope"`
	CreatedAt    int64  `json:"created_at"`
	RefreshToken string `json:"refresh_token,omitempty"`
}

// timeString renders times as Mastodon does: UTC, milliseconds, Z.
func timeString(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

func idPtr(id int64) *string {
	if id == 0 {
		return nil
	}
	s := starling.FormatID(id)
	return &s
}

func ptr[T any](v T) *T { return &v }

// renderer converts domain values to entities for one request: it knows the
// server's URLs and who is looking.
type renderer struct {
	in     *starling.Instance
	viewer *starling.Account
	seen   map[int64]*Account // accounts rendered for this reply: a page repeats its authors
}

// plainToHTML renders plain profile text (a bio, a field value) as HTML:
// escaped, with paragraphs and line breaks, and links for URLs in field values.
func plainToHTML(s string) string {
	if s == "" {
		return ""
	}
	var b strings.Builder
	for _, para := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n") {
		if strings.TrimSpace(para) == "" {
			continue
		}
		b.WriteString("<p>")
		b.WriteString(strings.ReplaceAll(html.EscapeString(strings.TrimSpace(para)), "\n", "<br />"))
		b.WriteString("</p>")
	}
	return b.String()
}

// fieldValueHTML links a field value that is a single http(s) URL, as Mastodon does.
func fieldValueHTML(v string) string {
	if (strings.HasPrefix(v, "https://") || strings.HasPrefix(v, "http://")) && !strings.ContainsAny(v, " \t\n\"<>") {
		e := html.EscapeString(v)
		display := html.EscapeString(strings.TrimPrefix(strings.TrimPrefix(v, "https://"), "http://"))
		return `<a href="` + e + `" target="_blank" rel="nofollow noopener noreferrer me" translate="no">` + display + `</a>`
	}
	return html.EscapeString(v)
}

func (rr *renderer) account(a *starling.Account) *Account {
	if a == nil {
		return nil
	}
	if out, ok := rr.seen[a.ID]; ok {
		return out
	}
	out := rr.newAccount(a)
	if rr.seen == nil {
		rr.seen = map[int64]*Account{}
	}
	rr.seen[a.ID] = out
	return out
}

func (rr *renderer) newAccount(a *starling.Account) *Account {
	avatar := rr.in.BaseURL + "/static/avatar.png"
	header := rr.in.BaseURL + "/static/header.png"
	out := &Account{
		ID: starling.FormatID(a.ID), Username: a.Username, Acct: a.Acct(), DisplayName: a.DisplayName,
		Locked: a.Locked, Bot: a.Bot, Discoverable: a.Discoverable, Indexable: a.Discoverable,
		CreatedAt: timeString(a.CreatedAt.Truncate(24 * time.Hour)), Note: plainToHTML(a.Note),
		URL: rr.in.ProfileURL(a), URI: rr.in.AccountURI(a),
		Avatar: avatar, AvatarStatic: avatar, Header: header, HeaderStatic: header,
		FollowersCount: a.FollowersCount, FollowingCount: a.FollowingCount, StatusesCount: a.StatusesCount,
		Emojis: []Emoji{}, Roles: []any{}, Fields: []Field{},
	}
	if !a.LastStatusAt.IsZero() {
		out.LastStatusAt = ptr(a.LastStatusAt.UTC().Format("2006-01-02"))
	}
	for _, f := range a.Fields {
		out.Fields = append(out.Fields, Field{Name: f.Name, Value: fieldValueHTML(f.Value)})
	}
	out.Limited = a.Limited()
	if a.Suspended() {
		// As Mastodon: the profile is emptied while the data is kept.
		out.Suspended, out.DisplayName, out.Note, out.Fields = true, "", "", []Field{}
		out.FollowersCount, out.FollowingCount, out.StatusesCount, out.LastStatusAt = 0, 0, 0, nil
	}
	return out
}

func (rr *renderer) accounts(list []*starling.Account) []*Account {
	out := make([]*Account, 0, len(list))
	for _, a := range list {
		out = append(out, rr.account(a))
	}
	return out
}

// credentialAccount is the signed-in member's own account, with the source of their profile.
func (rr *renderer) credentialAccount(a *starling.Account, u *starling.User, followRequests int) *Account {
	out := rr.newAccount(a) // not the shared one: this one gains fields
	src := &Source{Privacy: "public", Note: a.Note, Fields: []SourceField{}, FollowRequestsCount: followRequests,
		Discoverable: a.Discoverable, Indexable: a.Discoverable, AttributionDomains: []string{}}
	if u != nil {
		src.Language = u.Locale
	}
	for _, f := range a.Fields {
		src.Fields = append(src.Fields, SourceField{Name: f.Name, Value: f.Value})
	}
	out.Source = src
	role := &Role{ID: "-99", Name: "", Permissions: "0"}
	if u != nil {
		switch u.Role {
		case starling.RoleAdmin:
			role = &Role{ID: "3", Name: "Admin", Permissions: "1", Highlighted: true}
		case starling.RoleModerator:
			role = &Role{ID: "2", Name: "Moderator", Permissions: "1308", Highlighted: true}
		}
	}
	out.Role = role
	return out
}

func (rr *renderer) status(s *starling.Status) *Status {
	if s == nil {
		return nil
	}
	author := s.Account
	if author == nil {
		author = &starling.Account{ID: s.AccountID, Username: "unknown"}
	}
	out := &Status{
		ID: starling.FormatID(s.ID), CreatedAt: timeString(s.CreatedAt),
		InReplyToID: idPtr(s.InReplyToID), InReplyToAccountID: idPtr(s.InReplyToAccountID),
		Sensitive: s.Sensitive, SpoilerText: s.SpoilerText, Visibility: string(s.Visibility),
		URI: rr.in.StatusURI(author, s.ID), RepliesCount: s.RepliesCount, ReblogsCount: s.ReblogsCount, FavouritesCount: s.FavouritesCount, QuotesCount: s.QuotesCount,
		Content: s.Content, Account: rr.account(author),
		MediaAttachments: make([]MediaAttachment, 0, len(s.Media)), Mentions: []Mention{}, Tags: []Tag{}, Emojis: []Emoji{},
	}
	for _, m := range s.Media {
		out.MediaAttachments = append(out.MediaAttachments, rr.mediaAttachment(m))
	}
	out.Poll = rr.poll(s.Poll)
	out.Card = rr.card(s.Card)
	out.Quote = rr.quote(s)
	if s.ReblogOfID == 0 {
		out.QuoteApproval = rr.quoteApproval(s)
	}
	if s.Language != "" {
		out.Language = ptr(s.Language)
	}
	if !s.EditedAt.IsZero() {
		out.EditedAt = ptr(timeString(s.EditedAt))
	}
	if s.ReblogOfID != 0 {
		out.URI += "/activity"
		out.URL = ptr(out.URI)
		out.Reblog = rr.status(s.Reblog)
	} else {
		out.URL = ptr(rr.in.StatusURL(author, s.ID))
	}
	if rr.viewer != nil {
		v := s.Viewer
		out.Favourited, out.Reblogged, out.Bookmarked, out.Muted = ptr(v.Favourited), ptr(v.Reblogged), ptr(v.Bookmarked), ptr(false)
		// Mastodon shows pinned only where pinning is possible: one's own
		// posts, not reblogs, and not direct ones.
		if s.AccountID == rr.viewer.ID && s.ReblogOfID == 0 && s.Visibility != starling.VisibilityDirect {
			out.Pinned = ptr(v.Pinned)
		}
		out.Filtered = filterResults(s.Filtered) // left out when empty
	}
	if s.Application != nil && s.Application.ClientID != starling.WebClientID {
		out.Application = &Application{Name: s.Application.Name}
		if s.Application.Website != "" {
			out.Application.Website = ptr(s.Application.Website)
		}
	}
	for _, m := range s.Mentions {
		out.Mentions = append(out.Mentions, Mention{ID: starling.FormatID(m.ID), Username: m.Username, URL: rr.in.ProfileURL(m), Acct: m.Acct()})
	}
	for _, t := range s.Tags {
		out.Tags = append(out.Tags, Tag{Name: t, URL: rr.in.TagURL(t)})
	}
	return out
}

func (rr *renderer) statuses(list []*starling.Status) []*Status {
	out := make([]*Status, 0, len(list))
	for _, s := range list {
		out = append(out, rr.status(s))
	}
	return out
}

func relationship(r *starling.Relationship) *Relationship {
	return &Relationship{ID: starling.FormatID(r.ID), Following: r.Following, ShowingReblogs: r.ShowingReblogs, Notifying: r.Notifying,
		FollowedBy: r.FollowedBy, Requested: r.Requested, RequestedBy: r.RequestedBy,
		Blocking: r.Blocking, BlockedBy: r.BlockedBy, Muting: r.Muting, MutingNotifications: r.Muting && r.MutingNotifications, DomainBlocking: r.DomainBlocking}
}

func (rr *renderer) notification(n *starling.Notification) *Notification {
	id := starling.FormatID(n.ID)
	out := &Notification{ID: id, Type: string(n.Type), GroupKey: "ungrouped-" + id, CreatedAt: timeString(n.CreatedAt), Account: rr.account(n.FromAccount)}
	if n.Status != nil {
		out.Status = rr.status(n.Status)
	}
	out.ModerationWarning = rr.accountWarning(n.Warning)
	return out
}

func list(l *starling.List) *List {
	return &List{ID: starling.FormatID(l.ID), Title: l.Title, RepliesPolicy: l.RepliesPolicy, Exclusive: l.Exclusive, Public: l.Public}
}

func application(a *starling.Application, secret string) *Application {
	out := &Application{ID: starling.FormatID(a.ID), Name: a.Name, Scopes: a.Scopes, RedirectURI: strings.Join(a.RedirectURIs, "\n"),
		RedirectURIs: a.RedirectURIs, ClientID: a.ClientID, ClientSecret: secret, VapidKey: ptr("")}
	if a.Website != "" {
		out.Website = ptr(a.Website)
	}
	if secret != "" {
		out.ClientSecretExpiresAt = ptr(0)
	}
	return out
}

func tokenEntity(g *starling.TokenGrant) *Token {
	return &Token{AccessToken: g.AccessToken, TokenType: "Bearer", Scope: g.Token.Scopes.String(), CreatedAt: g.Token.CreatedAt.Unix(), RefreshToken: g.RefreshToken}
}
