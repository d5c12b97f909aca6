package web

import (
	"net/http"
	"time"

	"starling"
	"starling/server"
)

// The archive page lets a member download everything Starling holds about
// them. The download is a POST carrying the form token, not a link: it
// works only with the member's own session, another site cannot start it
// (and use up the member's allowance), and there is no address that
// would hand the archive to whoever found it in a history or a log.

// dataRightsRoutes adds the archive, account deletion and subject-access pages to mux.
func (h *handler) dataRightsRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /settings/archive", h.handleArchivePage)
	mux.HandleFunc("POST /settings/archive", h.handleArchiveDownload)
	mux.HandleFunc("GET /settings/delete", h.handleDeleteAccountForm)
	mux.HandleFunc("POST /settings/delete", h.limited(h.handleDeleteAccount))
	mux.HandleFunc("GET /admin/subject_access", h.handleSubjectAccessForm)
	mux.HandleFunc("POST /admin/subject_access", h.handleSubjectAccessLookup)
	mux.HandleFunc("POST /admin/subject_access/{id}/export", h.handleSubjectAccessExport)
}

// archivePage is the Data of the "settings_archive" page.
type archivePage struct {
	Minutes int // how often an archive may be downloaded
}

func (h *handler) handleArchivePage(w http.ResponseWriter, r *http.Request) {
	auth := member(w, r)
	if auth == nil {
		return
	}
	h.renderArchivePage(w, r, http.StatusOK, "")
}

func (h *handler) renderArchivePage(w http.ResponseWriter, r *http.Request, status int, problem string) {
	pg := h.newPage(r, "Your data", "settings")
	if problem != "" {
		pg.Errors = []fieldError{{"", problem}}
	}
	pg.Data = archivePage{Minutes: int(starling.ArchiveInterval / time.Minute)}
	h.render(w, r, status, "settings_archive", pg)
}

func (h *handler) handleArchiveDownload(w http.ResponseWriter, r *http.Request) {
	auth := member(w, r)
	if auth == nil {
		return
	}
	write, err := h.svc.DownloadArchive(r.Context(), auth.Account, auth.User)
	if err != nil {
		server.LogError(r, err)
		h.renderArchivePage(w, r, server.StatusFor(err), starling.ErrorMessage(err))
		return
	}
	sendArchive(w, r, auth.Account, write)
}

// sendArchive streams an archive as a download.
func sendArchive(w http.ResponseWriter, r *http.Request, a *starling.Account, write starling.ArchiveWriter) {
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", `attachment; filename="`+starling.ArchiveFileName(a, time.Now())+`"`)
	w.Header().Set("Cache-Control", "no-store")
	if err := write(w); err != nil {
		// The status line is sent: the zip is cut short, and its missing
		// end tells the browser and any unzip tool it is broken.
		server.LogError(r, err)
	}
}
