package starling

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"
)

// Media limits, as Mastodon's for images.
const (
	MaxImageBytes       = 16 << 20   // an upload larger than this is refused
	MaxImagePixels      = 33_177_600 // 7680×4320: larger images are refused before they are decoded
	MaxMediaDescription = 1500       // characters of alt text
)

// MediaFiles keeps uploaded files: a folder on local disk by default, or
// S3-compatible object storage, so that any of several servers can serve
// any file. Keys are paths such as "attachments/123/abc.jpg".
type MediaFiles interface {
	// Put stores a file; an existing file of that key is replaced.
	Put(ctx context.Context, key string, body io.Reader, size int64, contentType string) error
	// Get opens a file; ENOTFOUND when there is none.
	Get(ctx context.Context, key string) (io.ReadCloser, FileInfo, error)
	// Delete removes a file; a missing file is no error.
	Delete(ctx context.Context, key string) error
}

// FileInfo describes a stored file.
type FileInfo struct {
	Size        int64
	ContentType string
	ModTime     time.Time
}

// ImageProcessor checks an uploaded image and makes the file that is
// stored: decoded and encoded again, so no metadata of the original
// (location, camera, XMP) survives. Package imaging implements it.
type ImageProcessor interface {
	// Process reads an image of at most MaxImageBytes and MaxImagePixels; an
	// image that is not one, or is too large, is an EINVALID error.
	Process(r io.Reader) (*Image, error)
}

// Image is a processed image, ready to store: the image itself, upright,
// and a small preview for timelines.
type Image struct {
	Data        []byte
	ContentType string
	Ext         string // ".jpg", ".png", ".gif"
	Width       int
	Height      int

	Preview            []byte
	PreviewContentType string
	PreviewExt         string
	PreviewWidth       int
	PreviewHeight      int
	Blurhash           string // the placeholder apps paint while it loads
}

// MediaAttachment is an uploaded file, on its own until a status takes it.
type MediaAttachment struct {
	ID                          int64
	AccountID                   int64
	StatusID                    int64 // 0 until attached
	Type                        string
	FileKey                     string
	ContentType                 string
	Size                        int64
	Width                       int
	Height                      int
	PreviewKey                  string
	PreviewWidth, PreviewHeight int
	Blurhash                    string
	Description                 string
	FocusX                      float64
	FocusY                      float64
	CreatedAt                   time.Time
}

// MediaStore keeps media attachments.
type MediaStore interface {
	CreateMedia(ctx context.Context, m *MediaAttachment) error
	UpdateMedia(ctx context.Context, m *MediaAttachment) error
	// Media reads one attachment; ENOTFOUND when there is none.
	Media(ctx context.Context, id int64) (*MediaAttachment, error)
	// MediaOfStatuses reads the attachments of statuses, in the order their authors gave.
	MediaOfStatuses(ctx context.Context, statusIDs []int64) (map[int64][]*MediaAttachment, error)
	// SetStatusMedia makes s.MediaIDs, in that order, the attachments of
	// an existing status (the author's uploads, unattached or on s already)
	// and returns those it took off; EINVALID if one cannot be attached.
	SetStatusMedia(ctx context.Context, s *Status) (removed []int64, err error)
	// DeleteUnattachedMedia deletes an upload's record if no post has it;
	// false if a post has it (or it is gone).
	DeleteUnattachedMedia(ctx context.Context, id int64) (bool, error)
}

// SetMediaFiles sets where uploads are stored and how images are checked.
// Without them, uploads are refused.
func (svc *Service) SetMediaFiles(files MediaFiles, images ImageProcessor) {
	svc.files, svc.images = files, images
}

// MediaFiles returns where uploads are stored (nil if nowhere).
func (svc *Service) MediaFiles() MediaFiles { return svc.files }

// MediaUpload is an upload as received.
type MediaUpload struct {
	Body        io.Reader
	Description string
	Focus       string // "x,y" in [-1, 1], as Mastodon takes it
	// ConfirmPersonalData: see NewStatus.
	ConfirmPersonalData bool
}

