package imaging

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"

	"starling"
)

func testPNG(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		img.Set(x, x%h, color.RGBA{200, 30, 30, 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// withEXIF inserts an APP1 segment carrying a GPS-like marker after a
// JPEG's start-of-image marker, as a phone camera does.
func withEXIF(jpg []byte, secret string) []byte {
	payload := append([]byte("Exif\x00\x00"), []byte(secret)...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	out := append([]byte{}, jpg[:2]...)
	out = append(out, seg...)
	out = append(out, payload...)
	return append(out, jpg[2:]...)
}

func TestProcessStripsMetadata(t *testing.T) {
	var b bytes.Buffer
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	const secret = "GPSLatitude 51.5072 N, camera serial 0042"
	upload := withEXIF(b.Bytes(), secret)
	if !bytes.Contains(upload, []byte(secret)) {
		t.Fatal("the test image carries no metadata")
	}
	out, err := Processor{}.Process(bytes.NewReader(upload))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(out.Data, []byte(secret)) || bytes.Contains(out.Data, []byte("Exif")) {
		t.Fatal("the stored image still carries the EXIF segment")
	}
	if out.ContentType != "image/jpeg" || out.Width != 64 || out.Height != 48 {
		t.Fatalf("got %s %dx%d", out.ContentType, out.Width, out.Height)
	}
}

// pngBomb is a valid PNG header claiming w×h pixels, with a tiny body: the
// shape of a decompression bomb.
func pngBomb(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 2 // 8-bit RGB
	chunk := func(typ string, data []byte) {
		binary.Write(&b, binary.BigEndian, uint32(len(data)))
		b.WriteString(typ)
		b.Write(data)
		binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(append([]byte(typ), data...)))
	}
	chunk("IHDR", ihdr)
	chunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})
	chunk("IEND", nil)
	return b.Bytes()
}

func TestProcessRefuses(t *testing.T) {
	good := testPNG(t, 20, 10)
	var jpg bytes.Buffer
	if err := jpeg.Encode(&jpg, image.NewRGBA(image.Rect(0, 0, 300, 200)), nil); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{
		"10000x10000 PNG bomb": pngBomb(10000, 10000),
		"truncated JPEG":       jpg.Bytes()[:jpg.Len()/2],
		"truncated PNG":        good[:len(good)-20],
		"text":                 []byte("<script>alert(1)</script>"),
		"empty":                nil,
	} {
		_, err := Processor{}.Process(bytes.NewReader(data))
		if starling.ErrorCode(err) != starling.EINVALID {
			t.Errorf("%s: got %v, want an EINVALID error", name, err)
		}
	}
	big := testPNG(t, 100, 100)
	if _, err := (Processor{MaxBytes: int64(len(big) - 1)}).Process(bytes.NewReader(big)); starling.ErrorCode(err) != starling.EINVALID {
		t.Errorf("a file over the size limit: %v", err)
	}
	if out, err := (Processor{}).Process(bytes.NewReader(good)); err != nil || out.ContentType != "image/png" || out.Width != 20 {
		t.Errorf("a good PNG: %+v %v", out, err)
	}
}

// exifOrientation is an APP1 segment holding only the orientation tag, as
// a phone writes it (little-endian TIFF).
func exifOrientation(o uint16) []byte {
	tiff := []byte{'I', 'I', 42, 0, 8, 0, 0, 0, // header, first IFD at 8
		1, 0, // one entry
		0x12, 0x01, 3, 0, 1, 0, 0, 0, byte(o), byte(o >> 8), 0, 0, // 0x0112 SHORT ×1
		0, 0, 0, 0} // no next IFD
	payload := append([]byte("Exif\x00\x00"), tiff...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	return append(seg, payload...)
}

// TestPhoneOrientation: a photo stored sideways with orientation 6 comes
// out upright — taller than wide, its top-left pixel where the top-right
// was — and without the tag.
func TestPhoneOrientation(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 60, 40))
	for y := range 40 {
		for x := range 60 {
			img.Set(x, y, color.RGBA{255, 255, 255, 255})
		}
	}
	for y := range 10 { // a red block at the top left of the sensor's picture
		for x := range 10 {
			img.Set(x, y, color.RGBA{255, 0, 0, 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	raw := b.Bytes()
	upload := append(append(append([]byte{}, raw[:2]...), exifOrientation(6)...), raw[2:]...)
	out, err := Processor{}.Process(bytes.NewReader(upload))
	if err != nil {
		t.Fatal(err)
	}
	if out.Width != 40 || out.Height != 60 {
		t.Fatalf("upright size %dx%d, want 40x60", out.Width, out.Height)
	}
	got, err := jpeg.Decode(bytes.NewReader(out.Data))
	if err != nil {
		t.Fatal(err)
	}
	// Turned right: the sensor's top-left corner is now the top-right one.
	if r, g, _, _ := got.At(35, 4).RGBA(); r>>8 < 200 || g>>8 > 80 {
		t.Fatalf("top right is not red: the photo was not turned")
	}
	if r, g, _, _ := got.At(4, 4).RGBA(); r>>8 < 200 || g>>8 < 200 {
		t.Fatalf("top left is not white")
	}
	if bytes.Contains(out.Data, []byte("Exif")) {
		t.Fatal("the orientation tag was kept: apps would turn the photo twice")
	}
}

// TestPreview: a large image gets a preview of at most 230,400 pixels in
// the same shape, and a blurhash of 4×3 components.
func TestPreview(t *testing.T) {
	out, err := Processor{}.Process(bytes.NewReader(testPNG(t, 1200, 800)))
	if err != nil {
		t.Fatal(err)
	}
	w, h := out.PreviewWidth, out.PreviewHeight
	if w*h > previewPixels || w < 580 || w > 590 || h < 387 || h > 393 {
		t.Fatalf("preview %dx%d, want about 587x391", w, h)
	}
	if p, err := png.Decode(bytes.NewReader(out.Preview)); err != nil || p.Bounds().Dx() != w {
		t.Fatalf("preview does not decode to its size: %v", err)
	}
	if len(out.Blurhash) != 28 {
		t.Fatalf("blurhash %q, want 28 characters for 4×3 components", out.Blurhash)
	}
	small, _ := Processor{}.Process(bytes.NewReader(testPNG(t, 20, 10)))
	if small.PreviewWidth != 20 || small.PreviewHeight != 10 {
		t.Fatalf("a small image's preview is %dx%d, want it unscaled", small.PreviewWidth, small.PreviewHeight)
	}
}
