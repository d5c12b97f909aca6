package mastodon

import (
	"errors"
	"fmt"
	"net/http"

	"starling"
	"starling/server"
)

// MediaAttachment is Mastodon's entity for an uploaded file.
type MediaAttachment struct {
	ID               string    `json:"id"`
	Type             string    `json:"type"`
	URL              string    `json:"url"`
	PreviewURL       string    `json:"preview_url"`
	RemoteURL        *string   `json:"remote_url"`
	PreviewRemoteURL *string   `json:"preview_remote_url"`
	TextURL          *string   `json:"text_url"`
	Meta             MediaMeta `json:"meta"`
	Description      *string   `json:"description"`
	Blurhash         *string   `json:"blurhash"`
}

// MediaMeta holds an attachment's dimensions and focus point.
type MediaMeta struct {
	Original MediaSize  `json:"original"`
	Small    MediaSize  `json:"small"`
	Focus    MediaFocus `json:"focus"`
}

// MediaSize is one rendition's dimensions.
type MediaSize struct {
	Width  int     `json:"width"`
	Height int     `json:"height"`
	Size   string  `json:"size"`
	Aspect float64 `json:"aspect"`
}

// MediaFocus is the point a cropped preview keeps in view.
type MediaFocus struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
}

func mediaSize(w, h int) MediaSize {
	size := MediaSize{Width: w, Height: h, Size: fmt.Sprintf("%dx%d", w, h)}
	if h > 0 {
		size.Aspect = float64(w) / float64(h)
	}
	return size
}

func (r *renderer) mediaAttachment(m *starling.MediaAttachment) MediaAttachment {
	u, preview := r.in.BaseURL+server.MediaPath+m.FileKey, r.in.BaseURL+server.MediaPath+m.PreviewKey
	out := MediaAttachment{ID: starling.FormatID(m.ID), Type: m.Type, URL: u, PreviewURL: preview,
		Meta: MediaMeta{Original: mediaSize(m.Width, m.Height), Small: mediaSize(m.PreviewWidth, m.PreviewHeight),
			Focus: MediaFocus{X: m.FocusX, Y: m.FocusY}}}
	if m.Description != "" {
		out.Description = &m.Description
	}
	if m.Blurhash != "" {
		out.Blurhash = &m.Blurhash
	}
	return out
}

// maxUploadBody bounds a media upload request: the file and a few fields.
const maxUploadBody = starling.MaxImageBytes + 64<<10

// handleMediaUpload serves POST /api/v1/media and /api/v2/media. Images are
// processed before the answer, so both answer 200 with the finished
// attachment (Mastodon's v2 may answer 202 and finish later).
func (h *handler) handleMediaUpload(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxUploadBody)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			server.WriteError(w, r, starling.Errorf(starling.EINVALID, "Validation failed: File is larger than %d MB", starling.MaxImageBytes>>20))
			return
		}
		server.WriteError(w, r, starling.Errorf(starling.EBADREQUEST, "Send the file as multipart/form-data in a field named file"))
		return
	}
	defer r.MultipartForm.RemoveAll()
	file, _, err := r.FormFile("file")
	if err != nil {
		server.WriteError(w, r, starling.Errorf(starling.EINVALID, "Validation failed: File can't be blank"))
		return
	}
	defer file.Close()
	for _, k := range []string{"description", "focus"} {
		if !isText(r.PostFormValue(k)) {
			server.WriteError(w, r, errNotText)
			return
		}
	}
	confirmed, _ := (&params{form: r.Form}).boolean(confirmPersonalData)
	m, err := h.svc.UploadMedia(r.Context(), viewer(r), starling.MediaUpload{
		Body: file, Description: r.PostFormValue("description"), Focus: r.PostFormValue("focus"), ConfirmPersonalData: confirmed})
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, h.renderer(r.Context()).mediaAttachment(m))
}

// handleMediaGet serves GET /api/v1/media/:id.
func (h *handler) handleMediaGet(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err == nil {
		var m *starling.MediaAttachment
		if m, err = h.svc.GetMedia(r.Context(), viewer(r), id); err == nil {
			server.WriteJSON(w, http.StatusOK, h.renderer(r.Context()).mediaAttachment(m))
			return
		}
	}
	server.WriteError(w, r, err)
}

// handleMediaUpdate serves PUT /api/v1/media/:id: alt text and focus.
func (h *handler) handleMediaUpdate(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	p, err := readParams(r)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	c := starling.MediaChange{ConfirmPersonalData: boolOf(p, confirmPersonalData)}
	if v, ok := p.str("description"); ok {
		c.Description = &v
	}
	if v, ok := p.str("focus"); ok {
		c.Focus = &v
	}
	m, err := h.svc.UpdateMedia(r.Context(), viewer(r), id, c)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, h.renderer(r.Context()).mediaAttachment(m))
}