// UploadMedia checks an image, stores it without its metadata and records
// it as viewer's, ready to attach to a post.
func (svc *Service) UploadMedia(ctx context.Context, viewer *Account, in MediaUpload) (*MediaAttachment, error) {
	if svc.files == nil || svc.images == nil {
		return nil, Errorf(EUNAVAILABLE, "This server does not take uploads")
	}
	if err := validDescription(in.Description); err != nil {
		return nil, err
	}
	if err := svc.checkPersonalData(ctx, viewer, subjectMedia, in.ConfirmPersonalData, CheckedText{Field: "description", Text: in.Description}); err != nil {
		return nil, err
	}
	fx, fy, err := parseFocus(in.Focus)
	if err != nil {
		return nil, err
	}
	img, err := svc.images.Process(in.Body)
	if err != nil {
		return nil, err
	}
	now := svc.now()
	m := &MediaAttachment{ID: svc.newID(now), AccountID: viewer.ID, Type: "image", ContentType: img.ContentType,
		Size: int64(len(img.Data)), Width: img.Width, Height: img.Height, PreviewWidth: img.PreviewWidth,
		PreviewHeight: img.PreviewHeight, Blurhash: img.Blurhash, Description: in.Description,
		FocusX: fx, FocusY: fy, CreatedAt: now}
	// The random part keeps files of private posts from being guessed.
	var r [12]byte
	_, _ = rand.Read(r[:])
	dir := "attachments/" + FormatID(m.ID) + "/" + hex.EncodeToString(r[:])
	m.FileKey, m.PreviewKey = dir+"/original"+img.Ext, dir+"/small"+img.PreviewExt
	cleanup := func() { // no file without its record
		_ = svc.files.Delete(context.WithoutCancel(ctx), m.FileKey)
		_ = svc.files.Delete(context.WithoutCancel(ctx), m.PreviewKey)
	}
	if err := svc.files.Put(ctx, m.FileKey, bytes.NewReader(img.Data), m.Size, m.ContentType); err != nil {
		return nil, fmt.Errorf("store upload: %w", err)
	}
	if err := svc.files.Put(ctx, m.PreviewKey, bytes.NewReader(img.Preview), int64(len(img.Preview)), img.PreviewContentType); err != nil {
		cleanup()
		return nil, fmt.Errorf("store preview: %w", err)
	}
	err = svc.store.Update(ctx, func(tx Tx) error {
		if err := tx.CreateMedia(ctx, m); err != nil {
			return err
		}
		return enqueueMediaSweep(ctx, tx, m.ID, now.Add(unattachedMediaKept))
	})
	if err != nil {
		cleanup()
		return nil, err
	}
	return m, nil
}

// unattachedMediaKept is how long an upload waits for a post before it is
// deleted, file and record: an app that uploads and never posts leaves
// nothing behind for longer.
const unattachedMediaKept = 24 * time.Hour

const mediaSweepJob = "media.sweep"

type mediaSweepArgs struct {
	Media int64 `json:"media"`
}

// enqueueMediaSweep schedules the check that deletes an upload at if no
// post has it then.
func enqueueMediaSweep(ctx context.Context, tx Tx, id int64, at time.Time) error {
	args, err := json.Marshal(mediaSweepArgs{Media: id})
	if err != nil {
		return err
	}
	return tx.EnqueueJob(ctx, &Job{Kind: mediaSweepJob, Args: args}, at, time.Time{})
}

// sweepMedia deletes an upload no post has: the record first, and only if
// still unattached in that same statement, so a post taking it at that
// moment keeps it; then its files. Files left by a failure here are
// unreachable, never a record without its file.
func (svc *Service) sweepMedia(ctx context.Context, j *Job) error {
	var a mediaSweepArgs
	if err := json.Unmarshal(j.Args, &a); err != nil {
		return err
	}
	m, err := svc.store.Media(ctx, a.Media)
	if ErrorCode(err) == ENOTFOUND {
		return nil
	} else if err != nil {
		return err
	}
	if m.StatusID != 0 {
		return nil
	}
	var deleted bool
	if err := svc.store.Update(ctx, func(tx Tx) (err error) {
		deleted, err = tx.DeleteUnattachedMedia(ctx, m.ID)
		return err
	}); err != nil || !deleted {
		return err
	}
	if svc.files == nil {
		return nil
	}
	for _, key := range []string{m.FileKey, m.PreviewKey} {
		if err := svc.files.Delete(ctx, key); err != nil {
			slog.ErrorContext(ctx, "media: delete file of a swept upload", "media", m.ID, "err", err)
		}
	}
	return nil
}

