package web

import (
	"html/template"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"starling"
)

// templateFuncs are the helpers every template may call.
var templateFuncs = template.FuncMap{
	"date":        func(t time.Time) string { return t.Format("2 January 2006") },
	"isoTime":     func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	"longTime":    func(t time.Time) string { return t.UTC().Format("2 January 2006 at 15:04 UTC") },
	"shortTime":   shortTime,
	"id":          starling.FormatID,
	"name":        displayName,
	"profilePath": profilePath,
	"statusPath":  statusPath,
	"tagPath":     func(tag string) string { return "/tags/" + url.PathEscape(tag) },
	"content":     func(s *starling.Status) template.HTML { return template.HTML(s.Content) }, // sanitised when stored
	"status":      newStatusView,
	"plural":      plural,
	"mediaPath":   func(key string) string { return "/media/" + key },
	"inc":         func(i int) int { return i + 1 },
	"visibilityLabel": func(v starling.Visibility) string {
		return visibilityLabels[v]
	},
}

// shortTime is a post's time as a timeline shows it; the full time is in
// the <time> element's datetime and title.
func shortTime(t time.Time) string {
	t = t.UTC()
	now := time.Now().UTC()
	switch {
	case now.Sub(t) < time.Minute:
		return "just now"
	case now.Sub(t) < time.Hour:
		return strconv.Itoa(int(now.Sub(t)/time.Minute)) + " min ago"
	case t.Year() == now.Year() && t.YearDay() == now.YearDay():
		return t.Format("15:04")
	case t.Year() == now.Year():
		return t.Format("2 Jan")
	}
	return t.Format("2 Jan 2006")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// displayName is the name to show for an account: its display name, or its
// username when it has none.
func displayName(a *starling.Account) string {
	if a == nil {
		return ""
	}
	if a.DisplayName != "" {
		return a.DisplayName
	}
	return a.Username
}

// profilePath is the local address of an account's profile page.
func profilePath(a *starling.Account) string {
	return "/@" + url.PathEscape(a.Acct())
}

// statusPath is the local address of a status's page (of the original for a reblog).
func statusPath(s *starling.Status) string {
	if s.Reblog != nil {
		s = s.Reblog
	}
	if s.Account == nil {
		return "/statuses/" + starling.FormatID(s.ID)
	}
	return profilePath(s.Account) + "/" + starling.FormatID(s.ID)
}

var visibilityLabels = map[starling.Visibility]string{
	starling.VisibilityPublic:   "Public",
	starling.VisibilityUnlisted: "Unlisted",
	starling.VisibilityPrivate:  "Followers only",
	starling.VisibilityDirect:   "Direct message",
}

// statusView is what the "status" template renders: one entry of a feed.
type statusView struct {
	Item   *starling.Status // as it appears in the feed: a post or a reblog
	Shown  *starling.Status // the post whose text is shown (the original of a reblog)
	Viewer *starling.Account
	CSRF   string
	Return string // where the action buttons come back to
	Focus  bool   // the post a thread page is about
	Prefix string // makes element IDs unique when a post shows twice on a page
}

// ElemID is the id of the post's element on the page.
func (v statusView) ElemID() string { return v.Prefix + "s-" + starling.FormatID(v.Item.ID) }

func newStatusView(s *starling.Status, p *page) statusView {
	shown := s
	if s.Reblog != nil {
		shown = s.Reblog
	}
	return statusView{Item: s, Shown: shown, Viewer: p.Account, CSRF: p.CSRF, Return: p.Path}
}

// FilteredTitle is the title of the viewer's filters that matched the post
// ("" if none), to fold it away behind "Filtered: …". Timelines leave out
// what a hide filter matches; a post opened by itself is only folded.
func (v statusView) FilteredTitle() string {
	results := v.Item.Filtered
	if len(results) == 0 {
		results = v.Shown.Filtered
	}
	var titles []string
	for _, r := range results {
		if r.Filter != nil && !slices.Contains(titles, r.Filter.Title) {
			titles = append(titles, r.Filter.Title)
		}
	}
	return strings.Join(titles, ", ")
}

// Own reports whether the viewer wrote the shown post.
func (v statusView) Own() bool { return v.Viewer != nil && v.Shown.AccountID == v.Viewer.ID }

// CanReblog reports whether the viewer may repost the shown post: public
// and unlisted posts, and the author's own followers-only ones.
func (v statusView) CanReblog() bool {
	switch v.Shown.Visibility {
	case starling.VisibilityPublic, starling.VisibilityUnlisted:
		return true
	case starling.VisibilityPrivate:
		return v.Own()
	}
	return false
}

// ReturnTo is the address an action form returns to: this page, at this post.
func (v statusView) ReturnTo() string {
	return strings.SplitN(v.Return, "#", 2)[0] + "#" + v.ElemID()
}

// excerpt shortens plain text to at most n characters for previews.
func excerpt(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n-1]
	return strings.TrimRight(string(r), " ") + "…"
}

