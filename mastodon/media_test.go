package mastodon_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gomastodon "github.com/mattn/go-mastodon"

	"starling"
	"starling/diskmedia"
	"starling/imaging"
)

// mustMediaServer is a test server whose uploads go to a folder it returns.
func mustMediaServer(t *testing.T, mut ...func(*starling.Instance)) (*testServer, string) {
	ts := MustServer(t, "sqlite", mut...)
	dir := t.TempDir()
	files, err := diskmedia.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	ts.Svc.SetMediaFiles(files, imaging.Processor{})
	return ts, dir
}

func jpegWithGPS(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 120, 80))
	for x := range 120 {
		img.Set(x, x%80, color.RGBA{10, 120, 200, 255})
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	payload := []byte("Exif\x00\x00GPSLatitude 53.4808 N")
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	return append(append(append(append([]byte{}, b.Bytes()[:2]...), seg...), payload...), b.Bytes()[2:]...)
}

func countFiles(t *testing.T, dir string) int {
	n := 0
	_ = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, _ error) error {
		if d != nil && !d.IsDir() {
			n++
		}
		return nil
	})
	return n
}

// TestMediaUpload uploads a photo through a Mastodon client library, with
// alt text, and fetches the file back without its location.
func TestMediaUpload(t *testing.T) {
	ts, _ := mustMediaServer(t)
	ann := ts.MustUser(t, "ann")
	ctx := context.Background()
	c := gomastodon.NewClient(&gomastodon.Config{Server: ts.URL, AccessToken: ann.Token})
	att, err := c.UploadMediaFromMedia(ctx, &gomastodon.Media{File: bytes.NewReader(jpegWithGPS(t)),
		Description: "A carer and a resident laughing over a crossword", Focus: "0.5,-0.25"})
	if err != nil {
		t.Fatal(err)
	}
	if att.Type != "image" || att.Description != "A carer and a resident laughing over a crossword" ||
		att.Meta.Original.Width != 120 || att.Meta.Original.Height != 80 || att.Meta.Focus.X != 0.5 || att.Meta.Focus.Y != -0.25 {
		t.Fatalf("attachment = %+v", att)
	}
	if !strings.HasPrefix(att.URL, ts.URL+"/media/attachments/") || !strings.HasSuffix(att.URL, ".jpg") {
		t.Fatalf("url = %s", att.URL)
	}
	res, err := http.Get(att.URL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/jpeg" || res.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("GET %s: %d %v", att.URL, res.StatusCode, res.Header)
	}
	if bytes.Contains(body, []byte("GPSLatitude")) {
		t.Fatal("the served file still carries the location")
	}
	if _, err := jpeg.Decode(bytes.NewReader(body)); err != nil {
		t.Fatalf("the served file is no JPEG: %v", err)
	}

	// Alt text changed later; the upload is its owner's alone.
	put := ts.MustDo(t, request{method: "PUT", path: "/api/v1/media/" + string(att.ID), token: ann.Token, json: map[string]string{"description": "Two people and a crossword"}})
	if put.Status != 200 || !strings.Contains(string(put.Body), `"description":"Two people and a crossword"`) {
		t.Fatalf("PUT media: %d %s", put.Status, put.Body)
	}
	bob := ts.MustUser(t, "bob")
	if res := ts.MustDo(t, get("/api/v1/media/"+string(att.ID), bob.Token)); res.Status != 404 {
		t.Fatalf("another member read the upload: %d", res.Status)
	}
}

// TestMediaUploadRefused: a decompression bomb, a truncated JPEG and a
// script get 422 and leave no file behind.
func TestMediaUploadRefused(t *testing.T) {
	ts, dir := mustMediaServer(t)
	ann := ts.MustUser(t, "ann")
	c := gomastodon.NewClient(&gomastodon.Config{Server: ts.URL, AccessToken: ann.Token})
	photo := jpegWithGPS(t)
	for name, data := range map[string][]byte{
		"10000x10000 PNG bomb": pngBomb(10000, 10000),
		"truncated JPEG":       photo[:len(photo)/2],
		"HTML":                 []byte("<html><script>alert(1)</script></html>"),
	} {
		_, err := c.UploadMediaFromBytes(context.Background(), data)
		if err == nil || !strings.Contains(err.Error(), "422") {
			t.Errorf("%s: got %v, want 422", name, err)
		}
	}
	if res := ts.MustDo(t, request{method: "PUT", path: "/api/v1/media/1", token: ann.Token, json: map[string]string{"description": "x"}}); res.Status != 404 {
		t.Errorf("PUT on no upload: %d %s", res.Status, res.Body)
	}
	long := strings.Repeat("a", 1501)
	if _, err := c.UploadMediaFromMedia(context.Background(), &gomastodon.Media{File: bytes.NewReader(photo), Description: long}); err == nil || !strings.Contains(err.Error(), "422") {
		t.Errorf("1,501-character description: %v, want 422", err)
	}
	if n := countFiles(t, dir); n != 0 {
		t.Fatalf("%d files left behind by refused uploads", n)
	}
}

