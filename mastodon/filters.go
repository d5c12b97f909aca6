package mastodon

import (
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"

	"starling"
	"starling/server"
)

// Filter is the Filter entity (v2). Keywords and Statuses are left out
// where Mastodon leaves them out: inside a FilterResult.
type Filter struct {
	ID           string           `json:"id"`
	Title        string           `json:"title"`
	Context      []string         `json:"context"`
	ExpiresAt    *string          `json:"expires_at"`
	FilterAction string           `json:"filter_action"`
	Keywords     *[]FilterKeyword `json:"keywords,omitempty"`
	Statuses     *[]FilterStatus  `json:"statuses,omitempty"`
}

// FilterKeyword is the FilterKeyword entity.
type FilterKeyword struct {
	ID        string `json:"id"`
	Keyword   string `json:"keyword"`
	WholeWord bool   `json:"whole_word"`
}

// FilterStatus is the FilterStatus entity.
type FilterStatus struct {
	ID       string `json:"id"`
	StatusID string `json:"status_id"`
}

// FilterResult is the FilterResult entity, in a status's filtered.
type FilterResult struct {
	Filter         *Filter  `json:"filter"`
	KeywordMatches []string `json:"keyword_matches"`
	StatusMatches  []string `json:"status_matches"`
}

// FilterV1 is the V1::Filter entity: one keyword of a v2 filter.
type FilterV1 struct {
	ID           string   `json:"id"`
	Phrase       string   `json:"phrase"`
	Context      []string `json:"context"`
	ExpiresAt    *string  `json:"expires_at"`
	Irreversible bool     `json:"irreversible"`
	WholeWord    bool     `json:"whole_word"`
}

func filterHead(f *starling.Filter) *Filter {
	out := &Filter{ID: starling.FormatID(f.ID), Title: f.Title, Context: make([]string, 0, len(f.Context)), FilterAction: string(f.Action)}
	for _, c := range f.Context {
		out.Context = append(out.Context, string(c))
	}
	if !f.ExpiresAt.IsZero() {
		out.ExpiresAt = ptr(timeString(f.ExpiresAt))
	}
	return out
}

func filterEntity(f *starling.Filter) *Filter {
	out := filterHead(f)
	keywords := make([]FilterKeyword, 0, len(f.Keywords))
	for _, k := range f.Keywords {
		keywords = append(keywords, filterKeyword(k))
	}
	statuses := make([]FilterStatus, 0, len(f.Statuses))
	for _, s := range f.Statuses {
		statuses = append(statuses, filterStatus(s))
	}
	out.Keywords, out.Statuses = &keywords, &statuses
	return out
}

func filterKeyword(k *starling.FilterKeyword) FilterKeyword {
	return FilterKeyword{ID: starling.FormatID(k.ID), Keyword: k.Keyword, WholeWord: k.WholeWord}
}

func filterStatus(s *starling.FilterStatus) FilterStatus {
	return FilterStatus{ID: starling.FormatID(s.ID), StatusID: starling.FormatID(s.StatusID)}
}

// filterResults renders a status's filtered; nil when none matched.
func filterResults(list []starling.FilterResult) []FilterResult {
	if len(list) == 0 {
		return nil
	}
	out := make([]FilterResult, 0, len(list))
	for _, r := range list {
		e := FilterResult{Filter: filterHead(r.Filter), KeywordMatches: r.KeywordMatches}
		for _, id := range r.StatusMatches {
			e.StatusMatches = append(e.StatusMatches, starling.FormatID(id))
		}
		out = append(out, e)
	}
	return out
}

func filterV1(f *starling.Filter, k *starling.FilterKeyword) FilterV1 {
	h := filterHead(f)
	return FilterV1{ID: starling.FormatID(k.ID), Phrase: k.Keyword, Context: h.Context, ExpiresAt: h.ExpiresAt, Irreversible: f.Action == starling.FilterHide, WholeWord: k.WholeWord}
}

