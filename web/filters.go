package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"starling"
	"starling/server"
)

// filterContexts are the places a filter may apply, in the form's words.
var filterContexts = []struct{ Value, Label string }{
	{"home", "Home timeline and lists"},
	{"notifications", "Notifications"},
	{"public", "Public timelines, hashtags and search"},
	{"thread", "Conversations"},
	{"account", "Profiles"},
}

// filterExpiries are the choices of how long a filter runs, in seconds ("0": always).
var filterExpiries = []struct{ Value, Label string }{
	{"0", "Never"},
	{"1800", "30 minutes"},
	{"3600", "1 hour"},
	{"21600", "6 hours"},
	{"43200", "12 hours"},
	{"86400", "1 day"},
	{"604800", "1 week"},
}

// newKeywordRows is how many empty keyword rows the form offers.
const newKeywordRows = 3

// filtersPage is the Data of the page listing the member's filters.
type filtersPage struct {
	Filters []filterSummary
	Saved   string // "created", "saved" or "deleted" after a change
}

type filterSummary struct {
	ID       string
	Title    string
	Hide     bool
	Contexts string
	Keywords string
	Expires  string // "" never
	Expired  bool
}

// filterForm is the Data of the page creating or changing a filter.
type filterForm struct {
	ID        string // "" for a new filter
	Title     string
	Action    string
	Context   map[string]bool
	Contexts  []struct{ Value, Label string }
	ExpiresIn string // the choice made; "" keeps the current expiry
	Expiries  []struct{ Value, Label string }
	ExpiresAt string // the current expiry, for an existing filter
	Keywords  []keywordRow
}

type keywordRow struct {
	N         int
	ID        string // "" for a new keyword
	Keyword   string
	WholeWord bool
	Remove    bool
}

func (h *handler) handleFilters(w http.ResponseWriter, r *http.Request) {
	auth := member(w, r)
	if auth == nil {
		return
	}
	filters, err := h.svc.Filters(r.Context(), auth.Account)
	if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	pg := h.newPage(r, "Filters", "settings")
	data := filtersPage{Saved: r.URL.Query().Get("done")}
	now := time.Now()
	for _, f := range filters {
		s := filterSummary{ID: starling.FormatID(f.ID), Title: f.Title, Hide: f.Action == starling.FilterHide, Expired: !f.Active(now)}
		var ctxs, kws []string
		for _, c := range filterContexts {
			if f.AppliesIn(starling.FilterContext(c.Value)) {
				ctxs = append(ctxs, c.Label)
			}
		}
		for _, k := range f.Keywords {
			kws = append(kws, k.Keyword)
		}
		s.Contexts, s.Keywords = strings.Join(ctxs, "; "), strings.Join(kws, ", ")
		if !f.ExpiresAt.IsZero() {
			s.Expires = f.ExpiresAt.UTC().Format("2 January 2006, 15:04 UTC")
		}
		data.Filters = append(data.Filters, s)
	}
	pg.Data = data
	h.render(w, r, http.StatusOK, "settings_filters", pg)
}

func newFilterForm() filterForm {
	return filterForm{Action: "warn", Context: map[string]bool{}, Contexts: filterContexts, Expiries: filterExpiries}
}

// addBlankKeywords appends the empty rows for new keywords.
func (f *filterForm) addBlankKeywords() {
	for range newKeywordRows {
		f.Keywords = append(f.Keywords, keywordRow{N: len(f.Keywords), WholeWord: true})
	}
}

func (h *handler) handleFilterNew(w http.ResponseWriter, r *http.Request) {
	if member(w, r) == nil {
		return
	}
	form := newFilterForm()
	form.ExpiresIn = "0"
	form.Context["home"], form.Context["public"], form.Context["thread"] = true, true, true
	form.addBlankKeywords()
	pg := h.newPage(r, "New filter", "settings")
	pg.Data = form
	h.render(w, r, http.StatusOK, "settings_filter", pg)
}

func (h *handler) handleFilterEdit(w http.ResponseWriter, r *http.Request) {
	auth := member(w, r)
	if auth == nil {
		return
	}
	id, ok := starling.ParseID(r.PathValue("id"))
	if !ok {
		h.handleNotFound(w, r)
		return
	}
	f, err := h.svc.GetFilter(r.Context(), auth.Account, id)
	if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	form := newFilterForm()
	form.ID, form.Title, form.Action = starling.FormatID(f.ID), f.Title, string(f.Action)
	for _, c := range f.Context {
		form.Context[string(c)] = true
	}
	if !f.ExpiresAt.IsZero() {
		form.ExpiresAt = f.ExpiresAt.UTC().Format("2 January 2006, 15:04 UTC")
	}
	for _, k := range f.Keywords {
		form.Keywords = append(form.Keywords, keywordRow{N: len(form.Keywords), ID: starling.FormatID(k.ID), Keyword: k.Keyword, WholeWord: k.WholeWord})
	}
	form.addBlankKeywords()
	pg := h.newPage(r, "Edit filter", "settings")
	pg.Data = form
	h.render(w, r, http.StatusOK, "settings_filter", pg)
}

