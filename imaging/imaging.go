// Package imaging checks uploaded images and re-encodes them, so that what
// is stored and served carries none of the original's metadata: no GPS
// position, camera serial or XMP packet can leak a person's whereabouts.
package imaging

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"

	_ "golang.org/x/image/webp" // decoder registered for image.Decode

	"starling"
)

// Processor implements starling.ImageProcessor.
type Processor struct {
	MaxBytes  int64 // 0: starling.MaxImageBytes
	MaxPixels int   // 0: starling.MaxImagePixels
}

var _ starling.ImageProcessor = Processor{}

func invalid(format string, a ...any) error {
	return starling.Errorf(starling.EINVALID, "Validation failed: "+format, a...)
}

// Process implements starling.ImageProcessor. The dimensions are read from
// the header before any pixel is decoded, so a small file claiming a huge
// image (a decompression bomb) is refused without the memory it asks for.
func (p Processor) Process(r io.Reader) (*starling.Image, error) {
	maxBytes, maxPixels := p.MaxBytes, p.MaxPixels
	if maxBytes <= 0 {
		maxBytes = starling.MaxImageBytes
	}
	if maxPixels <= 0 {
		maxPixels = starling.MaxImagePixels
	}
	data, err := io.ReadAll(io.LimitReader(r, maxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read upload: %w", err)
	}
	if int64(len(data)) > maxBytes {
		return nil, invalid("File is larger than %d MB", maxBytes>>20)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, invalid("File is not a JPEG, PNG, GIF or WebP image")
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > maxPixels || cfg.Width > 1<<16 || cfg.Height > 1<<16 {
		return nil, invalid("Image is %d×%d pixels; at most %d pixels are allowed", cfg.Width, cfg.Height, maxPixels)
	}
	out := &starling.Image{Width: cfg.Width, Height: cfg.Height}
	var buf bytes.Buffer
	var img image.Image // the picture, upright, for the preview
	switch format {
	case "gif":
		// Every frame of an animation, without comments or application data.
		g, err := gif.DecodeAll(bytes.NewReader(data))
		if err != nil {
			return nil, invalid("Image is damaged: %v", short(err))
		}
		if err := gif.EncodeAll(&buf, g); err != nil {
			return nil, fmt.Errorf("encode gif: %w", err)
		}
		img = g.Image[0]
		out.ContentType, out.Ext = "image/gif", ".gif"
	default:
		if img, _, err = image.Decode(bytes.NewReader(data)); err != nil {
			return nil, invalid("Image is damaged: %v", short(err))
		}
		if format == "jpeg" {
			// Photos stay JPEG, turned upright first: the orientation tag
			// goes with the rest of EXIF.
			img = orient(img, jpegOrientation(data))
			err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90})
			out.ContentType, out.Ext = "image/jpeg", ".jpg"
		} else {
			// PNG stays PNG; WebP, which Go cannot encode, becomes PNG.
			err = (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, img)
			out.ContentType, out.Ext = "image/png", ".png"
		}
		if err != nil {
			return nil, fmt.Errorf("encode %s: %w", format, err)
		}
	}
	out.Data = buf.Bytes()
	b := img.Bounds()
	out.Width, out.Height = b.Dx(), b.Dy()
	if err := preview(out, img); err != nil {
		return nil, err
	}
	out.Blurhash = blurhashOf(img)
	return out, nil
}

// preview makes the small rendition: JPEG for photos, PNG for the rest
// (transparency stays, an animation shows its first frame).
func preview(out *starling.Image, img image.Image) error {
	small := scaled(img, previewPixels)
	var buf bytes.Buffer
	var err error
	if out.ContentType == "image/jpeg" {
		err = jpeg.Encode(&buf, small, &jpeg.Options{Quality: 80})
		out.PreviewContentType, out.PreviewExt = "image/jpeg", ".jpg"
	} else {
		err = (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, small)
		out.PreviewContentType, out.PreviewExt = "image/png", ".png"
	}
	if err != nil {
		return fmt.Errorf("encode preview: %w", err)
	}
	b := small.Bounds()
	out.Preview, out.PreviewWidth, out.PreviewHeight = buf.Bytes(), b.Dx(), b.Dy()
	return nil
}

// short keeps a decoder's complaint to its message, for the member.
func short(err error) string {
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return "the file ends too early"
	}
	return err.Error()
}