// filterInput reads the parameters of POST and PUT /api/v2/filters.
func filterInput(p *params) (starling.FilterInput, error) {
	in := starling.FilterInput{Title: p.optStr("title"), Action: p.optStr("filter_action")}
	if p.has("context") {
		in.Context = append([]string{}, p.strs("context")...)
	}
	if s, given := p.str("expires_in"); given {
		n := 0
		if s != "" {
			var err error
			if n, err = strconv.Atoi(s); err != nil {
				return in, starling.Errorf(starling.EINVALID, "Validation failed: expires_in must be a number")
			}
		}
		in.ExpiresIn = &n
	} else if p.has("expires_in") { // JSON null: no end
		in.ExpiresIn = ptr(0)
	}
	for _, kp := range p.attributes("keywords_attributes") {
		ki := starling.FilterKeywordInput{Keyword: kp.optStr("keyword"), WholeWord: kp.optBool("whole_word")}
		if s := kp.get("id"); s != "" {
			id, ok := starling.ParseID(s)
			if !ok {
				return in, starling.Errorf(starling.ENOTFOUND, "Record not found")
			}
			ki.ID = id
		}
		ki.Destroy, _ = kp.boolean("_destroy")
		in.Keywords = append(in.Keywords, ki)
	}
	return in, nil
}

var indexedAttr = regexp.MustCompile(`^(.+?)\[([^\]]*)\]\[([^\]]+)\]$`)

// attributes reads a Rails nested-attributes array: a JSON array of
// objects (or an object of them keyed by index), or form keys
// "key[][field]" (the nth value of each field makes the nth entry) and
// "key[n][field]".
func (p *params) attributes(key string) []*params {
	var out []*params
	switch x := p.json[key].(type) {
	case []any:
		for _, e := range x {
			if m, ok := e.(map[string]any); ok {
				out = append(out, &params{json: m, form: url.Values{}})
			}
		}
		return out
	case map[string]any:
		ks := make([]string, 0, len(x))
		for k := range x {
			ks = append(ks, k)
		}
		sort.Slice(ks, func(i, j int) bool { return indexLess(ks[i], ks[j]) })
		for _, k := range ks {
			if m, ok := x[k].(map[string]any); ok {
				out = append(out, &params{json: m, form: url.Values{}})
			}
		}
		return out
	}
	indexed := map[string]url.Values{}
	var order []string
	for k, vs := range p.form {
		m := indexedAttr.FindStringSubmatch(k)
		if m == nil || m[1] != key {
			continue
		}
		if m[2] == "" {
			for i, v := range vs {
				for len(out) <= i {
					out = append(out, &params{form: url.Values{}})
				}
				out[i].form.Set(m[3], v)
			}
			continue
		}
		if indexed[m[2]] == nil {
			indexed[m[2]] = url.Values{}
			order = append(order, m[2])
		}
		indexed[m[2]].Set(m[3], vs[len(vs)-1])
	}
	sort.Slice(order, func(i, j int) bool { return indexLess(order[i], order[j]) })
	for _, k := range order {
		out = append(out, &params{form: indexed[k]})
	}
	return out
}

// indexLess orders "2" before "10", and other keys by text.
func indexLess(a, b string) bool {
	x, errA := strconv.Atoi(a)
	y, errB := strconv.Atoi(b)
	if errA == nil && errB == nil {
		return x < y
	}
	return a < b
}

func (h *handler) handleFilters(w http.ResponseWriter, r *http.Request) {
	list, err := h.svc.Filters(r.Context(), viewer(r))
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	out := make([]*Filter, 0, len(list))
	for _, f := range list {
		out = append(out, filterEntity(f))
	}
	server.WriteJSON(w, http.StatusOK, out)
}

func (h *handler) handleFilterGet(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	f, err := h.svc.GetFilter(r.Context(), viewer(r), id)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, filterEntity(f))
}

func (h *handler) handleFilterCreate(w http.ResponseWriter, r *http.Request) {
	p, err := readParams(r)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	in, err := filterInput(p)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	for _, k := range in.Keywords {
		if k.ID != 0 { // no keyword of a filter not yet made
			server.WriteError(w, r, starling.Errorf(starling.ENOTFOUND, "Record not found"))
			return
		}
	}
	f, err := h.svc.CreateFilter(r.Context(), viewer(r), in)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, filterEntity(f))
}

func (h *handler) handleFilterUpdate(w http.ResponseWriter, r *http.Request) {
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
	in, err := filterInput(p)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	f, err := h.svc.UpdateFilter(r.Context(), viewer(r), id, in)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, filterEntity(f))
}