func pngBomb(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 2
	chunk := func(typ string, data []byte) {
		_ = binary.Write(&b, binary.BigEndian, uint32(len(data)))
		b.WriteString(typ)
		b.Write(data)
		_ = binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(append([]byte(typ), data...)))
	}
	chunk("IHDR", ihdr)
	chunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})
	chunk("IEND", nil)
	return b.Bytes()
}

// TestPostWithMedia: a post carries up to four uploads, in order, with alt
// text, previews and blurhash, in every timeline; another member's upload,
// a fifth file or an upload already on a post is refused.
func TestPostWithMedia(t *testing.T) {
	ts, _ := mustMediaServer(t)
	ann, bob := ts.MustUser(t, "ann"), ts.MustUser(t, "bob")
	ctx := context.Background()
	c := gomastodon.NewClient(&gomastodon.Config{Server: ts.URL, AccessToken: ann.Token})
	var ids []gomastodon.ID
	for i := range 5 {
		att, err := c.UploadMediaFromMedia(ctx, &gomastodon.Media{File: bytes.NewReader(jpegWithGPS(t)), Description: fmt.Sprintf("photo %d", i+1)})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, att.ID)
	}
	if _, err := c.PostStatus(ctx, &gomastodon.Toot{Status: "five", MediaIDs: ids}); err == nil || !strings.Contains(err.Error(), "422") {
		t.Fatalf("five attachments: %v, want 422", err)
	}
	posted, err := c.PostStatus(ctx, &gomastodon.Toot{Status: "Our new day centre garden #socialcare", MediaIDs: []gomastodon.ID{ids[1], ids[0]}})
	if err != nil {
		t.Fatal(err)
	}
	if len(posted.MediaAttachments) != 2 || posted.MediaAttachments[0].Description != "photo 2" || posted.MediaAttachments[1].Description != "photo 1" {
		t.Fatalf("attachments = %+v, want photos 2 and 1 in the order given", posted.MediaAttachments)
	}
	a := posted.MediaAttachments[0]
	if a.PreviewURL == a.URL || !strings.HasSuffix(a.PreviewURL, "/small.jpg") || a.BlurHash == "" || a.Meta.Small.Width == 0 {
		t.Fatalf("preview and blurhash missing: %+v", a)
	}
	if res, err := http.Get(a.PreviewURL); err != nil || res.StatusCode != 200 {
		t.Fatalf("preview: %v %v", res, err)
	}
	// Shown to others too, in their timelines.
	bobClient := gomastodon.NewClient(&gomastodon.Config{Server: ts.URL, AccessToken: bob.Token})
	public, err := bobClient.GetTimelinePublic(ctx, true, nil)
	if err != nil || len(public) == 0 || len(public[0].MediaAttachments) != 2 {
		t.Fatalf("public timeline: %v %v", public, err)
	}
	if _, err := c.PostStatus(ctx, &gomastodon.Toot{Status: "again", MediaIDs: []gomastodon.ID{ids[0]}}); err == nil || !strings.Contains(err.Error(), "422") {
		t.Fatalf("an upload already on a post: %v, want 422", err)
	}
	if _, err := bobClient.PostStatus(ctx, &gomastodon.Toot{Status: "mine now", MediaIDs: []gomastodon.ID{ids[2]}}); err == nil || !strings.Contains(err.Error(), "422") {
		t.Fatalf("another member's upload: %v, want 422", err)
	}
	// A picture needs no words; an edit may repeat its attachments.
	only, err := c.PostStatus(ctx, &gomastodon.Toot{MediaIDs: []gomastodon.ID{ids[2]}})
	if err != nil {
		t.Fatalf("a post with only an image: %v", err)
	}
	if _, err := c.UpdateStatus(ctx, &gomastodon.Toot{Status: "now with words", MediaIDs: []gomastodon.ID{ids[2]}}, only.ID); err != nil {
		t.Fatalf("an edit repeating the attachments: %v", err)
	}
	if _, err := c.UpdateStatus(ctx, &gomastodon.Toot{Status: "mine now", MediaIDs: []gomastodon.ID{ids[0]}}, only.ID); err == nil || !strings.Contains(err.Error(), "422") {
		t.Fatalf("an edit taking an upload already on another post: %v, want 422", err)
	}
}