// toggleView is one on/off action button of a post (favourite, bookmark, repost).
type toggleView struct {
	View     statusView
	Act, Off string // the action when off, and the one that undoes it
	Label    string
	On       bool
	Count    int
}

func init() {
	templateFuncs["toggle"] = func(v statusView, act, off, label string, on bool, count int) toggleView {
		return toggleView{View: v, Act: act, Off: off, Label: label, On: on, Count: count}
	}
}

// feedView is what the "feed" template renders: a page of posts.
type feedView struct {
	Statuses []*starling.Status
	Page     *page
	Empty    string // what to say when there are none
	Poll     string // the address that lists newer posts, for the new-posts banner
	Live     string // the /live stream that says when there are some
	Pager    pager
}

// pager links to the pages before and after this one.
type pager struct {
	Newer, Older string
}

// composeView is what the "compose" template renders.
type composeView struct {
	ID           string // the textarea's id; other ids derive from it
	Label        string
	Hint         string
	Submit       string
	CSRF         string
	Key          string // idempotency key, so a double submit posts once
	Return       string
	InReplyTo    *starling.Status
	Direct       bool // a direct message: no visibility choice
	Max          int
	Text         string
	Spoiler      string
	Visibility   starling.Visibility
	Visibilities []starling.Visibility
	Error        string
	Media        []mediaField // the image inputs, with what was typed into them
	Sensitive    bool         // the images are marked sensitive: shown only when opened
	AltText      starling.AltText
	Poll         pollFields
	// Safeguarding: Check asks the script to check the draft for personal
	// data as it is typed; FieldErrors are messages at inputs other than
	// the text (by input id); Confirm shows the box to confirm that what
	// was found is not personal data, ticked if Confirmed.
	Check       bool
	FieldErrors map[string]string
	Confirm     bool
	Confirmed   bool
}

// pollFields is the compose box's poll: its answers and settings as typed.
type pollFields struct {
	Options    []string // as many inputs as the community allows
	Duration   string   // seconds, one of PollDurations
	Multiple   bool
	HideTotals bool
	Durations  []pollDuration
}

type pollDuration struct {
	Seconds string
	Label   string
}

// mediaField is one image input of the compose box and its description.
type mediaField struct {
	N           int // 1 to starling.MaxAttachments
	Description string
	Error       string
}

// accountView is one account in a list of accounts, with an optional button.
type accountView struct {
	Account     *starling.Account
	Action      string // form action, "" for none
	ActionLabel string
	Secondary   bool
	CSRF        string
	Return      string
}

func itoa(i int) string { return strconv.Itoa(i) }

func init() {
	templateFuncs["itoa"] = itoa
}

func init() {
	templateFuncs["add1"] = func(i int) int { return i + 1 }
	templateFuncs["list2"] = func(a, b string) []string { return []string{a, b} }
	templateFuncs["directReminder"] = func() string { return directReminder }
	templateFuncs["focus"] = func(v statusView) statusView { v.Focus = true; return v }
	templateFuncs["prefixed"] = func(prefix string, v statusView) statusView { v.Prefix = prefix + "-"; return v }
}
