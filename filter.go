package starling

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// FilterContext is where statuses are shown, as a filter names the places
// it applies in.
type FilterContext string

const (
	FilterHome          FilterContext = "home"          // home timeline and lists
	FilterNotifications FilterContext = "notifications" // notifications
	FilterPublic        FilterContext = "public"        // public and hashtag timelines, trends, search
	FilterThread        FilterContext = "thread"        // a status and its conversation
	FilterAccount       FilterContext = "account"       // an account's posts
)

// FilterAction is what a filter does to the statuses it matches.
type FilterAction string

const (
	FilterWarn FilterAction = "warn" // shown, marked as filtered, behind a warning
	FilterHide FilterAction = "hide" // left out
)

// Filter limits, so one member's filters cannot make every page they read slow.
const (
	MaxFilters         = 100
	MaxFilterKeywords  = 100 // per filter
	MaxFilterStatuses  = 100 // per filter
	maxFilterTitle     = 256 // characters
	maxFilterKeyword   = 256 // characters
	maxFilterExpiresIn = 10 * 365 * 24 * 60 * 60
)

// Filter is a member's rule for hiding, or warning about, statuses that
// contain some words or are some particular statuses, in some contexts.
type Filter struct {
	ID        int64
	AccountID int64
	Title     string
	Context   []FilterContext
	Action    FilterAction
	ExpiresAt time.Time // zero: never
	CreatedAt time.Time
	Keywords  []*FilterKeyword
	Statuses  []*FilterStatus
}

// FilterKeyword is a word or phrase a filter matches.
type FilterKeyword struct {
	ID        int64
	FilterID  int64
	Keyword   string
	WholeWord bool // match only at word boundaries; otherwise anywhere
	CreatedAt time.Time
}

// FilterStatus is a particular status a filter matches.
type FilterStatus struct {
	ID        int64
	FilterID  int64
	StatusID  int64
	CreatedAt time.Time
}

// FilterResult is one filter that matched a status, and how.
type FilterResult struct {
	Filter         *Filter
	KeywordMatches []string // the keywords found, as the filter has them
	StatusMatches  []int64  // the statuses matched by ID
}

// Active reports whether f applies at now.
func (f *Filter) Active(now time.Time) bool { return f.ExpiresAt.IsZero() || now.Before(f.ExpiresAt) }

// AppliesIn reports whether f names the context c.
func (f *Filter) AppliesIn(c FilterContext) bool { return slices.Contains(f.Context, c) }

// FilterStore keeps members' filters.
type FilterStore interface {
	// CreateFilter stores f with its keywords.
	CreateFilter(ctx context.Context, f *Filter) error
	// UpdateFilter writes f's title, context, action and expiry.
	UpdateFilter(ctx context.Context, f *Filter) error
	// DeleteFilter removes an account's filter and its rules; false if there was none.
	DeleteFilter(ctx context.Context, accountID, id int64) (bool, error)
	// Filters returns an account's filters with their rules, oldest first.
	Filters(ctx context.Context, accountID int64) ([]*Filter, error)
	// Filter returns one of an account's filters with its rules.
	Filter(ctx context.Context, accountID, id int64) (*Filter, error)
	// ActiveFilters returns, in one query, the filters of an account that
	// apply at now and have rules, with those rules.
	ActiveFilters(ctx context.Context, accountID int64, now time.Time) ([]*Filter, error)
	// CreateFilterKeyword adds a keyword to a filter.
	CreateFilterKeyword(ctx context.Context, k *FilterKeyword) error
	// UpdateFilterKeyword writes k's keyword and whole-word flag.
	UpdateFilterKeyword(ctx context.Context, k *FilterKeyword) error
	// DeleteFilterKeyword removes a keyword; false if there was none.
	DeleteFilterKeyword(ctx context.Context, id int64) (bool, error)
	// FilterKeyword returns a keyword of one of an account's filters.
	FilterKeyword(ctx context.Context, accountID, id int64) (*FilterKeyword, error)
	// CreateFilterStatus adds a status to a filter; false if it is there already.
	CreateFilterStatus(ctx context.Context, s *FilterStatus) (bool, error)
	// DeleteFilterStatus removes a status from a filter; false if it was not there.
	DeleteFilterStatus(ctx context.Context, id int64) (bool, error)
	// FilterStatus returns a status entry of one of an account's filters.
	FilterStatus(ctx context.Context, accountID, id int64) (*FilterStatus, error)
}

