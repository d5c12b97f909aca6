package starling_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"starling"
	"starling/apptest"
	"starling/sqldb/sqldbtest"
)

// readZip opens an archive and returns its files' contents by name.
func readZip(t testing.TB, b []byte) map[string][]byte {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name] = body
	}
	return out
}

// TestArchive: a member's archive holds, as JSON, everything Starling
// keeps about them, their media files, and HTML pages whose links all
// resolve inside the zip; a second download within the interval is refused.
func TestArchive(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		e := mustDeletionEnv(t, engine)
		svc := e.svc
		ava, bob, cal := apptest.MustAccount(t, svc, "ava"), apptest.MustAccount(t, svc, "bob"), apptest.MustAccount(t, svc, "cal")
		avaUser, _ := svc.Store().User(ctx, ava.ID)
		name, note := "Ava <b>Jones</b>", "Social worker & carer"
		if _, err := svc.UpdateProfile(ctx, ava, starling.ProfileUpdate{DisplayName: &name, Note: &note, Fields: &[]starling.Field{{Name: "Role", Value: "Social worker"}}}); err != nil {
			t.Fatal(err)
		}
		MustFollow(t, svc, ava, bob)
		MustFollow(t, svc, cal, ava)
		m, err := svc.UploadMedia(ctx, ava, starling.MediaUpload{Body: bytes.NewReader(smallPNG(t)), Description: "Our rota chart"})
		if err != nil {
			t.Fatal(err)
		}
		withMedia, err := svc.PostStatus(ctx, ava, starling.NewStatus{Text: "The rota <script>alert(1)</script>", MediaIDs: []int64{m.ID}})
		if err != nil {
			t.Fatal(err)
		}
		edited := "The rota, corrected"
		if _, err := svc.EditStatus(ctx, ava, withMedia.ID, starling.StatusChange{Text: &edited}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.PostStatus(ctx, ava, starling.NewStatus{Text: "Which day?", Poll: &starling.NewPoll{Options: []string{"Mon", "Tue"}, ExpiresIn: time.Hour}}); err != nil {
			t.Fatal(err)
		}
		dm := MustPost(t, svc, ava, "@bob private note", starling.VisibilityDirect)
		bobPost := MustPost(t, svc, bob, "Hello all", starling.VisibilityPublic)
		title := "Team"
		list, err := svc.CreateList(ctx, ava, starling.List{Title: title})
		if err != nil {
			t.Fatal(err)
		}
		steps := []func() error{
			func() error { _, err := svc.Favourite(ctx, ava, bobPost.ID); return err },
			func() error { _, err := svc.Bookmark(ctx, ava, bobPost.ID); return err },
			func() error { return svc.AddListMembers(ctx, ava, list.ID, []int64{bob.ID}) },
			func() error { _, err := svc.MuteAccount(ctx, ava, cal.ID, true, 0); return err },
			func() error { _, err := svc.FollowTag(ctx, ava, "carers"); return err },
			func() error { _, err := svc.FeatureTag(ctx, ava, "rota"); return err },
			func() error {
				ft, kw := "Spoilers", "finale"
				_, err := svc.CreateFilter(ctx, ava, starling.FilterInput{Title: &ft, Context: []string{"home"}, Keywords: []starling.FilterKeywordInput{{Keyword: &kw}}})
				return err
			},
			func() error {
				_, err := svc.CreateReport(ctx, ava, starling.NewReport{AccountID: cal.ID, Comment: "Spam links"})
				return err
			},
			func() error { _, err := svc.BlockDomain(ctx, ava, "spam.example"); return err },
			func() error {
				boss := apptest.MustAccount(t, svc, "boss")
				mustRole(t, e.db, boss, starling.RoleModerator)
				_, err := svc.ActOnAccount(ctx, boss, ava.ID, starling.AccountAction{Type: starling.ActionWarn, Text: "Please describe your images"})
				return err
			},
		}
		for _, step := range steps {
			if err := step(); err != nil {
				t.Fatal(err)
			}
		}
		apptest.MustToken(t, svc, ava)
		bobPoll, err := svc.PostStatus(ctx, bob, starling.NewStatus{Text: "Lunch?", Poll: &starling.NewPoll{Options: []string{"Yes", "No"}, ExpiresIn: time.Hour}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.VotePoll(ctx, ava, bobPoll.PollID, []int{1}); err != nil {
			t.Fatal(err)
		}

		write, err := svc.DownloadArchive(ctx, ava, avaUser)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := write(&buf); err != nil {
			t.Fatal(err)
		}
		files := readZip(t, buf.Bytes())

		t.Run("Files", func(t *testing.T) {
			for _, name := range []string{"index.html", "posts.html", "account.json", "posts.json", "following.json", "followers.json",
				"follow_requests_received.json", "follow_requests_sent.json", "blocks.json", "mutes.json", "lists.json",
				"favourites.json", "bookmarks.json", "filters.json", "followed_tags.json", "featured_tags.json", "reports.json", "sessions.json", "notifications.json", "poll_votes.json", "domain_blocks.json", "moderation_warnings.json"} {
				if _, ok := files[name]; !ok {
					t.Errorf("no %s in the archive", name)
				} else if strings.HasSuffix(name, ".json") && !json.Valid(files[name]) {
					t.Errorf("%s is not JSON: %s", name, files[name])
				}
			}
		})
		t.Run("Account", func(t *testing.T) {
			var a starling.ArchiveAccount
			if err := json.Unmarshal(files["account.json"], &a); err != nil {
				t.Fatal(err)
			}
			if a.DisplayName != name || a.Note != note || len(a.Fields) != 1 || a.Email != "ava@example.org" {
				t.Errorf("account.json = %+v", a)
			}
			if bytes.Contains(files["account.json"], []byte("argon2")) || bytes.Contains(files["sessions.json"], []byte("hash")) {
				t.Error("the archive holds a password or token hash")
			}
		})
		t.Run("Posts", func(t *testing.T) {
			var posts []starling.ArchivePost
			if err := json.Unmarshal(files["posts.json"], &posts); err != nil {
				t.Fatal(err)
			}
			if len(posts) != 3 {
				t.Fatalf("%d posts, want 3 (the direct message too)", len(posts))
			}
			byID := map[string]starling.ArchivePost{}
			for _, p := range posts {
				byID[p.ID] = p
			}
			p := byID[starling.FormatID(withMedia.ID)]
			if p.Text != edited || len(p.Edits) != 2 || len(p.Media) != 1 || p.Media[0].Description != "Our rota chart" {
				t.Errorf("the edited post with media: %+v", p)
			}
			if _, ok := files[p.Media[0].File]; !ok {
				t.Errorf("the media file %s is not in the zip", p.Media[0].File)
			}
			if byID[starling.FormatID(dm.ID)].Visibility != starling.VisibilityDirect {
				t.Error("the direct message is missing")
			}
			var withPoll int
			for _, p := range posts {
				if p.Poll != nil && len(p.Poll.Options) == 2 {
					withPoll++
				}
			}
			if withPoll != 1 {
				t.Errorf("%d posts with a poll", withPoll)
			}
		})
		t.Run("Relations", func(t *testing.T) {
			for file, want := range map[string]string{"following.json": "bob", "followers.json": "cal", "mutes.json": "cal",
				"lists.json": `"acct": "bob"`, "favourites.json": starling.FormatID(bobPost.ID), "bookmarks.json": starling.FormatID(bobPost.ID),
				"followed_tags.json": "carers", "featured_tags.json": "rota", "filters.json": "finale", "reports.json": "Spam links", "sessions.json": "test",
				"notifications.json": `"type": "follow"`, "poll_votes.json": starling.FormatID(bobPoll.ID),
				"domain_blocks.json": "spam.example", "moderation_warnings.json": "Please describe your images"} {
				if !bytes.Contains(files[file], []byte(want)) {
					t.Errorf("%s lacks %q: %s", file, want, files[file])
				}
			}
		})
		t.Run("HTML", func(t *testing.T) {
			html := string(files["index.html"]) + string(files["posts.html"])
			if strings.Contains(html, "<script>") || strings.Contains(html, "<b>Jones") {
				t.Error("the pages carry the member's text unescaped")
			}
			if !strings.Contains(string(files["posts.html"]), `alt="Our rota chart"`) {
				t.Error("posts.html shows the image without its description")
			}
			for _, l := range regexp.MustCompile(`(?:href|src)="([^"]+)"`).FindAllStringSubmatch(html, -1) {
				if _, ok := files[l[1]]; !ok {
					t.Errorf("link to %s, which is not in the zip", l[1])
				}
			}
		})
		t.Run("ErrTooSoon", func(t *testing.T) {
			if _, err := svc.DownloadArchive(ctx, ava, avaUser); starling.ErrorCode(err) != starling.ERATELIMITED {
				t.Fatalf("a second download at once: %v, want ERATELIMITED", err)
			}
		})
	})
}

// TestArchiveLarge logs the time and peak heap of writing the archive of
// an account with STARLING_ARCHIVE_POSTS posts (e.g. 10000).
func TestArchiveLarge(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("STARLING_ARCHIVE_POSTS"))
	if n == 0 {
		t.Skip("set STARLING_ARCHIVE_POSTS to measure an archive of that many posts")
	}
	ctx := context.Background()
	e := mustDeletionEnv(t, "sqlite")
	big := apptest.MustAccount(t, e.svc, "big")
	mustBulkPosts(t, e, big, n)
	u, _ := e.svc.Store().User(ctx, big.ID)
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	var peak atomic.Uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // sample the heap while the archive is written
		defer wg.Done()
		var ms runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > peak.Load() {
				peak.Store(ms.HeapAlloc)
			}
		}
	}()
	start := time.Now()
	write, err := e.svc.DownloadArchive(ctx, big, u)
	if err != nil {
		t.Fatal(err)
	}
	var size countingWriter
	if err := write(&size); err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	close(stop)
	wg.Wait()
	t.Logf("archive of %d posts: %d bytes in %v; heap %d MiB before, peak %d MiB while writing",
		n, size.n, took, base.HeapAlloc>>20, peak.Load()>>20)
}

type countingWriter struct{ n int64 }

func (c *countingWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }
