package starling_test

import (
	"context"
	"testing"
	"time"

	"starling"
	"starling/apptest"
	"starling/sqldb/sqldbtest"
	"starling/text"
)

// TestFilters: ann filters words with warn and hide filters in various
// contexts. Warned posts carry filtered on the surfaces named; hidden ones
// are gone from those surfaces only; whole words differ from substrings;
// reblogs match on the original; filters end when they expire; and bob,
// reading the same posts, sees nothing of ann's filters.
func TestFilters(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		db := sqldbtest.MustOpen(t, engine)
		now := time.Now().UTC().Truncate(time.Millisecond)
		clock := func() time.Time { return now }
		in := apptest.Instance()
		svc := starling.NewService(db, text.NewProcessor(&in), apptest.FastPasswords, in, clock)
		tick := func() { now = now.Add(time.Millisecond) }
		ann, bob, cat := apptest.MustAccount(t, svc, "ann"), apptest.MustAccount(t, svc, "bob"), apptest.MustAccount(t, svc, "cat")
		MustFollow(t, svc, ann, cat)
		MustFollow(t, svc, bob, cat)
		MustFollow(t, svc, ann, bob)

		post := func(a *starling.Account, text string) *starling.Status {
			tick()
			return MustPost(t, svc, a, text, starling.VisibilityPublic)
		}
		spoiler := post(cat, "Election night thoughts") // "politics" nowhere
		tick()
		cw, err := svc.PostStatus(ctx, cat, starling.NewStatus{Text: "see inside", SpoilerText: "Politics, sorry"})
		if err != nil {
			t.Fatal(err)
		}
		cats := post(cat, "My cat sleeps all day #cats")         // "cat" whole word
		concat := post(cat, "We concatenate strings")            // "cat" only as a substring
		spoil := post(cat, "Major SPOILERS for the finale @ann") // hidden everywhere in home and notifications
		tick()
		dee := apptest.MustAccount(t, svc, "dee") // ann does not follow dee: dee's post reaches her as bob's reblog
		deePost := post(dee, "More politics from dee")
		tick()
		boosted, err := svc.Reblog(ctx, bob, deePost.ID, starling.VisibilityPublic)
		if err != nil {
			t.Fatal(err)
		}
		_ = spoiler

		warn, err := svc.CreateFilter(ctx, ann, starling.FilterInput{Title: ptr("Cats"), Context: []string{"home", "public"},
			Keywords: []starling.FilterKeywordInput{{Keyword: ptr("CAT")}}}) // whole word by default
		if err != nil {
			t.Fatal(err)
		}
		politics, err := svc.CreateFilter(ctx, ann, starling.FilterInput{Title: ptr("Politics"), Context: []string{"home"}, Action: ptr("warn"),
			Keywords: []starling.FilterKeywordInput{{Keyword: ptr("politic"), WholeWord: ptr(false)}}})
		if err != nil {
			t.Fatal(err)
		}
		hide, err := svc.CreateFilter(ctx, ann, starling.FilterInput{Title: ptr("Spoilers"), Context: []string{"home", "notifications"}, Action: ptr("hide"),
			ExpiresIn: ptr(3600), Keywords: []starling.FilterKeywordInput{{Keyword: ptr("spoilers")}}})
		if err != nil {
			t.Fatal(err)
		}
		if warn.Action != starling.FilterWarn || len(warn.Keywords) != 1 || !warn.Keywords[0].WholeWord || hide.ExpiresAt.IsZero() {
			t.Fatalf("created = %+v / %+v", warn, hide)
		}

		byID := func(list []*starling.Status) map[int64]*starling.Status {
			m := map[int64]*starling.Status{}
			for _, s := range list {
				m[s.ID] = s
			}
			return m
		}
		titles := func(s *starling.Status) []string {
			var out []string
			for _, r := range s.Filtered {
				out = append(out, r.Filter.Title)
			}
			return out
		}
		home, err := svc.HomeTimeline(ctx, ann, starling.Page{})
		if err != nil {
			t.Fatal(err)
		}
		h := byID(home)
		if s := h[cats.ID]; s == nil || len(s.Filtered) != 1 || s.Filtered[0].Filter.ID != warn.ID || s.Filtered[0].KeywordMatches[0] != "CAT" {
			t.Errorf("cats post in home: %+v", s)
		}
		if s := h[concat.ID]; s == nil || len(s.Filtered) != 0 {
			t.Errorf("concat post in home: filtered %v, want none (whole word)", titles(s))
		}
		if s := h[cw.ID]; s == nil || len(s.Filtered) != 1 || s.Filtered[0].Filter.ID != politics.ID {
			t.Errorf("content warning post in home: %v", s)
		}
		if s := h[boosted.ID]; s == nil || len(s.Filtered) != 1 || s.Reblog == nil || len(s.Reblog.Filtered) != 1 {
			t.Errorf("reblog of dee's post: %+v, want filtered by its original", s)
		}
		if h[spoil.ID] != nil {
			t.Error("hidden post is in home")
		}

		// Public: the cats filter applies, politics and spoilers do not.
		public, err := svc.PublicTimeline(ctx, ann, starling.PublicFilter{}, starling.Page{})
		if err != nil {
			t.Fatal(err)
		}
		p := byID(public)
		if s := p[spoil.ID]; s == nil || len(s.Filtered) != 0 {
			t.Errorf("spoiler post in public: %v, want there unfiltered", s)
		}
		if s := p[cw.ID]; s == nil || len(s.Filtered) != 0 {
			t.Errorf("content warning post in public: filtered %v", titles(s))
		}
		if s := p[cats.ID]; s == nil || len(s.Filtered) != 1 {
			t.Errorf("cats post in public: %v", s)
		}
		// Account: no filter names it.
		acct, err := svc.AccountStatuses(ctx, ann, cat.ID, starling.AccountStatusesFilter{}, starling.Page{})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range acct {
			if len(s.Filtered) != 0 {
				t.Errorf("account posts: %d filtered by %v", s.ID, titles(s))
			}
		}
		// Notifications: the mention in the hidden post is gone.
		notes, err := svc.Notifications(ctx, ann, starling.NotificationFilter{}, starling.Page{})
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range notes {
			if n.StatusID == spoil.ID {
				t.Error("notification of a hidden post")
			}
		}
		// A post asked for by ID is marked, never hidden.
		one, err := svc.GetStatus(ctx, ann, spoil.ID)
		if err != nil || one == nil {
			t.Fatalf("get hidden post by ID: %v", err)
		}

		// Another viewer of the same posts (from the same cache) sees no filters.
		bobHome, err := svc.HomeTimeline(ctx, bob, starling.Page{})
		if err != nil {
			t.Fatal(err)
		}
		b := byID(bobHome)
		if b[spoil.ID] == nil {
			t.Error("bob does not see the post ann hides")
		}
		for _, s := range bobHome {
			if len(s.Filtered) != 0 {
				t.Errorf("bob's home: %d filtered by %v", s.ID, titles(s))
			}
		}

		// Filtering a status by ID, in public.
		if _, err := svc.AddFilterStatus(ctx, ann, hide.ID, concat.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.AddFilterStatus(ctx, ann, hide.ID, concat.ID); starling.ErrorCode(err) != starling.EINVALID {
			t.Errorf("adding a status twice: %v", err)
		}
		home, _ = svc.HomeTimeline(ctx, ann, starling.Page{})
		if byID(home)[concat.ID] != nil {
			t.Error("status filtered by ID is in home")
		}

		// Expiry: an hour on, the hide filter stops applying.
		now = now.Add(time.Hour + time.Second)
		home, _ = svc.HomeTimeline(ctx, ann, starling.Page{})
		if s := byID(home)[spoil.ID]; s == nil || len(s.Filtered) != 0 {
			t.Errorf("after expiry the spoiler post is %v, want shown unfiltered", s)
		}

		// Changing: whole word off makes "concatenate" match; destroying the keyword ends it.
		kid := warn.Keywords[0].ID
		warn, err = svc.UpdateFilter(ctx, ann, warn.ID, starling.FilterInput{Keywords: []starling.FilterKeywordInput{{ID: kid, WholeWord: ptr(false)}}})
		if err != nil {
			t.Fatal(err)
		}
		home, _ = svc.HomeTimeline(ctx, ann, starling.Page{})
		if s := byID(home)[concat.ID]; s == nil || len(s.Filtered) != 1 {
			t.Errorf("concat post with substring keyword: %v", s)
		}
		if _, err := svc.UpdateFilter(ctx, ann, warn.ID, starling.FilterInput{Keywords: []starling.FilterKeywordInput{{ID: kid, Destroy: true}}}); err != nil {
			t.Fatal(err)
		}
		if f, err := svc.GetFilter(ctx, ann, warn.ID); err != nil || len(f.Keywords) != 0 {
			t.Errorf("after destroy: %+v, %v", f, err)
		}

		// Validation and ownership.
		for _, bad := range []starling.FilterInput{
			{Context: []string{"home"}},
			{Title: ptr("x")},
			{Title: ptr("x"), Context: []string{"everywhere"}},
			{Title: ptr("x"), Context: []string{"home"}, Action: ptr("explode")},
			{Title: ptr("x"), Context: []string{"home"}, ExpiresIn: ptr(-1)},
			{Title: ptr("x"), Context: []string{"home"}, Keywords: []starling.FilterKeywordInput{{Keyword: ptr(" ")}}},
		} {
			if _, err := svc.CreateFilter(ctx, ann, bad); starling.ErrorCode(err) != starling.EINVALID {
				t.Errorf("CreateFilter(%+v) = %v, want invalid", bad, err)
			}
		}
		if _, err := svc.GetFilter(ctx, bob, hide.ID); starling.ErrorCode(err) != starling.ENOTFOUND {
			t.Errorf("bob reads ann's filter: %v", err)
		}
		if err := svc.DeleteFilter(ctx, bob, hide.ID); starling.ErrorCode(err) != starling.ENOTFOUND {
			t.Errorf("bob deletes ann's filter: %v", err)
		}
		if err := svc.DeleteFilter(ctx, ann, hide.ID); err != nil {
			t.Fatal(err)
		}
		if list, err := svc.Filters(ctx, ann); err != nil || len(list) != 2 {
			t.Errorf("filters after delete: %d, %v", len(list), err)
		}
	})
}

