package imaging

import (
	"image"
	"math"

	"github.com/bbrks/go-blurhash"
	xdraw "golang.org/x/image/draw"
)

// previewPixels is the size of the small rendition timelines show, as
// Mastodon's (480×480 worth of pixels, whatever the shape).
const previewPixels = 230_400

// scaled returns img shrunk to at most pixels, keeping its shape; img itself
// if it is small enough.
func scaled(img image.Image, pixels int) image.Image {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w*h <= pixels {
		return img
	}
	f := float64(pixels) / float64(w*h)
	nw, nh := max(1, int(float64(w)*math.Sqrt(f))), max(1, int(float64(h)*math.Sqrt(f)))
	out := image.NewRGBA(image.Rect(0, 0, nw, nh))
	xdraw.ApproxBiLinear.Scale(out, out.Bounds(), img, b, xdraw.Src, nil)
	return out
}

// blurhashOf is the placeholder apps paint while the image loads: 4×3
// components of a 32-pixel-wide copy, which is as good as of the whole.
func blurhashOf(img image.Image) string {
	hash, err := blurhash.Encode(4, 3, scaled(img, 32*32))
	if err != nil {
		return ""
	}
	return hash
}
