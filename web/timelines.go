package web

import (
	"context"
	"net/http"
	"strings"

	"starling"
)

// timelinePage is the Data of the "timeline" page: a heading, perhaps a
// compose box, and a feed.
type timelinePage struct {
	Heading     string
	Intro       string
	Compose     *composeView
	Feed        feedView
	Nudge       bool // suggest the getting-started guide (the member follows no one)
	Tag         string
	FollowsTag  bool // the signed-in member follows Tag
	List        *starling.List
	WhoToFollow []accountView // for a member who follows few yet
}

// newMemberFollows is how many accounts a member follows before the home
// page stops suggesting whom to follow.
const newMemberFollows = 10

// whoToFollow suggests a few accounts to a member who follows few yet,
// each with a Follow button that comes back home.
func (h *handler) whoToFollow(r *http.Request, pg *page, viewer *starling.Account) ([]accountView, error) {
	if viewer.FollowingCount >= newMemberFollows {
		return nil, nil
	}
	list, err := h.svc.Suggestions(r.Context(), viewer, 3)
	if err != nil {
		return nil, err
	}
	out := make([]accountView, 0, len(list))
	for _, s := range list {
		out = append(out, accountView{Account: s.Account, CSRF: pg.CSRF, Return: "/",
			Action: "/accounts/" + starling.FormatID(s.Account.ID) + "/follow", ActionLabel: "Follow"})
	}
	return out, nil
}

func (h *handler) handleRoot(w http.ResponseWriter, r *http.Request) {
	if auth := signedIn(r.Context()); auth != nil {
		h.handleHomeTimeline(w, r, auth)
		return
	}
	h.handleHome(w, r)
}

func (h *handler) handleHomeTimeline(w http.ResponseWriter, r *http.Request, auth *starling.Auth) {
	p := pageParams(r)
	list, err := h.svc.HomeTimeline(r.Context(), auth.Account, p)
	if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	pg := h.newPage(r, "Home", "home")
	data := timelinePage{
		Heading: "Home",
		Nudge:   auth.Account.FollowingCount == 0,
		Feed: feedView{Statuses: list, Page: pg, Poll: pollURL(r, p), Live: "home", Pager: statusPager(r, p, list),
			Empty: "Nothing here yet. Posts from people you follow, and your own, appear here."},
	}
	if p.MaxID == 0 && p.MinID == 0 {
		data.Compose = h.newCompose(pg, "compose", nil)
		if data.WhoToFollow, err = h.whoToFollow(r, pg, auth.Account); err != nil {
			h.renderServiceError(w, r, err)
			return
		}
	}
	pg.Data = data
	h.render(w, r, http.StatusOK, "timeline", pg)
}

func (h *handler) handleLocalTimeline(w http.ResponseWriter, r *http.Request) {
	p := pageParams(r)
	viewer := viewerOf(r)
	list, err := h.svc.PublicTimeline(r.Context(), viewer, starling.PublicFilter{LocalOnly: true}, p)
	if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	pg := h.newPage(r, "Latest posts", "local")
	pg.Meta = &pageMeta{Canonical: h.absolute("/public/local"), Type: "website",
		Description: "The latest public posts from members of " + h.in.Title + "."}
	pg.Data = timelinePage{Heading: "Latest posts", Intro: "Public posts from members of " + h.in.Title + ", newest first.",
		Feed: feedView{Statuses: list, Page: pg, Poll: pollURL(r, p), Live: "local", Pager: statusPager(r, p, list),
			Empty: "No one has posted in public yet."}}
	h.render(w, r, http.StatusOK, "timeline", pg)
}

func (h *handler) handleTagTimeline(w http.ResponseWriter, r *http.Request) {
	raw := r.PathValue("tag")
	if name, ok := strings.CutSuffix(raw, ".rss"); ok {
		h.handleTagFeed(w, r, name)
		return
	}
	p := pageParams(r)
	tag := strings.TrimPrefix(raw, "#")
	list, err := h.svc.TagTimeline(r.Context(), viewerOf(r), starling.TagQuery{Any: []string{tag}}, starling.PublicFilter{}, p)
	if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	pg := h.newPage(r, "#"+tag, "")
	path := tagAddress(tag)
	pg.Meta = &pageMeta{Canonical: h.absolute(path), Type: "website",
		Description: "Public posts tagged #" + tag + " on " + h.in.Title + ".",
		Alternates:  []alternate{{Type: "application/rss+xml", Href: h.absolute(path + ".rss"), Title: "#" + tag + " (RSS)"}}}
	data := timelinePage{Heading: "#" + tag, Tag: tag, Intro: "Public posts tagged #" + tag + ", newest first.",
		Feed: feedView{Statuses: list, Page: pg, Poll: pollURL(r, p), Live: "tag:" + tag, Pager: statusPager(r, p, list),
			Empty: "No public posts with this hashtag yet."}}
	if pg.Account != nil {
		// A tag never used yet is not found, and may still be followed.
		info, err := h.svc.TagFor(r.Context(), pg.Account, tag)
		if err == nil {
			data.FollowsTag = info.Following
		} else if starling.ErrorCode(err) != starling.ENOTFOUND {
			h.renderServiceError(w, r, err)
			return
		}
	}
	if pg.Account != nil && p.MaxID == 0 && p.MinID == 0 {
		data.Compose = h.newCompose(pg, "compose", nil)
		data.Compose.Text = "#" + tag + " "
		data.Compose.Hint = "Your post will appear here if it is public and keeps the #" + tag + " hashtag."
	}
	pg.Data = data
	h.render(w, r, http.StatusOK, "timeline", pg)
}

