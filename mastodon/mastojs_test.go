package mastodon_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"starling"
	"starling/internal/testenv"
	"starling/mastodon"
)

// mastoPlan is what testdata/mastojs/client.mjs reads: where to connect,
// as whom, and what to ask for.
type mastoPlan struct {
	URL           string            `json:"url"`
	ViewerToken   string            `json:"viewerToken"`
	StrangerToken string            `json:"strangerToken"`
	Search        map[string]string `json:"search"`
	FollowTags    []string          `json:"followTags"`
	StrangerPost  string            `json:"strangerPost"`
	UnfollowTag   string            `json:"unfollowTag"`
}

// The entities as masto hands them to an app: keys camelCased by the
// library, so multi-word fields carry their masto names. A tag's history
// counts are strings, as Mastodon writes them (and masto types them): sent
// as numbers, they would fail to decode here.
type (
	mastoHistory struct{ Day, Uses, Accounts string }
	mastoTag     struct {
		ID        string
		Name      string
		URL       string
		History   []mastoHistory
		Following *bool
	}
	mastoAccount struct{ ID, Username, Acct string }
	mastoStatus  struct {
		ID      string
		Account mastoAccount
		Tags    []mastoTag
	}
	mastoSearch struct {
		Accounts []mastoAccount
		Statuses []mastoStatus
		Hashtags []mastoTag
	}
	mastoResults struct {
		TrendTags     []mastoTag
		TrendStatuses []mastoStatus
		TrendLinks    []struct {
			URL, Title, Type string
			History          []mastoHistory
			Authors          []struct{ Name string }
		}
		DirectoryActive []mastoAccount
		DirectoryNew    []mastoAccount
		Suggestions     []struct {
			Source  string
			Sources []string
			Account mastoAccount
		}
		SearchAccounts, SearchHashtags, SearchStatuses mastoSearch
		Follow                                         []mastoTag
		FollowedTagPages                               [][]mastoTag
		StrangerPost                                   mastoStatus
		TagInfo                                        []mastoTag
		Home                                           []mastoStatus
		Unfollow                                       mastoTag
		TagInfoAfterUnfollow                           mastoTag
		HomeAfterUnfollow                              []mastoStatus
	}
)

// mastoJS is node and the repository root, where node_modules holds masto.
type mastoJS struct{ node, root string }

// findMastoJS finds node and masto.js, or skips (fails in CI) without them.
func findMastoJS(t *testing.T) mastoJS {
	t.Helper()
	root, err := testenv.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		testenv.RequireTools(t, "masto.js test skipped: no node on PATH")
	}
	if _, err := os.Stat(filepath.Join(root, "node_modules", "masto", "package.json")); err != nil {
		testenv.RequireTools(t, fmt.Sprintf("masto.js test skipped: no masto (%v); run npm ci at the repository root", err))
	}
	return mastoJS{node: node, root: root}
}

// run runs testdata/mastojs/client.mjs on plan and decodes what it reports.
func (m mastoJS) run(t *testing.T, plan mastoPlan) (mastoResults, []byte) {
	t.Helper()
	in, err := json.Marshal(plan)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	// Run from the repository root, so node finds node_modules there.
	cmd := exec.CommandContext(ctx, m.node, filepath.Join("mastodon", "testdata", "mastojs", "client.mjs"))
	cmd.Dir = m.root
	cmd.Stdin = bytes.NewReader(in)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("masto.js client: %v\nstderr: %s\nstdout: %s", err, stderr.Bytes(), stdout.Bytes())
	}
	var res mastoResults
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		t.Fatalf("masto.js client printed %s: %v (stderr: %s)", stdout.Bytes(), err, stderr.Bytes())
	}
	return res, stdout.Bytes()
}