// TestFilterKeywordMatching checks whole words at Unicode boundaries
// against substrings, case-insensitively.
func TestFilterKeywordMatching(t *testing.T) {
	for _, tc := range []struct {
		keyword, text string
		whole, want   bool
	}{
		{"cat", "A CAT!", true, true},
		{"cat", "concatenate", true, false},
		{"cat", "concatenate", false, true},
		{"café", "Le Café, enfin", true, true},
		{"café", "cafés", true, false},
		{"été", "l'ÉTÉ", true, true},
		{"#tag", "see #tag.", true, true},
		{"cat", "cat_", true, false},
		{"two words", "just two words here", true, true},
		{"猫", "我的猫很好", true, false},
	} {
		s := &starling.Status{ID: 1, Text: tc.text}
		f := &starling.Filter{ID: 1, Title: "t", Context: []starling.FilterContext{starling.FilterHome}, Action: starling.FilterWarn,
			Keywords: []*starling.FilterKeyword{{Keyword: tc.keyword, WholeWord: tc.whole}}}
		got := len(starling.MatchFilters([]*starling.Filter{f}, starling.FilterHome, s)) > 0
		if got != tc.want {
			t.Errorf("%q (whole %v) in %q: %v, want %v", tc.keyword, tc.whole, tc.text, got, tc.want)
		}
	}
}