// FilterInput creates or changes a filter; nil fields are left as they are
// (on creation: Title and Context are required, Action defaults to warn).
type FilterInput struct {
	Title     *string
	Context   []string // nil: unchanged
	Action    *string
	ExpiresIn *int // seconds from now; 0: never
	Keywords  []FilterKeywordInput
}

// FilterKeywordInput adds (ID 0), changes or (Destroy) removes a keyword.
type FilterKeywordInput struct {
	ID        int64
	Keyword   *string
	WholeWord *bool // default true on creation
	Destroy   bool
}

func validFilterTitle(t string) error {
	if strings.TrimSpace(t) == "" {
		return Errorf(EINVALID, "Validation failed: Title can't be blank")
	}
	if utf8.RuneCountInString(t) > maxFilterTitle {
		return Errorf(EINVALID, "Validation failed: Title is too long (maximum is %d characters)", maxFilterTitle)
	}
	return nil
}

func validFilterKeyword(k string) error {
	if strings.TrimSpace(k) == "" {
		return Errorf(EINVALID, "Validation failed: Keywords keyword can't be blank")
	}
	if utf8.RuneCountInString(k) > maxFilterKeyword {
		return Errorf(EINVALID, "Validation failed: Keywords keyword is too long (maximum is %d characters)", maxFilterKeyword)
	}
	return nil
}

func parseFilterContext(in []string) ([]FilterContext, error) {
	var out []FilterContext
	for _, s := range in {
		c := FilterContext(s)
		switch c {
		case FilterHome, FilterNotifications, FilterPublic, FilterThread, FilterAccount:
		default:
			return nil, Errorf(EINVALID, "Validation failed: Context contains invalid values")
		}
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		return nil, Errorf(EINVALID, "Validation failed: Context can't be blank")
	}
	return out, nil
}

func parseFilterAction(s string) (FilterAction, error) {
	switch a := FilterAction(s); a {
	case FilterWarn, FilterHide:
		return a, nil
	}
	return "", Errorf(EINVALID, "Validation failed: Filter action is not included in the list")
}

// applyFilterInput validates in and applies it to f; it returns the
// keywords to add, change and remove, for the caller to store.
func (svc *Service) applyFilterInput(f *Filter, in FilterInput, now time.Time) (add, change []*FilterKeyword, remove []int64, err error) {
	if in.Title != nil {
		if err := validFilterTitle(*in.Title); err != nil {
			return nil, nil, nil, err
		}
		f.Title = strings.TrimSpace(*in.Title)
	}
	if in.Context != nil {
		if f.Context, err = parseFilterContext(in.Context); err != nil {
			return nil, nil, nil, err
		}
	}
	if in.Action != nil && *in.Action != "" {
		if f.Action, err = parseFilterAction(*in.Action); err != nil {
			return nil, nil, nil, err
		}
	}
	if in.ExpiresIn != nil {
		switch n := *in.ExpiresIn; {
		case n < 0 || n > maxFilterExpiresIn:
			return nil, nil, nil, Errorf(EINVALID, "Validation failed: Expires in must be between 0 and %d seconds", maxFilterExpiresIn)
		case n == 0:
			f.ExpiresAt = time.Time{}
		default:
			f.ExpiresAt = now.Add(time.Duration(n) * time.Second)
		}
	}
	own := map[int64]*FilterKeyword{}
	for _, k := range f.Keywords {
		own[k.ID] = k
	}
	count := len(f.Keywords)
	for _, ki := range in.Keywords {
		if ki.ID != 0 {
			k := own[ki.ID]
			if k == nil {
				return nil, nil, nil, Errorf(ENOTFOUND, "Record not found")
			}
			if ki.Destroy {
				remove = append(remove, k.ID)
				count--
				continue
			}
			if ki.Keyword != nil {
				if err := validFilterKeyword(*ki.Keyword); err != nil {
					return nil, nil, nil, err
				}
				k.Keyword = *ki.Keyword
			}
			if ki.WholeWord != nil {
				k.WholeWord = *ki.WholeWord
			}
			change = append(change, k)
			continue
		}
		if ki.Destroy {
			continue
		}
		kw := ""
		if ki.Keyword != nil {
			kw = *ki.Keyword
		}
		if err := validFilterKeyword(kw); err != nil {
			return nil, nil, nil, err
		}
		k := &FilterKeyword{ID: svc.newID(now), FilterID: f.ID, Keyword: kw, WholeWord: ki.WholeWord == nil || *ki.WholeWord, CreatedAt: now}
		add = append(add, k)
		count++
	}
	if count > MaxFilterKeywords {
		return nil, nil, nil, Errorf(EINVALID, "Validation failed: a filter has at most %d keywords", MaxFilterKeywords)
	}
	return add, change, remove, nil
}

// Filters returns viewer's filters, oldest first, expired ones included.
func (svc *Service) Filters(ctx context.Context, viewer *Account) ([]*Filter, error) {
	return svc.store.Filters(ctx, viewer.ID)
}

// GetFilter returns one of viewer's filters.
func (svc *Service) GetFilter(ctx context.Context, viewer *Account, id int64) (*Filter, error) {
	return svc.store.Filter(ctx, viewer.ID, id)
}

// CreateFilter adds a filter for viewer.
func (svc *Service) CreateFilter(ctx context.Context, viewer *Account, in FilterInput) (*Filter, error) {
	if in.Title == nil {
		return nil, Errorf(EINVALID, "Validation failed: Title can't be blank")
	}
	if in.Context == nil {
		return nil, Errorf(EINVALID, "Validation failed: Context can't be blank")
	}
	now := svc.now()
	f := &Filter{ID: svc.newID(now), AccountID: viewer.ID, Action: FilterWarn, CreatedAt: now}
	add, _, _, err := svc.applyFilterInput(f, in, now)
	if err != nil {
		return nil, err
	}
	f.Keywords = add
	err = svc.updateFilters(ctx, viewer, func(tx Tx) error {
		existing, err := tx.Filters(ctx, viewer.ID)
		if err != nil {
			return err
		}
		if len(existing) >= MaxFilters {
			return Errorf(EINVALID, "Validation failed: at most %d filters", MaxFilters)
		}
		return tx.CreateFilter(ctx, f)
	})
	if err != nil {
		return nil, err
	}
	return svc.store.Filter(ctx, viewer.ID, f.ID)
}