// handleTagFollow follows or unfollows a hashtag, and goes back.
func (h *handler) handleTagFollow(w http.ResponseWriter, r *http.Request) {
	auth := member(w, r)
	if auth == nil {
		return
	}
	change := h.svc.FollowTag
	switch r.PathValue("action") {
	case "follow":
	case "unfollow":
		change = h.svc.UnfollowTag
	default:
		h.handleNotFound(w, r)
		return
	}
	t, err := change(r.Context(), auth.Account, r.PathValue("tag"))
	if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	redirectBack(w, r, tagAddress(t.Name))
}

// tagAddress is the one address of a hashtag's page, however its name was
// typed: hashtags are the same whatever their case.
func tagAddress(tag string) string {
	return "/tags/" + pathEscape(strings.ToLower(strings.TrimPrefix(tag, "#")))
}

func (h *handler) handleBookmarks(w http.ResponseWriter, r *http.Request) {
	h.handleSavedStatuses(w, r, "Bookmarks", "bookmarks", "Posts you bookmark appear here. Only you can see them.", (*starling.Service).Bookmarks)
}

func (h *handler) handleFavourites(w http.ResponseWriter, r *http.Request) {
	h.handleSavedStatuses(w, r, "Favourites", "bookmarks", "Posts you favourite appear here.", (*starling.Service).Favourites)
}

// handleSavedStatuses shows bookmarks or favourites, which page by when
// they were saved rather than by the posts' IDs.
func (h *handler) handleSavedStatuses(w http.ResponseWriter, r *http.Request, title, section, empty string,
	load func(*starling.Service, context.Context, *starling.Account, starling.Page) ([]*starling.Status, []starling.StatusRef, error)) {
	auth := member(w, r)
	if auth == nil {
		return
	}
	p := pageParams(r)
	list, refs, err := load(h.svc, r.Context(), auth.Account, p)
	if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	pg := h.newPage(r, title, section)
	var pgr pager
	if len(refs) > 0 {
		pgr = pagerFor(r, p, len(refs), refs[0].RowID, refs[len(refs)-1].RowID)
	} else {
		pgr = pagerFor(r, p, 0, 0, 0)
	}
	pg.Data = timelinePage{Heading: title, Feed: feedView{Statuses: list, Page: pg, Pager: pgr, Empty: empty}}
	h.render(w, r, http.StatusOK, "timeline", pg)
}

// newPage starts the page struct for r, with the fields the status and
// compose templates need filled in before rendering.
func (h *handler) newPage(r *http.Request, title, section string) *page {
	pg := &page{Title: title, Section: section, Path: r.URL.RequestURI(), CSRF: csrfToken(r.Context())}
	if auth := signedIn(r.Context()); auth != nil {
		pg.Account, pg.User = auth.Account, auth.User
	}
	return pg
}

// viewerOf returns the signed-in account, or nil.
func viewerOf(r *http.Request) *starling.Account {
	if auth := signedIn(r.Context()); auth != nil {
		return auth.Account
	}
	return nil
}

// newCompose returns a compose box for page p; replyTo may be nil.
func (h *handler) newCompose(p *page, id string, replyTo *starling.Status) *composeView {
	c := &composeView{ID: id, Label: "Write a post", Submit: "Post", CSRF: p.CSRF, Key: newKey(), Return: p.Path,
		Max: h.in.MaxChars, Visibility: starling.VisibilityPublic,
		Visibilities: []starling.Visibility{starling.VisibilityPublic, starling.VisibilityUnlisted, starling.VisibilityPrivate, starling.VisibilityDirect}}
	c.Poll = newPollFields(h.in.Polls)
	c.Check = h.in.Safeguarding != starling.SafeguardOff
	if h.svc.MediaFiles() != nil {
		c.AltText = h.in.AltText
		for n := 1; n <= starling.MaxAttachments; n++ {
			c.Media = append(c.Media, mediaField{N: n})
		}
	}
	if replyTo != nil {
		c.InReplyTo, c.Label, c.Submit = replyTo, "Write a reply", "Reply"
		c.Text = replyMentions(p.Account, replyTo)
		c.Visibility = replyTo.Visibility
		if c.Visibility == starling.VisibilityDirect {
			c.Direct = true
		}
	}
	return c
}

// replyMentions starts a reply with the handles of the post's author and of
// the others it mentions, as Mastodon apps do, leaving out the replier.
func replyMentions(me *starling.Account, s *starling.Status) string {
	var b strings.Builder
	seen := map[int64]bool{me.ID: true}
	add := func(a *starling.Account) {
		if a != nil && !seen[a.ID] {
			seen[a.ID] = true
			b.WriteString("@" + a.Acct() + " ")
		}
	}
	add(s.Account)
	for _, m := range s.Mentions {
		add(m)
	}
	return b.String()
}
