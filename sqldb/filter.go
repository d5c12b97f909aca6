package sqldb

import (
	"context"
	"fmt"
	"strings"
	"time"

	"starling"
)

func joinContext(cs []starling.FilterContext) string {
	s := make([]string, len(cs))
	for i, c := range cs {
		s[i] = string(c)
	}
	return strings.Join(s, ",")
}

func splitContext(s string) []starling.FilterContext {
	var out []starling.FilterContext
	for _, c := range strings.Split(s, ",") {
		if c != "" {
			out = append(out, starling.FilterContext(c))
		}
	}
	return out
}

// CreateFilter implements starling.FilterStore.
func (q *queries) CreateFilter(ctx context.Context, f *starling.Filter) error {
	_, err := q.q.ExecContext(ctx, `INSERT INTO filters (id, account_id, title, context, action, expires_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		f.ID, f.AccountID, f.Title, joinContext(f.Context), string(f.Action), ms(f.ExpiresAt), ms(f.CreatedAt))
	if err != nil {
		return fmt.Errorf("create filter: %w", err)
	}
	for _, k := range f.Keywords {
		k.FilterID = f.ID
		if err := q.CreateFilterKeyword(ctx, k); err != nil {
			return err
		}
	}
	return nil
}

// UpdateFilter implements starling.FilterStore.
func (q *queries) UpdateFilter(ctx context.Context, f *starling.Filter) error {
	_, err := q.q.ExecContext(ctx, `UPDATE filters SET title = $1, context = $2, action = $3, expires_at = $4 WHERE id = $5 AND account_id = $6`,
		f.Title, joinContext(f.Context), string(f.Action), ms(f.ExpiresAt), f.ID, f.AccountID)
	if err != nil {
		return fmt.Errorf("update filter: %w", err)
	}
	return nil
}

// DeleteFilter implements starling.FilterStore.
func (q *queries) DeleteFilter(ctx context.Context, accountID, id int64) (bool, error) {
	n, err := q.exec(ctx, `DELETE FROM filters WHERE id = $1 AND account_id = $2`, id, accountID)
	if err != nil {
		return false, fmt.Errorf("delete filter: %w", err)
	}
	return n > 0, nil
}

// Filters implements starling.FilterStore.
func (q *queries) Filters(ctx context.Context, accountID int64) ([]*starling.Filter, error) {
	return q.filters(ctx, `f.account_id = $1`, accountID)
}

// Filter implements starling.FilterStore.
func (q *queries) Filter(ctx context.Context, accountID, id int64) (*starling.Filter, error) {
	list, err := q.filters(ctx, `f.id = $1 AND f.account_id = $2`, id, accountID)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, starling.Errorf(starling.ENOTFOUND, "Record not found")
	}
	return list[0], nil
}

// ActiveFilters implements starling.FilterStore. A filter without rules
// matches nothing, so joining the rules leaves it out.
func (q *queries) ActiveFilters(ctx context.Context, accountID int64, now time.Time) ([]*starling.Filter, error) {
	cond := `f.account_id = $1 AND (f.expires_at = 0 OR f.expires_at > $2)`
	return q.filterRules(ctx, cond, accountID, ms(now))
}

// filters reads the filters matching cond (on filters f) with all their
// rules: the filters, then their rules, in two queries.
func (q *queries) filters(ctx context.Context, cond string, a ...any) ([]*starling.Filter, error) {
	rows, err := q.q.QueryContext(ctx, `SELECT f.id, f.account_id, f.title, f.context, f.action, f.expires_at, f.created_at FROM filters f WHERE `+cond+` ORDER BY f.id`, a...)
	if err != nil {
		return nil, fmt.Errorf("filters: %w", err)
	}
	defer rows.Close()
	var out []*starling.Filter
	for rows.Next() {
		f, err := scanFilter(rows.Scan)
		if err != nil {
			return nil, err
		}
		f.Keywords, f.Statuses = []*starling.FilterKeyword{}, []*starling.FilterStatus{}
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return out, nil
	}
	withRules, err := q.filterRules(ctx, cond, a...)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*starling.Filter{}
	for _, f := range withRules {
		byID[f.ID] = f
	}
	for _, f := range out {
		if r := byID[f.ID]; r != nil {
			f.Keywords, f.Statuses = r.Keywords, r.Statuses
		}
	}
	return out, nil
}

func scanFilter(scan func(...any) error, more ...any) (*starling.Filter, error) {
	f := &starling.Filter{}
	var context, action string
	var expires, created int64
	if err := scan(append([]any{&f.ID, &f.AccountID, &f.Title, &context, &action, &expires, &created}, more...)...); err != nil {
		return nil, err
	}
	f.Context, f.Action, f.ExpiresAt, f.CreatedAt = splitContext(context), starling.FilterAction(action), fromMS(expires), fromMS(created)
	return f, nil
}

// filterRules reads, in one query, the filters matching cond that have
// rules, each with its keywords and statuses in the order they were added.
func (q *queries) filterRules(ctx context.Context, cond string, a ...any) ([]*starling.Filter, error) {
	cols := `f.id, f.account_id, f.title, f.context, f.action, f.expires_at, f.created_at`
	rows, err := q.q.QueryContext(ctx, `SELECT `+cols+`, 1, k.id, k.keyword, k.whole_word, 0, k.created_at FROM filters f JOIN filter_keywords k ON k.filter_id = f.id WHERE `+cond+`
		UNION ALL SELECT `+cols+`, 2, s.id, '', FALSE, s.status_id, s.created_at FROM filters f JOIN filter_statuses s ON s.filter_id = f.id WHERE `+cond+`
		ORDER BY 1, 8, 9`, a...)
	if err != nil {
		return nil, fmt.Errorf("filter rules: %w", err)
	}
	defer rows.Close()
	var out []*starling.Filter
	var last *starling.Filter
	for rows.Next() {
		var kind int
		var ruleID, statusID, created int64
		var keyword string
		var wholeWord bool
		f, err := scanFilter(rows.Scan, &kind, &ruleID, &keyword, &wholeWord, &statusID, &created)
		if err != nil {
			return nil, err
		}
		if last == nil || last.ID != f.ID {
			f.Keywords, f.Statuses = []*starling.FilterKeyword{}, []*starling.FilterStatus{}
			out = append(out, f)
			last = f
		}
		if kind == 1 {
			last.Keywords = append(last.Keywords, &starling.FilterKeyword{ID: ruleID, FilterID: f.ID, Keyword: keyword, WholeWord: wholeWord, CreatedAt: fromMS(created)})
		} else {
			last.Statuses = append(last.Statuses, &starling.FilterStatus{ID: ruleID, FilterID: f.ID, StatusID: statusID, CreatedAt: fromMS(created)})
		}
	}
	return out, rows.Err()
}

// CreateFilterKeyword implements starling.FilterStore.
func (q *queries) CreateFilterKeyword(ctx context.Context, k *starling.FilterKeyword) error {
	_, err := q.q.ExecContext(ctx, `INSERT INTO filter_keywords (id, filter_id, keyword, whole_word, created_at) VALUES ($1, $2, $3, $4, $5)`,
		k.ID, k.FilterID, k.Keyword, k.WholeWord, ms(k.CreatedAt))
	if err != nil {
		return fmt.Errorf("create filter keyword: %w", err)
	}
	return nil
}

// UpdateFilterKeyword implements starling.FilterStore.
func (q *queries) UpdateFilterKeyword(ctx context.Context, k *starling.FilterKeyword) error {
	_, err := q.q.ExecContext(ctx, `UPDATE filter_keywords SET keyword = $1, whole_word = $2 WHERE id = $3`, k.Keyword, k.WholeWord, k.ID)
	if err != nil {
		return fmt.Errorf("update filter keyword: %w", err)
	}
	return nil
}

// DeleteFilterKeyword implements starling.FilterStore.
func (q *queries) DeleteFilterKeyword(ctx context.Context, id int64) (bool, error) {
	n, err := q.exec(ctx, `DELETE FROM filter_keywords WHERE id = $1`, id)
	if err != nil {
		return false, fmt.Errorf("delete filter keyword: %w", err)
	}
	return n > 0, nil
}

// FilterKeyword implements starling.FilterStore.
func (q *queries) FilterKeyword(ctx context.Context, accountID, id int64) (*starling.FilterKeyword, error) {
	k := &starling.FilterKeyword{}
	var created int64
	err := q.q.QueryRowContext(ctx, `SELECT k.id, k.filter_id, k.keyword, k.whole_word, k.created_at FROM filter_keywords k JOIN filters f ON f.id = k.filter_id
		WHERE k.id = $1 AND f.account_id = $2`, id, accountID).Scan(&k.ID, &k.FilterID, &k.Keyword, &k.WholeWord, &created)
	if err != nil {
		return nil, notFound(err)
	}
	k.CreatedAt = fromMS(created)
	return k, nil
}

// CreateFilterStatus implements starling.FilterStore.
func (q *queries) CreateFilterStatus(ctx context.Context, s *starling.FilterStatus) (bool, error) {
	n, err := q.exec(ctx, `INSERT INTO filter_statuses (id, filter_id, status_id, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
		s.ID, s.FilterID, s.StatusID, ms(s.CreatedAt))
	if err != nil {
		return false, fmt.Errorf("create filter status: %w", err)
	}
	return n > 0, nil
}

// DeleteFilterStatus implements starling.FilterStore.
func (q *queries) DeleteFilterStatus(ctx context.Context, id int64) (bool, error) {
	n, err := q.exec(ctx, `DELETE FROM filter_statuses WHERE id = $1`, id)
	if err != nil {
		return false, fmt.Errorf("delete filter status: %w", err)
	}
	return n > 0, nil
}

// FilterStatus implements starling.FilterStore.
func (q *queries) FilterStatus(ctx context.Context, accountID, id int64) (*starling.FilterStatus, error) {
	s := &starling.FilterStatus{}
	var created int64
	err := q.q.QueryRowContext(ctx, `SELECT s.id, s.filter_id, s.status_id, s.created_at FROM filter_statuses s JOIN filters f ON f.id = s.filter_id
		WHERE s.id = $1 AND f.account_id = $2`, id, accountID).Scan(&s.ID, &s.FilterID, &s.StatusID, &created)
	if err != nil {
		return nil, notFound(err)
	}
	s.CreatedAt = fromMS(created)
	return s, nil
}