// TestEditMedia changes a post's images in edits, through a Mastodon
// client library and with media_attributes: images join, reorder, leave
// (their files deleted), and get new descriptions; bad edits change nothing.
func TestEditMedia(t *testing.T) {
	ts, dir := mustMediaServer(t)
	worker := starling.NewJobWorker(ts.DB, time.Minute)
	ts.Svc.HandleJobs(worker)
	ann, bob := ts.MustUser(t, "ann"), ts.MustUser(t, "bob")
	ctx := context.Background()
	c := gomastodon.NewClient(&gomastodon.Config{Server: ts.URL, AccessToken: ann.Token})
	var ids []gomastodon.ID
	for i := range 3 {
		att, err := c.UploadMediaFromMedia(ctx, &gomastodon.Media{File: bytes.NewReader(jpegWithGPS(t)), Description: fmt.Sprintf("photo %d", i+1)})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, att.ID)
	}
	posted, err := c.PostStatus(ctx, &gomastodon.Toot{Status: "Garden open day", MediaIDs: ids[:1]})
	if err != nil {
		t.Fatal(err)
	}
	descriptions := func(s *gomastodon.Status) string {
		var out []string
		for _, m := range s.MediaAttachments {
			out = append(out, m.Description)
		}
		return strings.Join(out, ", ")
	}
	edited, err := c.UpdateStatus(ctx, &gomastodon.Toot{Status: "Garden open day, more photos", MediaIDs: []gomastodon.ID{ids[2], ids[0], ids[1]}}, posted.ID)
	if err != nil || descriptions(edited) != "photo 3, photo 1, photo 2" {
		t.Fatalf("after adding two: %q, %v", descriptions(edited), err)
	}
	files := countFiles(t, dir)
	edited, err = c.UpdateStatus(ctx, &gomastodon.Toot{Status: "Garden open day, the best two", MediaIDs: []gomastodon.ID{ids[1], ids[2]}}, posted.ID)
	if err != nil || descriptions(edited) != "photo 2, photo 3" {
		t.Fatalf("after taking one off: %q, %v", descriptions(edited), err)
	}
	// The image taken off is deleted by a job, file and preview.
	if n, err := worker.RunDue(ctx); n != 1 || err != nil {
		t.Fatalf("%d jobs ran (%v), want the one deleting the image taken off", n, err)
	}
	if n := countFiles(t, dir); n != files-2 {
		t.Errorf("%d files after taking an image off, want %d", n, files-2)
	}
	ts.MustError(t, get("/api/v1/media/"+string(ids[0]), ann.Token), http.StatusNotFound)

	// New descriptions in an edit, as JSON and as form fields.
	var out map[string]any
	ts.MustCall(t, request{method: "PUT", path: "/api/v1/statuses/" + string(posted.ID), token: ann.Token, json: map[string]any{
		"status": "Garden open day", "media_ids": []string{string(ids[1]), string(ids[2])},
		"media_attributes": []map[string]any{{"id": string(ids[1]), "description": "Sunflowers by the day room window"}},
	}}, http.StatusOK, &out)
	got, err := c.GetStatus(ctx, posted.ID)
	if err != nil || descriptions(got) != "Sunflowers by the day room window, photo 3" {
		t.Fatalf("after a JSON edit of a description: %q, %v", descriptions(got), err)
	}
	ts.MustCall(t, request{method: "PUT", path: "/api/v1/statuses/" + string(posted.ID), token: ann.Token, form: url.Values{
		"status": {"Garden open day"}, "media_attributes[][id]": {string(ids[2])}, "media_attributes[][description]": {"Raised beds for wheelchair users"},
		"media_attributes[][focus]": {"0.5,-0.25"},
	}}, http.StatusOK, &out)
	got, _ = c.GetStatus(ctx, posted.ID)
	if descriptions(got) != "Sunflowers by the day room window, Raised beds for wheelchair users" || got.MediaAttachments[1].Meta.Focus.X != 0.5 {
		t.Fatalf("after a form edit: %q %+v", descriptions(got), got.MediaAttachments[1].Meta.Focus)
	}

	// Refused, and nothing changes: five images, someone else's upload, an
	// attachment of another post, a description for an image not on the post.
	other, err := gomastodon.NewClient(&gomastodon.Config{Server: ts.URL, AccessToken: bob.Token}).
		UploadMediaFromMedia(ctx, &gomastodon.Media{File: bytes.NewReader(jpegWithGPS(t))})
	if err != nil {
		t.Fatal(err)
	}
	base := "/api/v1/statuses/" + string(posted.ID)
	for name, form := range map[string]url.Values{
		"bob's upload":      {"status": {"x"}, "media_ids[]": {string(ids[1]), string(other.ID)}},
		"an unknown upload": {"status": {"x"}, "media_ids[]": {"123456789"}},
		"a bad ID":          {"status": {"x"}, "media_ids[]": {"photo"}},
		"the same twice":    {"status": {"x"}, "media_ids[]": {string(ids[1]), string(ids[1])}},
		"not on the post":   {"status": {"x"}, "media_attributes[][id]": {string(other.ID)}, "media_attributes[][description]": {"mine"}},
		"out of step":       {"status": {"x"}, "media_attributes[][id]": {string(ids[1]), string(ids[2])}, "media_attributes[][description]": {"one"}},
		"no text, no image": {"status": {""}, "media_ids[]": {""}},
		"a bad focus":       {"status": {"x"}, "media_attributes[][id]": {string(ids[1])}, "media_attributes[][focus]": {"2,2"}},
	} {
		if msg := ts.MustError(t, request{method: "PUT", path: base, token: ann.Token, form: form}, http.StatusUnprocessableEntity); msg == "" {
			t.Errorf("%s: no error message", name)
		}
	}
	after, _ := c.GetStatus(ctx, posted.ID)
	if after.Content != got.Content || descriptions(after) != descriptions(got) {
		t.Fatalf("a refused edit changed the post: %q %q", after.Content, descriptions(after))
	}
	// media_ids[]= alone takes every image off a post that has words.
	ts.MustCall(t, request{method: "PUT", path: base, token: ann.Token, form: url.Values{"status": {"Words only now"}, "media_ids[]": {""}}}, http.StatusOK, &out)
	if got, _ := c.GetStatus(ctx, posted.ID); len(got.MediaAttachments) != 0 {
		t.Fatalf("%d images left after media_ids[]= alone", len(got.MediaAttachments))
	}
}

