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