// UpdateFilter changes one of viewer's filters, and adds, changes or
// removes its keywords.
func (svc *Service) UpdateFilter(ctx context.Context, viewer *Account, id int64, in FilterInput) (*Filter, error) {
	now := svc.now()
	err := svc.updateFilters(ctx, viewer, func(tx Tx) error {
		f, err := tx.Filter(ctx, viewer.ID, id)
		if err != nil {
			return err
		}
		add, change, remove, err := svc.applyFilterInput(f, in, now)
		if err != nil {
			return err
		}
		if err := tx.UpdateFilter(ctx, f); err != nil {
			return err
		}
		for _, kid := range remove {
			if _, err := tx.DeleteFilterKeyword(ctx, kid); err != nil {
				return err
			}
		}
		for _, k := range change {
			if err := tx.UpdateFilterKeyword(ctx, k); err != nil {
				return err
			}
		}
		for _, k := range add {
			if err := tx.CreateFilterKeyword(ctx, k); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return svc.store.Filter(ctx, viewer.ID, id)
}

// DeleteFilter removes one of viewer's filters.
func (svc *Service) DeleteFilter(ctx context.Context, viewer *Account, id int64) error {
	return svc.updateFilters(ctx, viewer, func(tx Tx) error {
		ok, err := tx.DeleteFilter(ctx, viewer.ID, id)
		if err == nil && !ok {
			err = Errorf(ENOTFOUND, "Record not found")
		}
		return err
	})
}

// FilterKeywords returns the keywords of one of viewer's filters.
func (svc *Service) FilterKeywords(ctx context.Context, viewer *Account, filterID int64) ([]*FilterKeyword, error) {
	f, err := svc.store.Filter(ctx, viewer.ID, filterID)
	if err != nil {
		return nil, err
	}
	return f.Keywords, nil
}

// AddFilterKeyword adds a keyword to one of viewer's filters.
func (svc *Service) AddFilterKeyword(ctx context.Context, viewer *Account, filterID int64, keyword string, wholeWord *bool) (*FilterKeyword, error) {
	now := svc.now()
	var k *FilterKeyword
	err := svc.updateFilters(ctx, viewer, func(tx Tx) error {
		f, err := tx.Filter(ctx, viewer.ID, filterID)
		if err != nil {
			return err
		}
		add, _, _, err := svc.applyFilterInput(f, FilterInput{Keywords: []FilterKeywordInput{{Keyword: &keyword, WholeWord: wholeWord}}}, now)
		if err != nil {
			return err
		}
		k = add[0]
		return tx.CreateFilterKeyword(ctx, k)
	})
	if err != nil {
		return nil, err
	}
	return k, nil
}

// GetFilterKeyword returns a keyword of one of viewer's filters.
func (svc *Service) GetFilterKeyword(ctx context.Context, viewer *Account, id int64) (*FilterKeyword, error) {
	return svc.store.FilterKeyword(ctx, viewer.ID, id)
}

// UpdateFilterKeyword changes a keyword of one of viewer's filters.
func (svc *Service) UpdateFilterKeyword(ctx context.Context, viewer *Account, id int64, keyword *string, wholeWord *bool) (*FilterKeyword, error) {
	var k *FilterKeyword
	err := svc.updateFilters(ctx, viewer, func(tx Tx) error {
		var err error
		if k, err = tx.FilterKeyword(ctx, viewer.ID, id); err != nil {
			return err
		}
		if keyword != nil {
			if err := validFilterKeyword(*keyword); err != nil {
				return err
			}
			k.Keyword = *keyword
		}
		if wholeWord != nil {
			k.WholeWord = *wholeWord
		}
		return tx.UpdateFilterKeyword(ctx, k)
	})
	if err != nil {
		return nil, err
	}
	return k, nil
}

// DeleteFilterKeyword removes a keyword of one of viewer's filters.
func (svc *Service) DeleteFilterKeyword(ctx context.Context, viewer *Account, id int64) error {
	return svc.updateFilters(ctx, viewer, func(tx Tx) error {
		if _, err := tx.FilterKeyword(ctx, viewer.ID, id); err != nil {
			return err
		}
		_, err := tx.DeleteFilterKeyword(ctx, id)
		return err
	})
}

// FilterStatuses returns the statuses of one of viewer's filters.
func (svc *Service) FilterStatuses(ctx context.Context, viewer *Account, filterID int64) ([]*FilterStatus, error) {
	f, err := svc.store.Filter(ctx, viewer.ID, filterID)
	if err != nil {
		return nil, err
	}
	return f.Statuses, nil
}

// AddFilterStatus adds a status viewer may read to one of viewer's filters.
func (svc *Service) AddFilterStatus(ctx context.Context, viewer *Account, filterID, statusID int64) (*FilterStatus, error) {
	now := svc.now()
	fs := &FilterStatus{ID: svc.newID(now), FilterID: filterID, StatusID: statusID, CreatedAt: now}
	err := svc.updateFilters(ctx, viewer, func(tx Tx) error {
		f, err := tx.Filter(ctx, viewer.ID, filterID)
		if err != nil {
			return err
		}
		if len(f.Statuses) >= MaxFilterStatuses {
			return Errorf(EINVALID, "Validation failed: a filter has at most %d statuses", MaxFilterStatuses)
		}
		if _, err := svc.readableStatus(ctx, tx, viewer, statusID); ErrorCode(err) == ENOTFOUND {
			return Errorf(EINVALID, "Validation failed: Status can't be blank")
		} else if err != nil {
			return err
		}
		ok, err := tx.CreateFilterStatus(ctx, fs)
		if err == nil && !ok {
			err = Errorf(EINVALID, "Validation failed: Status has already been taken")
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return fs, nil
}

// GetFilterStatus returns a status entry of one of viewer's filters.
func (svc *Service) GetFilterStatus(ctx context.Context, viewer *Account, id int64) (*FilterStatus, error) {
	return svc.store.FilterStatus(ctx, viewer.ID, id)
}

// DeleteFilterStatus removes a status entry of one of viewer's filters.
func (svc *Service) DeleteFilterStatus(ctx context.Context, viewer *Account, id int64) error {
	return svc.updateFilters(ctx, viewer, func(tx Tx) error {
		if _, err := tx.FilterStatus(ctx, viewer.ID, id); err != nil {
			return err
		}
		_, err := tx.DeleteFilterStatus(ctx, id)
		return err
	})
}

// applyFilters is the one place a viewer's filters act on statuses shown
// in context fc: each status gets the filters of fc that match it (a
// reblog those that match its original) in Filtered, and statuses a hide
// filter matches are left out, except for a status asked for by ID
// (readOne), which is only marked. It costs one query: the viewer's
// active filters, read once for the whole list. Statuses are the caller's
// own copies (the store's cache hands out copies), so setting Filtered
// never leaks to another viewer.
func (svc *Service) applyFilters(ctx context.Context, q Tx, viewer *Account, list []*Status, mode readMode, fc FilterContext) ([]*Status, error) {
	if viewer == nil || fc == "" || len(list) == 0 {
		return list, nil
	}
	all, err := q.ActiveFilters(ctx, viewer.ID, svc.now())
	if err != nil {
		return nil, err
	}
	m := newFilterMatcher(all, fc)
	if m == nil {
		return list, nil
	}
	out := list[:0:0]
	for _, s := range list {
		target := s
		if s.Reblog != nil {
			target = s.Reblog
		}
		results := m.match(target, s.ID)
		if mode != readOne && slices.ContainsFunc(results, func(r FilterResult) bool { return r.Filter.Action == FilterHide }) {
			continue
		}
		s.Filtered = results
		if s.Reblog != nil {
			s.Reblog.Filtered = results
		}
		out = append(out, s)
	}
	return out, nil
}

// filterMatcher matches statuses against the filters of one context.
type filterMatcher struct {
	filters  []*Filter
	keywords [][]keywordRule // by filter
	statuses []map[int64]bool
}

type keywordRule struct {
	keyword    string // as the member typed it
	lower      string
	start, end bool // a word boundary is needed before, after
}

// newFilterMatcher returns a matcher for the filters of list that apply in
// fc, nil if none does.
func newFilterMatcher(list []*Filter, fc FilterContext) *filterMatcher {
	m := &filterMatcher{}
	for _, f := range list {
		if !f.AppliesIn(fc) || len(f.Keywords)+len(f.Statuses) == 0 {
			continue
		}
		var rules []keywordRule
		for _, k := range f.Keywords {
			lower := strings.ToLower(strings.TrimSpace(k.Keyword))
			if lower == "" {
				continue
			}
			first, _ := utf8.DecodeRuneInString(lower)
			last, _ := utf8.DecodeLastRuneInString(lower)
			rules = append(rules, keywordRule{keyword: k.Keyword, lower: lower, start: k.WholeWord && isWordRune(first), end: k.WholeWord && isWordRune(last)})
		}
		ids := map[int64]bool{}
		for _, s := range f.Statuses {
			ids[s.StatusID] = true
		}
		m.filters = append(m.filters, f)
		m.keywords = append(m.keywords, rules)
		m.statuses = append(m.statuses, ids)
	}
	if len(m.filters) == 0 {
		return nil
	}
	return m
}

// match returns the results of the filters matching s (outerID is the
// reblog showing it, if any: a filter may name either).
func (m *filterMatcher) match(s *Status, outerID int64) []FilterResult {
	var text string
	var out []FilterResult
	for i, f := range m.filters {
		var r FilterResult
		if len(m.keywords[i]) > 0 && text == "" {
			text = filterText(s)
		}
		for _, k := range m.keywords[i] {
			if k.matches(text) {
				r.KeywordMatches = append(r.KeywordMatches, k.keyword)
			}
		}
		if m.statuses[i][s.ID] {
			r.StatusMatches = append(r.StatusMatches, s.ID)
		} else if outerID != s.ID && m.statuses[i][outerID] {
			r.StatusMatches = append(r.StatusMatches, outerID)
		}
		if len(r.KeywordMatches)+len(r.StatusMatches) > 0 {
			r.Filter = f
			out = append(out, r)
		}
	}
	return out
}

// filterText is the lower-cased text keywords are looked for in: the
// post, its content warning, its poll's answers and its media descriptions.
func filterText(s *Status) string {
	var b strings.Builder
	b.WriteString(s.Text)
	b.WriteByte('\n')
	b.WriteString(s.SpoilerText)
	if s.Poll != nil {
		for _, o := range s.Poll.Options {
			b.WriteByte('\n')
			b.WriteString(o.Title)
		}
	}
	for _, m := range s.Media {
		if m != nil {
			b.WriteByte('\n')
			b.WriteString(m.Description)
		}
	}
	return strings.ToLower(b.String())
}

// matches reports whether k occurs in text (lower-cased), at word
// boundaries if it must be a whole word.
func (k keywordRule) matches(text string) bool {
	from := 0
	for from <= len(text) {
		i := strings.Index(text[from:], k.lower)
		if i < 0 {
			return false
		}
		i += from
		j := i + len(k.lower)
		ok := true
		if k.start && i > 0 {
			r, _ := utf8.DecodeLastRuneInString(text[:i])
			ok = !isWordRune(r)
		}
		if ok && k.end && j < len(text) {
			r, _ := utf8.DecodeRuneInString(text[j:])
			ok = !isWordRune(r)
		}
		if ok {
			return true
		}
		_, size := utf8.DecodeRuneInString(text[i:])
		from = i + size
	}
	return false
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' }

// MatchFilters returns the results of the filters of list that apply in fc
// and match s (for a reblog, its original), whatever their action.
func MatchFilters(list []*Filter, fc FilterContext, s *Status) []FilterResult {
	m := newFilterMatcher(list, fc)
	if m == nil {
		return nil
	}
	if s.Reblog != nil {
		return m.match(s.Reblog, s.ID)
	}
	return m.match(s, s.ID)
}