func ptr[T any](v T) *T { return &v }

// TestFiltersOnStreams: a hide filter keeps matching posts off the streams
// of its contexts (home here, not public), and a warn filter does not.
func TestFiltersOnStreams(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		svc, _ := apptest.MustService(t, engine, apptest.Instance())
		ann, bob := apptest.MustAccount(t, svc, "ann"), apptest.MustAccount(t, svc, "bob")
		MustFollow(t, svc, ann, bob)
		if _, err := svc.CreateFilter(ctx, ann, starling.FilterInput{Title: ptr("Rotas"), Context: []string{"home"}, Action: ptr("hide"),
			Keywords: []starling.FilterKeywordInput{{Keyword: ptr("rota")}}}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.CreateFilter(ctx, ann, starling.FilterInput{Title: ptr("Budgets"), Context: []string{"home", "public"}, Action: ptr("warn"),
			Keywords: []starling.FilterKeywordInput{{Keyword: ptr("budget")}}}); err != nil {
			t.Fatal(err)
		}
		home, err := svc.HomeStreamFilter(ctx, ann)
		if err != nil {
			t.Fatal(err)
		}
		public, err := svc.ViewerStreamFilter(ctx, ann, starling.FilterPublic)
		if err != nil {
			t.Fatal(err)
		}
		event := func(text string) *starling.Event {
			s := MustPost(t, svc, bob, text, starling.VisibilityPublic)
			full, err := svc.GetStatus(ctx, nil, s.ID)
			if err != nil {
				t.Fatal(err)
			}
			return &starling.Event{Kind: starling.EventUpdate, Status: full}
		}
		rota, budget := event("The new rota is up"), event("Budget day")
		if home.Shows(rota) {
			t.Error("the home stream shows a post its hide filter matches")
		}
		if !public.Shows(rota) {
			t.Error("the public stream hides a post whose filter applies only at home")
		}
		if !home.Shows(budget) || !public.Shows(budget) {
			t.Error("a warn filter kept a post off a stream")
		}
	})
}
