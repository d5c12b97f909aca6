package web

import (
	"encoding/csv"
	"net/http"
	"strings"

	"starling"
	"starling/server"
)

// importPage is the Data of the import and export page.
type importPage struct {
	Kinds  []importKind
	Kind   string                 // the kind chosen, kept when the import fails
	Result *starling.ImportResult // what the last import did
}

type importKind struct{ Value, Label, Hint string }

var importKinds = []importKind{
	{"following", "People you follow", "Account address, show boosts, notify on new posts (Mastodon's “Follows” export)"},
	{"lists", "Lists", "List name and account address on each line"},
	{"blocks", "Blocked accounts", "One account address per line"},
	{"mutes", "Muted accounts", "Account address and whether to hide notifications"},
	{"domain_blocks", "Blocked domains", "One server name per line, such as example.org (Mastodon's “Domain blocks” export)"},
}

func (h *handler) handleImportForm(w http.ResponseWriter, r *http.Request) {
	auth := member(w, r)
	if auth == nil {
		return
	}
	h.renderImport(w, r, http.StatusOK, "", nil, nil)
}

func (h *handler) renderImport(w http.ResponseWriter, r *http.Request, status int, kind string, res *starling.ImportResult, errs []fieldError) {
	pg := h.newPage(r, "Import and export", "settings")
	pg.Errors = errs
	pg.Data = importPage{Kinds: importKinds, Kind: kind, Result: res}
	h.render(w, r, status, "settings_import", pg)
}

// handleImport applies an uploaded CSV file and shows what it did; a file
// that cannot be read changes nothing and says which line is at fault.
func (h *handler) handleImport(w http.ResponseWriter, r *http.Request) {
	auth := member(w, r)
	if auth == nil {
		return
	}
	kind := r.PostFormValue("kind")
	file, _, err := r.FormFile("file")
	if err != nil {
		h.renderImport(w, r, http.StatusUnprocessableEntity, kind, nil, []fieldError{{"import-file", "Choose a CSV file to import"}})
		return
	}
	defer file.Close()
	res, err := h.svc.Import(r.Context(), auth.Account, starling.ImportKind(kind), file)
	if err != nil {
		server.LogError(r, err)
		if starling.ErrorCode(err) != starling.EINVALID {
			h.renderServiceError(w, r, err)
			return
		}
		field := "import-file"
		if !strings.Contains(starling.ErrorMessage(err), "line") && !strings.Contains(starling.ErrorMessage(err), "file") {
			field = "import-kind-" + importKinds[0].Value
		}
		h.renderImport(w, r, http.StatusUnprocessableEntity, kind, nil, []fieldError{{field, userMessage(starling.ErrorMessage(err))}})
		return
	}
	h.renderImport(w, r, http.StatusOK, kind, res, nil)
}

// handleExport sends the member's follows, lists, blocks or mutes as CSV,
// in the format Mastodon writes and Import reads.
func (h *handler) handleExport(w http.ResponseWriter, r *http.Request) {
	auth := member(w, r)
	if auth == nil {
		return
	}
	kind, ok := strings.CutSuffix(r.PathValue("file"), ".csv")
	if !ok {
		h.handleNotFound(w, r)
		return
	}
	rows, err := h.svc.Export(r.Context(), auth.Account, starling.ImportKind(kind))
	if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+kind+`.csv"`)
	cw := csv.NewWriter(w)
	_ = cw.WriteAll(rows) // the status line is sent: a failure here can only cut the file short
}
