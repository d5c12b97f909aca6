package web

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"starling"
	"starling/server"
)

// The live wall (/wall/TAG) shows a hashtag's posts on a projector. It is a
// page of its own, without the site's header and footer, styled by
// static/wall.css and kept up to date by static/wall.js, which listens to
// /wall/TAG/events and fetches new posts from /wall/TAG/posts as HTML
// rendered here, so the page never reloads. Staff moderate it at
// /wall/TAG/moderate.

// wallView is what the wall templates render.
type wallView struct {
	Instance *starling.Instance
	Tag      string
	Theme    string // "dark" or "light"; "" follows the system's setting
	Large    bool   // bigger type, for a large hall
	JoinURL  string // the hashtag page's address without its scheme, short enough to type from a screen
	JoinHref string
	Staff    bool // the viewer may moderate: link to the moderation page
	Feed     *starling.WallFeed
}

// wallPost is one post as the wall shows it.
type wallPost struct {
	Status *starling.Status
	Pinned bool
}

func init() {
	templateFuncs["wallPost"] = func(s *starling.Status, pinned bool) wallPost { return wallPost{s, pinned} }
	// The wall shows a clock time, which is what a hall full of people
	// read; wall.js rewrites it in the viewer's time zone.
	templateFuncs["clockTime"] = func(t time.Time) string { return t.UTC().Format("15:04") + " UTC" }
	templateFuncs["wallPath"] = wallPath
}

// wallPath is the address of a page of the wall of tag: wallPath(tag, "moderate").
func wallPath(tag string, parts ...string) string {
	return strings.Join(append([]string{"/wall", url.PathEscape(tag)}, parts...), "/")
}

// wallTheme accepts the themes the wall knows; anything else follows the system.
func wallTheme(s string) string {
	if s == "dark" || s == "light" {
		return s
	}
	return ""
}

func (h *handler) handleWall(w http.ResponseWriter, r *http.Request) {
	feed, err := h.svc.WallPosts(r.Context(), r.PathValue("tag"), 0, 0)
	if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	v := h.newWallView(feed)
	q := r.URL.Query()
	v.Theme, v.Large = wallTheme(q.Get("theme")), q.Get("size") == "large"
	if auth := signedIn(r.Context()); auth != nil {
		v.Staff = auth.User.IsStaff()
	}
	h.renderWall(w, r, "wall-page", v)
}

func (h *handler) newWallView(feed *starling.WallFeed) *wallView {
	href := h.in.TagURL(feed.Wall.Tag)
	short := strings.TrimPrefix(strings.TrimPrefix(href, "https://"), "http://")
	return &wallView{Instance: h.in, Tag: feed.Wall.Tag, JoinURL: short, JoinHref: href, Feed: feed}
}

// handleWallPosts answers wall.js with the wall's posts as an HTML fragment:
// all of them (the pins and the newest), or with ?since_id= the posts
// newer than that one.
func (h *handler) handleWallPosts(w http.ResponseWriter, r *http.Request) {
	var since int64
	if s := r.URL.Query().Get("since_id"); s != "" {
		var ok bool
		if since, ok = starling.ParseID(s); !ok {
			h.renderError(w, r, http.StatusBadRequest, "Bad request", "since_id must be the ID of a post.")
			return
		}
	}
	feed, err := h.svc.WallPosts(r.Context(), r.PathValue("tag"), since, 0)
	if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	h.renderWall(w, r, "wall-posts", h.newWallView(feed))
}