// TestAltTextRequired: a community that requires descriptions refuses a
// post whose image has none, and takes it once described.
func TestAltTextRequired(t *testing.T) {
	ts, _ := mustMediaServer(t, func(in *starling.Instance) { in.AltText = starling.AltTextRequired })
	ann := ts.MustUser(t, "ann")
	ctx := context.Background()
	c := gomastodon.NewClient(&gomastodon.Config{Server: ts.URL, AccessToken: ann.Token})
	att, err := c.UploadMediaFromBytes(ctx, jpegWithGPS(t))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.PostStatus(ctx, &gomastodon.Toot{Status: "undescribed", MediaIDs: []gomastodon.ID{att.ID}})
	if err == nil || !strings.Contains(err.Error(), "422") || !strings.Contains(err.Error(), "no description") {
		t.Fatalf("an undescribed image: %v, want 422 naming the missing description", err)
	}
	if res := ts.MustDo(t, request{method: "PUT", path: "/api/v1/media/" + string(att.ID), token: ann.Token, json: map[string]string{"description": "A crowded conference hall"}}); res.Status != 200 {
		t.Fatalf("describe: %d", res.Status)
	}
	if _, err := c.PostStatus(ctx, &gomastodon.Toot{Status: "described", MediaIDs: []gomastodon.ID{att.ID}}); err != nil {
		t.Fatalf("a described image: %v", err)
	}
}
