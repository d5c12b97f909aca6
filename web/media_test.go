package web

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"golang.org/x/net/html"

	"starling"
	"starling/apptest"
	"starling/diskmedia"
	"starling/imaging"
)

// postMultipart sends fields and files as the compose form does when an
// image is attached.
func (b *browser) postMultipart(path string, fields map[string]string, files map[string][]byte) *response {
	b.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, v := range fields {
		_ = w.WriteField(k, v)
	}
	for name, data := range files {
		part, err := w.CreateFormFile(name, name+".jpg")
		if err != nil {
			b.t.Fatal(err)
		}
		part.Write(data)
	}
	w.Close()
	req, err := http.NewRequest(http.MethodPost, b.env.srv.URL+path, &body)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	return b.do(req)
}

func photo(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 90, 60))
	for x := range 90 {
		img.Set(x, x%60, color.RGBA{40, 140, 60, 255})
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestComposeWithImage: the compose box takes an image and its description
// without JavaScript; the post shows the preview with the description as
// its alt text. A broken file keeps the draft and points at the image.
func TestComposeWithImage(t *testing.T) {
	env := mustServer(t, starling.RegistrationsOpen, Options{})
	files, err := diskmedia.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	env.svc.SetMediaFiles(files, imaging.Processor{})
	apptest.MustAccount(t, env.svc, "ann")
	b := env.newBrowser()
	b.signIn("ann@example.org", "password123")

	home := b.get("/")
	form := findAll(home.Doc, func(n *html.Node) bool { return n.Data == "form" && attr(n, "action") == "/statuses" })
	if len(form) == 0 || attr(form[0], "enctype") != "multipart/form-data" || byID(home.Doc, "compose-media1") == nil {
		t.Fatal("the home compose box has no image input")
	}
	fields := map[string]string{}
	for k, v := range hiddenFields(t, home, "/statuses") {
		fields[k] = v[0]
	}
	fields["status"] = "Our garden party at Rose Court"
	fields["media1_description"] = "Residents and staff planting sunflowers in raised beds"
	res := b.postMultipart("/statuses", fields, map[string][]byte{"media1": photo(t)})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("posting with an image: %d\n%s", res.StatusCode, res.Body)
	}
	home = b.get("/")
	imgs := findAll(home.Doc, func(n *html.Node) bool {
		return n.Data == "img" && strings.HasPrefix(attr(n, "src"), "/media/attachments/")
	})
	if len(imgs) != 1 || attr(imgs[0], "alt") != "Residents and staff planting sunflowers in raised beds" {
		t.Fatalf("the post shows %d images; want one with its description as alt text", len(imgs))
	}
	if src := attr(imgs[0], "src"); !strings.HasSuffix(src, "/small.jpg") {
		t.Fatalf("the timeline shows %s, want the preview", src)
	}

	fields["idempotency_key"] = "another"
	fields["status"] = "A draft worth keeping"
	res = b.postMultipart("/statuses", fields, map[string][]byte{"media1": []byte("not an image")})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a broken image: %d, want 422", res.StatusCode)
	}
	if !strings.Contains(res.Body, "A draft worth keeping") || !strings.Contains(res.Body, `href="#compose-media1"`) ||
		!strings.Contains(res.Body, "Residents and staff planting sunflowers") {
		t.Fatal("the error page lost the draft, the description or the link to the image input")
	}

	// Marked sensitive: the image is folded behind a disclosure, and a
	// refused draft keeps the mark.
	fields["idempotency_key"] = "sensitive"
	fields["status"] = "The wound care training slides"
	fields["sensitive"] = "1"
	res = b.postMultipart("/statuses", fields, map[string][]byte{"media1": []byte("not an image")})
	if res.StatusCode != http.StatusUnprocessableEntity || byID(res.Doc, "compose-sensitive") == nil || !hasAttr(byID(res.Doc, "compose-sensitive"), "checked") {
		t.Fatalf("a refused sensitive draft: %d, the box kept ticked: %v", res.StatusCode, byID(res.Doc, "compose-sensitive") != nil)
	}
	fields["idempotency_key"] = "sensitive2"
	if res = b.postMultipart("/statuses", fields, map[string][]byte{"media1": photo(t)}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("posting a sensitive image: %d", res.StatusCode)
	}
	home = b.get("/")
	folded := findAll(home.Doc, func(n *html.Node) bool {
		return n.Data == "details" && strings.Contains(attr(n, "class"), "sensitive-media")
	})
	if len(folded) != 1 || len(findAll(folded[0], func(n *html.Node) bool { return n.Data == "img" })) != 1 ||
		!strings.Contains(text(folded[0]), "Sensitive media") {
		t.Fatalf("%d folded media blocks, want the sensitive post's one image folded", len(folded))
	}
}