// readFilterForm reads the posted form into what the page shows again on
// an error and the input for the use-cases.
func readFilterForm(r *http.Request) (filterForm, starling.FilterInput, error) {
	if err := r.ParseForm(); err != nil {
		return filterForm{}, starling.FilterInput{}, starling.Errorf(starling.EBADREQUEST, "The form could not be read")
	}
	form := newFilterForm()
	form.ID = r.PathValue("id")
	form.Title, form.Action, form.ExpiresIn = r.PostForm.Get("title"), r.PostForm.Get("action"), r.PostForm.Get("expires_in")
	in := starling.FilterInput{Title: &form.Title, Action: &form.Action, Context: []string{}}
	for _, c := range r.PostForm["context"] {
		form.Context[c] = true
		in.Context = append(in.Context, c)
	}
	if form.ExpiresIn != "" {
		n, err := strconv.Atoi(form.ExpiresIn)
		if err != nil {
			return form, in, starling.Errorf(starling.EINVALID, "Validation failed: Choose when the filter ends")
		}
		in.ExpiresIn = &n
	}
	count, _ := strconv.Atoi(r.PostForm.Get("keyword_rows"))
	count = min(max(count, 0), starling.MaxFilterKeywords+newKeywordRows)
	for i := range count {
		p := "keyword_" + strconv.Itoa(i) + "_"
		row := keywordRow{N: i, ID: r.PostForm.Get(p + "id"), Keyword: strings.TrimSpace(r.PostForm.Get(p + "text")),
			WholeWord: r.PostForm.Get(p+"whole_word") == "1", Remove: r.PostForm.Get(p+"remove") == "1"}
		form.Keywords = append(form.Keywords, row)
		ki := starling.FilterKeywordInput{Keyword: &row.Keyword, WholeWord: &row.WholeWord, Destroy: row.Remove}
		if row.ID != "" {
			id, ok := starling.ParseID(row.ID)
			if !ok {
				return form, in, starling.Errorf(starling.EBADREQUEST, "The form could not be read")
			}
			ki.ID = id
			if row.Keyword == "" { // emptied: the same as removing it
				ki.Destroy = true
			}
		} else if row.Keyword == "" || row.Remove {
			continue
		}
		in.Keywords = append(in.Keywords, ki)
	}
	return form, in, nil
}

// filterProblem returns the input a filter validation message is about.
func filterProblem(msg string) (field, text string) {
	text = userMessage(msg)
	switch {
	case strings.HasPrefix(text, "Title"):
		return "title", text
	case strings.HasPrefix(text, "Context"):
		return "context-home", "Choose at least one place where the filter applies"
	case strings.HasPrefix(text, "Keywords keyword"):
		return "keyword_0_text", "Keyword" + strings.TrimPrefix(text, "Keywords keyword")
	case strings.Contains(text, "keywords"):
		return "keyword_0_text", text
	case strings.HasPrefix(text, "Expires") || strings.HasPrefix(text, "Choose when"):
		return "expires_in", text
	case strings.HasPrefix(text, "Filter action"):
		return "action-warn", "Choose whether to warn or hide"
	}
	return "", text
}

func (h *handler) handleFilterSave(w http.ResponseWriter, r *http.Request) {
	auth := member(w, r)
	if auth == nil {
		return
	}
	form, in, err := readFilterForm(r)
	if err == nil {
		if form.ID == "" {
			_, err = h.svc.CreateFilter(r.Context(), auth.Account, in)
		} else {
			id, ok := starling.ParseID(form.ID)
			if !ok {
				h.handleNotFound(w, r)
				return
			}
			if f, gerr := h.svc.GetFilter(r.Context(), auth.Account, id); gerr == nil && !f.ExpiresAt.IsZero() {
				form.ExpiresAt = f.ExpiresAt.UTC().Format("2 January 2006, 15:04 UTC")
			}
			_, err = h.svc.UpdateFilter(r.Context(), auth.Account, id, in)
		}
	}
	if starling.ErrorCode(err) == starling.ENOTFOUND {
		h.renderServiceError(w, r, err)
		return
	}
	if err != nil {
		server.LogError(r, err)
		title := "New filter"
		if form.ID != "" {
			title = "Edit filter"
		}
		pg := h.newPage(r, title, "settings")
		field, msg := filterProblem(starling.ErrorMessage(err))
		pg.Errors = []fieldError{{field, msg}}
		if form.Keywords == nil || len(form.Keywords) < newKeywordRows {
			form.addBlankKeywords()
		}
		pg.Data = form
		h.render(w, r, server.StatusFor(err), "settings_filter", pg)
		return
	}
	done := "created"
	if form.ID != "" {
		done = "saved"
	}
	http.Redirect(w, r, "/settings/filters?done="+done, http.StatusSeeOther)
}

func (h *handler) handleFilterDelete(w http.ResponseWriter, r *http.Request) {
	auth := member(w, r)
	if auth == nil {
		return
	}
	id, ok := starling.ParseID(r.PathValue("id"))
	if !ok {
		h.handleNotFound(w, r)
		return
	}
	if err := h.svc.DeleteFilter(r.Context(), auth.Account, id); err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	http.Redirect(w, r, "/settings/filters?done=deleted", http.StatusSeeOther)
}

// Num is the row's number as people count, from 1.
func (k keywordRow) Num() int { return k.N + 1 }