// GetMedia returns one of viewer's uploads.
func (svc *Service) GetMedia(ctx context.Context, viewer *Account, id int64) (*MediaAttachment, error) {
	m, err := svc.store.Media(ctx, id)
	if err != nil {
		return nil, err
	}
	if m.AccountID != viewer.ID {
		return nil, Errorf(ENOTFOUND, "Record not found")
	}
	return m, nil
}

// MediaChange is an edit of an upload's description or focus; nil fields stay.
type MediaChange struct {
	Description *string
	Focus       *string
	// ConfirmPersonalData: see NewStatus. In an edit, StatusChange's counts.
	ConfirmPersonalData bool
}

// UpdateMedia changes the alt text or focus point of one of viewer's uploads.
func (svc *Service) UpdateMedia(ctx context.Context, viewer *Account, id int64, c MediaChange) (*MediaAttachment, error) {
	if c.Description != nil {
		if err := validDescription(*c.Description); err != nil {
			return nil, err
		}
		if err := svc.checkPersonalData(ctx, viewer, subjectMedia, c.ConfirmPersonalData, CheckedText{Field: "description", Text: *c.Description}); err != nil {
			return nil, err
		}
	}
	var out *MediaAttachment
	err := svc.store.Update(ctx, func(tx Tx) error {
		m, err := tx.Media(ctx, id)
		if err != nil {
			return err
		}
		if m.AccountID != viewer.ID {
			return Errorf(ENOTFOUND, "Record not found")
		}
		if err := c.apply(m); err != nil {
			return err
		}
		out = m
		return tx.UpdateMedia(ctx, m)
	})
	return out, err
}

// apply checks the change and makes it on m.
func (c MediaChange) apply(m *MediaAttachment) (err error) {
	if c.Description != nil {
		if err := validDescription(*c.Description); err != nil {
			return err
		}
		m.Description = *c.Description
	}
	if c.Focus != nil {
		if m.FocusX, m.FocusY, err = parseFocus(*c.Focus); err != nil {
			return err
		}
	}
	return nil
}

func validDescription(s string) error {
	if !utf8.ValidString(s) {
		return Errorf(EINVALID, "Validation failed: Description is not valid UTF-8")
	}
	if utf8.RuneCountInString(s) > MaxMediaDescription {
		return Errorf(EINVALID, "Validation failed: Description is too long (maximum is %d characters)", MaxMediaDescription)
	}
	return nil
}

// parseFocus reads "x,y" with both in [-1, 1]; "" is the centre.
func parseFocus(s string) (x, y float64, err error) {
	if s == "" {
		return 0, 0, nil
	}
	if _, err := fmt.Sscanf(s, "%g,%g", &x, &y); err != nil || x < -1 || x > 1 || y < -1 || y > 1 {
		return 0, 0, Errorf(EINVALID, "Validation failed: Focus must be two numbers from -1 to 1, like 0.5,-0.25")
	}
	return x, y, nil
}

// describedMedia checks that each upload has a description, for
// communities that require them.
func describedMedia(ctx context.Context, tx Tx, ids []int64) error {
	for i, id := range ids {
		m, err := tx.Media(ctx, id)
		if ErrorCode(err) == ENOTFOUND {
			continue // attaching reports it
		} else if err != nil {
			return err
		}
		if strings.TrimSpace(m.Description) == "" {
			return Errorf(EINVALID, "Validation failed: Image %d has no description: this community asks for a description (alt text) of every image, for people who cannot see it", i+1)
		}
	}
	return nil
}
