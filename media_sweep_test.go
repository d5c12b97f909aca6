package starling_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"starling"
	"starling/apptest"
	"starling/diskmedia"
	"starling/imaging"
	"starling/sqldb/sqldbtest"
	"starling/text"
)

// TestUnattachedMediaSwept: an upload no post takes is deleted, record and
// files, a day later; one a post took stays; deleting the post takes its
// files with it at once.
func TestUnattachedMediaSwept(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		db := sqldbtest.MustOpen(t, engine)
		now := time.Now().UTC().Truncate(time.Millisecond)
		clock := func() time.Time { return now }
		in := apptest.Instance()
		svc := starling.NewService(db, text.NewProcessor(&in), apptest.FastPasswords, in, clock)
		dir := t.TempDir()
		files, err := diskmedia.New(dir)
		if err != nil {
			t.Fatal(err)
		}
		svc.SetMediaFiles(files, imaging.Processor{})
		worker := starling.NewJobWorker(db, time.Minute)
		worker.SetClock(clock)
		svc.HandleJobs(worker)
		ann := apptest.MustAccount(t, svc, "ann")

		upload := func() *starling.MediaAttachment {
			t.Helper()
			m, err := svc.UploadMedia(ctx, ann, starling.MediaUpload{Body: bytes.NewReader(smallPNG(t)), Description: "A chart"})
			if err != nil {
				t.Fatal(err)
			}
			return m
		}
		exists := func(key string) bool {
			_, err := os.Stat(filepath.Join(dir, filepath.FromSlash(key)))
			return err == nil
		}
		left, posted := upload(), upload()
		s, err := svc.PostStatus(ctx, ann, starling.NewStatus{Text: "Our numbers", MediaIDs: []int64{posted.ID}})
		if err != nil {
			t.Fatal(err)
		}
		if !exists(left.FileKey) || !exists(left.PreviewKey) {
			t.Fatal("the upload's files are not where the test looks")
		}
		now = now.Add(23 * time.Hour)
		if n, err := worker.RunDue(ctx); n != 0 || err != nil {
			t.Fatalf("%d jobs ran before a day was up (%v)", n, err)
		}
		now = now.Add(time.Hour)
		if n, err := worker.RunDue(ctx); n != 2 || err != nil {
			t.Fatalf("after a day: %d jobs ran (%v), want the two uploads' checks", n, err)
		}
		if _, err := db.Media(ctx, left.ID); starling.ErrorCode(err) != starling.ENOTFOUND {
			t.Errorf("the unattached upload's record: %v, want it gone", err)
		}
		if exists(left.FileKey) || exists(left.PreviewKey) {
			t.Error("the unattached upload's files are still there")
		}
		if _, err := db.Media(ctx, posted.ID); err != nil || !exists(posted.FileKey) {
			t.Fatalf("the posted image was swept: %v", err)
		}

		if _, err := svc.DeleteStatus(ctx, ann, s.ID); err != nil {
			t.Fatal(err)
		}
		if n, err := worker.RunDue(ctx); n != 1 || err != nil {
			t.Fatalf("after deleting the post: %d jobs ran (%v), want 1", n, err)
		}
		if _, err := db.Media(ctx, posted.ID); starling.ErrorCode(err) != starling.ENOTFOUND || exists(posted.FileKey) || exists(posted.PreviewKey) {
			t.Errorf("the deleted post's image stays: %v", err)
		}
	})
}

func smallPNG(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 40, 30))
	for x := range 40 {
		img.Set(x, x%30, color.RGBA{200, 60, 60, 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestRemovedPostsMediaGoAtOnce: when staff remove reported posts, their
// images are deleted, record and files, by the next run of the job
// worker rather than a day later.
func TestRemovedPostsMediaGoAtOnce(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		db := sqldbtest.MustOpen(t, engine)
		now := time.Now().UTC().Truncate(time.Millisecond)
		clock := func() time.Time { return now }
		in := apptest.Instance()
		svc := starling.NewService(db, text.NewProcessor(&in), apptest.FastPasswords, in, clock)
		dir := t.TempDir()
		files, err := diskmedia.New(dir)
		if err != nil {
			t.Fatal(err)
		}
		svc.SetMediaFiles(files, imaging.Processor{})
		worker := starling.NewJobWorker(db, time.Minute)
		worker.SetClock(clock)
		svc.HandleJobs(worker)
		ann, bob, mod := apptest.MustAccount(t, svc, "ann"), apptest.MustAccount(t, svc, "bob"), apptest.MustAccount(t, svc, "mod")
		mustRole(t, db, mod, starling.RoleModerator)
		exists := func(key string) bool {
			_, err := os.Stat(filepath.Join(dir, filepath.FromSlash(key)))
			return err == nil
		}
		var media []*starling.MediaAttachment
		for range 2 {
			m, err := svc.UploadMedia(ctx, bob, starling.MediaUpload{Body: bytes.NewReader(smallPNG(t)), Description: "An advert"})
			if err != nil {
				t.Fatal(err)
			}
			media = append(media, m)
		}
		s, err := svc.PostStatus(ctx, bob, starling.NewStatus{Text: "Buy now", MediaIDs: []int64{media[0].ID, media[1].ID}})
		if err != nil {
			t.Fatal(err)
		}
		r, err := svc.CreateReport(ctx, ann, starling.NewReport{AccountID: bob.ID, StatusIDs: []int64{s.ID}, Category: starling.ReportSpam})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.DecideReport(ctx, mod, r.ID, starling.DecideRemove, "Advertising"); err != nil {
			t.Fatal(err)
		}
		if n, err := worker.RunDue(ctx); n != 2 || err != nil {
			t.Fatalf("after the removal: %d jobs ran (%v), want one per image", n, err)
		}
		for _, m := range media {
			if _, err := db.Media(ctx, m.ID); starling.ErrorCode(err) != starling.ENOTFOUND || exists(m.FileKey) || exists(m.PreviewKey) {
				t.Errorf("the removed post's image %d stays: %v", m.ID, err)
			}
		}
	})
}
