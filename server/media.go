package server

import (
	"io"
	"mime"
	"net/http"
	"path"
	"strconv"

	"starling"
)

// MediaPath is where uploaded files are served: the store's key follows it.
const MediaPath = "/media/"

// MediaFiles serves the stored files under MediaPath from whichever store
// holds them. Keys are random and never change, so files are cached for a
// year; nosniff and a sandboxing CSP keep a file from being run as a page.
func MediaFiles(svc *starling.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		files := svc.MediaFiles()
		key := r.PathValue("key")
		if files == nil || key == "" || path.Clean("/"+key) != "/"+key {
			http.NotFound(w, r)
			return
		}
		body, info, err := files.Get(r.Context(), key)
		if starling.ErrorCode(err) == starling.ENOTFOUND {
			http.NotFound(w, r)
			return
		} else if err != nil {
			WriteError(w, r, err)
			return
		}
		defer body.Close()
		ct := info.ContentType
		if ct == "" {
			ct = mime.TypeByExtension(path.Ext(key))
		}
		h := w.Header()
		h.Set("Content-Type", ct)
		h.Set("Content-Length", strconv.FormatInt(info.Size, 10))
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
		if !info.ModTime.IsZero() {
			h.Set("Last-Modified", info.ModTime.UTC().Format(http.TimeFormat))
		}
		if r.Method == http.MethodHead {
			return
		}
		_, _ = io.Copy(w, body)
	})
}