func (h *handler) handleFilterDelete(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	if err := h.svc.DeleteFilter(r.Context(), viewer(r), id); err != nil {
		server.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, struct{}{})
}

func (h *handler) handleFilterKeywords(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	list, err := h.svc.FilterKeywords(r.Context(), viewer(r), id)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	out := make([]FilterKeyword, 0, len(list))
	for _, k := range list {
		out = append(out, filterKeyword(k))
	}
	server.WriteJSON(w, http.StatusOK, out)
}

func (h *handler) handleFilterKeywordAdd(w http.ResponseWriter, r *http.Request) {
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
	k, err := h.svc.AddFilterKeyword(r.Context(), viewer(r), id, p.get("keyword"), p.optBool("whole_word"))
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, filterKeyword(k))
}

func (h *handler) handleFilterKeywordGet(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	k, err := h.svc.GetFilterKeyword(r.Context(), viewer(r), id)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, filterKeyword(k))
}

func (h *handler) handleFilterKeywordUpdate(w http.ResponseWriter, r *http.Request) {
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
	k, err := h.svc.UpdateFilterKeyword(r.Context(), viewer(r), id, p.optStr("keyword"), p.optBool("whole_word"))
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, filterKeyword(k))
}

func (h *handler) handleFilterKeywordDelete(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	if err := h.svc.DeleteFilterKeyword(r.Context(), viewer(r), id); err != nil {
		server.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, struct{}{})
}

func (h *handler) handleFilterStatuses(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	list, err := h.svc.FilterStatuses(r.Context(), viewer(r), id)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	out := make([]FilterStatus, 0, len(list))
	for _, s := range list {
		out = append(out, filterStatus(s))
	}
	server.WriteJSON(w, http.StatusOK, out)
}

func (h *handler) handleFilterStatusAdd(w http.ResponseWriter, r *http.Request) {
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
	statusID, ok := starling.ParseID(p.get("status_id"))
	if !ok {
		server.WriteError(w, r, starling.Errorf(starling.EINVALID, "Validation failed: Status can't be blank"))
		return
	}
	s, err := h.svc.AddFilterStatus(r.Context(), viewer(r), id, statusID)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, filterStatus(s))
}

func (h *handler) handleFilterStatusGet(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	s, err := h.svc.GetFilterStatus(r.Context(), viewer(r), id)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, filterStatus(s))
}

func (h *handler) handleFilterStatusDelete(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	if err := h.svc.DeleteFilterStatus(r.Context(), viewer(r), id); err != nil {
		server.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, struct{}{})
}

// handleFiltersV1 serves GET /api/v1/filters: each keyword of the v2
// filters as a v1 filter.
func (h *handler) handleFiltersV1(w http.ResponseWriter, r *http.Request) {
	list, err := h.svc.Filters(r.Context(), viewer(r))
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	out := []FilterV1{}
	for _, f := range list {
		for _, k := range f.Keywords {
			out = append(out, filterV1(f, k))
		}
	}
	server.WriteJSON(w, http.StatusOK, out)
}

// handleFilterV1Get serves GET /api/v1/filters/:id, by keyword ID.
func (h *handler) handleFilterV1Get(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	k, err := h.svc.GetFilterKeyword(r.Context(), viewer(r), id)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	f, err := h.svc.GetFilter(r.Context(), viewer(r), k.FilterID)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, filterV1(f, k))
}

// handleFilterSub serves GET /api/v2/filters/{a}/{b}: the keywords or
// statuses of filter a, or keyword or status entry b. One pattern serves
// both, as /filters/{id}/keywords and /filters/keywords/{id} would clash.
func (h *handler) handleFilterSub(w http.ResponseWriter, r *http.Request) {
	a, b := r.PathValue("a"), r.PathValue("b")
	switch {
	case a == "keywords":
		r.SetPathValue("id", b)
		h.handleFilterKeywordGet(w, r)
	case a == "statuses":
		r.SetPathValue("id", b)
		h.handleFilterStatusGet(w, r)
	case b == "keywords":
		r.SetPathValue("id", a)
		h.handleFilterKeywords(w, r)
	case b == "statuses":
		r.SetPathValue("id", a)
		h.handleFilterStatuses(w, r)
	default:
		server.WriteError(w, r, starling.Errorf(starling.ENOTFOUND, "Record not found"))
	}
}
