package sqldb

import (
	"context"
	"fmt"

	"starling"
)

const listColumns = `id, account_id, title, replies_policy, exclusive, featured, public`

func (q *queries) scanLists(ctx context.Context, query string, a ...any) ([]*starling.List, error) {
	rows, err := q.q.QueryContext(ctx, query, a...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*starling.List
	for rows.Next() {
		var l starling.List
		if err := rows.Scan(&l.ID, &l.AccountID, &l.Title, &l.RepliesPolicy, &l.Exclusive, &l.Featured, &l.Public); err != nil {
			return nil, err
		}
		out = append(out, &l)
	}
	return out, rows.Err()
}

// CreateList implements starling.ListStore.
func (q *queries) CreateList(ctx context.Context, l *starling.List) error {
	_, err := q.q.ExecContext(ctx, `INSERT INTO lists (id, account_id, title, replies_policy, exclusive, featured, public) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		l.ID, l.AccountID, l.Title, l.RepliesPolicy, l.Exclusive, l.Featured, l.Public)
	if err != nil {
		return fmt.Errorf("insert list: %w", err)
	}
	return nil
}

// UpdateList implements starling.ListStore.
func (q *queries) UpdateList(ctx context.Context, l *starling.List) error {
	_, err := q.q.ExecContext(ctx, `UPDATE lists SET title = $1, replies_policy = $2, exclusive = $3, featured = $4, public = $5 WHERE id = $6`,
		l.Title, l.RepliesPolicy, l.Exclusive, l.Featured, l.Public, l.ID)
	return err
}

// FeaturedLists implements starling.ListStore.
func (q *queries) FeaturedLists(ctx context.Context) ([]*starling.List, error) {
	return q.scanLists(ctx, `SELECT `+listColumns+` FROM lists WHERE featured
		AND account_id IN (SELECT account_id FROM users WHERE role IN ('admin', 'moderator') AND NOT disabled)
		ORDER BY title, id`)
}

// DeleteList implements starling.ListStore.
func (q *queries) DeleteList(ctx context.Context, id int64) error {
	_, err := q.q.ExecContext(ctx, `DELETE FROM lists WHERE id = $1`, id)
	return err
}

// List implements starling.ListStore.
func (q *queries) List(ctx context.Context, id int64) (*starling.List, error) {
	ls, err := q.scanLists(ctx, `SELECT `+listColumns+` FROM lists WHERE id = $1`, id)
	if err != nil {
		return nil, err
	} else if len(ls) == 0 {
		return nil, starling.Errorf(starling.ENOTFOUND, "Record not found")
	}
	return ls[0], nil
}

// Lists implements starling.ListStore.
func (q *queries) Lists(ctx context.Context, accountID int64) ([]*starling.List, error) {
	return q.scanLists(ctx, `SELECT `+listColumns+` FROM lists WHERE account_id = $1 ORDER BY lower(title), id`, accountID)
}

// ListsWithMember implements starling.ListStore.
func (q *queries) ListsWithMember(ctx context.Context, ownerID, memberID int64) ([]*starling.List, error) {
	return q.scanLists(ctx, `SELECT l.id, l.account_id, l.title, l.replies_policy, l.exclusive, l.featured, l.public FROM lists l
		JOIN list_members m ON m.list_id = l.id WHERE l.account_id = $1 AND m.account_id = $2 ORDER BY lower(l.title), l.id`, ownerID, memberID)
}

// AddListMember implements starling.ListStore.
func (q *queries) AddListMember(ctx context.Context, listID, memberID int64) (bool, error) {
	n, err := q.exec(ctx, `INSERT INTO list_members (list_id, account_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, listID, memberID)
	return n > 0, err
}

// RemoveListMember implements starling.ListStore.
func (q *queries) RemoveListMember(ctx context.Context, listID, memberID int64) error {
	_, err := q.q.ExecContext(ctx, `DELETE FROM list_members WHERE list_id = $1 AND account_id = $2`, listID, memberID)
	return err
}

// ListMembers implements starling.ListStore.
func (q *queries) ListMembers(ctx context.Context, listID int64, p starling.Page) ([]int64, error) {
	a := args{listID}
	where, order, rev := a.page("account_id", p)
	return q.pagedIDs(ctx, `SELECT account_id FROM list_members WHERE list_id = $1`+where+order, a, rev)
}