// TestMastoJS drives trends, the profile directory, suggestions, search and
// followed hashtags through masto.js, the JavaScript client library many
// Mastodon apps (Elk among them) are built on, unmodified: what Go's
// go-mastodon does not cover. The data is set up in Go, masto.js makes the
// calls, and the checks here are on what the library handed back.
// SQLite only: the Go tests of each endpoint cover both engines already.
func TestMastoJS(t *testing.T) {
	masto := findMastoJS(t)
	ts := MustServer(t, "sqlite")
	ctx := context.Background()

	// Every account made, in order, and whether it is in the directory;
	// every post's author, in order: the directory's expected orders follow
	// from these two.
	type member struct {
		user
		listed bool
	}
	var members []member
	var posters []string
	newUser := func(name string) user {
		u := ts.MustUser(t, name)
		members = append(members, member{u, true})
		return u
	}
	postAs := func(u user, text string) *mastodon.Status {
		t.Helper()
		s := ts.MustPostText(t, u.Token, text)
		posters = append(posters, u.Username)
		// Activity is kept to the millisecond; apart, the "active" order is certain.
		time.Sleep(2 * time.Millisecond)
		return s
	}

	// Hashtags: five people at a conference post its tag and three of them
	// a second one; one account repeats a third tag six times, which is one
	// voice and must not trend.
	var carers []user
	var hallPosts []string
	for i := range 5 {
		c := newUser(fmt.Sprintf("carer%d", i))
		carers = append(carers, c)
		hallPosts = append(hallPosts, postAs(c, "Live from the hall #AdassSpring").ID)
	}
	for _, c := range carers[:3] {
		postAs(c, "Rota chat #NWForum")
	}
	spammer := newUser("spammer")
	for i := range 6 {
		postAs(spammer, fmt.Sprintf("Buy now %d #bargains", i))
	}

	// The viewer follows two friends, who both follow "shared": a friend of friends.
	ann := newUser("ann")
	friend1, friend2, shared := newUser("friend1"), newUser("friend2"), newUser("shared")
	for _, f := range [][2]user{{ann, friend1}, {ann, friend2}, {friend1, shared}, {friend2, shared}} {
		if _, err := ts.Svc.Follow(ctx, f[0].Account, f[1].Account.ID, starling.FollowOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	// Staff feature "pick" on a list they suggest.
	pick := newUser("pick")
	staff, _, err := ts.Svc.Register(ctx, starling.SignUp{Username: "staff", Email: "staff@example.org", Password: "password123",
		Admin: true, SkipApproval: true, SkipAgreement: true, AllowReserved: true})
	if err != nil {
		t.Fatal(err)
	}
	members = append(members, member{user{Account: staff}, staff.Discoverable})
	if _, err := ts.Svc.Follow(ctx, staff, pick.Account.ID, starling.FollowOptions{}); err != nil {
		t.Fatal(err)
	}
	l, err := ts.Svc.CreateList(ctx, staff, starling.List{Title: "People in social care worth following"})
	if err != nil {
		t.Fatal(err)
	}
	if err := ts.Svc.AddListMembers(ctx, staff, l.ID, []int64{pick.Account.ID}); err != nil {
		t.Fatal(err)
	}
	yes := true
	if _, err := ts.Svc.UpdateList(ctx, staff, l.ID, starling.ListChange{Featured: &yes}); err != nil {
		t.Fatal(err)
	}

	// A post three people favourite trends; so does a page three people link.
	popular := postAs(pick, "Our awards shortlist is out")
	for _, u := range []user{friend1, friend2, shared} {
		ts.MustCall(t, post("/api/v1/statuses/"+popular.ID+"/favourite", u.Token, nil), http.StatusOK, nil)
	}
	card := &starling.Card{ID: 1, URL: "https://example.org/report", Title: "State of Adult Social Care", FetchedAt: time.Now()}
	for i, c := range carers[2:] {
		s := postAs(c, fmt.Sprintf("Read this %d https://example.org/report", i))
		id, _ := starling.ParseID(s.ID)
		if err := ts.Svc.Store().Update(ctx, func(tx starling.Tx) error {
			if i == 0 {
				if err := tx.SaveCard(ctx, card); err != nil {
					return err
				}
			}
			return tx.SetStatusCard(ctx, id, card.ID)
		}); err != nil {
			t.Fatal(err)
		}
	}

	// Someone who opted out of discovery posts last: never in the
	// directory, suggestions or others' status search.
	hermit := newUser("hermit")
	no := false
	if _, err := ts.Svc.UpdateProfile(ctx, hermit.Account, starling.ProfileUpdate{Discoverable: &no}); err != nil {
		t.Fatal(err)
	}
	members[len(members)-1].listed = false
	// A stranger the viewer does not follow; an untagged post of theirs must stay out of the viewer's home.
	stranger := newUser("stranger")
	untagged := postAs(stranger, "Nothing to see here")
	postAs(hermit, "Quiet evening in the hall")

	start := time.Now()
	res, raw := masto.run(t, mastoPlan{
		URL: ts.URL, ViewerToken: ann.Token, StrangerToken: stranger.Token,
		Search:       map[string]string{"accounts": "carer", "hashtags": "#adass", "statuses": "hall"},
		FollowTags:   []string{"DementiaCare", "AdassSpring"},
		StrangerPost: "New guidance out today #DementiaCare",
		UnfollowTag:  "AdassSpring",
	})
	t.Logf("masto.js made its calls in %v (%d bytes of results)", time.Since(start).Round(time.Millisecond), len(raw))

	t.Run("TrendingTags", func(t *testing.T) {
		// Five accounts beat three; one account's six posts are no trend.
		var names []string
		for _, tag := range res.TrendTags {
			names = append(names, tag.Name)
		}
		if diff := cmp.Diff([]string{"adassspring", "nwforum"}, names); diff != "" {
			t.Fatalf("trending tags (-want +got):\n%s", diff)
		}
		top := res.TrendTags[0]
		if top.URL != ts.URL+"/tags/adassspring" || top.ID != "adassspring" {
			t.Errorf("id %q, url %q", top.ID, top.URL)
		}
		// A week of history, today first, counting people as well as posts.
		if len(top.History) != 7 || top.History[0].Accounts != "5" || top.History[0].Uses != "5" {
			t.Errorf("adassspring history = %+v, want 7 days, today 5 uses by 5 accounts", top.History)
		}
		if h := res.TrendTags[1].History; len(h) == 0 || h[0].Accounts != "3" {
			t.Errorf("nwforum history = %+v, want 3 accounts today", h)
		}
	})
	t.Run("TrendingStatusesAndLinks", func(t *testing.T) {
		if len(res.TrendStatuses) != 1 || res.TrendStatuses[0].ID != popular.ID || res.TrendStatuses[0].Account.Username != "pick" {
			t.Errorf("trending statuses = %+v, want pick's post %s", res.TrendStatuses, popular.ID)
		}
		if len(res.TrendLinks) != 1 || res.TrendLinks[0].URL != card.URL || res.TrendLinks[0].Title != card.Title || res.TrendLinks[0].Type != "link" {
			t.Errorf("trending links = %+v, want %s", res.TrendLinks, card.URL)
		}
		if l := res.TrendLinks; len(l) == 1 && (len(l[0].History) != 7 || l[0].History[0].Accounts != "3" || l[0].Authors == nil) {
			t.Errorf("trending link history = %+v, authors %v; want 7 days, 3 people today, and a list of authors", l[0].History, l[0].Authors)
		}
	})

	t.Run("Directory", func(t *testing.T) {
		listed := map[string]bool{}
		var newest []string
		for _, m := range slices.Backward(members) {
			listed[m.Username] = m.listed
			if m.listed {
				newest = append(newest, m.Username)
			}
		}
		// Active: those who posted, by their latest post, latest first.
		var active []string
		for _, name := range slices.Backward(posters) {
			if listed[name] && !slices.Contains(active, name) {
				active = append(active, name)
			}
		}
		usernames := func(list []mastoAccount) []string {
			var out []string
			for _, a := range list {
				out = append(out, a.Username)
			}
			return out
		}
		if diff := cmp.Diff(active, usernames(res.DirectoryActive)); diff != "" {
			t.Errorf("directory order=active (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(newest, usernames(res.DirectoryNew)); diff != "" {
			t.Errorf("directory order=new (-want +got):\n%s", diff)
		}
	})

	t.Run("Suggestions", func(t *testing.T) {
		var got []string
		for _, s := range res.Suggestions {
			if len(s.Sources) == 0 {
				t.Fatalf("suggestion %+v has no sources", s)
			}
			got = append(got, s.Account.Username+":"+s.Source+":"+s.Sources[0])
			switch s.Account.Username {
			case "ann", "friend1", "friend2":
				t.Errorf("suggested %s: the viewer or someone they follow", s.Account.Username)
			case "hermit":
				t.Errorf("suggested hermit, who opted out of discovery")
			}
		}
		// The staff pick first, then the friend of both friends.
		want := []string{"pick:staff:featured", "shared:global:friends_of_friends"}
		if len(got) < len(want) || !slices.Equal(got[:len(want)], want) {
			t.Errorf("suggestions = %v, want %v first", got, want)
		}
	})

	t.Run("Search", func(t *testing.T) {
		var accounts []string
		for _, a := range res.SearchAccounts.Accounts {
			accounts = append(accounts, a.Username)
		}
		slices.Sort(accounts)
		if diff := cmp.Diff([]string{"carer0", "carer1", "carer2", "carer3", "carer4"}, accounts); diff != "" {
			t.Errorf("type=accounts q=carer (-want +got):\n%s", diff)
		}
		if n := len(res.SearchAccounts.Statuses) + len(res.SearchAccounts.Hashtags); n != 0 {
			t.Errorf("type=accounts found %d statuses and hashtags", n)
		}

		if len(res.SearchHashtags.Hashtags) != 1 || res.SearchHashtags.Hashtags[0].Name != "adassspring" ||
			res.SearchHashtags.Hashtags[0].URL != ts.URL+"/tags/adassspring" {
			t.Errorf("type=hashtags q=#adass = %+v, want adassspring", res.SearchHashtags.Hashtags)
		}
		if n := len(res.SearchHashtags.Accounts) + len(res.SearchHashtags.Statuses); n != 0 {
			t.Errorf("type=hashtags found %d accounts and statuses", n)
		}

		// The carers' five posts, not the hermit's: they opted out of discovery.
		var found []string
		for _, s := range res.SearchStatuses.Statuses {
			found = append(found, s.ID)
		}
		slices.Sort(found)
		want := slices.Sorted(slices.Values(hallPosts))
		if diff := cmp.Diff(want, found); diff != "" {
			t.Errorf("type=statuses q=hall (-want +got):\n%s", diff)
		}
		if n := len(res.SearchStatuses.Accounts) + len(res.SearchStatuses.Hashtags); n != 0 {
			t.Errorf("type=statuses found %d accounts and hashtags", n)
		}
	})

	t.Run("FollowedTags", func(t *testing.T) {
		for i, want := range []string{"dementiacare", "adassspring"} {
			if f := res.Follow[i]; f.Name != want || f.Following == nil || !*f.Following {
				t.Errorf("follow %s = %+v, want following", want, f)
			}
			if f := res.TagInfo[i]; f.Name != want || f.Following == nil || !*f.Following {
				t.Errorf("GET /api/v1/tags/%s = %+v, want following", want, f)
			}
		}
		// A page of one each, masto following the Link header: newest follow first.
		var pages [][]string
		for _, p := range res.FollowedTagPages {
			var names []string
			for _, tag := range p {
				names = append(names, tag.Name)
			}
			pages = append(pages, names)
		}
		if len(pages) == 3 && len(pages[2]) == 0 { // an empty last page is how some servers end
			pages = pages[:2]
		}
		if diff := cmp.Diff([][]string{{"adassspring"}, {"dementiacare"}}, pages); diff != "" {
			t.Errorf("followed tags, page by page (-want +got):\n%s", diff)
		}
		if f := res.Unfollow; f.Name != "adassspring" || f.Following == nil || *f.Following {
			t.Errorf("unfollow = %+v", f)
		}
		if f := res.TagInfoAfterUnfollow; f.Name != "adassspring" || f.Following == nil || *f.Following {
			t.Errorf("tag after unfollowing = %+v, want following false", f)
		}
	})

	t.Run("HomeTimeline", func(t *testing.T) {
		post := res.StrangerPost
		if post.ID == "" || post.Account.Username != "stranger" || len(post.Tags) != 1 || post.Tags[0].Name != "dementiacare" {
			t.Fatalf("the stranger's post, made through masto = %+v", post)
		}
		home := func(list []mastoStatus) []string {
			var out []string
			for _, s := range list {
				out = append(out, s.ID)
			}
			return out
		}
		// Following #AdassSpring and #DementiaCare, the viewer sees the
		// stranger's tagged post and the carers' conference posts, all
		// from accounts they do not follow; not the stranger's untagged post.
		before := home(res.Home)
		if len(before) == 0 || before[0] != post.ID {
			t.Errorf("home = %v, want the stranger's tagged post %s first", before, post.ID)
		}
		for _, id := range hallPosts {
			if !slices.Contains(before, id) {
				t.Errorf("home lacks %s, a #AdassSpring post", id)
			}
		}
		if slices.Contains(before, untagged.ID) {
			t.Errorf("home shows the stranger's untagged post %s", untagged.ID)
		}
		// Unfollowing #AdassSpring takes its posts away; #DementiaCare's stays.
		after := home(res.HomeAfterUnfollow)
		if !slices.Contains(after, post.ID) {
			t.Errorf("home after unfollowing adassspring = %v, lost the #DementiaCare post", after)
		}
		for _, id := range hallPosts {
			if slices.Contains(after, id) {
				t.Errorf("home after unfollowing adassspring still shows %s", id)
			}
		}
	})
}
