// Package diskmedia keeps uploaded files in a folder on local disk: the
// default, for a community on one server.
package diskmedia

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"os"
	"path"
	"path/filepath"
	"strings"

	"starling"
)

// Files implements starling.MediaFiles in a folder.
type Files struct{ root string }

var _ starling.MediaFiles = (*Files)(nil)

// New returns the files under root, creating the folder if needed.
func New(root string) (*Files, error) {
	if err := os.MkdirAll(root, 0o750); err != nil {
		return nil, fmt.Errorf("media folder: %w", err)
	}
	return &Files{root: root}, nil
}

// ValidKey reports whether key is a clean relative path: no "..", no
// leading slash, no backslash, nothing a request could use to climb out of
// the media folder.
func ValidKey(key string) bool {
	return key != "" && !strings.ContainsAny(key, "\\\x00") && path.Clean(key) == key &&
		!strings.HasPrefix(key, "/") && !strings.HasPrefix(key, "../") && key != ".." && key != "."
}

func (f *Files) path(key string) (string, error) {
	if !ValidKey(key) {
		return "", starling.Errorf(starling.ENOTFOUND, "Record not found")
	}
	return filepath.Join(f.root, filepath.FromSlash(key)), nil
}

// Put implements starling.MediaFiles. The file is written beside its place,
// flushed to disk and renamed into place, so a crash leaves either the
// whole file or none.
func (f *Files) Put(_ context.Context, key string, body io.Reader, _ int64, _ string) error {
	p, err := f.path(key)
	if err != nil {
		return err
	}
	dir := filepath.Dir(p)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".upload-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after the rename, there is nothing to remove
	if _, err := io.Copy(tmp, body); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), p); err != nil {
		return err
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// Get implements starling.MediaFiles.
func (f *Files) Get(_ context.Context, key string) (io.ReadCloser, starling.FileInfo, error) {
	p, err := f.path(key)
	if err != nil {
		return nil, starling.FileInfo{}, err
	}
	file, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, starling.FileInfo{}, starling.Errorf(starling.ENOTFOUND, "Record not found")
	} else if err != nil {
		return nil, starling.FileInfo{}, err
	}
	st, err := file.Stat()
	if err != nil || !st.Mode().IsRegular() {
		file.Close()
		return nil, starling.FileInfo{}, starling.Errorf(starling.ENOTFOUND, "Record not found")
	}
	return file, starling.FileInfo{Size: st.Size(), ModTime: st.ModTime(), ContentType: mime.TypeByExtension(path.Ext(key))}, nil
}

// Delete implements starling.MediaFiles.
func (f *Files) Delete(_ context.Context, key string) error {
	p, err := f.path(key)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}