// TestBrowserImageUpload attaches an image with its description in a real
// browser and finds it in the timeline with that description as alt text;
// axe-core checks the compose box with the image fields open.
func TestBrowserImageUpload(t *testing.T) {
	j := newJourney(t)
	files, err := diskmedia.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	j.env.svc.SetMediaFiles(files, imaging.Processor{})
	apptest.MustAccount(t, j.env.svc, "ann")
	file := filepath.Join(t.TempDir(), "garden.jpg")
	if err := os.WriteFile(file, photo(t), 0o600); err != nil {
		t.Fatal(err)
	}
	j.signIn("ann@example.org", "password123")
	j.open("/")
	j.do("open the image fields", chromedp.Click(chromedp.CSS(".compose-media summary")))
	j.at("compose with image fields", "/")
	j.do("attach and describe an image",
		chromedp.SetUploadFiles(chromedp.CSS("#compose-media1"), []string{file}),
		chromedp.SendKeys(chromedp.CSS("#compose-media1-description"), "A sunflower taller than the care home's front door"),
		chromedp.SendKeys(chromedp.CSS("#compose"), "Look what grew this summer #socialcare"),
		chromedp.Click(chromedp.CSS(`form[data-compose] button[type=submit]`)),
	)
	j.waitFor("the post with its image, loaded", `(() => { const i = document.querySelector('#feed img[alt="A sunflower taller than the care home\'s front door"]'); return !!i && i.complete && i.naturalWidth === 90 })()`)
	j.at("home with an image", "/")
}

// TestBrowserAltTextNudge: where descriptions are nudged, posting an image
// without one first points at the empty description and waits; pressing
// Post again posts it.
func TestBrowserAltTextNudge(t *testing.T) {
	j := newJourney(t)
	files, err := diskmedia.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	j.env.svc.SetMediaFiles(files, imaging.Processor{})
	apptest.MustAccount(t, j.env.svc, "ann")
	file := filepath.Join(t.TempDir(), "garden.jpg")
	if err := os.WriteFile(file, photo(t), 0o600); err != nil {
		t.Fatal(err)
	}
	j.signIn("ann@example.org", "password123")
	j.open("/")
	j.do("attach an image without a description",
		chromedp.Click(chromedp.CSS(".compose-media summary")),
		chromedp.SetUploadFiles(chromedp.CSS("#compose-media1"), []string{file}),
		chromedp.SendKeys(chromedp.CSS("#compose"), "No words for this one"),
		chromedp.Click(chromedp.CSS(`form[data-compose] button[type=submit]`)),
	)
	j.waitFor("the reminder", `!!document.getElementById("compose-media1-nudge") && document.activeElement.id === "compose-media1-description"`)
	j.at("the alt text reminder", "/")
	if n := eval[int](j, `document.querySelectorAll("#feed img").length`); n != 0 {
		t.Fatal("posted without waiting for the second press")
	}
	j.do("post anyway", chromedp.Click(chromedp.CSS(`form[data-compose] button[type=submit]`)))
	j.waitFor("the post, without a description", `!!document.querySelector('#feed img[alt="An image without a description"]')`)
}
