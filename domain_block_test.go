package starling_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"starling"
	"starling/apptest"
	"starling/sqldb/sqldbtest"
	"starling/text"
)

func TestNormalizeDomain(t *testing.T) {
	for in, want := range map[string]string{
		"example.org":                       "example.org",
		"  Example.ORG. ":                   "example.org",
		"https://social.example.org/about":  "social.example.org",
		"social.example.org:8443":           "social.example.org",
		"http://social.example.org:80/@ann": "social.example.org",
		"ann@social.example.org":            "social.example.org",
		"bücher.example":                    "xn--bcher-kva.example",
		"XN--BCHER-KVA.example":             "xn--bcher-kva.example",
	} {
		got, err := starling.NormalizeDomain(in)
		if err != nil || got != want {
			t.Errorf("NormalizeDomain(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "   ", "localhost", "org", "exa mple.org", "example..org", "-example.org", "example.org-", "ex_ample.org",
		"192.0.2.1", "[2001:db8::1]", "https://", "a%2eexample.org", "example.org'; --", string(make([]byte, 300))} {
		if got, err := starling.NormalizeDomain(in); starling.ErrorCode(err) != starling.EINVALID {
			t.Errorf("NormalizeDomain(%q) = %q, %v; want EINVALID", in, got, err)
		}
	}
}

// MustRemoteAccount stores an account of another server, as federation will.
func MustRemoteAccount(tb testing.TB, db starling.Store, id int64, username, domain string) *starling.Account {
	tb.Helper()
	now := time.Now().UTC().Truncate(time.Millisecond)
	a := &starling.Account{ID: id, Username: username, Domain: domain, CreatedAt: now, UpdatedAt: now, Discoverable: true}
	if err := db.Update(context.Background(), func(tx starling.Tx) error { return tx.CreateAccount(context.Background(), a, nil) }); err != nil {
		tb.Fatalf("create %s@%s: %v", username, domain, err)
	}
	return a
}

// TestDomainBlocksEverywhere: a member's block of a domain hides the posts
// and notifications of accounts there and on its subdomains from
// timelines, threads, search, notifications and streams (but not a post
// opened by ID), removes followers from there, and is listed, lifted and
// validated; on every engine.
func TestDomainBlocksEverywhere(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		db := sqldbtest.MustOpen(t, engine)
		now := time.Now().UTC().Truncate(time.Millisecond)
		clock := func() time.Time { return now }
		in := apptest.Instance()
		svc := starling.NewService(db, text.NewProcessor(&in), apptest.FastPasswords, in, clock)
		tick := func() { now = now.Add(time.Millisecond) }
		ann, bob := apptest.MustAccount(t, svc, "ann"), apptest.MustAccount(t, svc, "bob")
		base := now.UnixMilli() << 16
		remotes := map[string]*starling.Account{
			"top":   MustRemoteAccount(t, db, base+1, "rae", "Social.Example"),
			"sub":   MustRemoteAccount(t, db, base+2, "sid", "eu.social.example"),
			"other": MustRemoteAccount(t, db, base+3, "oli", "notsocial.example"),
		}
		MustFollow(t, svc, ann, bob)
		thread := MustPost(t, svc, ann, "Who covers the night shift? #rota", starling.VisibilityPublic)
		posts := map[string]*starling.Status{}
		for name, a := range remotes {
			MustFollow(t, svc, a, ann)
			tick()
			posts[name] = MustPost(t, svc, a, "Night shift thoughts from "+name+" #rota @ann", starling.VisibilityPublic)
			tick()
			reply, err := svc.PostStatus(ctx, a, starling.NewStatus{Text: "@ann I can, says " + name, InReplyToID: thread.ID})
			if err != nil {
				t.Fatal(err)
			}
			posts[name+"-reply"] = reply
		}
		tick()
		shared, err := svc.Reblog(ctx, bob, posts["sub"].ID, starling.VisibilityPublic)
		if err != nil {
			t.Fatal(err)
		}

		t.Run("ErrInvalid", func(t *testing.T) {
			for _, d := range []string{"not a domain", "starling.test", "https://STARLING.test/", "test"} {
				if _, err := svc.BlockDomain(ctx, ann, d); starling.ErrorCode(err) != starling.EINVALID {
					t.Errorf("BlockDomain(%q) = %v, want EINVALID", d, err)
				}
			}
		})
		d, err := svc.BlockDomain(ctx, ann, "https://SOCIAL.example/about")
		if err != nil || d != "social.example" {
			t.Fatalf("BlockDomain = %q, %v", d, err)
		}
		if _, err := svc.BlockDomain(ctx, ann, "social.example"); err != nil {
			t.Fatalf("blocking again: %v", err)
		}
		stream, err := svc.HomeStreamFilter(ctx, ann)
		if err != nil {
			t.Fatal(err)
		}

		hidden := []string{"top", "top-reply", "sub", "sub-reply"}
		check := func(surface string, list []*starling.Status, want ...string) {
			t.Helper()
			ids := map[int64]bool{}
			for _, s := range list {
				ids[s.ID] = true
			}
			for _, name := range hidden {
				if ids[posts[name].ID] {
					t.Errorf("%s shows %s's post", surface, name)
				}
			}
			if ids[shared.ID] {
				t.Errorf("%s shows bob's reblog of a post from the blocked domain", surface)
			}
			for _, name := range want {
				if !ids[posts[name].ID] {
					t.Errorf("%s lacks %s's post", surface, name)
				}
			}
		}
		page := starling.Page{Limit: 40}
		public, err := svc.PublicTimeline(ctx, ann, starling.PublicFilter{}, page)
		if err != nil {
			t.Fatal(err)
		}
		check("the public timeline", public, "other")
		tagged, err := svc.TagTimeline(ctx, ann, starling.TagQuery{Any: []string{"rota"}}, starling.PublicFilter{}, page)
		if err != nil {
			t.Fatal(err)
		}
		check("the hashtag timeline", tagged, "other")
		home, err := svc.HomeTimeline(ctx, ann, page)
		if err != nil {
			t.Fatal(err)
		}
		check("home", home)
		_, replies, err := svc.StatusContext(ctx, ann, thread.ID)
		if err != nil {
			t.Fatal(err)
		}
		check("ann's thread", replies, "other-reply")
		found, err := svc.Search(ctx, ann, starling.SearchQuery{Q: "night shift", Type: "statuses", Limit: 40})
		if err != nil {
			t.Fatal(err)
		}
		check("post search", found.Statuses, "other")
		notes, err := svc.Notifications(ctx, ann, starling.NotificationFilter{}, page)
		if err != nil {
			t.Fatal(err)
		}
		from := map[int64]bool{}
		for _, n := range notes {
			from[n.FromAccountID] = true
		}
		if from[remotes["top"].ID] || from[remotes["sub"].ID] || !from[remotes["other"].ID] {
			t.Errorf("notifications from top %v, sub %v, other %v; want only other's", from[remotes["top"].ID], from[remotes["sub"].ID], from[remotes["other"].ID])
		}
		shows := func(s *starling.Status) bool {
			full, err := svc.GetStatus(ctx, nil, s.ID)
			if err != nil {
				t.Fatal(err)
			}
			return stream.Shows(&starling.Event{Kind: starling.EventUpdate, Status: full})
		}
		MustFollow(t, svc, ann, remotes["sub"])
		MustFollow(t, svc, ann, remotes["other"])
		stream, _ = svc.HomeStreamFilter(ctx, ann)
		if shows(posts["sub"]) || !shows(posts["other"]) {
			t.Error("the home stream does not leave out what the timeline leaves out")
		}
		if _, err := svc.GetStatus(ctx, ann, posts["top"].ID); err != nil {
			t.Errorf("a post from a blocked domain, by ID: %v", err)
		}

		// Followers there are gone; ann's own follows stay; the relationship says so.
		for name, a := range remotes {
			rel, err := svc.Relationship(ctx, ann, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			if blocked := name != "other"; rel.FollowedBy == blocked || rel.DomainBlocking != blocked {
				t.Errorf("ann towards %s: %+v", name, rel)
			}
		}

		// Listed newest first, paged; lifted by any spelling.
		if _, err := svc.BlockDomain(ctx, ann, "bücher.example"); err != nil {
			t.Fatal(err)
		}
		list, err := svc.DomainBlocks(ctx, ann, starling.Page{Limit: 1})
		if err != nil || len(list) != 1 || list[0].Domain != "xn--bcher-kva.example" {
			t.Fatalf("first page: %v, %v", list, err)
		}
		list, err = svc.DomainBlocks(ctx, ann, starling.Page{Limit: 1, MaxID: list[0].ID})
		if err != nil || len(list) != 1 || list[0].Domain != "social.example" {
			t.Fatalf("second page: %v, %v", list, err)
		}
		if other, _ := svc.DomainBlocks(ctx, bob, starling.Page{}); len(other) != 0 {
			t.Errorf("bob's domain blocks: %v", other)
		}
		if err := svc.UnblockDomain(ctx, ann, "Social.Example."); err != nil {
			t.Fatal(err)
		}
		public, _ = svc.PublicTimeline(ctx, ann, starling.PublicFilter{}, page)
		hidden = nil
		check("the public timeline after the unblock", public, "top", "sub", "other")
	})
}

// TestDomainBlocksImportExport reads Mastodon's domain_blocks.csv (one
// domain per line) and writes it back, reporting lines that are no domain.
func TestDomainBlocksImportExport(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		svc, _ := apptest.MustService(t, engine, apptest.Instance())
		ann := apptest.MustAccount(t, svc, "ann")
		res, err := svc.Import(ctx, ann, starling.ImportDomainBlocks, strings.NewReader("spam.example\nTrolls.Example\n\nnot a domain\nstarling.test\nspam.example\n"))
		if err != nil {
			t.Fatal(err)
		}
		if res.Done != 3 || !slices.Equal(res.Failed, []string{"not a domain", "starling.test"}) {
			t.Errorf("import = %+v, want 3 done and 2 failed", res)
		}
		rows, err := svc.Export(ctx, ann, starling.ImportDomainBlocks)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([][]string{{"trolls.example"}, {"spam.example"}}, rows); diff != "" {
			t.Errorf("export (-want +got):\n%s", diff)
		}
	})
}
