package starling_test

import (
	"context"
	"strings"
	"testing"

	"starling"
	"starling/apptest"
	"starling/sqldb/sqldbtest"
)

// TestImportExport brings follows, lists, blocks and mutes in from files in
// Mastodon's formats, reports what it could not apply, refuses broken files
// before applying anything, and writes the same formats back out: an
// export imported by another member reproduces the follows.
func TestImportExport(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		svc, _ := apptest.MustService(t, engine, apptest.Instance())
		ann := apptest.MustAccount(t, svc, "ann")
		bob, cat, eve := apptest.MustAccount(t, svc, "bob"), apptest.MustAccount(t, svc, "cat"), apptest.MustAccount(t, svc, "eve")
		apptest.MustAccount(t, svc, "dee")
		domain := svc.Instance().Domain

		following := "Account address,Show boosts,Notify on new posts,Languages\n" +
			"bob@" + domain + ",false,true,\n" +
			"cat,true,false,\n" +
			"nobody@" + domain + ",true,false,\n" +
			"someone@mastodon.example,true,false,\n" +
			"ann@" + domain + ",true,false,\n"
		res, err := svc.Import(ctx, ann, starling.ImportFollowing, strings.NewReader(following))
		if err != nil {
			t.Fatal(err)
		}
		if res.Done != 2 || len(res.NotFound) != 1 || res.NotFound[0] != "nobody@"+domain || res.Remote != 1 {
			t.Fatalf("import = %+v, want 2 done, nobody not found, 1 remote", res)
		}
		rel, _ := svc.Relationship(ctx, ann, bob.ID)
		if !rel.Following || rel.ShowingReblogs || !rel.Notifying {
			t.Errorf("ann → bob = %+v, want following without boosts, notified", rel)
		}
		if _, err := svc.Import(ctx, ann, starling.ImportLists, strings.NewReader("Carers,dee@"+domain+"\nCarers,bob\n")); err != nil {
			t.Fatal(err)
		}
		lists, _ := svc.Lists(ctx, ann)
		if len(lists) != 1 || lists[0].Title != "Carers" {
			t.Fatalf("lists = %+v", lists)
		}
		if members, _ := svc.ListMembers(ctx, ann, lists[0].ID, starling.Page{}); len(members) != 2 {
			t.Errorf("the imported list has %d members, want dee and bob", len(members))
		}
		if res, err := svc.Import(ctx, ann, starling.ImportBlocks, strings.NewReader("eve@"+domain+"\n")); err != nil || res.Done != 1 {
			t.Fatalf("blocks: %+v %v", res, err)
		}
		if res, err := svc.Import(ctx, ann, starling.ImportMutes, strings.NewReader("Account address,Hide notifications\ncat,false\n")); err != nil || res.Done != 1 {
			t.Fatalf("mutes: %+v %v", res, err)
		}
		if rel, _ := svc.Relationship(ctx, ann, cat.ID); !rel.Muting || rel.MutingNotifications {
			t.Errorf("ann → cat = %+v, want muted keeping notifications", rel)
		}
		// eve, blocked, cannot be followed: the row fails, the rest goes on.
		res, err = svc.Import(ctx, ann, starling.ImportFollowing, strings.NewReader("eve,true,false,\ndee,true,false,\n"))
		if err != nil || res.Done != 1 || len(res.Failed) != 1 || res.Failed[0] != "eve" {
			t.Fatalf("following across a block: %+v %v", res, err)
		}

		// Broken files change nothing.
		before, _ := svc.Relationship(ctx, ann, eve.ID)
		for name, file := range map[string]string{
			"bad quoting":                    "\"eve,true\nbob,true",
			"empty":                          "\n\n",
			"a list line without an account": "Carers\n",
			"not UTF-8":                      "bob\xff,true\n",
		} {
			kind := starling.ImportFollowing
			if strings.Contains(name, "list") {
				kind = starling.ImportLists
			}
			if _, err := svc.Import(ctx, ann, kind, strings.NewReader(file)); starling.ErrorCode(err) != starling.EINVALID {
				t.Errorf("%s: %v, want EINVALID", name, err)
			}
		}
		if _, err := svc.Import(ctx, ann, "bookmarks", strings.NewReader("x\n")); starling.ErrorCode(err) != starling.EINVALID {
			t.Errorf("an unknown kind: %v", err)
		}
		if after, _ := svc.Relationship(ctx, ann, eve.ID); *after != *before {
			t.Error("a refused file changed something")
		}

		// Export, and import into another member.
		rows, err := svc.Export(ctx, ann, starling.ImportFollowing)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 4 || rows[0][0] != "Account address" {
			t.Fatalf("following export = %v, want a header and bob, cat, dee", rows)
		}
		var b strings.Builder
		for _, r := range rows {
			b.WriteString(strings.Join(r, ",") + "\n")
		}
		fred := apptest.MustAccount(t, svc, "fred")
		if res, err := svc.Import(ctx, fred, starling.ImportFollowing, strings.NewReader(b.String())); err != nil || res.Done != 3 {
			t.Fatalf("re-import = %+v, %v", res, err)
		}
		if rel, _ := svc.Relationship(ctx, fred, bob.ID); !rel.Following || rel.ShowingReblogs || !rel.Notifying {
			t.Errorf("fred → bob after re-import = %+v; the options did not travel", rel)
		}
		for kind, want := range map[starling.ImportKind]int{starling.ImportLists: 2, starling.ImportBlocks: 1, starling.ImportMutes: 2} {
			if rows, err := svc.Export(ctx, ann, kind); err != nil || len(rows) != want {
				t.Errorf("%s export = %v, %v; want %d rows", kind, rows, err, want)
			}
		}
	})
}