// renderWall writes a template of the wall page, which has a layout of its own.
func (h *handler) renderWall(w http.ResponseWriter, r *http.Request, name string, v *wallView) {
	var buf bytes.Buffer
	if err := h.pages["wall"].ExecuteTemplate(&buf, name, v); err != nil {
		slog.ErrorContext(r.Context(), "render wall", "template", name, "err", err, "request_id", server.RequestID(r.Context()))
		http.Error(w, "Internal error", http.StatusInternalServerError)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", "text/html; charset=utf-8")
	hd.Set("Cache-Control", "no-store") // always the current posts and moderation
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(buf.Bytes())
}

// handleWallEvents tells an open wall, as server-sent events, that a post
// with its hashtag arrived ("update", with the post's ID), was edited
// ("status.update") or deleted ("delete"), or that staff moderated the wall
// ("wall.changed"). Like /live it sends IDs only: the wall then fetches
// the posts as HTML, with moderation applied.
func (h *handler) handleWallEvents(w http.ResponseWriter, r *http.Request) {
	events := h.svc.Events()
	if events == nil {
		http.Error(w, "Live updates are not available", http.StatusServiceUnavailable)
		return
	}
	wall, err := h.svc.Wall(r.Context(), r.PathValue("tag"))
	if err != nil {
		http.Error(w, starling.ErrorMessage(err), server.StatusFor(err))
		return
	}
	sub := events.Subscribe(starling.TopicTag(wall.Tag), starling.TopicWall(wall.Tag))
	defer sub.Close()
	filter := starling.PublicStreamFilter(nil)
	// A wall runs for hours: after a restart it should be back within seconds.
	serveEvents(w, r, sub, 2*time.Second, func(ev *starling.Event) (string, int64, bool) {
		switch ev.Kind {
		case starling.EventWallChanged:
			return string(ev.Kind), 0, true
		case starling.EventUpdate, starling.EventStatusUpdate, starling.EventDelete:
			if filter.Shows(ev) {
				return string(ev.Kind), ev.Status.ID, true
			}
		}
		return "", 0, false
	})
}

// wallModerateView is the Data of the moderation page.
type wallModerateView struct {
	Tag     string
	Wall    *starling.Wall
	Pinned  []wallReviewEntry
	Recent  []wallReviewEntry
	MaxPins int
	Notice  string
}

// wallReviewEntry is one post on the moderation page, with what the wall
// does with it and the decisions staff may take.
type wallReviewEntry struct {
	Status  *starling.Status
	State   string
	Actions []wallButton
}

// wallButton is a form with one button that takes a decision.
type wallButton struct {
	Path, Label, CSRF string
}

// wallNotices confirm a decision after the redirect; the query names one,
// so no text from the address reaches the page.
var wallNotices = map[string]string{
	string(starling.WallHide):    "The post is hidden from the wall.",
	string(starling.WallUnhide):  "The post is no longer hidden.",
	string(starling.WallPin):     "The post is pinned to the top of the wall.",
	string(starling.WallUnpin):   "The post is no longer pinned.",
	string(starling.WallApprove): "The post is approved for the wall.",
	"approve_first_on":           "Approve-first is on: only the posts you approve show on the wall.",
	"approve_first_off":          "Approve-first is off: every public post with the hashtag shows unless you hide it.",
}

func (h *handler) handleWallModerate(w http.ResponseWriter, r *http.Request) {
	auth := h.staff(w, r)
	if auth == nil {
		return
	}
	h.renderWallModerate(w, r, auth, http.StatusOK, wallNotices[r.URL.Query().Get("done")], nil)
}

// renderWallModerate shows the moderation page with a notice or errors.
func (h *handler) renderWallModerate(w http.ResponseWriter, r *http.Request, auth *starling.Auth, status int, notice string, errs []fieldError) {
	review, err := h.svc.ReviewWall(r.Context(), auth.User, r.PathValue("tag"))
	if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	tag := review.Wall.Tag
	pg := h.newPage(r, "Moderate the #"+tag+" wall", "")
	pg.Path, pg.Errors = wallPath(tag, "moderate"), errs
	entries := func(list []starling.WallEntry) []wallReviewEntry {
		out := make([]wallReviewEntry, len(list))
		for i, e := range list {
			out[i] = newWallReviewEntry(tag, review.Wall.ApproveFirst, e, pg.CSRF)
		}
		return out
	}
	pg.Data = wallModerateView{Tag: tag, Wall: review.Wall, Pinned: entries(review.Pinned), Recent: entries(review.Recent),
		MaxPins: starling.MaxWallPins, Notice: notice}
	h.render(w, r, status, "wall_moderate", pg)
}

func newWallReviewEntry(tag string, approveFirst bool, e starling.WallEntry, csrf string) wallReviewEntry {
	m := e.Moderation
	out := wallReviewEntry{Status: e.Status}
	switch {
	case m.Pinned():
		out.State = "shown, pinned at the top"
	case m.Hidden:
		out.State = "hidden"
	case approveFirst && !m.Approved:
		out.State = "waiting for approval"
	case m.Approved:
		out.State = "shown, approved"
	default:
		out.State = "shown"
	}
	add := func(action starling.WallAction, label string) {
		path := wallPath(tag, "posts", starling.FormatID(e.Status.ID), string(action))
		out.Actions = append(out.Actions, wallButton{Path: path, Label: label, CSRF: csrf})
	}
	if m.Hidden {
		add(starling.WallUnhide, "Unhide")
	} else {
		add(starling.WallHide, "Hide")
	}
	if m.Pinned() {
		add(starling.WallUnpin, "Unpin")
	} else {
		add(starling.WallPin, "Pin")
	}
	if !m.Approved {
		add(starling.WallApprove, "Approve")
	}
	return out
}

// handleWallModeratePost takes one decision about a post and goes back to
// the moderation page, at the post.
func (h *handler) handleWallModeratePost(w http.ResponseWriter, r *http.Request) {
	auth := h.staff(w, r)
	if auth == nil {
		return
	}
	wall, err := h.svc.Wall(r.Context(), r.PathValue("tag"))
	if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	id, ok := starling.ParseID(r.PathValue("id"))
	if !ok {
		h.handleNotFound(w, r)
		return
	}
	action := starling.WallAction(r.PathValue("action"))
	if err := h.svc.ModerateWall(r.Context(), auth.User, wall.Tag, id, action); err != nil {
		h.moderationFailed(w, r, auth, err)
		return
	}
	http.Redirect(w, r, wallPath(wall.Tag, "moderate")+"?done="+url.QueryEscape(string(action))+"#m-"+starling.FormatID(id), http.StatusSeeOther)
}

// handleWallApproveFirst switches approve-first on or off.
func (h *handler) handleWallApproveFirst(w http.ResponseWriter, r *http.Request) {
	auth := h.staff(w, r)
	if auth == nil {
		return
	}
	wall, err := h.svc.Wall(r.Context(), r.PathValue("tag"))
	if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	value := r.PostFormValue("approve_first")
	if value != "on" && value != "off" {
		h.moderationFailed(w, r, auth, starling.Errorf(starling.EINVALID, "Choose whether approve-first is on or off."))
		return
	}
	if err := h.svc.SetWallApproveFirst(r.Context(), auth.User, wall.Tag, value == "on"); err != nil {
		h.moderationFailed(w, r, auth, err)
		return
	}
	http.Redirect(w, r, wallPath(wall.Tag, "moderate")+"?done=approve_first_"+value, http.StatusSeeOther)
}

// moderationFailed shows the moderation page again with a rule the
// decision broke (such as too many pins), or the error page for others.
func (h *handler) moderationFailed(w http.ResponseWriter, r *http.Request, auth *starling.Auth, err error) {
	if starling.ErrorCode(err) != starling.EINVALID {
		h.renderServiceError(w, r, err)
		return
	}
	h.renderWallModerate(w, r, auth, http.StatusUnprocessableEntity, "", []fieldError{{Message: userMessage(starling.ErrorMessage(err))}})
}
